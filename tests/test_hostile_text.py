"""Hostile text in every plain-text field runs nowhere and shows literally, on both sites.

Every kind of record carries markup, script, inline Markdown and an attr_list in its title and
other plain-text fields. Both builds are served and every page is opened in Chromium: the
title bar, nav, headings, tables, cards and search results must show the text exactly, and
nothing from it may run, load or take over one of the theme's ids.
"""

from __future__ import annotations

import html
import json
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest
import yaml
from click.testing import CliRunner

from generator import kinds
from generator.cli import main

from .browser import search_for, serve_directory
from .sitebuild import ATOM, FIXTURE, mkdocs_build

pytestmark = pytest.mark.site  # every test here reads the two hostile builds
SITE_NAME = "Test Playbook"
# Closes <title>, runs script two ways, loads a foreign image through Markdown, sets an id through
# attr_list, and checks that < & " show as themselves. "Quokka" makes it findable in search.
# A story body that tries to take the theme's ids and classes; every page of both builds must keep the theme's own.
CLOBBER_BODY = ('They met.\n\n<div id="__config">{"base": "data:text/html,x", "features": []}</div>\n\n'
                '## Settings {#__config}\n\n## __search\n\n<label for="__drawer">menu</label>\n\n'
                '<div class="mermaid">graph TD; A-->B</div>\n')
HOSTILE = ('Quokka </title><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> '
           '![p](https://evil.example/p.png) [l](https://evil.example/) {: #__config } A < B & "C"')


def titled(kind: str) -> str:
    return f"{kind} {HOSTILE}"


