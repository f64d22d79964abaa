"""The web editor at /admin/: its configuration from the models, its file format, and Decap CMS itself.

The unit tests read the configuration generator/editor.py makes. The npm tier runs the file format
(generator/admin/playbook-format.js) in Node on every sample file. The browser test builds a copy of
the sample, serves it, runs Decap's local proxy on that copy and uses the form as a person does.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import time
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from generator import editor, kinds
from generator.editor import EditorError, Repository
from generator.schema import modeline
from generator.urls import of as story_path
from generator.urls import page_url
from generator.validate import load_playbook
from tests.browser import decap_proxy, editable_sample, open_editor, serve_directory
from tests.sitebuild import REPO, mkdocs_build

BUNDLE = REPO / "editor" / "cms"
SAMPLE_REPO = "https://git.northwind.example/people/mentoring-playbook"


def sample_config() -> dict:
    return editor.editor_config(Repository.from_mkdocs(SAMPLE_REPO, "-/edit/main/docs/"))


def collection(name: str) -> dict:
    return next(c for c in sample_config()["collections"] if c["name"] == name)


def fields_of(kind_name: str) -> dict[str, dict]:
    """A kind's fields by name: a story's own, or those of one item in a list file."""
    found = collection(kind_name)
    fields = found["fields"] if "folder" in found else found["files"][0]["fields"]
    if len(fields) == 1 and fields[0]["widget"] == "list" and fields[0]["name"] == kind_name:
        fields = fields[0]["fields"]
    return {field["name"]: field for field in fields}


# --- where the editor saves -------------------------------------------------------------------------

def test_a_self_hosted_gitlab_is_read_from_repo_url_and_edit_uri():
    repository = Repository.from_mkdocs(SAMPLE_REPO, "-/edit/release/docs/", app_id="abc123")
    assert repository.backend_config() == {
        "name": "gitlab", "repo": "people/mentoring-playbook", "branch": "release", "auth_type": "pkce",
        "app_id": "abc123", "base_url": "https://git.northwind.example", "auth_endpoint": "oauth/authorize",
        "api_root": "https://git.northwind.example/api/v4"}


def test_github_com_needs_no_address_and_github_enterprise_gets_its_api():
    assert Repository.from_mkdocs("https://github.com/northwind/playbook.git", "edit/main/docs/").backend_config() \
        == {"name": "github", "repo": "northwind/playbook", "branch": "main"}
    enterprise = Repository.from_mkdocs("https://github.northwind.example/hr/playbook", "edit/trunk/docs/")
    assert enterprise.backend_config()["api_root"] == "https://github.northwind.example/api/v3"
    assert enterprise.branch == "trunk"


def test_gitea_is_named_by_the_setting_when_its_address_does_not_say():
    repository = Repository.from_mkdocs("https://code.northwind.example/hr/playbook", "src/branch/main/docs/",
                                        backend="gitea", app_id="9")
    assert repository.backend_config() == {"name": "gitea", "repo": "hr/playbook", "branch": "main", "app_id": "9",
                                           "base_url": "https://code.northwind.example",
                                           "api_root": "https://code.northwind.example/api/v1"}


@pytest.mark.parametrize(("url", "message"), [
    (None, "the web editor saves to the repository `repo_url` names; set `repo_url` in mkdocs.yml, or turn the "
           "editor off by removing `web_editor`"),
    ("http://git.northwind.example/hr/playbook", "`repo_url: http://git.northwind.example/hr/playbook` is not a "
     "repository's https address, such as https://gitlab.example.com/group/playbook"),
    ("https://code.northwind.example/hr/playbook", "cannot tell which Git host `https://code.northwind.example/hr/"
     "playbook` is; set `web_editor_backend` to gitlab, github or gitea"),
])
def test_a_repository_the_editor_cannot_use_is_one_line_saying_what_to_set(url, message):
    with pytest.raises(EditorError) as raised:
        Repository.from_mkdocs(url, None)
    assert str(raised.value) == message


# --- the form, from the models ----------------------------------------------------------------------

def test_every_kind_has_one_collection_and_stories_come_first():
    names = [c["name"] for c in sample_config()["collections"]]
    assert sorted(names) == sorted(kind.name for kind in kinds.KINDS)
    assert names[0] == "stories"


def test_stories_are_files_named_by_date_and_title_and_list_kinds_are_their_one_file():
    stories = collection("stories")
    assert (stories["folder"], stories["slug"], stories["extension"]) == \
        ("playbook/stories", "{{year}}-{{month}}-{{day}}-{{slug}}", "yml")
    for kind in kinds.KINDS:
        if not kind.folder:
            (file,) = collection(kind.name)["files"]
            assert file["file"] == f"playbook/{kind.file}"
            assert (REPO / file["file"]).is_file() or not kind.required


def test_the_editor_writes_where_the_plugin_reads_content_and_docs():
    config = editor.editor_config(Repository.from_mkdocs(SAMPLE_REPO, "-/edit/main/docs/"), content="handbook/content",
                                  docs="site")
    paths = [c.get("folder") or c["files"][0]["file"] for c in config["collections"]]
    assert paths == [f"handbook/content/{k.file.rstrip('/')}" for k in sorted(kinds.KINDS, key=lambda k: k is not kinds.STORIES)]
    assert (config["media_folder"], config["public_folder"]) == ("site/images", "images")


def test_saves_are_merge_requests_and_work_offline_against_the_local_proxy():
    config = sample_config()
    assert config["publish_mode"] == "editorial_workflow"
    assert config["local_backend"] is True
    assert config["backend"]["base_url"] == "https://git.northwind.example"  # logging in goes to the company's host


def test_required_fields_enums_and_hints_come_from_the_models():
    story = kinds.by_name("stories").model
    fields = fields_of("stories")
    for name, info in story.model_fields.items():
        assert fields[name]["required"] == info.is_required(), name
        assert fields[name].get("hint") == info.description, name
    assert fields["status"]["widget"] == "select"
    assert fields["status"]["options"] == list(typing.get_args(story.model_fields["status"].annotation))
    assert set(fields["status"]["options"]) == {"draft", "published"}
    assert fields["date"]["format"] == "YYYY-MM-DD"
    assert fields["body"]["widget"] == "markdown"


def test_references_are_selects_of_the_ids_that_exist():
    story, rule = fields_of("stories"), fields_of("rules")
    assert {k: story["tags"][k] for k in ("widget", "collection", "value_field", "multiple")} == \
        {"widget": "relation", "collection": "tags", "value_field": "tags.*.id", "multiple": True}
    assert {k: story["roles"][k] for k in ("collection", "value_field", "display_fields")} == \
        {"collection": "roles", "value_field": "roles.*.id", "display_fields": ["roles.*.title"]}
    assert {k: rule["owner"][k] for k in ("widget", "collection", "multiple")} == \
        {"widget": "relation", "collection": "roles", "multiple": False}
    for kind in kinds.KINDS:
        for reference in kind.references:  # nested ones too, such as a meeting's preparation[*].role
            field = field_at(fields_of(kind.name), [part for part in reference.path if part != "*"])
            assert (field["widget"], field["collection"]) == ("relation", reference.target), (kind.name, reference)


def field_at(fields: dict[str, dict], names: list[str]) -> dict:
    field = fields[names[0]]
    if len(names) == 1:
        return field
    return field_at({inner["name"]: inner for inner in field.get("fields") or [field["field"]]}, names[1:])


def test_the_consent_object_is_in_the_form_with_its_required_fields():
    person = {field["name"]: field for field in fields_of("stories")["people"]["fields"]}
    consent = {field["name"]: field for field in person["consent"]["fields"]}
    assert person["consent"]["widget"] == "object"
    assert {name: (f["widget"], f["required"]) for name, f in consent.items()} == \
        {"granted": ("boolean", True), "date": ("datetime", True), "expires": ("datetime", False)}


def test_an_optional_picture_can_be_left_out_of_the_form():
    image = fields_of("stories")["image"]
    assert image["required"] is False
    assert [(f["name"], f["widget"], f["required"]) for f in image["fields"]] == \
        [("src", "image", False), ("alt", "string", False)]


def test_the_admin_page_loads_only_files_of_the_site_and_escapes_the_title():
    page = editor.admin_page('Playbook <script>alert("x")</script>')
    assert "<title>Edit · Playbook &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</title>" in page
    assert re.findall(r'(?:src=|href=|from )"([^"]+)"', page) == \
        ["config.yml", "decap-cms.js", "./playbook-format.js", "./formats.js"]


def test_each_format_writes_its_kinds_schema_line_and_keys_in_the_models_order():
    formats = editor.formats()
    rules = formats["playbook-rules"]
    assert rules["modeline"] == "# yaml-language-server: $schema=../schemas/rules.schema.json"
    assert rules["records"] == "rules"
    assert rules["order"]["rules.*"] == list(kinds.by_name("rules").model.model_fields)
    story = formats["playbook-stories"]
    assert story["modeline"] == modeline(kinds.by_name("stories")) == \
        "# yaml-language-server: $schema=../../schemas/story.schema.json"
    assert story["order"]["people.*.consent"] == ["granted", "date", "expires"]


# --- the file format, in Node -----------------------------------------------------------------------

ROUND_TRIP = """
import fs from "node:fs";
const { fromFile, toFile } = await import(process.argv[2]);
const { formats, jobs } = JSON.parse(fs.readFileSync(0, "utf8"));
const out = jobs.map(([name, text, edit]) => {
  const data = fromFile(text);
  if (edit) edit.path.reduce((at, key, i) => (i === edit.path.length - 1 ? (at[key] = edit.value) : at[key]), data);
  return toFile(data, formats[name]);
});
process.stdout.write(JSON.stringify(out));
"""


def run_format(tmp_path: Path, jobs: list[tuple[str, str, dict | None]]) -> list[str]:
    """What playbook-format.js writes for each (format, file text, edit), run by Node as the browser runs it."""
    assert (BUNDLE / "yaml" / "index.js").is_file(), "make test fetches the editor's files with `make editor`"
    folder = tmp_path / "admin"
    shutil.copytree(BUNDLE / "yaml", folder / "yaml")
    shutil.copy(editor.FORMAT, folder)
    (folder / "package.json").write_text('{"type": "module"}')
    script = folder / "run.mjs"
    script.write_text(ROUND_TRIP)
    result = subprocess.run(["node", str(script), str(folder / "playbook-format.js")], capture_output=True,
                            text=True, input=json.dumps({"formats": editor.formats(), "jobs": jobs}), timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def sample_files() -> list[tuple[str, Path]]:
    found = []
    for kind in kinds.KINDS:
        paths = sorted((REPO / "playbook" / kind.file).glob("*.yml")) if kind.folder else [REPO / "playbook" / kind.file]
        found += [(editor.format_name(kind), path) for path in paths if path.is_file()]
    return found


@pytest.mark.npm
def test_every_sample_file_is_written_back_byte_for_byte(tmp_path):
    files = sample_files()
    written = run_format(tmp_path, [(name, path.read_text(encoding="utf-8"), None) for name, path in files])
    for (_, path), text in zip(files, written):
        assert text == path.read_text(encoding="utf-8"), path.name


@pytest.mark.npm
def test_editing_one_record_changes_its_line_only_and_keeps_yaml_1_1_text_as_text(tmp_path):
    source = (REPO / "playbook" / "rules.yml").read_text(encoding="utf-8")
    (changed,) = run_format(tmp_path, [("playbook-rules", source, {"path": ["rules", 2, "statement"], "value": "yes"})])
    before, after = source.splitlines(), changed.splitlines()
    assert len(before) == len(after)
    differing = [(old, new) for old, new in zip(before, after) if old != new]
    statement = yaml.safe_load(source)["rules"][2]["statement"]
    assert differing == [(f"    statement: {statement}", '    statement: "yes"')]
    assert yaml.safe_load(changed)["rules"][2]["statement"] == "yes"


@pytest.mark.npm
def test_a_new_story_from_the_form_is_written_in_the_hand_written_layout(tmp_path):
    story = {"status": "draft", "people": [{"consent": {"date": "2026-11-30", "granted": True}, "role": "a planner",
                                            "name": "Oskar Varga"}],
             "title": "Alerts: what the night shift sees", "tags": ["leadership"], "image": {"src": "", "alt": ""},
             "summary": "", "date": "2026-11-30", "body": "One.\n\nTwo."}
    (written,) = run_format(tmp_path, [("playbook-stories", json.dumps(story), None)])  # JSON is YAML too
    assert written == (
        "# yaml-language-server: $schema=../../schemas/story.schema.json\n"
        'title: "Alerts: what the night shift sees"\n'
        "date: 2026-11-30\n"
        "body: |-\n  One.\n\n  Two.\n"
        "tags: [leadership]\n"
        "people:\n  - name: Oskar Varga\n    role: a planner\n    consent: {granted: true, date: 2026-11-30}\n"
        "status: draft\n")


# --- the built sites --------------------------------------------------------------------------------

@pytest.mark.site
def test_the_internal_site_serves_the_editor_and_every_file_it_loads(sample_site):
    admin = sample_site / "admin"
    assert (admin / "index.html").read_text(encoding="utf-8") == editor.admin_page("Reverse Mentoring Playbook")
    assert json.loads((admin / "config.yml").read_text(encoding="utf-8")) == sample_config()
    assert (admin / "formats.js").read_text(encoding="utf-8") == editor.formats_module()
    assert (admin / "playbook-format.js").read_bytes() == editor.FORMAT.read_bytes()
    for script in BUNDLE.rglob("*.js"):
        assert (admin / script.relative_to(BUNDLE)).read_bytes() == script.read_bytes(), script.name
    assert not (admin / "yaml" / "package.json").exists()


@pytest.mark.site
def test_without_the_editors_files_the_build_says_how_to_fetch_them(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(REPO / "tests" / "fixtures" / "minimal", project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - playbook", "  - playbook:\n      web_editor: editor/cms", 1), encoding="utf-8")
    assert "web_editor" in config.read_text(encoding="utf-8")
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 1
    assert (f"ERROR   -  the web editor's files are not in {project / 'editor' / 'cms'}; run `make editor` to fetch "
            "them, or remove `web_editor` from mkdocs.yml") in result.stderr
    assert "Traceback" not in result.stderr


# --- Decap CMS in Chromium, against its local proxy ---------------------------------------------------

HOSTILE_TITLE = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'


@pytest.fixture
def editable_copy(tmp_path) -> Iterator[tuple[Path, str, Path]]:
    """A copy of the sample in a Git repository of its own, built, served, with Decap's proxy on it."""
    project, site = editable_sample(tmp_path)
    with decap_proxy(project, site):
        server, url = serve_directory(site)
        try:
            yield project, url, site
        finally:
            server.shutdown()


