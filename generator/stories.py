"""The story hub: which posts are listed where, newest first, and in pages of a fixed size.

Our data decides the views (tag, role, year, kind), so no theme plugin is needed for them.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator import urls
from generator.models import Person, Playbook, Role, Story, Tag

PAGE_SIZE = 10
RELATED = 3
KIND_TITLES = {"story": "Success stories", "update": "Pair updates", "announcement": "Announcements"}

# The hub of every post: its heading, its nav entry and the home page's link all say this.
ALL_POSTS = "Stories and news"
# Words a minute for the "3 min read" on cards: a common figure for reading on screen.
READING_SPEED = 200
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Hub:
    """A list of posts with a page of its own, such as every post tagged `inclusion`."""

    facet: str
    key: str
    title: str
    stories: tuple[Story, ...]

    def page_path(self, number: int) -> str:
        return urls.hub(self.facet, self.key, number)

    @property
    def size(self) -> int:
        """How many posts the hub holds: templates ask this rather than for every post, so a preview
        does not render a hub page again when a post on another of its pages changes."""
        return len(self.stories)

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.size / PAGE_SIZE))

    def page(self, number: int) -> tuple[Story, ...]:
        return self.stories[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]


def slugify(title: str, max_words: int = 6) -> str:
    """`What a driver taught us!` → `what-a-driver-taught-us`: the file name of a new story."""
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower())
    return "-".join(words[:max_words]) or "story"


def collect_hubs(stories: tuple[Story, ...], roles: Iterable[Role], tags: Iterable[Tag] = ()) -> list[Hub]:
    """The index, then a hub per kind, tag, role and year that has at least one post."""
    titles = {role.id: role.title for role in roles}
    labels = tag_labels(tags)
    groups: dict[tuple[str, str], list[Story]] = defaultdict(list)
    for story in stories:
        groups[("kinds", story.kind)].append(story)
        groups[("years", str(story.date.year))].append(story)
        for tag in story.tags:
            groups[("tags", tag)].append(story)
        for role in story.roles:
            groups[("roles", role)].append(story)
    hubs = [Hub("all", "index", ALL_POSTS, stories)]
    for (facet, key), members in sorted(groups.items(), key=lambda item: _order(item[0])):
        hubs.append(Hub(facet, key, _title(facet, key, titles, labels), tuple(members)))
    return hubs


def _order(facet_key: tuple[str, str]) -> tuple[int, str]:
    facet, key = facet_key
    rank = ("kinds", "tags", "roles", "years").index(facet)
    return rank, str(9999 - int(key)) if facet == "years" else key


def _title(facet: str, key: str, role_titles: dict[str, str], tag_titles: Mapping[str, str]) -> str:
    if facet == "kinds":
        return KIND_TITLES[key]
    if facet == "roles":
        return f"Stories about the {role_titles.get(key, key)} role"
    if facet == "years":
        return f"Stories from {key}"
    return f"Stories tagged “{tag_label(key, tag_titles)}”"


def tag_labels(tags: Iterable[Tag]) -> dict[str, str]:
    """Each tag's label from tags.yml, by id."""
    return {tag.id: tag.label for tag in tags}


def tag_label(tag: str, labels: Mapping[str, str] | None = None) -> str:
    """The tag's label from tags.yml, or its id spelt out (`social media`) in a playbook without one."""
    return labels[tag] if labels and tag in labels else tag.replace("-", " ")


def related_stories(story: Story, by_tag: dict[str, list[Story]]) -> list[Story]:
    """Posts that share the most tags with this one; among equals, the newest.

    Only the newest few of each tag are considered, so the cost stays linear in the
    number of posts rather than growing with the square of a popular tag's size.
    Posts are told apart by identity: the lists hold the very same objects.
    """
    shared: dict[int, int] = {}
    candidates: dict[int, Story] = {}
    for tag in story.tags:
        for other in by_tag.get(tag, [])[: RELATED * 8]:
            if other is not story:
                key = id(other)
                shared[key] = shared.get(key, 0) + 1
                candidates[key] = other
    # Most shared tags, then newest, then first seen: a descending sort keeps equal keys in their
    # order, and the negated index ranks the first seen higher. Tuples, not a key function: this
    # runs for every story page, over some 70 candidates each.
    ranked = sorted([(shared[key], other.date, -index, other) for index, (key, other) in enumerate(candidates.items())],
                    reverse=True)
    return [item[3] for item in ranked[:RELATED]]


def index_by_tag(stories: tuple[Story, ...]) -> dict[str, list[Story]]:
    by_tag: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        for tag in story.tags:
            by_tag[tag].append(story)
    return by_tag


def shown_by_role(playbook: Playbook, today: dt.date) -> list[tuple[Story, Person]]:
    """Everyone who is not named, so a coordinator can check that each case is intended."""
    return [(story, person) for story in playbook.stories for person in story.people
            if not person.may_be_named(today)]


def reading_minutes(story: Story) -> int:
    """Minutes to read the post, rounded up; at least one."""
    return _minutes_to_read(story.body)


@functools.cache
def _minutes_to_read(body: str) -> int:
    # A post's card is on every hub page that lists it, five or so: its words are counted once.
    # A str keeps its hash, so the look-up costs nothing like the count.
    return max(1, math.ceil(len(_WORD.findall(body)) / READING_SPEED))