def records(audience: str) -> dict[str, object]:
    """Every file of a playbook whose plain-text fields are all hostile."""
    shown = {"audience": audience}
    person = {"name": titled("Named person"), "role": titled("person role"),
              "consent": {"granted": True, "date": "2025-12-01"}}
    hidden = {"role": titled("hidden person role"),
              "consent": {"granted": False, "date": "2025-12-01"}}
    return {
        "program.yml": {
            "name": titled("Program"), "tagline": titled("Tagline"), "purpose": "Pairs learn.",
            "objectives": [titled("Objective")], "duration_months": 6, "meeting_cadence": "monthly",
            "session_minutes": 30, "time_zone": "Europe/Berlin", "sponsor": {"name": titled("Sponsor"), "title": titled("COO")},
            "coordinator": {"name": "Cy", "title": titled("Lead"), "email": "cy@example.com",
                            "ask_about": titled("Ask about"), **shown},
            "contact": {"email": "program@example.com", "channel": titled("Channel"), "ask_about": titled("Ask"),
                        **shown},
            "benefits": [{"title": titled("Benefit"), "description": "Good."}],
            "principles": [{"title": titled("Principle"), "description": "Held."}],
            "how_to_join": "Apply.", "apply_url": "https://example.com/apply?q=(1)&r=[2]#x",
            # The matching page prints both roles' titles in its sentences and tables.
            "matching": {"mentor_role": "mentor", "leader_role": "leader", "introduction": CLOBBER_BODY,
                         "rules": ["meet-monthly"], **shown},
            **shown},
        "roles.yml": {"roles": [
            {"id": "mentor", "title": titled("Role mentor"), "who": titled("Who"), "summary": "Fresh eyes.",
             "responsibilities": [titled("Responsibility")], "time_commitment": titled("Time"),
             "training": [titled("Training")], "first_weeks": [titled("First week")], **shown},
            {"id": "leader", "title": titled("Role leader"), "who": "A leader.", "summary": "Listens.",
             "responsibilities": ["Turn up"], "time_commitment": "2 hours", "escalate_to": "mentor", **shown}]},
        "rules.yml": {"rules": [
            {"id": "meet-monthly", "title": titled("Rule"), "statement": titled("Statement"), "level": "must",
             "glue": "hard", "rationale": "Rhythm.", "applies_to": ["mentor", "leader"], "owner": "leader",
             "last_reviewed": "2026-10-01", "review_every": "6 months", **shown}]},
        "methods.yml": {"methods": [
            {"id": "method", "title": titled("Method"), "summary": "A method.", "practices": [titled("Practice")],
             **shown}]},
        "steps.yml": {"steps": [
            {"id": "step", "title": titled("Step"), "summary": "A step.", "actions": [titled("Action")],
             "owner": "mentor", **shown}]},
        "phases.yml": {"phases": [
            {"id": "phase", "title": titled("Phase"), "start_month": 0, "end_month": 1, "goals": [titled("Goal")],
             "exit_criteria": [titled("Exit")], **shown}]},
        "meetings.yml": {"meetings": [
            {"id": "first", "title": titled("Meeting"), "kind": "first", "purpose": "Meet.", "duration_minutes": 20,
             "agenda": [{"minutes": 20, "title": titled("Agenda"), "detail": titled("Detail")}],
             "preparation": [{"role": "mentor", "items": [titled("Prepare")]}], **shown}]},
        "pitfalls.yml": {"pitfalls": [
            {"id": "pitfall", "title": titled("Pitfall"), "symptom": titled("Symptom"), "cause": titled("Cause"),
             "mitigation": "Fix it.", "rules": ["meet-monthly"], "roles": ["mentor"], **shown}]},
        "metrics.yml": {"metrics": [
            {"id": "metric", "title": titled("Metric"), "definition": titled("Definition"),
             "target": titled("Target"), "cadence": "monthly", "owner": "mentor", "unit": "percent", "goal": 80,
             **shown}]},
        # Every label a chart draws is content too: cohort, groups, split, comparison and notes.
        "results/2025.yml": {
            "title": titled("Cohort"), "start": "2025-03-17", "end": "2025-11-20", "pairs_started": 10,
            "pairs_completed": 9, "figures": [{
                "metric": "metric", "value": "80%", "people": 20, "note": titled("Note"),
                "comparison": {"label": titled("Comparison"), "value": "70%", "people": 40},
                "breakdowns": [{"by": titled("Split"), "groups": [
                    {"name": titled("Group big"), "value": "90%", "people": 16},
                    {"name": titled("Group small"), "value": "10%", "people": 4}]}],
                "months": [{"month": "2025-04", "value": "85%", "people": 20}]}], **shown},
        "faq.yml": {"questions": [{"id": "question", "question": titled("Question"), "answer": "Yes.", **shown}]},
        "events.yml": {"events": [
            {"id": "kickoff", "title": titled("Event"), "description": titled("Description"),
             "start": "2026-09-15 10:00", "duration_minutes": 60, "location": titled("Location"), **shown}]},
        "forms.yml": {"forms": [
            {"id": "form", "title": titled("Form"), "summary": titled("Form summary"), "purpose": CLOBBER_BODY,
             "filled_by": ["mentor"], "when": titled("When"), "kept": titled("Kept"), "rules": ["meet-monthly"],
             "sections": [{"title": titled("Section"), "intro": titled("Intro"), "fields": [
                 {"label": titled("Field"), "help": titled("Help"), "type": "lines", "lines": 2},
                 {"label": titled("Choice"), "type": "choice", "options": [titled("Option"), "B"]},
                 {"label": titled("Scale"), "type": "scale", "metric": "metric",
                  "scale": {"min": 1, "max": 3, "low": titled("Low"), "high": titled("High")}}]}], **shown}]},
        "policies.yml": {"policies": [
            {"id": "policy", "title": titled("Policy"), "summary": titled("Policy summary"), "owner": "mentor",
             "last_reviewed": "2026-10-01", "review_every": "1 year",
             "sections": [{"title": titled("Policy section"), "body": CLOBBER_BODY}],
             "data": [{"item": titled("Data item"), "purpose": titled("Purpose"), "seen_by": titled("Seen by"),
                       "kept_for": titled("Kept for"), "legal_basis": titled("Basis")}],
             "schedule": [{"event": "kickoff", "message": titled("Message"), "channel": titled("Channel"),
                           "to": titled("To"), "owner": "mentor"}],
             "support": [{"name": titled("Support"), "detail": titled("Detail"), "contact": titled("Contact")}],
             "rules": ["meet-monthly"], "forms": ["form"], **shown}]},
        "tags.yml": {"tags": [{"id": "onboarding", "label": titled("Tag"), "description": titled("Tag description"),
                               **shown}]},
        "stories/2026-01-05-first-pair.yml": {
            "title": titled("Story"), "date": "2026-01-05", "summary": titled("Summary"), "body": CLOBBER_BODY,
            "tags": ["onboarding"], "roles": ["mentor"],
            "people": [person] if audience == "external" else [person, hidden], **shown},
    }


