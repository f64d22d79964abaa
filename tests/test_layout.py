"""The core (load → validate → render) imports no MkDocs; only the glue modules do, so the core outlives MkDocs 1.x."""

from __future__ import annotations

import ast

from .sitebuild import REPO

GLUE = {"plugin.py", "preview.py", "theme_worker.py"}
ENGINE = ("mkdocs", "material")


def imported(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_only_the_glue_imports_mkdocs_or_its_theme():
    importing = sorted(path.name for path in (REPO / "generator").glob("*.py")
                       if any(name.split(".")[0] in ENGINE for name in imported(path.read_text())))
    assert importing == sorted(GLUE)
