"""The story hub's lists (generator/stories.py): slugs, hubs in order with their titles, pages, related posts.

Hubs are checked through what they hold (title, stories, pages), not where they are published: paths may move.
"""

from __future__ import annotations

import datetime as dt

import pytest

from generator.errors import Location
from generator.models import Origin, Role, Story
from generator.stories import collect_hubs, index_by_tag, related_stories, slugify


def _story(title: str, date: str, tags: list[str] = [], roles: list[str] = [], kind: str = "story") -> Story:  # noqa: B006
    data = {"title": title, "date": date, "summary": "S.", "body": "B.", "tags": tags, "roles": roles, "kind": kind}
    return Story.model_validate(data, context=Origin(Location("playbook/stories/x.yml"), slugify(title)))


def _role(role_id: str, title: str) -> Role:
    return Role.model_validate({"id": role_id, "title": title, "who": "Someone.", "summary": "S.",
                                "responsibilities": ["Turn up"], "time_commitment": "2 hours"})


ROLES = (_role("mentor", "Reverse mentor"), _role("leader", "Senior leader"))


@pytest.mark.parametrize("title, slug", [
    ("What a driver taught us!", "what-a-driver-taught-us"),
    ("Café für Ümlaut-Fans", "cafe-fur-umlaut-fans"),
    ("R&D in 2026: a year", "r-d-in-2026-a-year"),
    ("One two three four five six seven eight", "one-two-three-four-five-six"),
    ("  --Spaces and dashes--  ", "spaces-and-dashes"),
    ("!!!", "story"),
    ("中文标题", "story"),
])
def test_slugify_makes_a_short_ascii_file_name(title: str, slug: str):
    assert slugify(title) == slug


def test_slugify_takes_as_many_words_as_asked():
    assert slugify("Two-Way Mentoring at Northwind Logistics GmbH", max_words=12) == (
        "two-way-mentoring-at-northwind-logistics-gmbh")
    assert slugify("Two-Way Mentoring at Northwind", max_words=2) == "two-way"


def test_hubs_come_in_order_index_kinds_tags_roles_then_years_newest_first():
    stories = (
        _story("Newest", "2026-03-01", tags=["social-media", "ai"], roles=["mentor"], kind="update"),
        _story("Middle", "2025-07-01", tags=["ai"], roles=["leader", "ghost"]),
        _story("Oldest", "2024-01-01", tags=["social-media"], kind="announcement"),
    )
    hubs = collect_hubs(stories, ROLES)
    assert [(hub.title, [s.title for s in hub.stories]) for hub in hubs] == [
        ("Stories and news", ["Newest", "Middle", "Oldest"]),
        ("Announcements", ["Oldest"]),
        ("Success stories", ["Middle"]),
        ("Pair updates", ["Newest"]),
        ("Stories tagged “ai”", ["Newest", "Middle"]),
        ("Stories tagged “social media”", ["Newest", "Oldest"]),
        ("Stories about the ghost role", ["Middle"]),  # a role id no role has: shown as it is written
        ("Stories about the Senior leader role", ["Middle"]),
        ("Stories about the Reverse mentor role", ["Newest"]),
        ("Stories from 2026", ["Newest"]),
        ("Stories from 2025", ["Middle"]),
        ("Stories from 2024", ["Oldest"]),
    ]


def test_without_stories_there_is_only_the_index_with_one_empty_page():
    (index,) = collect_hubs((), ROLES)
    assert (index.title, index.stories, index.page_count, index.page(1)) == ("Stories and news", (), 1, ())


@pytest.mark.parametrize("count, pages, last_page", [(1, 1, 1), (10, 1, 10), (11, 2, 1), (25, 3, 5), (30, 3, 10)])
def test_a_hub_has_pages_of_ten_newest_first(count: int, pages: int, last_page: int):
    day = dt.date(2026, 1, 1)
    stories = tuple(_story(f"Post {n}", str(day - dt.timedelta(days=n))) for n in range(count))
    index = collect_hubs(stories, ROLES)[0]
    assert index.page_count == pages
    assert [s.title for s in index.page(1)] == [f"Post {n}" for n in range(min(count, 10))]
    assert [s.title for s in index.page(pages)] == [f"Post {n}" for n in range(count - last_page, count)]
    assert index.page(pages + 1) == ()


def test_related_posts_share_the_most_tags_then_are_the_newest_and_are_at_most_three():
    story = _story("This one", "2026-01-01", tags=["a", "b"])
    stories = (
        story,
        _story("Shares a, newest", "2025-06-01", tags=["a"]),
        _story("Shares b", "2025-05-01", tags=["b", "c"]),
        _story("Shares a and b, oldest", "2023-01-01", tags=["b", "a"]),
        _story("Shares a, too old for the three", "2024-01-01", tags=["a"]),
        _story("Shares nothing, newest of all", "2026-02-01", tags=["c"]),
    )
    related = related_stories(story, index_by_tag(stories))
    assert [s.title for s in related] == ["Shares a and b, oldest", "Shares a, newest", "Shares b"]


def test_a_post_is_never_related_to_itself_but_an_equal_copy_is_another_post():
    story = _story("Twin", "2026-01-01", tags=["a"])
    twin = _story("Twin", "2026-01-01", tags=["a"])
    assert twin == story
    related = related_stories(story, index_by_tag((story, twin)))
    assert len(related) == 1 and related[0] is twin


def test_a_post_without_tags_has_no_related_posts():
    story = _story("Untagged", "2026-01-01")
    assert related_stories(story, index_by_tag((story, _story("Other", "2025-01-01", tags=["a"])))) == []
