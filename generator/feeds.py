"""Atom and RSS feeds of published posts: one for the whole hub, and one per tag.

Feed readers need absolute links, so every feed is built from the site's URL. Entries
carry the summary, never the body, so a feed cannot carry more than a card shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from generator.models import Program, Story
from generator.stories import index_by_tag, story_path, tag_label

FEED_SIZE = 50


@dataclass(frozen=True)
class Feed:
    """One feed in both formats, with the paths it is published at."""

    key: str
    title: str
    atom_path: str
    rss_path: str
    atom: bytes
    rss: bytes


def feed_paths(key: str) -> tuple[str, str]:
    base = "feeds/all" if key == "all" else f"feeds/tags/{key}"
    return f"{base}.atom.xml", f"{base}.rss.xml"


def build_feeds(stories: tuple[Story, ...], program: Program, site_url: str, page_url: Callable[[str], str]) -> list[Feed]:
    """The main feed and one per tag; `page_url` maps a page's .md path to its site path."""
    feeds = [_feed("all", f"{program.name}: stories and news", stories, program, site_url, page_url)]
    for tag, tagged in sorted(index_by_tag(stories).items()):
        feeds.append(_feed(tag, f"{program.name}: {tag_label(tag)}", tuple(tagged), program, site_url, page_url))
    return feeds


def _feed(key: str, title: str, stories: tuple[Story, ...], program: Program, site_url: str, page_url: Callable[[str], str]) -> Feed:
    atom_path, rss_path = feed_paths(key)
    generator = FeedGenerator()
    generator.id(site_url + atom_path)
    generator.title(title)
    generator.subtitle(program.tagline)
    # RFC 4287 wants an author. The program speaks for itself: a person's name would go out on
    # the public feed and go stale when the coordinator changes.
    generator.author(name=program.name, uri=site_url)
    generator.language("en")
    generator.updated(_moment(stories[0].date) if stories else _moment(dt.date(2000, 1, 1)))
    for entry in _entries(stories[:FEED_SIZE], site_url, page_url):
        generator.add_entry(entry, order="append")
    return Feed(key, title, atom_path, rss_path, _serialize(generator, site_url, atom_path, "atom"),
                _serialize(generator, site_url, rss_path, "rss"))


def _serialize(generator: FeedGenerator, site_url: str, path: str, kind: str) -> bytes:
    """Each format's `rel="self"` link names that format's own file, as feed validators require."""
    generator.link(href=site_url + path, rel="self", type=f"application/{kind}+xml", replace=True)
    generator.link(href=site_url, rel="alternate")
    return generator.atom_str(pretty=True) if kind == "atom" else generator.rss_str(pretty=True)


def _entries(stories: tuple[Story, ...], site_url: str, page_url: Callable[[str], str]) -> Iterator[FeedEntry]:
    for story in stories:
        url = site_url + page_url(story_path(story))
        entry = FeedEntry()
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(story.title)
        entry.link(href=url)
        entry.published(_moment(story.date))
        entry.updated(_moment(story.date))
        entry.summary(story.summary)
        for tag in story.tags:
            entry.category(term=tag, label=tag_label(tag))
        yield entry


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=dt.timezone.utc)
