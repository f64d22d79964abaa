"""The sample site as readers use it: headless Chromium against the built site on 127.0.0.1.

Screenshots of every page kind, desktop and phone, land in tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path

import pytest

from generator import urls
from generator.urls import of as story_path
from generator.urls import page_url

from .browser import ARTIFACTS, TAB_OF, breadcrumb_of, page_kinds, search_for

DESKTOP = {"width": 1350, "height": 940}
PHONE = {"width": 390, "height": 844}



def heading(tab) -> str:
    """The page's h1 as a reader sees it, without the permalink mark."""
    return tab.locator("article h1").first.inner_text().removesuffix("¶").strip()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    yield tab
    context.close()


def test_home_shows_purpose_and_latest_stories(page, served_sample, playbook):
    page.goto(served_sample)
    assert heading(page) == playbook.program.name
    assert playbook.program.tagline in page.inner_text("article")
    published = [s for s in playbook.stories if s.status == "published"]
    featured = next(s for s in published if s.featured)
    assert page.locator(".pb-featured strong a").all_inner_texts() == [featured.title]
    latest = [s.title for s in published if s is not featured][:5]
    cards = page.locator(".pb-story-cards li strong a").all_inner_texts()
    assert cards == latest


def test_home_lists_whats_next_with_calendar_files_and_whom_to_ask(page, served_sample, playbook):
    page.goto(served_sample)
    coming = page.locator("#coming-up + ul > li")
    assert coming.count() == 3
    for i in range(3):
        link = coming.nth(i).get_by_role("link", name="Add to calendar")
        ics = page.request.get(urllib.parse.urljoin(page.url, link.get_attribute("href") or ""))
        assert ics.ok and ics.text().startswith("BEGIN:VCALENDAR"), link.get_attribute("href")
    mailboxes = page.locator("#who-to-ask + ul a[href^='mailto:']")
    program = playbook.program
    assert [mailboxes.nth(i).get_attribute("href") for i in range(mailboxes.count())] == [
        f"mailto:{program.contact.email}", f"mailto:{program.coordinator.email}"]


@pytest.mark.parametrize("tab, title", [("Roles", "Roles"), ("Rules", "Rules"), ("Meetings", "Meeting guides"),
                                          ("Stories", "Stories and news")])
def test_navigation_reaches_each_section(page, served_sample, tab, title):
    page.goto(served_sample)
    page.locator(".md-tabs__link", has_text=tab).first.click()
    page.wait_for_load_state()
    assert heading(page) == title


