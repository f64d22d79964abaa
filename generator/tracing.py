"""What a page read while it was rendered, so a later build can tell whether it would read the same.

A template reaches other records only through a few shared objects (`q`, `playbook`,
`site_pages`). While a page renders, each of them is wrapped in a `Recorder` that notes every
attribute it hands out and every call made on it, with the result. A later build replays
those steps against its own objects: if every step gives an equal result, the page would
render the same, because templates are deterministic in what they are given.

This needs no list of which page uses which record, so a site's own template overrides
are covered as well as ours.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

_ITERATED = "__iter__"


@dataclass(frozen=True)
class Step:
    source: str
    name: str
    args: tuple[Any, ...] | None
    """None for reading an attribute; the arguments of a call otherwise."""
    kwargs: dict[str, Any] = field(default_factory=dict)
    result: Any = None


@dataclass
class Trace:
    """The steps one page took through the shared objects, in order."""

    steps: list[Step] = field(default_factory=list)

    def holds(self, sources: Mapping[str, object], answers: dict[tuple[Any, ...], Any] | None = None) -> bool:
        """Whether every step, taken again on `sources`, gives what it gave before.

        `answers` keeps the replies of one build across pages: a post's label or a role's title
        is asked by every page that lists it, and asked once. Arguments are told apart by
        identity; every object a trace names stays alive while the build runs, so no id is reused.
        """
        if answers is None:
            answers = {}
        for step in self.steps:
            target = sources[step.source]
            key = (id(target), step.name, tuple(map(id, step.args or ())),
                   tuple((name, id(value)) for name, value in step.kwargs.items()))
            if key not in answers:
                answers[key] = _replay(step, target)
            if answers[key] != step.result:
                return False
        return True


def _replay(step: Step, target: object) -> Any:
    if step.name == _ITERATED:
        return tuple(target)  # type: ignore[arg-type]  # only recorded for what was iterable
    try:
        value = getattr(target, step.name)
        return value if step.args is None else value(*step.args, **step.kwargs)
    except Exception as error:  # noqa: BLE001 - a step that fails now reads differently
        return _Failed(error)


class _Failed:
    """A replayed step that raised: equal to nothing, so the page is rendered again and shows the real error."""

    def __init__(self, error: Exception) -> None:
        self.error = error


class Recorder:
    """`target` as a template sees it, with every read and call noted in `trace` under `source`."""

    __slots__ = ("_source", "_target", "_trace")

    def __init__(self, target: Any, source: str, trace: Trace) -> None:
        self._target, self._source, self._trace = target, source, trace

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if not callable(value):
            self._trace.steps.append(Step(self._source, name, None, result=value))
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            result = value(*args, **kwargs)
            self._trace.steps.append(Step(self._source, name, args, kwargs, result))
            return result

        return call

    def __getitem__(self, key: object) -> Any:
        return self.__getattr__("__getitem__")(key)

    def __contains__(self, item: object) -> bool:
        return bool(self.__getattr__("__contains__")(item))

    def __len__(self) -> int:
        return int(self.__getattr__("__len__")())

    def __iter__(self) -> Iterator[Any]:
        items = tuple(self._target)
        self._trace.steps.append(Step(self._source, _ITERATED, (), result=items))
        return iter(items)
