"""The real sample site, built with `mkdocs build --strict`, checked file by file."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import icalendar

from generator.render import long_date
from generator.urls import of as story_path
from generator.urls import page_url

from .sitebuild import ATOM, built_files, read_site_url


def page(site: Path, path: str) -> str:
    return (site / page_url(path) / "index.html").read_text(encoding="utf-8") if path != "index.md" \
        else (site / "index.html").read_text(encoding="utf-8")


def heading(html: str) -> str:
    """The text of the page's one h1, without the permalink anchor."""
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, "the page has no h1"
    return unescape(re.sub(r"<a class=\"headerlink\".*?</a>|<[^>]+>", "", match[1])).strip()


def test_build_is_strict_and_clean(sample_build, playbook):
    assert sample_build.returncode == 0, sample_build.stderr
    assert "WARNING" not in sample_build.stderr
    drafts = sum(1 for s in playbook.stories if s.status == "draft")
    published = len(playbook.stories) - drafts
    summary = rf"Playbook \(internal\): \d+ pages generated; {published} posts published, {drafts} draft \(left out\), 0 excluded"
    assert re.search(summary, sample_build.stderr)


def test_every_role_rule_and_story_has_its_page(sample_site, playbook):
    for role in playbook.roles:
        assert heading(page(sample_site, f"roles/{role.id}.md")) == role.title
    for rule in playbook.rules:
        html = page(sample_site, f"rules/{rule.id}.md")
        assert heading(html) == rule.title
        assert long_date(rule.last_reviewed) in html
        assert playbook.role(rule.owner).title in html
    for story in playbook.stories:
        if story.status == "published":
            assert heading(page(sample_site, story_path(story))) == story.title


def test_the_site_shows_every_part_of_the_program(sample_site, playbook):
    home = page(sample_site, "index.md")
    assert playbook.program.name in home
    assert "How the program works" in home and "Where to start" in home and "Latest stories" in home
    for path in ("program.md", "methods.md", "implementation.md", "timeline.md", "pitfalls.md", "metrics.md",
                 "faq.md", "roles/index.md", "rules/index.md", "meetings/index.md", "stories/index.md"):
        assert (sample_site / page_url(path) / "index.html").is_file() or path == "index.md", path
    matrix = page(sample_site, "roles/index.md")
    for role in playbook.roles:
        assert role.title in matrix
    for method in playbook.methods:
        assert method.title in page(sample_site, "methods.md")


def test_overdue_rule_is_flagged_and_others_are_not(sample_site, playbook):
    today = dt.date.today()
    flagged = {rule.id for rule in playbook.rules if rule.review_overdue(today)}
    assert flagged, "the sample keeps one overdue rule to show the flag"
    for rule in playbook.rules:
        assert ("Review overdue" in page(sample_site, f"rules/{rule.id}.md")) == (rule.id in flagged)


def test_meeting_guides_have_timed_agendas(sample_site, playbook):
    for meeting in playbook.meetings:
        html = page(sample_site, f"meetings/{meeting.id}.md")
        assert f"<strong>{meeting.duration_minutes}</strong>" in html
        for block in meeting.agenda:
            assert block.title.replace("&", "&amp;") in html


def test_stories_stay_out_of_the_navigation(sample_site, playbook):
    # The rules page links to no story in its content, so any story link would come from the nav.
    html = page(sample_site, "rules/index.md")
    assert "Stories" in html
    for story in playbook.stories:
        assert story.slug not in html


def test_no_yaml_reaches_the_site(sample_site):
    # admin/config.yml is the web editor's configuration, made from the models; it holds no content.
    assert [p.relative_to(sample_site) for p in sample_site.rglob("*") if p.suffix in {".yml", ".yaml"}] == \
        [Path("admin/config.yml")]


def test_drafts_and_unconsented_names_appear_in_no_file(sample_site, playbook):
    today = dt.date.today()
    drafts = [s for s in playbook.stories if s.status == "draft"]
    # Who refused keeps no name in the YAML at all (the model refuses one); an expired consent keeps it, hidden.
    refused = [p for s in playbook.stories for p in s.people if not p.consent.granted]
    hidden = {p.name for s in playbook.stories for p in s.people if not p.may_be_named(today) and p.name}
    assert drafts and refused
    assert all(p.name is None for p in refused)
    for path, text in built_files(sample_site):
        for story in drafts:
            assert story.title not in text and story.slug not in text, path
        for name in hidden:
            assert name not in text, f"{name} in {path}"


