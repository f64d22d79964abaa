"""The reference checker: which fields name other records, and which of those names nothing.

The fields come from each kind's row in the registry. Validation finds every link once, with
the field's own line and column; it reports the links to ids that do not exist, and the
external site reports the links to records it leaves out, from the same list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

from generator.errors import Location, Problem
from generator.kinds import Kind
from generator.messages import suggest
from generator.models import Link, Record

PathKey = tuple[str | int, ...]
# Where a path inside one record is written, and how to name it in a message (`rules[x].owner`).
Locate = Callable[[PathKey], Location]
Label = Callable[[PathKey], str]


def find_links(kind: Kind, record: Record, locate: Locate, label: Label) -> Iterator[Link]:
    """Every id `record` names, by the kind's reference fields, each with its own position."""
    for ref in kind.references:
        for path, value in _values_at(record, ref.path, ()):
            if isinstance(value, str):
                yield Link(record, label(path), ref.target, value, locate(path), ref.shown)


def _values_at(value: object, pattern: tuple[str, ...], path: PathKey) -> Iterator[tuple[PathKey, object]]:
    if not pattern:
        yield path, value
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        for index, item in enumerate(value if isinstance(value, (list, tuple)) else ()):
            yield from _values_at(item, rest, (*path, index))
    elif (inner := getattr(value, head, None)) is not None:
        yield from _values_at(inner, rest, (*path, head))


def unknown_targets(links: Iterable[Link], known: Mapping[str, set[str]], nouns: Mapping[str, str]) -> list[Problem]:
    """A problem for each link to an id that no record of its kind has; kinds not in `known` are skipped
    (their file is missing or already failed, and said so)."""
    problems = []
    for link in links:
        ids = known.get(link.target)
        if ids is not None and link.value not in ids:
            hint = suggest(link.value, ids) or (f"; known {link.target}: {', '.join(sorted(ids))}" if ids else
                                                f"; there are no {link.target} yet")
            problems.append(Problem(link.location, f"unknown {nouns[link.target]} `{link.value}`{hint}",
                                    field=link.field))
    return problems


def left_out_targets(links: Iterable[Link], kept: Mapping[str, set[str]], name: Callable[[Record], str],
                     nouns: Mapping[str, str]) -> list[Problem]:
    """A problem for each link from a record the external site keeps to one it leaves out."""
    return [Problem(link.location, f"the external {name(link.record)} links to the internal {nouns[link.target]} "
                    f"`{link.value}`, which the external site leaves out; make that {nouns[link.target]} external "
                    "too, or remove the link", field=link.field)
            for link in links if link.value not in kept.get(link.target, set())]

