"""Every page shows where it is: its section's tab, sidebar and breadcrumb, even outside the nav;
and search weighs a record's own page above the lists that mention it."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

from generator.nav import places
from generator.stories import ALL_POSTS
from generator.urls import of as story_path
from generator.urls import page_url

from .browser import TAB_OF, breadcrumb_of, page_kinds
from .test_site import page


def test_a_page_outside_the_nav_sits_with_the_index_of_its_nearest_folder():
    nav = ["index.md", "program.md", "rules/index.md", "stories/browse.md", "stories/index.md", "guides/a.md"]
    found = places([*nav, "rules/late.md", "stories/2026-x.md", "stories/tags/career.md", "stories/tags/y-page-2.md",
                    "guides/deep/b.md", "contributing.md", "other/c.md"], nav)
    assert found == {"rules/late.md": "rules/index.md", "stories/2026-x.md": "stories/index.md",
                     "stories/tags/career.md": "stories/index.md", "stories/tags/y-page-2.md": "stories/index.md",
                     "guides/deep/b.md": "guides/a.md"}


def _active_tab(html: str) -> str:
    match = re.search(r'<li class="md-tabs__item md-tabs__item--active">\s*<a [^>]*>(.*?)</a>', html, re.S)
    assert match, "no tab is active"
    return unescape(re.sub(r"<[^>]+>", "", match[1])).strip()


def _breadcrumb(html: str) -> list[str]:
    match = re.search(r'<nav class="md-path"[^>]*>(.*?)</nav>', html, re.S)
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip()
            for item in re.findall(r'<li class="md-path__item">(.*?)</li>', match[1], re.S)] if match else []


def test_every_kind_of_page_has_its_sections_tab_and_breadcrumb(sample_site, playbook):
    kinds = page_kinds(playbook)
    for kind, tab in TAB_OF.items():
        path = kinds[kind]
        html = (sample_site / path / "index.html").read_text(encoding="utf-8")
        assert _active_tab(html) == tab, kind
        assert _breadcrumb(html) == breadcrumb_of(tab), kind


def test_a_story_page_shows_the_stories_section_in_its_sidebar(sample_site, playbook):
    story = next(s for s in playbook.stories if s.status == "published")
    html = (sample_site / page_url(story_path(story)) / "index.html").read_text(encoding="utf-8")
    sidebar = html[html.index("md-sidebar--primary"):html.index("md-sidebar--secondary")]
    active = sidebar[sidebar.index("md-nav__item--active"):]
    links = [unescape(re.sub(r"<[^>]+>", "", text)).strip()
             for text in re.findall(r'<a href="[^"]*" class="md-nav__link">(.*?)</a>', active, re.S)]
    assert links[:2] == [ALL_POSTS, "Browse by topic"]
    assert story.title not in sidebar, "the story itself is still not a nav entry"


def test_the_home_page_has_no_sidebar_that_only_says_home(sample_site):
    html = page(sample_site, "index.md")
    assert re.search(r'<div class="md-sidebar md-sidebar--primary"[^>]*hidden', html)


def _index(site: Path) -> list[dict]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def test_search_weighs_records_above_lists_and_leaves_out_further_pages(sample_site, playbook):
    docs = _index(sample_site)
    boost = {doc["location"].split("#")[0]: doc.get("boost", 1) for doc in docs}
    kinds = page_kinds(playbook)
    assert boost[kinds["role"]] == 3, "every rule and guide names the roles it binds; a role's own page comes first"
    assert boost[kinds["rule"]] == boost[kinds["meeting"]] == 2
    assert boost[kinds["story"]] == boost[kinds["roles"]] == 1
    assert boost[kinds["tag"]] == boost[kinds["stories"]] == boost[kinds["health"]] == 0.5
    further = [location for location in boost if re.search(r"-page-\d+/$", location)]
    assert further == [], "the second and later pages of a list are not in the index"
    assert list((sample_site / "stories").glob("*-page-2/index.html")), "the sample has such pages to leave out"
