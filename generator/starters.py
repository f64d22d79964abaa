"""The records `playbook new` starts: a commented template per kind, rendered, and added to its file.

A story is a file of its own. Every other kind people add lives as a list in one file
(rules.yml, ...), so a new record is appended to the end of that list as text: the file's own
bytes, comments and layout stay exactly as they were, which a load-and-dump of the YAML would lose.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml

from generator import kinds
from generator.errors import Location, PlaybookError
from generator.kinds import Kind
from generator.loader import Document, load_document, shown_as
from generator.render import render_template
from generator.schema import modeline
from generator.stories import slugify

# The word after `playbook new`, and the kind it writes. A story has a file of its own; the rest
# join a list. (A `starter` column in kinds.KINDS would be the natural home for these words.)
STARTERS: dict[str, str] = {
    "story": "stories",
    "rule": "rules",
    "role": "roles",
    "event": "events",
    "meeting": "meetings",
    "faq": "questions",
}
NO_ROLE = "role-id"  # what a new record names when no role can be read; `playbook validate` then says so
TEMPLATE_INDENT = 2  # the list-item templates are written as items under their file's key


class StarterError(Exception):
    """A new record cannot be added as asked; the message says why and what to do, in one line."""


def template_name(word: str) -> str:
    """`new-rule.yml.j2`: the template `playbook new rule` renders."""
    return f"new-{word}.yml.j2"


def kind_of(word: str) -> Kind:
    return kinds.by_name(STARTERS[word])


def id_from_title(title: str) -> str:
    """The id a new record gets from its title, as a new story's file name does."""
    found = slugify(title)
    if found == slugify("") and found not in title.lower():  # slugify's fallback: the title had no letters
        # An id is written in a–z and 0–9 (models.Slug), so a title in another script cannot give one either.
        raise StarterError(f"`{title}` has no letters a–z or digits to make an id from; give a title with a few "
                           "words in Latin letters")
    return found


def arguments(title: str, today: dt.date, role_ids: list[str]) -> dict[str, object]:
    """What every new-*.yml.j2 template is given; each uses the ones it needs."""
    return {
        "title_yaml": json.dumps(title, ensure_ascii=False),  # a JSON string is a double-quoted YAML one
        "id": slugify(title),
        "today": today,
        "role_ids": ", ".join(role_ids) or "see roles.yml",
        "first_role": role_ids[0] if role_ids else NO_ROLE,
    }


def render_starter(environment: jinja2.Environment, word: str, title: str, today: dt.date,
                   role_ids: list[str]) -> str:
    """The new record's text, as its template writes it."""
    return render_template(environment, template_name(word), **arguments(title, today, role_ids))


@dataclass(frozen=True)
class Known:
    """The ids already in a playbook's list files, read from the YAML even when it has other errors."""

    ids: dict[str, tuple[Kind, Location]]
    role_ids: list[str]

    @classmethod
    def from_folder(cls, content: Path, project: Path) -> Known:
        ids: dict[str, tuple[Kind, Location]] = {}
        roles: list[str] = []
        for kind in kinds.collections():
            document = None if kind.folder else _readable(content / kind.file, project)
            if document is None:
                continue
            for i, item in enumerate(_items(document, kind)):
                if isinstance(found := item.get("id"), str):
                    ids.setdefault(found, (kind, document.locate((kind.name, i, "id"))))
                    roles += [found] if kind.name == "roles" else []
        return cls(ids, roles)

    def refuse_taken(self, record_id: str) -> None:
        """Ids are unique across the whole playbook, so a new record's id must be new everywhere."""
        if record_id in self.ids:
            kind, where = self.ids[record_id]
            raise StarterError(f"id `{record_id}` is already used by the {kind.noun} at {where}; choose another "
                               f"title, or edit that {kind.noun}")


def _readable(path: Path, project: Path) -> Document | None:
    try:
        return load_document(path, shown_as(path, project)) if path.is_file() else None
    except PlaybookError:
        return None  # a file with a syntax error names no ids; `playbook validate` reports it


def _items(document: Document | None, kind: Kind) -> list[dict[str, object]]:
    data = document.data if document else None
    items = data.get(kind.name) if isinstance(data, dict) else None
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def appended(path: Path, project: Path, kind: Kind, record: str, record_id: str) -> bytes:
    """The list file with `record` added at the end of its list; a missing file is started, with its schema line."""
    if not path.exists():
        header = f"{modeline(kind)}\n{kind.name}:\n"
        return (header + textwrap.dedent(record)).encode("utf-8")  # items at the left edge, as YAML allows
    document = _loaded(path, project)
    original = path.read_bytes()
    item = textwrap.indent(textwrap.dedent(record), " " * _item_indent(document, kind, original))
    before = _parsed_items(original, kind) or []
    # A blank line before the new record, unless the last record ends in a `|+` block, which would keep it.
    for blank in ("\n", ""):
        added = ("" if original.endswith(b"\n") else "\n") + blank + item
        if b"\r\n" in original:  # a file saved with Windows line ends keeps them
            added = added.replace("\n", "\r\n")
        result = original + added.encode("utf-8")
        _check_appended(result, kind, len(_items(document, kind)), record_id, document.path)
        if (_parsed_items(result, kind) or [])[:-1] == before:
            return result
    raise StarterError(f"{document.path}: adding a {kind.noun} at the end would change the one before it; "
                       "add it by hand")


def _loaded(path: Path, project: Path) -> Document:
    try:
        return load_document(path, shown_as(path, project))
    except PlaybookError as error:
        raise StarterError(f"{error.problems[0]}; fix that first, then add the new record") from None


def _item_indent(document: Document, kind: Kind, original: bytes) -> int:
    """How far the file indents its list's `- `, so the new item lines up with the others."""
    if (kind.name, 0) not in document.values:
        return TEMPLATE_INDENT
    line = original.decode("utf-8-sig").splitlines()[document.values[(kind.name, 0)][0] - 1]
    dash = len(line) - len(line.lstrip(" "))
    return dash if line[dash:].startswith("-") else TEMPLATE_INDENT


def _parsed_items(raw: bytes, kind: Kind) -> list[object] | None:
    """The kind's list as PyYAML reads `raw`, or None if it does not read as one."""
    try:
        data = yaml.safe_load(raw.decode("utf-8-sig"))
    except yaml.YAMLError:
        return None
    items = data.get(kind.name) if isinstance(data, dict) else None
    return items if isinstance(items, list) else None


def _check_appended(result: bytes, kind: Kind, count: int, record_id: str, shown: str) -> None:
    """The text added must read as one more item of the list; if the file is laid out otherwise, say so."""
    items = _parsed_items(result, kind)
    last = items[-1] if items is not None and len(items) == count + 1 else None
    if not (isinstance(last, dict) and last.get("id") == record_id):
        raise StarterError(f"{shown}: a new {kind.noun} cannot be added at the end of the file, because "
                           f"`{kind.name}:` is not its last list, written one `- ` item per line; "
                           f"add it by hand, or run `playbook validate` to see what is wrong")