def test_the_hostile_playbook_has_every_registered_kind_of_record():
    """A kind added to the registry must join this test before its text can be trusted on the page."""
    files = set(records("internal"))
    missing = [kind.file for kind in kinds.KINDS
               if not any(name == kind.file or (kind.folder and name.startswith(kind.file)) for name in files)]
    assert not missing, f"no hostile records for {missing}; add them to records()"


def write_project(root: Path, audience: str) -> Path:
    shutil.copytree(FIXTURE, root)
    for name, data in records(audience).items():
        (root / "playbook" / name).parent.mkdir(exist_ok=True)
        (root / "playbook" / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    if audience == "external":
        (root / "docs" / "about.md").unlink()
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    # Every place the theme prints a title: tabs, breadcrumbs, footer, header topic, search.
    config["theme"]["features"] = ["navigation.tabs", "navigation.sections", "navigation.path", "navigation.footer",
                                   "navigation.top", "toc.follow", "search.suggest", "search.highlight"]
    config["markdown_extensions"].append({"toc": {"permalink": True}})
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return root


@pytest.fixture(scope="module", params=["internal", "external"])
def hostile_site(request, tmp_path_factory) -> Path:
    root = write_project(tmp_path_factory.mktemp(f"hostile-{request.param}") / "project", request.param)
    result = mkdocs_build(root / "mkdocs.yml", root / "site", env={"PLAYBOOK_AUDIENCE": request.param})
    assert result.returncode == 0, result.stderr
    return root / "site"


# The document's own title for each page built from one record, as the reader must see it.
TITLED_PAGES = {"roles/mentor/": "Role mentor", "roles/leader/": "Role leader", "rules/meet-monthly/": "Rule",
                "meetings/first/": "Meeting", "stories/2026-01-05-first-pair/": "Story"}
NAV_TITLES = ["Role mentor", "Role leader", "Meeting"]

_FOREIGN_OR_HANDLER = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) bad.push(el.tagName + ' ' + a.name);
    }
    for (const name of ['src', 'href', 'srcset', 'data', 'action', 'poster']) {
      const value = el.getAttribute(name);
      // A mailto link may carry the hostile title in its subject, but must name only the playbook's address.
      if (name === 'href' && value && value.startsWith('mailto:')) {
        if (!/^mailto:[a-z]+@example[.]com([?]subject=[^&=?#]*)?$/.test(value)) bad.push(el.tagName + ' href=' + value);
        continue;
      }
      if (value && new URL(value, location.href).host !== location.host) {
        if (name !== 'href' || value.includes('evil')) bad.push(el.tagName + ' ' + name + '=' + value);
      }
    }
  }
  return bad;
}"""


def _html_pages(site: Path) -> list[str]:
    return sorted(str(path.relative_to(site).parent) + "/" for path in site.rglob("index.html")
                  if path.parent != site / "search")


def test_every_page_shows_hostile_text_and_runs_none_of_it(hostile_site, browser):
    server, url = serve_directory(hostile_site)
    tab = browser.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        pages = [path.removeprefix("./") for path in _html_pages(hostile_site)]
        assert len(pages) >= 15 and {"pitfalls/", "faq/", "calendar/", "stories/tags/onboarding/", "health/"} <= \
            set(pages)
        for path in pages:
            tab.goto(url + path, wait_until="load")
            assert tab.evaluate("window.__pwned") is None, path
            assert tab.evaluate(_FOREIGN_OR_HANDLER) == [], path
            assert tab.evaluate("document.querySelectorAll('[id=\"__config\"]').length") == 1, path
            assert tab.evaluate("document.querySelector('#__config').tagName") == "SCRIPT", path
            assert tab.evaluate("document.querySelector('#__search').tagName") == "INPUT", path
            assert tab.evaluate("document.querySelectorAll('.mermaid, article label[for=\"__drawer\"]').length") == 0, path
            if path in TITLED_PAGES:
                assert tab.title() == f"{titled(TITLED_PAGES[path])} - {SITE_NAME}", path
                assert tab.locator("article h1").inner_text().removesuffix("¶") == titled(TITLED_PAGES[path]), path
            if path == "health/":  # chart labels are content too, drawn inside inline SVG
                assert tab.locator("svg.playbook-chart").count() == 3, path
                captions = " ".join(tab.locator("figure figcaption").all_inner_texts())
                # With the small group hidden, the only other one must go too, or the total would give it away.
                assert f"{titled('Group big')}: withheld; {titled('Group small')}: fewer than 5" in captions
                drawn = tab.evaluate("[...document.querySelectorAll('svg.playbook-chart')].map(s => s.textContent)")
                assert any("Quokka" in text and "</title><script>" in text for text in drawn), drawn
            if path == "stories/tags/onboarding/":  # a tag's label from tags.yml is content, in the title too
                tag_title = f"Stories tagged “{titled('Tag')}”"
                assert tab.title() == f"{tag_title} - {SITE_NAME}", path
                assert tab.locator("article h1").inner_text().removesuffix("¶") == tag_title, path
        body = " ".join(tab.locator("body").inner_text().split())
        assert HOSTILE in body  # the last page (a story or hub) shows the text as text
        tab.goto(url + "roles/", wait_until="load")
        links = tab.evaluate("[...document.querySelectorAll('.md-nav--primary .md-nav__link')].map(e => e.textContent)")
        nav = [" ".join(text.split()) for text in links]  # collapsed sections are hidden, so not inner_text
        for kind in NAV_TITLES:
            assert titled(kind) in nav
        footer = tab.locator(".md-footer__link--next").get_attribute("aria-label")
        assert footer == f"Next: {titled('Role mentor')}"
    finally:
        tab.close()
        server.shutdown()
    assert dialogs == []


def test_search_finds_hostile_titles_and_shows_them_literally(hostile_site, browser):
    server, url = serve_directory(hostile_site)
    tab = browser.new_page()
    try:
        tab.goto(url + "rules/", wait_until="load")
        search_for(tab, "Quokka")
        results = tab.locator(".md-search-result__item")
        results.first.wait_for(timeout=30_000)
        titles = [" ".join(t.split()) for t in tab.locator(".md-search-result__article h1, "
                                                            ".md-search-result__article h2").all_inner_texts()]
        assert any(titled("Rule") == title for title in titles), titles
        assert tab.evaluate("window.__pwned") is None
        assert tab.evaluate(_FOREIGN_OR_HANDLER) == []
    finally:
        tab.close()
        server.shutdown()


class _Tags(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def test_the_search_index_holds_titles_as_escaped_text(hostile_site):
    """Material renders index entries as HTML: they may hold only its few text tags, with no attributes."""
    docs = json.loads((hostile_site / "search" / "search_index.json").read_text())["docs"]
    for doc in docs:
        for field in ("title", "text"):
            for tag, attrs in _Tags(doc[field]).tags:
                assert tag in {"p", "ul", "ol", "li", "code", "pre", "strong", "em", "b", "i"} and not attrs, doc
    titles = {doc["title"] for doc in docs}
    assert titled("Rule").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in titles


def test_feeds_calendar_and_digest_carry_hostile_text_as_text(hostile_site, tmp_path, monkeypatch):
    """What is read away from the site, in feed readers, calendar apps and e-mail, shows the text exactly."""
    atom = ET.parse(hostile_site / "feeds" / "all.atom.xml").getroot()
    assert [entry.findtext(f"{ATOM}title") for entry in atom.iter(f"{ATOM}entry")] == [titled("Story")]
    assert atom.findtext(f"{ATOM}entry/{ATOM}summary") == titled("Summary")
    rss = ET.parse(hostile_site / "feeds" / "all.rss.xml").getroot()
    assert [item.findtext("title") for item in rss.iter("item")] == [titled("Story")]
    (event,) = icalendar.Calendar.from_ical((hostile_site / "calendar.ics").read_bytes()).walk("VEVENT")
    assert (str(event["summary"]), str(event["location"])) == (titled("Event"), titled("Location"))
    monkeypatch.chdir(hostile_site.parent)
    out = tmp_path / "digest.html"
    result = CliRunner().invoke(main, ["digest", "--since", "2026-01-01", "--until", "2026-01-31", "--out", str(out),
                                       "--site-url", "https://example.com/playbook/"])
    assert result.exit_code == 0, result.output
    letter = out.read_text()
    assert [(tag, attrs) for tag, attrs in _Tags(letter).tags
            if tag in {"script", "img"} or any(name.startswith("on") for name, _ in attrs)] == []
    assert titled("Story") in html.unescape(letter) and titled("Summary") in html.unescape(letter)
    assert titled("Story") in out.with_suffix(".txt").read_text()