def word_only_on(site: Path, location: str, candidates: list[str]) -> str:
    """A word of the candidates that the site's search index holds on one page only, so the
    story is the first result whatever order the search engine gives to ties."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    pages: dict[str, set[str]] = {}
    for doc in index:
        for word in re.findall(r"[a-z]{8,}", (doc["title"] + " " + doc["text"]).lower()):
            pages.setdefault(word, set()).add(doc["location"].split("#")[0])
    unique = [w for w in candidates if pages.get(w.lower()) == {location}]
    assert unique, f"no word of {location} is unique to it in the search index"
    return unique[0]


def test_search_finds_a_story_by_a_word_from_its_body_and_opens_it(page, served_sample, sample_site, playbook):
    story = next(s for s in playbook.stories if s.status == "published")
    location = page_url(story_path(story))
    word = word_only_on(sample_site, location, re.findall(r"[A-Za-z]{8,}", story.body))
    page.goto(served_sample)
    search_for(page, word)
    result = page.locator(".md-search-result__item a", has_text=story.title).first
    result.wait_for(timeout=15_000)
    result.click()
    page.wait_for_load_state()
    assert page.url.startswith(served_sample + page_url(story_path(story)))
    assert heading(page) == story.title


def test_a_tag_page_lists_its_stories(page, served_sample, playbook):
    tag = max({t for s in playbook.stories for t in s.tags}, key=lambda t: sum(t in s.tags for s in playbook.stories))
    page.goto(served_sample + page_url(f"stories/tags/{tag}.md"))
    listed = page.locator(".pb-story-cards li strong a").all_inner_texts()
    assert listed == [s.title for s in playbook.stories if tag in s.tags and s.status == "published"][:len(listed)]
    assert listed


def test_the_light_and_dark_toggle_switches_the_scheme(page, served_sample):
    page.emulate_media(color_scheme="light")
    page.goto(served_sample)
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    page.reload()
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"


def test_no_page_kind_scrolls_sideways_on_a_phone(browser, served_sample, playbook):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    tab = context.new_page()
    wide = []
    for kind, path in page_kinds(playbook).items():
        tab.goto(served_sample + path)
        overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            wide.append((kind, overflow))
    context.close()
    assert wide == []


def test_a_meeting_guide_prints_without_navigation(page, served_sample, playbook):
    meeting = playbook.meetings[0]
    page.goto(served_sample + page_url(f"meetings/{meeting.id}.md"))
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"):
        assert not page.locator(chrome).first.is_visible(), chrome
    assert page.locator("article table").first.is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"print-{meeting.id}.pdf").write_bytes(pdf)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_page_kind_loads_cleanly_and_is_photographed(browser, served_sample, playbook, viewport):
    context = browser.new_context(viewport=DESKTOP if viewport == "desktop" else PHONE)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda message: problems.append(f"console {message.type}: {message.text}")
           if message.type == "error" else None)
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    tab.on("response", lambda response: problems.append(f"HTTP {response.status}: {response.url}")
           if response.status >= 400 else None)
    ARTIFACTS.mkdir(exist_ok=True)
    for kind, path in page_kinds(playbook).items():
        tab.goto(served_sample + path, wait_until="networkidle")
        tab.screenshot(path=str(ARTIFACTS / f"{kind}-{viewport}.png"), full_page=True)
    context.close()
    assert problems == []


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_page_kind_shows_where_it_is(browser, served_sample, playbook, viewport):
    """On a desktop, the section's tab is highlighted; on a phone, whose tabs fold into the menu, the
    menu opens on that section. Either way, pages below a section show the breadcrumb back to it."""
    context = browser.new_context(viewport=DESKTOP if viewport == "desktop" else PHONE)
    tab = context.new_page()
    kinds = page_kinds(playbook)
    seen = {}
    for kind in TAB_OF:
        tab.goto(served_sample + kinds[kind])
        if viewport == "desktop":
            where = tab.locator(".md-tabs__item--active").inner_text().strip()
        else:
            tab.locator("label.md-header__button[for='__drawer']").click()
            active = tab.locator(".md-sidebar--primary .md-nav__item--active > label, "
                                 ".md-sidebar--primary .md-nav__item--active > a").first
            where = active.inner_text().strip() if active.count() else "Home"
        crumbs = tab.locator(".md-path__item").all_inner_texts() if tab.locator(".md-path").is_visible() else []
        seen[kind] = (where, [crumb.strip() for crumb in crumbs])
    context.close()
    expected = {kind: (section, breadcrumb_of(section)) for kind, section in TAB_OF.items()}
    assert seen == expected


def _top_results(tab, query: str, count: int) -> list[str]:
    """The pages of the first `count` results Material's search shows for `query`."""
    search_for(tab, query)
    results = tab.locator(".md-search-result__list > .md-search-result__item > .md-search-result__link")
    results.first.wait_for(timeout=15_000)
    tab.wait_for_timeout(300)  # Material renders results in batches as they come
    return [href.split("#")[0].split("?")[0] for href in
            (results.nth(i).get_attribute("href") or "" for i in range(min(count, results.count())))]


def test_search_puts_each_role_and_rule_in_the_top_three_for_its_own_name(page, served_sample, playbook):
    missed = {}
    for record in [*playbook.roles, *playbook.rules]:
        page.goto(served_sample)
        found = [href.removeprefix(served_sample).removeprefix("./") for href in _top_results(page, record.title, 3)]
        if page_url(urls.of(record)) not in found:
            missed[record.title] = found
    assert missed == {}


def test_search_suggests_whole_words_without_punctuation(page, served_sample):
    page.goto(served_sample)
    search_for(page, "mentori")
    suggestion = page.locator(".md-search__suggest")
    page.wait_for_function("document.querySelector('.md-search__suggest').innerText.length > 7", timeout=15_000)
    assert re.fullmatch(r"mentori[a-z]+", suggestion.inner_text().strip())
