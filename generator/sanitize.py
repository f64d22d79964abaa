"""Raw HTML from content cannot run script: generated pages pass through an allow-list sanitizer.

The sanitizer sees the HTML after Markdown, so it also catches what Markdown extensions
let through, such as an `onclick` added with attr_list's `{: ... }` syntax. The allow-list
is what Markdown, our templates and Material's extensions produce, and nothing more; that
includes the health page's charts, inline SVG of shapes and text whose colours come from
classes (generator/charts.py), so SVG has no paint, style, link, reference or animation.

Allowed markup can still steer the theme's own script, so a second pass over nh3's output
keeps content out of the theme's names:
- Ids, label `for` and input `name` values that Material reads (`__config`, `__search`,
  `__drawer`, `__toc`, `__palette_0`, ... and anything `md-`) are renamed with the prefix
  `content-`, in links to them (`href="#__config"`) too and in the page's table of contents,
  so anchors still work. The ids pymdownx.tabbed and pymdownx.highlight emit are kept.
- Classes that make the theme act (`mermaid` fetches mermaid.js; `md-*` are the theme's own
  hooks) are dropped; admonitions, grid cards and content tabs keep theirs.
- An `xlink:href` is dropped: the parser names it `href`, so the allow-list cannot tell it from
  an SVG link's `href`, and it would slip past the renaming of `#__config` above.
- An image whose address is absolute (`https:`, any scheme, `//host`) is removed: a page shows
  only the site's own images, so no reader's visit is reported to another host.
nh3 writes every attribute as `name="value"` with `"` escaped, so plain regular expressions over
its output find each attribute exactly, with no per-attribute callback into Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Protocol

import nh3

from generator import parallel

TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd", "label", "li", "mark",
    "nav", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul",
} | {"svg", "g", "path", "rect", "line", "text", "tspan"}
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "aria-label", "aria-hidden", "role"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "input": {"name", "checked", "disabled"},
    "label": {"for"},
    "div": {"data-tabs"},
    "details": {"open"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style", "scope"},
    "ol": {"start"},
    # Charts: shapes and text with their positions, nothing that paints, styles, links or refers by id.
    # nh3 matches SVG's attribute names as written in SVG, so `viewBox`, not `viewbox`.
    "svg": {"viewBox"},
    "g": {"transform"},
    "path": {"d", "transform"},
    "rect": {"x", "y", "width", "height", "transform"},
    "line": {"x1", "y1", "x2", "y2", "transform"},
    "text": {"x", "y", "transform", "font-size"},
    "tspan": {"x", "y", "transform", "font-size"},
}
# Content tabs are radio buttons and task lists are checkboxes; no other kind of input has a use
# in content, so `type` is allowed with these values only.
ATTRIBUTE_VALUES = {
    "input": {"type": {"radio", "checkbox"}},
    # An inline chart names its namespace (the HTML parser would supply it anyway); no other is wanted.
    "svg": {"xmlns": {"http://www.w3.org/2000/svg"}},
    "text": {"text-anchor": {"start", "middle", "end"}},
    "tspan": {"text-anchor": {"start", "middle", "end"}},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Built once: the allow-lists are converted for the Rust side once, not on every page.
_CLEANER = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript", "template"},
    attributes=ATTRIBUTES,
    tag_attribute_values=ATTRIBUTE_VALUES,
    url_schemes=URL_SCHEMES,
    filter_style_properties={"text-align"},
    link_rel=None,
    strip_comments=True,
)


RESERVED_PREFIX = "content-"
# A name the theme owns: `__` (Material's ids and toggles) or `md-`, except what content tabs and
# code line anchors are made of, which Material reads on purpose.
_RESERVED = r"(?:__(?!tabbed_\d+(?:_\d+)?\"|codelineno-\d+-\d+\")|md-)"
# An id, a label's `for`, an input's `name`, or the fragment of a link within the site.
_NAME = re.compile(r'(\s(?:id|for|name)="|\shref="(?![a-zA-Z][a-zA-Z0-9+.-]*:|//)[^"#]*#)(?=' + _RESERVED + ")")
_THEME_CLASSES = re.compile(r'\sclass="[^"]*(?:\bmermaid\b|(?<![\w-])md-)[^"]*"')
_IMG = re.compile(r'<img(?:\s[^\s="]+="[^"]*")*\s*/?>')  # whole attributes: a value may hold `>`
_XLINK = re.compile(r'(<a(?:\s[^\s="]+="[^"]*")*)\sxlink:href="[^"]*"')
_ABSOLUTE_SRC = re.compile(r'\ssrc="[\x00-\x20]*(?:[a-zA-Z][a-zA-Z0-9+.\-\t\n\r]*:|[/\\][\t\n\r]*[/\\])')


class TocItem(Protocol):
    """A heading in MkDocs' table of contents (its AnchorLink), without importing MkDocs here."""

    id: str

    @property
    def children(self) -> Iterable[TocItem]: ...


