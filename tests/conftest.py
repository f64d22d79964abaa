"""Fixtures shared by every test module, and the tiers the tests fall into.

Each fixture is defined once here, so session-scoped ones (the built sample site, the one
Chromium) really are built once per run, or once per worker under pytest-xdist.

Tiers (markers registered in pyproject.toml): a test that runs a real `mkdocs build` or
`mkdocs serve` is `site`; one that drives Chromium is `browser`, and `site` too. The rest
is the unit tier that `make test-fast` runs with `-m "not site and not browser"`.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import pytest
from hypothesis import settings

from .browser import browser, served_sample  # noqa: F401
from .sitebuild import playbook, sample_build, sample_site  # noqa: F401

SITE_FIXTURES = frozenset({"sample_build", "sample_site", "served_sample", "browser"})
BROWSER_FIXTURES = frozenset({"browser", "served_sample"})
SITE_COMMANDS = frozenset({"mkdocs", "properdocs"})

# The property tests' example counts. `make test-fast` picks "fast": the same properties, fewer draws;
# a test whose examples cost more takes a fixed share of these (tests/test_properties.py).
settings.register_profile("full", max_examples=120)
settings.register_profile("fast", max_examples=20)
settings.load_profile("full")  # the default; `--hypothesis-profile=fast` replaces it in pytest_configure


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark by the shared fixtures a test asks for, directly or through another fixture.

    A fixture name is a reliable sign; a build started inside a helper or a module's own
    fixture is not visible here, so those tests carry `@pytest.mark.site` themselves, and
    `_refuse_unmarked_builds` below fails any test that starts a build without it.
    """
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if used & SITE_FIXTURES or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.site)


# A forgotten `site` mark would not fail anything: the test would just run in the fast tier
# and quietly make it slow. Reading each test's source for `mkdocs_build(` cannot see through
# helpers (`_build`, `_site_with_story`) or subprocess calls, but every build starts a process,
# and Python announces each one to audit hooks. So a test that starts `mkdocs` or `properdocs`
# without the mark fails on the spot, in either tier, with the fix in its message.
# (An in-process build through mkdocs.commands.build would not be seen; no test runs one.)
_current: pytest.Item | None = None


def _command_words(argv: Any) -> list[str]:
    """A command as subprocess takes it (one string, or a sequence of str, bytes or paths) as words;
    an argument that is itself a command line, as in `sh -c "..."`, is split into its words too."""
    arguments = [argv] if isinstance(argv, (str, bytes, os.PathLike)) else argv
    return [word for argument in arguments for word in os.fsdecode(argument).split()]


def _refuse_unmarked_builds(event: str, args: tuple[Any, ...]) -> None:
    if event != "subprocess.Popen" or _current is None or _current.get_closest_marker("site"):
        return
    words = _command_words(args[1])
    if any(os.path.basename(word) in SITE_COMMANDS for word in words):
        raise RuntimeError(f"{_current.nodeid} runs `{' '.join(words)}` but is not marked `site`; "
                           "add @pytest.mark.site so that `make test-fast` leaves it out")


def pytest_configure(config: pytest.Config) -> None:
    sys.addaudithook(_refuse_unmarked_builds)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> object:
    """Remember which test is running, through its fixtures' set-up and tear-down too."""
    global _current
    _current = item
    try:
        return (yield)
    finally:
        _current = None
