"""Internal and external builds: the external site carries no internal record, anywhere."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from generator import kinds
from generator.audience import select_audience
from generator.cli import main
from generator.errors import PlaybookError
from generator.models import Playbook, Record

from .sitebuild import FIXTURE, REPO, built_files, mkdocs_build

INTERNAL_REPO = "https://git.internal.example/people/playbook"
PUBLIC_REPO = "https://github.com/northwind/mentoring-playbook"
EDIT_LINK = re.compile(r'<a [^>]*rel="edit"')
IMG_SRC = re.compile(r"""<img\b[^>]*?\s(?:src|srcset)=["']([^"']*)""", re.I)

# The fields that carry each kind of record's own words.
DISTINCTIVE = ("title", "question", "statement", "who", "symptom", "definition", "summary", "description")



@pytest.fixture(scope="module")
def external_build(tmp_path_factory):
    site = tmp_path_factory.mktemp("external") / "site-external"
    result = mkdocs_build(REPO / "mkdocs.yml", site, env={"PLAYBOOK_AUDIENCE": "external",
                                                          "PLAYBOOK_SITE_URL": "https://careers.example.com/mentoring/"})
    assert result.returncode == 0, result.stderr
    return site, result.stderr


def _texts(site: Path) -> dict[Path, str]:
    """Every file as a person or a crawler would read it: entities and JSON escapes undone."""
    texts = {}
    for path, text in built_files(site):
        if path.suffix == ".json":
            text = json.dumps(json.loads(text), ensure_ascii=False)
        texts[path] = html.unescape(html.unescape(text))
    return texts


def _internal_phrases(playbook: Playbook) -> list[tuple[str, str]]:
    """Titles and key sentences of internal records, unless an external record says the same words."""
    records: list[Record] = [r for kind in kinds.collections() for r in playbook.collections[kind.name]]
    public = " ".join(r.model_dump_json() for r in (*records, playbook.program) if r.audience == "external")
    phrases = []
    for record in records:
        if record.audience == "internal":
            for field in DISTINCTIVE:
                value = getattr(record, field, None)
                if isinstance(value, str) and len(value) > 12 and value not in public:
                    phrases.append((f"{type(record).__name__} {getattr(record, 'id', '')} {field}", value))
    return phrases


def test_the_sample_has_internal_and_external_records(playbook):
    assert len(_internal_phrases(playbook)) > 50
    assert any(s.audience == "external" for s in playbook.stories)


@pytest.mark.site
def test_no_internal_record_reaches_any_file_of_the_external_site(external_build, playbook):
    site, _ = external_build
    texts = _texts(site)
    kinds = {p.relative_to(site).as_posix() for p in texts}
    assert {"search/search_index.json", "sitemap.xml", "404.html", "feeds/all.atom.xml"} <= kinds
    for label, phrase in _internal_phrases(playbook):
        for path, text in texts.items():
            assert phrase not in text, f"{label} leaks into {path.relative_to(site)}"


def _configured(name: str) -> str:
    match = re.search(rf"^{name}:\s*(\S+)", (REPO / "mkdocs.yml").read_text(), re.M)
    assert match, f"mkdocs.yml has no {name}"
    return match[1]


@pytest.mark.site
def test_the_external_site_names_no_internal_git_host_and_has_no_edit_links(external_build, sample_site):
    site, _ = external_build
    host = urlsplit(_configured("repo_url")).hostname
    assert host and any(host in text for _, text in built_files(sample_site)), "the intranet should link its host"
    for path, text in _texts(site).items():
        assert host not in text, f"the internal Git host {host} is named in {path.relative_to(site)}"
        assert not EDIT_LINK.search(text), f"{path.relative_to(site)} has an edit link"
        assert 'class="md-source"' not in text, f"{path.relative_to(site)} links a repository"


@pytest.mark.site
def test_the_external_site_has_no_web_editor_and_no_link_to_one(external_build, sample_site):
    site, _ = external_build
    assert (sample_site / "admin" / "index.html").is_file()
    contribute = (sample_site / "contributing" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../admin/">web editor</a>' in contribute, "the intranet's Contribute page links its editor"
    assert not (site / "admin").exists()
    for path, text in _texts(site).items():
        assert "admin/" not in text and "decap" not in text.lower(), f"{path.relative_to(site)} names the editor"


@pytest.mark.site
def test_the_external_site_shows_only_external_contacts(external_build, playbook):
    site, _ = external_build
    program = playbook.program
    assert program.sponsor and program.sponsor.audience == "external"
    assert program.coordinator and program.coordinator.audience == "internal" and program.coordinator.email
    assert program.contact and program.contact.audience == "internal" and program.contact.channel
    hidden = (program.coordinator.email, program.coordinator.name, program.contact.email, program.contact.channel)
    texts = _texts(site)
    for path, text in texts.items():
        for value in hidden:
            assert value not in text, f"the internal contact `{value}` is in {path.relative_to(site)}"
    assert program.sponsor.name in texts[site / "program" / "index.html"]


@pytest.mark.site
def test_the_external_site_copies_only_the_docs_files_its_pages_use(external_build, sample_site, playbook):
    site, _ = external_build
    public = {s.slug for s in select_audience(playbook, "external", dt.date.today()).playbook.stories}
    used_by = {(story.image.src, story.slug in public) for story in playbook.stories if story.image}
    outside = {src for src, shown in used_by if shown}
    inside = {src for src, shown in used_by if not shown} - outside
    assert outside and inside, "the sample needs an image of an external and of an internal story"
    for src in outside | inside:
        assert (REPO / "docs" / src).is_file() and (sample_site / src).is_file()
    for src in outside:
        assert (site / src).is_file(), f"docs/{src} is used by an external story but missing"
    for src in inside:
        assert not (site / src).exists(), f"docs/{src} is used only by internal stories but published"


@pytest.mark.site
def test_no_image_on_the_external_site_comes_from_another_host(external_build):
    site, _ = external_build
    for path, text in _texts(site).items():
        if path.suffix == ".html":
            for value in IMG_SRC.findall(text):
                for url in value.split(","):
                    parts = urlsplit(url.strip())
                    assert not parts.scheme and not parts.netloc, f"{path.relative_to(site)} loads {url}"


def _external_fixture(tmp_path: Path, options: str = "") -> Path:
    """The minimal fixture as an external site, with the internal repository configured as the sample has it."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    for name in ("program.yml", "stories/2026-01-05-first-pair.yml"):
        path = project / "playbook" / name
        path.write_text(path.read_text() + "audience: external\n")
    config = project / "mkdocs.yml"
    text = config.read_text().replace("  font: false\n", "  font: false\n  features: [content.action.edit]\n")
    text = text.replace("  - playbook\n", "  - playbook:\n      audience: external\n" + options)
    config.write_text(f"repo_url: {INTERNAL_REPO}\nedit_uri: -/edit/main/docs/\n" + text)
    return project


@pytest.mark.site
def test_without_a_public_repository_only_the_intranet_links_the_internal_one(tmp_path: Path):
    project = _external_fixture(tmp_path)
    config = project / "mkdocs.yml"
    for audience, site in (("external", tmp_path / "external"), ("internal", tmp_path / "internal")):
        if audience == "internal":
            config.write_text(config.read_text().replace("- playbook:\n      audience: external\n", "- playbook\n"))
        result = mkdocs_build(config, site)
        assert result.returncode == 0, result.stderr
        pages = [text for path, text in built_files(site) if path.suffix == ".html"]
        linked = any(EDIT_LINK.search(text) for text in pages) and any(INTERNAL_REPO in text for text in pages)
        named = any("git.internal.example" in text for _, text in built_files(site))
        assert (linked, named) == ((True, True) if audience == "internal" else (False, False)), audience


@pytest.mark.site
def test_a_configured_public_repository_is_the_only_one_the_external_site_links(tmp_path: Path):
    options = f"      public_repo_url: {PUBLIC_REPO}\n      public_edit_uri: edit/main/docs/\n"
    project = _external_fixture(tmp_path, options)
    site = tmp_path / "site"
    result = mkdocs_build(project / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr
    pages = {path: text for path, text in built_files(site) if path.suffix == ".html"}
    edits = [link for text in pages.values() for link in re.findall(r'<a href="([^"]*)"[^>]*rel="edit"', text)]
    sources = [link for text in pages.values() for link in re.findall(r'<a href="([^"]*)"[^>]*class="md-source"', text)]
    assert edits and sources
    assert all(link.startswith(f"{PUBLIC_REPO}/edit/main/") for link in edits), edits
    assert set(sources) == {PUBLIC_REPO}
    for path, text in built_files(site):
        assert "git.internal.example" not in text, f"the internal host is named in {path.relative_to(site)}"


@pytest.mark.site
def test_a_hand_written_page_that_is_not_utf8_is_one_error_line(tmp_path: Path):
    project = _external_fixture(tmp_path)
    (project / "docs" / "broken.md").write_bytes(b"# About\n\nCaf\xe9 au lait\n")
    result = mkdocs_build(project / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "docs/broken.md:3: byte 0xe9 is not UTF-8; save the page as UTF-8 text" in result.stderr


@pytest.mark.site
def test_unconsented_names_appear_in_neither_build(external_build, sample_site, playbook):
    today = dt.date.today()
    # Who refused keeps no name in the YAML at all (the model refuses one); an expired consent keeps it, hidden.
    refused = [p for s in playbook.stories for p in s.people if not p.consent.granted]
    hidden = {p.name for s in playbook.stories for p in s.people if not p.may_be_named(today) and p.name}
    assert refused
    assert all(p.name is None for p in refused)
    for site in (external_build[0], sample_site):
        for path, text in _texts(site).items():
            for name in hidden:
                assert name not in text, f"{name} appears in {path}"


@pytest.mark.site
def test_external_build_accounts_for_every_post(external_build, playbook):
    _, log = external_build
    today = dt.date.today()
    external = [s for s in playbook.stories if s.audience == "external"]
    consented = [s for s in external if all(p.may_be_named(today) for p in s.people)]
    published = [s for s in consented if s.status == "published"]
    match = re.search(r"Playbook \(external\): \d+ pages generated; (\d+) posts? published, (\d+) draft \(left out\), "
                      r"(\d+) excluded \(audience: (\d+)", log)
    assert match, log
    assert int(match[1]) == len(published)
    assert int(match[3]) == len(playbook.stories) - len(consented)
    assert int(match[4]) == len(playbook.stories) - len(external)


@pytest.mark.site
def test_hand_written_pages_stay_internal_unless_marked(external_build, sample_site):
    site, _ = external_build
    assert (sample_site / "contributing" / "index.html").is_file()
    assert not (site / "contributing").exists()


def test_an_external_record_linking_to_an_internal_one_is_an_error(playbook):
    coordinator = playbook.role("program-coordinator")
    hidden = coordinator.model_copy(update={"audience": "internal"})
    roles = tuple(hidden if r.id == coordinator.id else r for r in playbook.roles)
    broken = dataclasses.replace(playbook, collections={**playbook.collections, "roles": roles})
    with pytest.raises(PlaybookError) as caught:
        select_audience(broken, "external", dt.date.today())
    lines = caught.value.report().splitlines()
    assert any("links to the internal role `program-coordinator`" in line and line.startswith("playbook/")
               for line in lines)


def test_an_external_story_with_an_unconsented_person_is_left_out(playbook):
    story = next(s for s in playbook.stories if any(not p.consent.granted for p in s.people))
    public = story.model_copy(update={"audience": "external"})
    broken = dataclasses.replace(playbook, collections={**playbook.collections, "stories": (public,)})
    selection = select_audience(broken, "external", dt.date.today())
    assert selection.playbook.stories == ()
    assert selection.excluded["consent"] == 1


def test_validate_reports_what_would_stop_the_external_build(tmp_path, monkeypatch):
    """`validate` accepts only what builds on both sites: an external rule bound to internal roles is refused."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    with (project / "playbook" / "program.yml").open("a") as program:
        program.write("audience: external\n")
    rules = project / "playbook" / "rules.yml"
    rules.write_text(rules.read_text().replace("    review_every:", "    audience: external\n    review_every:", 1))
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1
    leaves_out = "which the external site leaves out; make that role external too, or remove the link"
    # Each line points at the id itself (`applies_to: [mentor, leader]` is line 8), as unknown ids do.
    assert result.output == (
        f"playbook/rules.yml:8:18: rules[meet-monthly].applies_to[1]: the external rule `meet-monthly` links to the "
        f"internal role `mentor`, {leaves_out}\n"
        f"playbook/rules.yml:8:26: rules[meet-monthly].applies_to[2]: the external rule `meet-monthly` links to the "
        f"internal role `leader`, {leaves_out}\n"
        f"playbook/rules.yml:9:12: rules[meet-monthly].owner: the external rule `meet-monthly` links to the internal "
        f"role `leader`, {leaves_out}\n"
        "3 errors in 1 file\n")


def test_the_external_home_page_is_the_candidates_page_not_the_intranets(external_build, sample_site, playbook):
    site, _ = external_build
    outside = (site / "index.html").read_text(encoding="utf-8")
    inside = (sample_site / "index.html").read_text(encoding="utf-8")
    program = playbook.program
    assert f'<a class="pb-button" href="{program.apply_url}">Apply now</a>' in outside
    assert 'id="how-to-join"' in outside and 'id="how-to-join"' not in inside
    assert 'id="coming-up"' in inside and 'id="coming-up"' not in outside
    assert "mailto:" in inside and "mailto:" not in outside
    assert (site / program.image.src).is_file(), "the external build copies the picture its home page shows"


def test_without_tags_yml_the_external_site_keeps_every_tag_an_external_post_uses(playbook):
    """Tags are free-form until tags.yml exists: there is no tag record the external site could leave out."""
    bare = dataclasses.replace(playbook, collections={**playbook.collections, "tags": ()})
    kept = select_audience(bare, "external", dt.date.today()).playbook
    tagged = [post for post in kept.stories if post.tags]
    assert tagged, "the sample has external posts with tags"


def test_an_external_post_with_an_internal_tag_is_an_error_naming_both(playbook):
    tags = tuple(tag.model_copy(update={"audience": "internal"}) if i == 0 else tag
                 for i, tag in enumerate(playbook.collections["tags"]))
    hidden = tags[0].id
    changed = dataclasses.replace(playbook, collections={**playbook.collections, "tags": tags})
    users = [post for post in playbook.stories if hidden in post.tags and post.audience == "external"]
    assert users, "an external post uses the first tag"
    with pytest.raises(PlaybookError) as caught:
        select_audience(changed, "external", dt.date.today())
    messages = [problem.message for problem in caught.value.problems]
    assert any(f"links to the internal tag `{hidden}`" in message for message in messages), messages
