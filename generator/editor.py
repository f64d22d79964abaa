"""The web editor at /admin/: Decap CMS's configuration, made from the registry of kinds and its JSON Schemas.

Every collection, field, choice, hint and reference in the editor comes from the same models that
validate the YAML (through `schema.build_schema`), so the form can never offer what the build
refuses, nor miss a field it needs. The configuration names the Git host from `repo_url`; saving
is a merge request (Decap's editorial workflow) that CI checks like any other change.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from generator import kinds
from generator.kinds import Kind
from generator.schema import build_schema, modeline

Backend = Literal["gitlab", "github", "gitea"]
BACKENDS: tuple[Backend, ...] = ("gitlab", "github", "gitea")
FORMAT = Path(__file__).parent / "admin" / "playbook-format.js"
SCRIPT = "decap-cms.js"  # the bundle's entry point; it loads its siblings (`*.decap-cms.js`) by relative URL
MARKDOWN_LENGTH = 50_000  # models.Markdown's limit: the one string type that is written as Markdown
DATE_FORMAT = "YYYY-MM-DD"  # moment.js tokens, as Decap's datetime widget reads them
TIME_FORMAT = "HH:mm"


class EditorError(Exception):
    """The web editor cannot be configured from mkdocs.yml; the message says what to set."""


@dataclass(frozen=True)
class Repository:
    """Where the CMS reads and writes the playbook: the Git host's API, the repository and its branch."""

    backend: Backend
    repo: str
    branch: str = "main"
    host: str = ""
    """The host's address, such as `https://git.northwind.example`; empty for github.com."""
    app_id: str = ""
    """The OAuth application the Git host knows the editor by (GitLab, Gitea); people log in with it."""

    @classmethod
    def from_mkdocs(cls, repo_url: str | None, edit_uri: str | None, backend: str | None = None,
                    app_id: str | None = None) -> Repository:
        """The repository `repo_url` names; the host's kind is guessed from its address and `edit_uri`."""
        if not repo_url:
            raise EditorError("the web editor saves to the repository `repo_url` names; set `repo_url` in "
                              "mkdocs.yml, or turn the editor off by removing `web_editor`")
        parts = urlsplit(repo_url)
        repo = parts.path.strip("/").removesuffix(".git")
        if parts.scheme != "https" or repo.count("/") < 1:
            raise EditorError(f"`repo_url: {repo_url}` is not a repository's https address, such as "
                              "https://gitlab.example.com/group/playbook")
        chosen = backend or _guess_backend(parts.hostname or "", edit_uri or "")
        if chosen not in BACKENDS:
            raise EditorError(f"cannot tell which Git host `{repo_url}` is; set `web_editor_backend` to "
                              f"{', '.join(BACKENDS[:-1])} or {BACKENDS[-1]}")
        host = "" if parts.hostname == "github.com" else f"https://{parts.netloc}"
        return cls(chosen, repo, _branch(edit_uri or ""), host, app_id or "")

    def backend_config(self) -> dict[str, object]:
        """Decap's `backend` block. Logging in goes to the Git host itself, never to a third party."""
        config: dict[str, object] = {"name": self.backend, "repo": self.repo, "branch": self.branch}
        if self.backend == "gitlab":
            config |= {"auth_type": "pkce", "app_id": self.app_id}
            if self.host:
                config |= {"base_url": self.host, "auth_endpoint": "oauth/authorize",
                           "api_root": f"{self.host}/api/v4"}
        elif self.backend == "gitea":
            config |= {"app_id": self.app_id, "base_url": self.host, "api_root": f"{self.host}/api/v1"}
        elif self.host:
            config |= {"api_root": f"{self.host}/api/v3", "base_url": self.host}
        return config


def _guess_backend(hostname: str, edit_uri: str) -> str:
    if hostname == "github.com" or "github" in hostname:
        return "github"
    if "gitlab" in hostname or edit_uri.startswith("-/"):  # `-/edit/main/` is GitLab's own path
        return "gitlab"
    if "gitea" in hostname or "codeberg" in hostname or "forgejo" in hostname:
        return "gitea"
    return ""


