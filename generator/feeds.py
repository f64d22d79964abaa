"""Atom and RSS feeds of published posts: one for the whole hub, and one per tag.

Feed readers need absolute links, so every feed is built from the site's URL. Entries
carry the summary, never the body, so a feed cannot carry more than a card shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from generator import urls
from generator.models import Playbook, Program, Story
from generator.outputs import Asset, Options
from generator.stories import index_by_tag, tag_label, tag_labels

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


@dataclass(frozen=True)
class FeedLink:
    """A feed as a page's head announces it to feed readers."""

    title: str
    type: str
    href: str


def feed_links(site_url: str | None, tag: str | None = None) -> list[FeedLink]:
    """The feeds a page offers: every post's, and its topic's on a tag's hub. Feeds exist only with a site URL."""
    if not site_url:
        return []
    keys = [("all", "stories and news")] + ([(tag, tag_label(tag))] if tag else [])
    return [FeedLink(f"{label} ({'Atom' if form == 'atom' else 'RSS'})", urls.FEED_TYPES[form],
                     urls.absolute(site_url, urls.feed(key, form)))
            for key, label in keys for form in urls.FEED_FORMATS]


def feed_files(playbook: Playbook, options: Options) -> Iterator[Asset]:
    """The output: feeds need absolute links, so they are made only when the site's URL is known."""
    if not options.site_url:
        return
    memo = options.memo.part(FeedMemo) if options.memo else None
    labels = tag_labels(playbook.collections.get("tags", ()))
    for feed in build_feeds(options.stories(playbook), playbook.program, options.site_url, options.directory_urls,
                            memo, labels):
        yield Asset(feed.atom_path, feed.atom)
        yield Asset(feed.rss_path, feed.rss)


def build_feeds(stories: tuple[Story, ...], program: Program, site_url: str, directory_urls: bool = True,
                memo: FeedMemo | None = None, labels: Mapping[str, str] | None = None) -> list[Feed]:
    """The main feed and one per tag."""
    site_url = site_url.rstrip("/") + "/"
    make = memo.feed if memo else _feed
    feeds = [make("all", f"{program.name}: stories and news", stories, program, site_url, directory_urls)]
    for tag, tagged in sorted(index_by_tag(stories).items()):
        feeds.append(make(tag, f"{program.name}: {tag_label(tag, labels)}", tuple(tagged), program, site_url,
                          directory_urls))
    return feeds


class FeedMemo:
    """Each feed of the last build with what it was made from, so the live preview makes again only those
    whose newest posts changed."""

    def __init__(self) -> None:
        self.feeds: dict[str, tuple[tuple[object, ...], Feed]] = {}

    def feed(self, key: str, title: str, stories: tuple[Story, ...], program: Program, site_url: str,
             directory_urls: bool) -> Feed:
        inputs = (title, stories[:FEED_SIZE], program, site_url, directory_urls)
        kept = self.feeds.get(key)
        if kept is None or kept[0] != inputs:
            kept = self.feeds[key] = (inputs, _feed(key, title, stories, program, site_url, directory_urls))
        return kept[1]


def _feed(key: str, title: str, stories: tuple[Story, ...], program: Program, site_url: str,
          directory_urls: bool) -> Feed:
    atom_path, rss_path = urls.feed(key, "atom"), urls.feed(key, "rss")
    generator = FeedGenerator()
    generator.id(site_url + atom_path)
    generator.title(title)
    generator.subtitle(program.tagline)
    # RFC 4287 wants an author. The program speaks for itself: a person's name would go out on
    # the public feed and go stale when the coordinator changes.
    generator.author(name=program.name, uri=site_url)
    generator.language("en")
    generator.updated(_moment(stories[0].date) if stories else _moment(dt.date(2000, 1, 1)))
    for entry in _entries(stories[:FEED_SIZE], site_url, directory_urls):
        generator.add_entry(entry, order="append")
    return Feed(key, title, atom_path, rss_path, _serialize(generator, site_url, atom_path, "atom"),
                _serialize(generator, site_url, rss_path, "rss"))


def _serialize(generator: FeedGenerator, site_url: str, path: str, kind: str) -> bytes:
    """Each format's `rel="self"` link names that format's own file, as feed validators require."""
    generator.link(href=site_url + path, rel="self", type=f"application/{kind}+xml", replace=True)
    generator.link(href=site_url, rel="alternate")
    return generator.atom_str(pretty=True) if kind == "atom" else generator.rss_str(pretty=True)


def _entries(stories: tuple[Story, ...], site_url: str, directory_urls: bool) -> Iterator[FeedEntry]:
    for story in stories:
        url = urls.absolute(site_url, urls.of(story), directory_urls)
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
    return dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=dt.UTC)