def git_diff(project: Path, path: str) -> str:
    return subprocess.run(["git", "-C", str(project), "diff", "--unified=0", "--", path], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.browser
@pytest.mark.npm
def test_a_story_and_a_rule_saved_through_the_web_editor(editable_copy, browser, tmp_path):
    project, url, _ = editable_copy
    # A story whose title is markup: the editor lists it as text, and no script of it runs.
    hostile = HOSTILE_TITLE
    (project / "playbook" / "stories" / "2026-11-29-hostile.yml").write_text(
        f"title: {json.dumps(hostile)}\ndate: 2026-11-29\nsummary: A title made of markup.\nbody: Text.\n"
        "status: draft\n", encoding="utf-8")
    tab = browser.new_page()
    outside: list[str] = []
    tab.on("request", lambda request: outside.append(request.url)
           if not request.url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:")) else None)
    open_editor(tab, url)
    tab.get_by_text(f"2026-11-29 · {hostile}", exact=True).wait_for()
    assert tab.evaluate("window.pwned") is None

    # A new story, through the form.
    tab.locator('a[href$="/collections/stories/new"]').click()
    title = "A night-shift planner teaches the board about alerts"
    tab.get_by_label("Title").fill(title)
    tab.locator("input[type=date]").first.fill("2026-11-30")
    tab.get_by_label("Summary").fill("The board saw what a false alarm costs the people who answer it.")
    tab.locator("[data-slate-editor]").first.click()
    tab.keyboard.type("Twice a week the planner clears the queue before six.")
    tags = tab.get_by_label("Tags (optional)")
    tags.click()
    tab.get_by_text("Leadership", exact=True).click()
    tab.get_by_role("button", name="Publish").click()
    tab.get_by_text("Publish now").click()
    tab.get_by_text("Entry published").or_(tab.get_by_text("Published", exact=True)).first.wait_for()

    story_file = project / "playbook" / "stories" / "2026-11-30-a-night-shift-planner-teaches-the-board-about-alerts.yml"
    deadline = time.monotonic() + 20
    while not story_file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert story_file.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../schemas/story.schema.json\n"
        f"title: {title}\n"
        "date: 2026-11-30\n"
        "kind: story\n"
        "summary: The board saw what a false alarm costs the people who answer it.\n"
        "body: Twice a week the planner clears the queue before six.\n"
        "tags: [leadership]\n"
        "featured: false\n"
        "audience: internal\n"
        "status: published\n")

    # One rule's statement, through the list of rules: from a fresh load, as Decap shows a collection
    # reached by URL from an open entry as empty.
    tab.goto(f"{url}admin/")
    tab.locator('a[href$="/collections/rules"]').click()
    # Links to the collection's one file, rules.yml, by its address: its card and the sidebar both say "Rules".
    tab.locator('a[href$="/collections/rules/entries/rules"]').click()
    rule = yaml.safe_load((project / "playbook" / "rules.yml").read_text(encoding="utf-8"))["rules"][6]
    tab.get_by_text(rule["title"], exact=True).locator("xpath=ancestor::*[.//button][1]").locator("button").first.click()
    statement = tab.locator(f"input[value={json.dumps(rule['statement'])}]")
    statement.fill("Trying something new and getting it wrong is part of the program; nobody is judged for it.")
    tab.get_by_role("button", name="Publish").click()
    tab.get_by_text("Publish now").click()
    deadline = time.monotonic() + 20
    while not git_diff(project, "playbook/rules.yml") and time.monotonic() < deadline:
        time.sleep(0.2)
    changed = [line for line in git_diff(project, "playbook/rules.yml").splitlines()
               if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))]
    assert changed == [f"-    statement: {rule['statement']}",
                       "+    statement: Trying something new and getting it wrong is part of the program; nobody is "
                       "judged for it."]
    assert outside == []

    # What the editor wrote validates and builds.
    checked = subprocess.run([str(REPO / ".venv" / "bin" / "playbook"), "validate"], cwd=project, capture_output=True,
                             text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    rebuilt = mkdocs_build(project / "mkdocs.yml", tmp_path / "again")
    assert rebuilt.returncode == 0, rebuilt.stderr
    loaded, _ = load_playbook(project / "playbook", project, dt.date.today())
    story = next(s for s in loaded.stories if s.title == title)
    page = tmp_path / "again" / page_url(story_path(story)) / "index.html"
    assert f"<title>{title} - Reverse Mentoring Playbook</title>" in page.read_text(encoding="utf-8")
