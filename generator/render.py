"""Models → Markdown through Jinja: one Environment, built once, with StrictUndefined.

Content is always passed in as data. No field's text is ever compiled as a template, so
`{{ 7*7 }}` in a story stays `{{ 7*7 }}`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import jinja2

from generator.errors import InternalError

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_HTML_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_MARKDOWN_START = re.compile(r"^(\s*)([#>+\-*=]|\d+[.)])", re.MULTILINE)
T = TypeVar("T")


def make_environment(override_dir: Path | None = None) -> jinja2.Environment:
    """Templates in `override_dir` win over the built-in ones of the same file name."""
    loaders = [jinja2.FileSystemLoader(str(d)) for d in (override_dir, BUILTIN_TEMPLATES) if d and d.is_dir()]
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
    )
    # A post's title, summary and date appear on every hub page that lists it; each is worked out
    # once per build. The memos live and die with the environment, which serves one build.
    environment.filters.update(text=_memoized(text), cell=cell, markdown=markdown, rel=relative_link,
                               long_date=_memoized(long_date))
    environment.globals.update(plural=plural)
    environment.tests["contains"] = lambda sequence, item: item in sequence
    return environment


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
    """Plain text inside Markdown: HTML cannot start, and a line cannot turn into a heading or list."""
    escaped = str(value).translate(_HTML_SPECIAL)
    return _MARKDOWN_START.sub(lambda match: match[1] + "\\" + match[2], escaped)


def cell(value: object) -> str:
    """Plain text inside a Markdown table cell: one line, and `|` cannot end the cell."""
    return text(" ".join(str(value).split())).replace("|", "\\|")


def markdown(value: object, indent: int = 0) -> str:
    """A Markdown field, indented to sit inside a list item, admonition or tab."""
    body = str(value).strip("\n")
    pad = " " * indent
    return "\n".join(pad + line if line.strip() else "" for line in body.splitlines()).lstrip(" ")


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