def _branch(edit_uri: str) -> str:
    """The branch in `edit_uri` (`-/edit/main/docs/`, `edit/main/docs/`, Gitea's `src/branch/main/docs/`), which
    is where the site is built from."""
    parts = [part for part in edit_uri.split("/") if part and part != "-"]
    if parts[:2] == ["src", "branch"]:
        parts = parts[1:]
    return parts[1] if len(parts) > 1 and parts[0] in ("edit", "blob", "branch", "_edit") else "main"


def editor_config(repository: Repository, content: str = "playbook", docs: str = "docs") -> dict[str, object]:
    """The whole of admin/config.yml. `content` and `docs` are the plugin's and MkDocs' folders, relative to
    the repository's root (where mkdocs.yml is), which is how Decap names the files it writes."""
    media_folder = f"{docs}/images"
    return {
        "backend": repository.backend_config(),
        # Under `make edit` the page is served from localhost, and Decap then saves through the local proxy.
        "local_backend": True,
        "publish_mode": "editorial_workflow",
        "media_folder": media_folder,
        "public_folder": "images",
        # A field left empty is left out of the file, as the models expect of an optional field.
        "omit_empty_optional_fields": True,
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": list(collections(content)),
    }


def editor_config_text(repository: Repository, content: str = "playbook", docs: str = "docs") -> str:
    """admin/config.yml as text. JSON is YAML too, and needs no dumper's opinions on quoting."""
    return json.dumps(editor_config(repository, content, docs), indent=2, ensure_ascii=False) + "\n"


def collections(content: str = "playbook") -> Iterator[dict[str, object]]:
    """One collection per kind: stories as files of their own, every other kind as its one file.

    Stories come first: sharing one is what most people open the editor for."""
    for kind in sorted(kinds.KINDS, key=lambda kind: kind is not kinds.STORIES):
        schema = build_schema(kind)
        if kind.folder:
            yield _folder_collection(kind, schema, content)
        else:
            yield _file_collection(kind, schema, content)


def _folder_collection(kind: Kind, schema: dict[str, Any], content: str) -> dict[str, object]:
    return {
        "name": kind.name, "label": kind.name.capitalize(),
        "label_singular": kind.noun, "description": schema.get("description", ""),
        "folder": f"{content}/{kind.file.rstrip('/')}", "extension": "yml", "format": format_name(kind), "create": True,
        # The file name `playbook new story` gives a story: the day it was written and the title's words.
        "slug": kind.files.editor_slug, "identifier_field": "title",
        "summary": kind.files.editor_summary,
        "sortable_fields": list(kind.files.sortable),
        # Decap's preview pane is plain text, not this site's page; the live preview (`make edit`) is.
        "editor": {"preview": False},
        "fields": _fields(schema, schema, kind, ()),
    }


def _file_collection(kind: Kind, schema: dict[str, Any], content: str) -> dict[str, object]:
    if kind.single:
        fields = _fields(schema, schema, kind, ())
    else:
        item = _resolve(schema["properties"][kind.name]["items"], schema)
        fields = [{"name": kind.name, "label": kind.list_title or kind.schema_title, "widget": "list",
                   "label_singular": kind.noun, "summary": f"{{{{fields.{_shown_by(kind)}}}}}",
                   "hint": kind.description, "fields": _fields(item, schema, kind, (kind.name, "*"))}]
    return {"name": kind.name, "label": kind.schema_title, "editor": {"preview": False}, "format": format_name(kind),
            "files": [{"name": kind.name, "label": kind.schema_title, "file": f"{content}/{kind.file}",
                       "fields": fields}]}


def _fields(model: dict[str, Any], schema: dict[str, Any], kind: Kind, at: tuple[str, ...]) -> list[dict[str, Any]]:
    """A model's properties as Decap fields, in the model's order (the order Decap writes keys in)."""
    required = set(model.get("required", ()))
    fields = [_field(name, _resolve(spec, schema), name in required, schema, kind, (*at, name))
              for name, spec in model["properties"].items()]
    if model.get("title") == "Image":  # models.Image: a picture chosen from, or uploaded to, docs/images
        fields[0] |= {"widget": "image", "choose_url": False}
        fields[0].pop("pattern", None)
    return fields


