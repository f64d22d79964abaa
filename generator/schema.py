"""JSON Schema for every kind of content file, made from the same models the build validates with.

Editors (the VS Code YAML extension, via each file's `# yaml-language-server: $schema=` line)
and CI use these; a test keeps the committed copies equal to what the models say.
"""

from __future__ import annotations

import json

from generator import kinds

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def build_schema(kind: kinds.Kind) -> dict[str, object]:
    schema = kind.file_model.model_json_schema(mode="validation")
    where = f"{kind.file}{kind.files.pattern}" if kind.folder else kind.file
    return {"$schema": SCHEMA_DIALECT, "$id": f"{kind.schema_name}.schema.json", **schema,
            "title": f"{kind.schema_title} (playbook/{where})"}


def modeline(kind: kinds.Kind) -> str:
    """The first line of a content file: it tells editors (VS Code's YAML extension) which schema to check with."""
    up = "../../" if kind.folder else "../"
    return f"# yaml-language-server: $schema={up}schemas/{kind.schema_name}.schema.json"


def schema_files() -> dict[str, str]:
    """File name → JSON text, stable so a diff shows only real changes."""
    return {f"{kind.schema_name}.schema.json": json.dumps(build_schema(kind), indent=2, ensure_ascii=False) + "\n"
            for kind in kinds.KINDS}
