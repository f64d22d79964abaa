"""JSON Schema for every kind of content file, made from the same models the build validates with.

Editors (the VS Code YAML extension, via each file's `# yaml-language-server: $schema=` line)
and CI use these; a test keeps the committed copies equal to what the models say.
"""

from __future__ import annotations

import json

from pydantic import BaseModel

from generator import models as m
from generator.validate import FILES

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
TITLES = {
    "program": "Program (playbook/program.yml)", "roles": "Roles (playbook/roles.yml)",
    "rules": "Rules (playbook/rules.yml)", "methods": "Culture methods (playbook/methods.yml)",
    "steps": "Implementation steps (playbook/steps.yml)", "phases": "Timeline (playbook/phases.yml)",
    "meetings": "Meeting guides (playbook/meetings.yml)", "pitfalls": "Pitfalls (playbook/pitfalls.yml)",
    "metrics": "Metrics (playbook/metrics.yml)", "faq": "FAQ (playbook/faq.yml)",
    "events": "Calendar (playbook/events.yml)", "story": "Story (playbook/stories/YYYY-MM-DD-slug.yml)",
}


def schema_models() -> dict[str, type[BaseModel]]:
    """Schema name → model: one per content file, and one for every story file."""
    kinds = {name.removesuffix(".yml"): model for name, (_, model) in FILES.items()}
    return {**kinds, "story": m.Story}


def build_schema(name: str, model: type[BaseModel]) -> dict[str, object]:
    schema = model.model_json_schema(mode="validation")
    return {"$schema": SCHEMA_DIALECT, "$id": f"{name}.schema.json", **schema, "title": TITLES[name]}


def schema_files() -> dict[str, str]:
    """File name → JSON text, stable so a diff shows only real changes."""
    return {f"{name}.schema.json": json.dumps(build_schema(name, model), indent=2, ensure_ascii=False) + "\n"
            for name, model in schema_models().items()}
