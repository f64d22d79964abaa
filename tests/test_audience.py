"""Internal and external builds: the external site carries no internal record, anywhere."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest

from generator.audience import COLLECTIONS, select_audience
from generator.errors import PlaybookError
from generator.models import Playbook, Record

from .sitebuild import REPO, built_files, mkdocs_build

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
    records: list[Record] = [r for name in COLLECTIONS for r in getattr(playbook, name)] + list(playbook.stories)
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


def test_no_internal_record_reaches_any_file_of_the_external_site(external_build, playbook):
    site, _ = external_build
    texts = _texts(site)
    kinds = {p.relative_to(site).as_posix() for p in texts}
    assert {"search/search_index.json", "sitemap.xml", "404.html", "feeds/all.atom.xml"} <= kinds
    for label, phrase in _internal_phrases(playbook):
        for path, text in texts.items():
            assert phrase not in text, f"{label} leaks into {path.relative_to(site)}"


def test_unconsented_names_appear_in_neither_build(external_build, sample_site, playbook):
    today = dt.date.today()
    hidden = {p.name for s in playbook.stories for p in s.people if not p.may_be_named(today)}
    assert hidden
    for site in (external_build[0], sample_site):
        for path, text in _texts(site).items():
            for name in hidden:
                assert name not in text, f"{name} appears in {path}"


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


def test_hand_written_pages_stay_internal_unless_marked(external_build, sample_site):
    site, _ = external_build
    assert (sample_site / "contributing" / "index.html").is_file()
    assert not (site / "contributing").exists()


def test_an_external_record_linking_to_an_internal_one_is_an_error(playbook):
    coordinator = playbook.role("program-coordinator")
    hidden = coordinator.model_copy(update={"audience": "internal"})
    hidden.at(coordinator.source)
    roles = tuple(hidden if r.id == coordinator.id else r for r in playbook.roles)
    broken = Playbook(**{**playbook.__dict__, "roles": roles})
    with pytest.raises(PlaybookError) as caught:
        select_audience(broken, "external", dt.date.today())
    lines = caught.value.report().splitlines()
    assert any("links to the internal role `program-coordinator`" in line and line.startswith("playbook/")
               for line in lines)


def test_an_external_story_with_an_unconsented_person_is_left_out(playbook):
    story = next(s for s in playbook.stories if any(not p.consent.granted for p in s.people))
    public = story.model_copy(update={"audience": "external"})
    public.named(story.slug)
    broken = Playbook(**{**playbook.__dict__, "stories": (public,)})
    selection = select_audience(broken, "external", dt.date.today())
    assert selection.playbook.stories == ()
    assert selection.excluded["consent"] == 1
