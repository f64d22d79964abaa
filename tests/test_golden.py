"""The sample's generated output is exactly the stored golden copy (see tests/golden_files.py)."""

from __future__ import annotations

import difflib

import pytest

from .golden_files import SITES, generate, stored


@pytest.mark.parametrize("audience", sorted(SITES))
def test_the_sample_generates_exactly_the_golden_files(audience):
    made, kept = generate(audience), stored(audience)
    assert sorted(made) == sorted(kept), "files added or missing; regenerate with `python -m tests.golden_files` if meant"
    changed = [name for name in made if made[name] != kept[name]]
    diff = "".join(difflib.unified_diff(kept[changed[0]].decode().splitlines(True), made[changed[0]].decode()
                                        .splitlines(True), f"golden/{changed[0]}", "generated")) if changed else ""
    assert not changed, f"{len(changed)} files differ from the golden copy, first:\n{diff[:4000]}"