def sanitize_html(html: str) -> str:
    """Strip scripts, frames, objects, styles, event handlers and javascript:/data: URLs; keep content
    out of the theme's ids and classes; drop images from other hosts and `xlink:href`."""
    html = _CLEANER.clean(html)
    if "xlink:" in html:
        html = _XLINK.sub(r"\g<1>", html)
    # Most pages hold none of these; a substring test costs far less than a regex scan.
    if "<img" in html:
        html = _IMG.sub(_drop_foreign_image, html)
    if "__" in html or "md-" in html:
        html = _NAME.sub(r"\g<1>" + RESERVED_PREFIX, html)
    if "mermaid" in html or "md-" in html:
        html = _THEME_CLASSES.sub(_drop_theme_classes, html)
    return html


def _drop_foreign_image(match: re.Match[str]) -> str:
    return "" if _ABSOLUTE_SRC.search(match[0]) else match[0]


def _drop_theme_classes(match: re.Match[str]) -> str:
    names = match[0].split('"')[1].split()
    kept = [name for name in names if name != "mermaid" and not name.startswith("md-")]
    return f' class="{" ".join(kept)}"' if kept else ""


def content_anchor(anchor: str) -> str:
    """The id an anchor has after sanitizing: the same rule as in the HTML, for the table of contents."""
    return RESERVED_PREFIX + anchor if _RESERVED_ANCHOR.match(anchor + '"') else anchor


def rename_toc_anchors(items: Iterable[TocItem]) -> None:
    """Point the table of contents at the renamed headings, so its links still land."""
    for item in items:
        item.id = content_anchor(item.id)
        rename_toc_anchors(item.children)


_RESERVED_ANCHOR = re.compile(_RESERVED)


def sanitize_all(pages: list[str]) -> list[str]:
    """`sanitize_html` over a batch of pages, as a worker process runs it."""
    return [sanitize_html(html) for html in pages]


class Sanitizer:
    """Sanitizes a build's pages on a second core while the first goes on converting Markdown.

    MkDocs converts every page before it renders any into the theme, so a page's cleaned HTML is
    needed only once all are converted: `add` hands each page to a worker process in batches, and
    `results` waits for all of them. nh3 holds the GIL, so a thread would not run alongside; a
    process does. With one core, or no `fork`, pages are cleaned at once in this process.
    """

    BATCH = 32

    def __init__(self) -> None:
        self._keys: list[str] = []
        self._batch: list[str] = []
        self._done: list[str] = []
        self._futures: list[Future[list[str]]] = []
        self._pool: ProcessPoolExecutor | None = None
        if parallel.can_fork():
            self._pool = parallel.forked_worker()

    def add(self, key: str, html: str) -> None:
        self._keys.append(key)
        if self._pool is None:
            self._done.append(sanitize_html(html))
            return
        self._batch.append(html)
        if len(self._batch) == self.BATCH:
            self._send()

    def results(self) -> dict[str, str]:
        """Every page's cleaned HTML by its key; raises if the worker failed, so nothing uncleaned is kept."""
        try:
            if self._batch:
                self._send()
            for future in self._futures:
                self._done.extend(future.result())
        finally:
            self.close()
        return dict(zip(self._keys, self._done, strict=True))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def _send(self) -> None:
        assert self._pool is not None
        self._futures.append(self._pool.submit(sanitize_all, self._batch))
        self._batch = []
