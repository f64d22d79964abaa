"""Raw HTML from content cannot run script: generated pages pass through an allow-list sanitizer.

The sanitizer sees the HTML after Markdown, so it also catches what Markdown extensions
let through, such as an `onclick` added with attr_list's `{: ... }` syntax. The allow-list
is what Markdown, our templates and Material's extensions produce, and nothing more.
"""

from __future__ import annotations

import nh3

TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd", "label", "li", "mark",
    "nav", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul",
}
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
}
# Content tabs are radio buttons and task lists are checkboxes; no other kind of input has a use
# in content, so `type` is allowed with these values only.
ATTRIBUTE_VALUES = {"input": {"type": {"radio", "checkbox"}}}
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


def sanitize_html(html: str) -> str:
    """Strip scripts, frames, objects, styles, event handlers and javascript:/data: URLs."""
    return _CLEANER.clean(html)