def _field(name: str, spec: dict[str, Any], required: bool, schema: dict[str, Any], kind: Kind,
           at: tuple[str, ...]) -> dict[str, Any]:
    spec, optional = _unwrap_optional(spec, schema)
    field: dict[str, Any] = {"name": name, "label": spec.get("title") or name.replace("_", " ").capitalize(),
                             "required": required and not optional}
    if spec.get("description"):
        field["hint"] = spec["description"]
    if "default" in spec and spec["default"] not in (None, [], ""):
        field["default"] = spec["default"]
    field |= _widget(spec, schema, kind, at)
    if field["widget"] == "object" and not field["required"]:
        # Decap checks an object's own required fields even when the object is left out, so a story
        # without a picture could not be saved. `playbook validate` still refuses a half-filled one.
        for inner in field["fields"]:
            inner["required"] = False
    return field


def _widget(spec: dict[str, Any], schema: dict[str, Any], kind: Kind, at: tuple[str, ...]) -> dict[str, Any]:
    """The widget for one value: its type, choices, limits and references, from the JSON Schema."""
    target = _reference(kind, at)
    if target:
        return _relation(target, multiple=spec.get("type") == "array")
    kind_of = spec.get("type")
    if "enum" in spec:
        return {"widget": "select", "options": list(spec["enum"])}
    if kind_of == "boolean":
        return {"widget": "boolean"}
    if kind_of == "integer":
        limits = {"min": spec.get("minimum"), "max": spec.get("maximum")}
        return {"widget": "number", "value_type": "int", **{k: v for k, v in limits.items() if v is not None}}
    if kind_of == "array":
        return _list(spec, schema, kind, at)
    if kind_of == "object" or "properties" in spec:
        return {"widget": "object", "collapsed": False, "fields": _fields(spec, schema, kind, at)}
    if spec.get("format") == "date":
        return {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT, "time_format": False,
                "picker_utc": True}
    if "[ T]" in spec.get("pattern", ""):  # models.LocalTime: a wall-clock time in the program's zone
        return {"widget": "datetime", "format": f"{DATE_FORMAT} {TIME_FORMAT}", "date_format": DATE_FORMAT,
                "time_format": TIME_FORMAT, "picker_utc": True}
    if spec.get("maxLength", 0) >= MARKDOWN_LENGTH:
        return {"widget": "markdown", "modes": ["raw", "rich_text"], "buttons": _MARKDOWN_BUTTONS,
                "editor_components": []}
    widget: dict[str, Any] = {"widget": "string"}
    if "pattern" in spec:
        widget["pattern"] = [spec["pattern"], f"Write it as {_example(spec)}" if _example(spec) else
                             "This does not have the form the field asks for"]
    return widget


# Headings start at `##` (the title is the page's only `#`), and pictures go in the `image` field.
_MARKDOWN_BUTTONS = ["bold", "italic", "link", "heading-two", "heading-three", "quote", "bulleted-list",
                     "numbered-list"]


def _list(spec: dict[str, Any], schema: dict[str, Any], kind: Kind, at: tuple[str, ...]) -> dict[str, Any]:
    item = _resolve(spec.get("items", {}), schema)
    widget: dict[str, Any] = {"widget": "list"}
    if spec.get("minItems"):
        widget["min"] = spec["minItems"]
    if spec.get("maxItems"):
        widget["max"] = spec["maxItems"]
    if item.get("type") == "object" or "properties" in item:
        widget["fields"] = _fields(item, schema, kind, (*at, "*"))
        first = next(iter(item["properties"]))
        widget["summary"] = f"{{{{fields.{first}}}}}"
    else:
        widget["field"] = {"name": at[-1], "label": spec.get("title", at[-1]), **_widget(item, schema, kind,
                                                                                          (*at, "*"))}
    return widget


def _relation(target: Kind, multiple: bool) -> dict[str, Any]:
    """A select of the ids that exist, shown by title, read from the target's own file."""
    shown = _shown_by(target)
    return {"widget": "relation", "collection": target.name, "file": target.name, "multiple": multiple,
            "value_field": f"{target.name}.*.id", "search_fields": [f"{target.name}.*.{shown}"],
            "display_fields": [f"{target.name}.*.{shown}"], "options_length": 500}


