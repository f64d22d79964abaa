"""The URL authority: every page's URL follows MkDocs' own rule, and each kind's records land where declared."""

from __future__ import annotations

import datetime as dt

import pytest
from mkdocs.structure.files import File

from generator import kinds, urls
from generator.outputs import Options
from generator.site import build_site


@pytest.mark.parametrize("directory_urls", [True, False])
def test_page_url_is_the_url_mkdocs_gives_every_generated_page(playbook, directory_urls):
    site = build_site(playbook, Options(today=dt.date(2026, 11, 23), site_url="https://example.com/"))
    for page in site.pages:
        mkdocs = File(page.path, "/docs", "/site", use_directory_urls=directory_urls).url
        assert urls.page_url(page.path, directory_urls) == ("" if mkdocs == "./" else mkdocs), page.path


def test_each_record_links_to_its_own_page_or_its_anchor_on_the_list(playbook):
    assert urls.of(playbook.roles[0]) == f"roles/{playbook.roles[0].id}.md"
    assert urls.of(playbook.pitfalls[0]) == f"pitfalls.md#{playbook.pitfalls[0].id}"
    assert urls.of(playbook.methods[0]) == "methods.md"
    assert urls.of(playbook.stories[0]) == f"stories/{playbook.stories[0].slug}.md"
    assert urls.to("events", "kick-off") == "calendar.md#kick-off"
    assert urls.listing("questions") == "faq.md"


def test_hubs_and_feeds_have_one_formula():
    assert [urls.hub("all"), urls.hub("all", number=3), urls.hub("tags", "ai", 2)] == [
        "stories/index.md", "stories/index-page-3.md", "stories/tags/ai-page-2.md"]
    assert [urls.feed("all", "atom"), urls.feed("ai", "rss")] == ["feeds/all.atom.xml", "feeds/tags/ai.rss.xml"]


def test_absolute_addresses_keep_anchors_and_files_as_they_are():
    assert urls.absolute("https://x.example/p", "pitfalls.md#late") == "https://x.example/p/pitfalls/#late"
    assert urls.absolute("https://x.example/p/", "index.md") == "https://x.example/p/"
    assert urls.absolute("https://x.example/", urls.CALENDAR) == "https://x.example/calendar.ics"
    assert urls.absolute("https://x.example/", "rules/x.md", directory_urls=False) == "https://x.example/rules/x.html"


def test_every_kind_with_records_has_a_page_for_them():
    for kind in kinds.collections():
        assert kind.record_page or kind.list_page, kind.name


def test_a_tags_page_is_its_hub_of_posts():
    assert urls.to("tags", "ai-tools") == urls.hub("tags", "ai-tools") == "stories/tags/ai-tools.md"