def test_feeds_parse_with_absolute_links_and_dates(sample_site, playbook):
    site_url = read_site_url()
    root = ET.parse(sample_site / "feeds" / "all.atom.xml").getroot()
    entries = root.findall(f"{ATOM}entry")
    published = [s for s in playbook.stories if s.status == "published"]
    assert len(entries) == len(published)
    for entry, story in zip(entries, published):
        url = site_url + page_url(story_path(story))
        assert entry.findtext(f"{ATOM}id") == url
        assert entry.find(f"{ATOM}link").get("href") == url
        assert entry.findtext(f"{ATOM}published").startswith(story.date.isoformat())
    rss = ET.parse(sample_site / "feeds" / "all.rss.xml").getroot()
    assert [i.findtext("link") for i in rss.iter("item")] == [site_url + page_url(story_path(s)) for s in published]


def test_every_tag_has_a_feed_and_a_page_that_links_it(sample_site, playbook):
    tags = {t for s in playbook.stories if s.status == "published" for t in s.tags}
    for tag in tags:
        root = ET.parse(sample_site / "feeds" / "tags" / f"{tag}.atom.xml").getroot()
        assert root.findall(f"{ATOM}entry")
        html = page(sample_site, f"stories/tags/{tag}.md")
        assert f'href="{read_site_url()}feeds/tags/{tag}.atom.xml"' in html


def test_every_page_head_advertises_the_feeds(sample_site):
    for html_file in sample_site.rglob("*.html"):
        if html_file.parent.name == "admin":  # the web editor's page is Decap's, not one of the site's
            continue
        head = html_file.read_text(encoding="utf-8").split("</head>")[0]
        assert 'rel="alternate " type="application/atom+xml"' in head, html_file
        assert 'rel="alternate " type="application/rss+xml"' in head, html_file


def test_calendar_has_every_event(sample_site, playbook):
    calendar = icalendar.Calendar.from_ical((sample_site / "calendar.ics").read_bytes())
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == len(playbook.events)
    for event in playbook.events:
        ical = next(e for uid, e in events.items() if uid.startswith(event.id + "@"))
        assert ical.decoded("dtstart").replace(tzinfo=None) == event.start  # local time in program.time_zone
        assert ("RRULE" in ical) == (event.repeat != "never")
        assert event.title in page(sample_site, "calendar.md")


class _RuleMentions(HTMLParser):
    """Every element in a page's article whose whole text is a rule's title, and the link it sits in."""

    def __init__(self, titles: set[str]) -> None:
        super().__init__()
        self.titles = titles
        self.stack: list[tuple[str, str | None]] = []
        self.found: list[tuple[str, str | None]] = []
        self.depth = 0  # inside <article>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        if tag not in VOID:
            self.stack.append((tag, dict(attrs).get("href")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if self.depth and text in self.titles and not any(tag in HEADINGS for tag, _ in self.stack):
            self.found.append((text, next((href for tag, href in reversed(self.stack) if tag == "a"), None)))


VOID = {"br", "hr", "img", "input", "meta", "link"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def test_a_rule_named_on_any_page_links_to_that_rule(sample_site, playbook):
    titles = {rule.title: page_url(story_path(rule)) for rule in playbook.rules}
    mentions = 0
    for file, html in built_files(sample_site):
        path = file.relative_to(sample_site).as_posix()
        if not path.endswith("index.html"):
            continue
        parser = _RuleMentions(set(titles))
        parser.feed(html)
        for title, href in parser.found:
            mentions += 1
            assert href is not None, f"{path}: the rule `{title}` is named without a link"
            target = urljoin(f"https://site.example/{path}", href).split("#")[0]
            assert target == f"https://site.example/{titles[title]}", f"{path}: {title} → {href}"
    assert mentions > len(titles) * 3, "rules are named on the role, meeting, pitfall and rules pages"