def _reference(kind: Kind, at: tuple[str, ...]) -> Kind | None:
    """The kind a field names, when the registry says it is a reference (`rules[*].owner` → roles)."""
    inside = at[2:] if not kind.folder and not kind.single else at
    for ref in kind.references:
        if ref.path == inside or (*ref.path[:-1],) == inside and ref.path[-1] == "*":
            return kinds.by_name(ref.target)
    return None


def _shown_by(kind: Kind) -> str:
    """The field people know a record by: the one after `id` (a rule's `title`, a tag's `label`, a `question`)."""
    names = [name for name in kind.model.model_fields if name != "id"]
    return names[0]


def _example(spec: dict[str, Any]) -> str:
    examples = spec.get("examples") or []
    return f"`{examples[0]}`" if examples and isinstance(examples[0], str) else ""


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """A `$ref` into `$defs` replaced by its definition, keeping the field's own description."""
    if "$ref" in spec:
        target = schema["$defs"][spec["$ref"].rsplit("/", 1)[-1]]
        return {**target, **{key: value for key, value in spec.items() if key != "$ref"}}
    return spec


def _unwrap_optional(spec: dict[str, Any], schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """`X | None` (an anyOf with null) is X, not required."""
    options = spec.get("anyOf")
    if not options:
        return spec, False
    real = [_resolve(option, schema) for option in options if option.get("type") != "null"]
    merged = {**real[0], **{key: value for key, value in spec.items() if key != "anyOf"}}
    return merged, len(real) < len(options)


def format_name(kind: Kind) -> str:
    """The name of the kind's file format in admin/playbook-format.js, registered with Decap by admin/index.html."""
    return f"playbook-{kind.name}"


def formats() -> dict[str, dict[str, object]]:
    """What admin/playbook-format.js needs to write each kind's file as people write it by hand."""
    return {format_name(kind): {"modeline": modeline(kind), "order": key_order(build_schema(kind)),
                                "records": "" if kind.folder or kind.single else kind.name}
            for kind in kinds.KINDS}


def formats_module() -> str:
    """admin/formats.js, a module admin/index.html imports: the formats as data."""
    return f"export default {json.dumps(formats(), indent=1, ensure_ascii=False)};\n"


def key_order(schema: dict[str, Any]) -> dict[str, list[str]]:
    """The models' order of keys at every dotted path (`rules.*`, `people.*.consent`), lists as `*`."""
    order: dict[str, list[str]] = {}

    def walk(spec: dict[str, Any], at: str) -> None:
        spec, _ = _unwrap_optional(_resolve(spec, schema), schema)
        if "properties" in spec:
            order[at] = list(spec["properties"])
            for name, inner in spec["properties"].items():
                walk(inner, f"{at}.{name}" if at else name)
        elif spec.get("type") == "array" and "items" in spec:
            walk(spec["items"], f"{at}.*" if at else "*")

    walk(schema, "")
    return order


def admin_files(repository: Repository, title: str, content: str, docs: str) -> dict[str, str]:
    """The files admin/ is made of besides the CMS itself, by name."""
    return dict(_admin_files(repository, title, content, docs, kinds.KINDS))


@functools.lru_cache(maxsize=4)
def _admin_files(repository: Repository, title: str, content: str, docs: str,
                 registry: tuple[Kind, ...]) -> tuple[tuple[str, str], ...]:
    # Made once per registry: `mkdocs serve` would otherwise spend some 60 ms of every rebuild on the
    # JSON Schemas, which change only with the models.
    return (("index.html", admin_page(title)), ("config.yml", editor_config_text(repository, content, docs)),
            ("formats.js", formats_module()))


def admin_page(title: str) -> str:
    """admin/index.html: the CMS, served from the site itself, so no request leaves it."""
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>Edit · {html.escape(title)}</title>
  <link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
  <script>window.CMS_MANUAL_INIT = true;</script>
  <script src="{SCRIPT}"></script>
  <script type="module">
    import {{ register }} from "./playbook-format.js";
    import formats from "./formats.js";
    register(window.CMS, formats);
  </script>
</body>
</html>
"""
