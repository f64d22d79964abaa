"""The URL authority: where every page and file of the site lives, decided here and nowhere else.

A page's path is the Markdown path MkDocs is given (`roles/mentor.md`); `page_url` is the URL
MkDocs publishes it at. Pages, templates (as `urls`, with the `rel` filter), the theme override,
feeds, the calendar and the digest all ask here, so moving a page is a change to one line.
"""

from __future__ import annotations

from typing import Literal

from generator import kinds

HOME = "index.md"
PROGRAM = "program.md"
# How pairs are matched, from program.yml's `matching`: the method `playbook match` follows, in words.
MATCHING = "matching.md"
BROWSE = "stories/browse.md"
# Shown by the live preview in place of every page while the playbook has problems.
PROBLEMS = "playbook-problems.md"
CALENDAR = "calendar.ics"
# The health page's figures as a spreadsheet, small groups hidden as on the page.
HEALTH_DATA = "health/results.csv"
STYLESHEET = "assets/playbook.css"
# The web editor's folder (internal site only): its page, configuration and the CMS's scripts.
EDITOR = "admin/"
FeedFormat = Literal["atom", "rss"]
FEED_TYPES: dict[FeedFormat, str] = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
FEED_FORMATS: tuple[FeedFormat, ...] = ("atom", "rss")


def of(record: object) -> str:
    """The page that shows `record`: its own page, or its kind's list page (at its anchor, if it has one)."""
    kind = kinds.of(record)
    return _record_path(kind, kind.key_of(record))


def to(kind_name: str, key: str) -> str:
    """The page of the record of kind `kind_name` with id `key`, for fields that hold only the id."""
    return _record_path(kinds.by_name(kind_name), key)


def _record_path(kind: kinds.Kind, key: str) -> str:
    if kind.record_page:
        return kind.record_page.format(id=key)
    if kind.list_page is None:
        raise ValueError(f"records of kind `{kind.name}` have no page")
    return f"{kind.list_page}#{key}" if kind.anchored else kind.list_page


def listing(kind_name: str) -> str:
    """The page that lists every record of a kind, such as `pitfalls.md`."""
    page = kinds.by_name(kind_name).list_page
    if page is None:
        raise ValueError(f"kind `{kind_name}` has no list page")
    return page


def hub(facet: str, key: str = "", number: int = 1) -> str:
    """Page `number` of a list of posts: all of them (`all`), or one kind, tag, role or year."""
    base = "stories/index" if facet == "all" else f"stories/{facet}/{key}"
    return f"{base}.md" if number == 1 else f"{base}-page-{number}.md"


def event_calendar(event_id: str) -> str:
    """One event's own calendar file, for its "Add to calendar" link."""
    return f"calendar/{event_id}.ics"


def form_file(form_id: str) -> str:
    """A form's Word file, beside its page, for a team that wants to edit it."""
    return f"forms/{form_id}.docx"


def feed(key: str, form: FeedFormat) -> str:
    """The feed of every post (`all`) or of one tag, in Atom or RSS."""
    base = "feeds/all" if key == "all" else f"feeds/tags/{key}"
    return f"{base}.{form}.xml"


def page_url(path: str, directory_urls: bool = True) -> str:
    """The URL path of a page, relative to the site root: MkDocs' rule, which a test holds us to."""
    stem = path[: -len(".md")]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def absolute(site_url: str, path: str, directory_urls: bool = True) -> str:
    """The full address of a page (`.md`) or a file, for feeds and e-mail, which are read away from the site."""
    base = site_url.rstrip("/") + "/"
    page, _, anchor = path.partition("#")
    target = page_url(page, directory_urls) if page.endswith(".md") else page
    return base + target + (f"#{anchor}" if anchor else "")

