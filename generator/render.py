"""Models → Markdown through Jinja: one Environment, built once, with StrictUndefined.

Content is always passed in as data. No field's text is ever compiled as a template, so
`{{ 7*7 }}` in a story stays `{{ 7*7 }}`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

import jinja2
import jinja2.bccache

from generator.cache import cache_folder
from generator.errors import InternalError

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Plain text is written with character references, never backslashes: a reference means the
# same character in Markdown, in raw HTML and in an attribute value, so one escaping serves all
# three, and no Markdown construct can start. Inline: HTML, quotes, links and images (`[`),
# emphasis, code, attr_list braces, tables, and the marks of common extensions.
_PLAIN = str.maketrans({char: f"&#{ord(char)};" for char in '\\`*_[]{}|~^'}
                       | {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
# Line start: headings, lists, setext underlines, definitions, admonitions, details, tabs, blocks.
_MARKDOWN_START = re.compile(r"^([ \t]*)(?:([#+\-=:!?/])|(\d+)([.)]))", re.MULTILINE)
T = TypeVar("T")


def make_environment(override_dir: Path | None = None) -> jinja2.Environment:
    """Templates in `override_dir` win over the built-in ones of the same file name.

    Every built-in template is also `builtin/<name>`, so an override can extend the original and
    replace one block (Pelican's `!theme` prefix). The prefix is asked first, so `builtin/` always
    means ours, even if a site has a folder of that name.
    """
    builtin = jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES))
    loaders: list[jinja2.BaseLoader] = [jinja2.PrefixLoader({"builtin": builtin})]
    if override_dir and override_dir.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(override_dir)))
    loaders.append(builtin)
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        # Pages are Markdown, escaped field by field with `text`; HTML e-mail is escaped by Jinja.
        autoescape=lambda name: bool(name and name.endswith(".html.j2")),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # One environment serves one build; a serve rebuild makes a new one, so no file checks per page.
        auto_reload=False,
        bytecode_cache=template_cache(),
    )
    # A post's title, summary and date appear on every hub page that lists it; each is worked out
    # once per build. The memos live and die with the environment, which serves one build.
    environment.filters.update(text=_memoized(text), line=_memoized(line), cell=_memoized(line), url=url,
                               markdown=markdown, rel=relative_link, mailto=mailto,
                               long_date=_memoized(long_date))
    environment.globals.update(plural=plural)
    environment.tests["contains"] = lambda sequence, item: item in sequence
    return environment


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between builds, as Python keeps .pyc files: compiling ours costs a
    quarter of a second, a tenth of a small site's whole build. Jinja keys each entry by the
    template's file and checks it against the source, so an edited template is compiled afresh.
    The cache only saves time: an entry that cannot be read or written is simply compiled again."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - a damaged entry (truncated, another version's) is compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def template_cache() -> jinja2.BytecodeCache | None:
    """The compiled-template cache, in the build's cache folder (generator/cache.py); none when that
    folder is not ours alone."""
    folder = cache_folder("templates")
    return None if folder is None else _TemplateCache(str(folder))


def render_template(environment: jinja2.Environment, name: str, **context: object) -> str:
    """Render one page template; a broken template is our bug, so it is not a content error."""
    try:
        return environment.get_template(name).render(**context)
    except jinja2.TemplateError as error:
        raise InternalError(f"template {_template_place(error, name)}: {error.message}") from error


def _template_place(error: jinja2.TemplateError, name: str) -> str:
    """`file.md.j2:12`: syntax errors carry it; runtime errors have it in Jinja's rewritten traceback."""
    if getattr(error, "lineno", None):
        return f"{Path(getattr(error, 'filename', None) or name).name}:{error.lineno}"  # type: ignore[attr-defined]
    frame, place = error.__traceback__, f"{name}:?"
    while frame is not None:
        filename = frame.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            place = f"{Path(filename).name}:{frame.tb_lineno}"
        frame = frame.tb_next
    return place


def _memoized(function: Callable[[T], str]) -> Callable[[T], str]:
    """`function` with its results kept, for the str and date arguments it sees again and again."""
    results: dict[object, str] = {}

    def memoized(value: T) -> str:
        if not isinstance(value, (str, dt.date)):
            return function(value)
        if value not in results:
            results[value] = function(value)
        return results[value]

    return memoized


def text(value: object) -> str:
    """Plain text, shown exactly as written, in Markdown, raw HTML or a double-quoted attribute.

    No HTML, no Markdown: a title `![x](https://evil.example/p.png) {: #__config }` stays those characters.
    """
    return _MARKDOWN_START.sub(_escape_line_start, str(value).translate(_PLAIN))


def _escape_line_start(match: re.Match[str]) -> str:
    if match[2]:
        return f"{match[1]}&#{ord(match[2])};"
    return f"{match[1]}{match[3]}&#{ord(match[4])};"


def line(value: object) -> str:
    """Plain text on one line: a table cell, or text inside a raw HTML element or attribute, where a
    blank line would end the HTML block and hand the rest back to Markdown."""
    return text(" ".join(str(value).split()))


cell = line  # the name table cells have always used, in our templates and in sites' overrides


def url(value: object) -> str:
    """A link or image destination in Markdown: characters that could end it or start markup are percent-encoded."""
    return quote(str(value), safe="/:?#&=%@+,;!$*.-_~")


def mailto(address: object, subject: object = "") -> str:
    """A `mailto:` link destination to one address, with a subject line when given.

    The address was checked to be one address; every other character of the link is
    percent-encoded, so a subject cannot add a recipient, a copy or a body, nor end the link.
    """
    link = "mailto:" + quote(str(address), safe="@")
    return link + ("?subject=" + quote(str(subject), safe="") if subject else "")


def markdown(value: object, indent: int = 0) -> str:
    """A Markdown field, indented to sit inside a list item, admonition or tab."""
    body = str(value).strip("\n")
    pad = " " * indent
    return "\n".join(pad + row if row.strip() else "" for row in body.splitlines()).lstrip(" ")


@jinja2.pass_context
def relative_link(context: jinja2.runtime.Context, target: str) -> str:
    """A link from the page being rendered to another page, as MkDocs wants: relative .md paths."""
    return relative_path(target, str(context["page_path"]).rpartition("/")[0])


def relative_path(target: str, folder: str) -> str:
    """`target` seen from `folder`, both relative to the site root (posixpath.relpath, minus its disk look-ups)."""
    here, there = folder.split("/") if folder else [], target.split("/")
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])


def long_date(day: dt.date) -> str:
    """`14 March 2025`: unambiguous wherever the reader lives."""
    return f"{day.day} {day:%B %Y}"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"
