"""Property-based: whatever lands in a YAML file, the pipeline answers with our own error or a site."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import PlaybookError
from generator.pages import Options
from generator.publish import build_playbook

from .sitebuild import REPO

FIXTURE = REPO / "tests" / "fixtures" / "minimal"
STORY = "stories/2026-01-05-first-pair.yml"
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
                    st.dates().map(str), st.datetimes().map(str))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                             max_size=4), max_leaves=12)


def _run_pipeline(files: dict[str, bytes], audience: str = "internal") -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        shutil.copytree(FIXTURE / "playbook", project / "playbook")
        for relative, content in files.items():
            (project / "playbook" / relative).write_bytes(content)
        options = Options(today=dt.date(2026, 11, 22), site_url="https://example.com/", audience=audience)
        try:
            build_playbook(project / "playbook", project / "templates", project, options)
        except PlaybookError as error:
            assert error.problems, "a PlaybookError always carries at least one problem"


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_as_a_rules_file(content: bytes):
    _run_pipeline({"rules.yml": content})


@SETTINGS
@given(st.text(max_size=400))
def test_any_text_as_a_story(content: str):
    _run_pipeline({STORY: content.encode("utf-8", "surrogatepass")})


@SETTINGS
@given(values)
def test_any_yaml_data_as_the_program(data: object):
    _run_pipeline({"program.yml": yaml.safe_dump(data).encode()})


def _story() -> dict:
    return yaml.safe_load((FIXTURE / "playbook" / STORY).read_text())


@SETTINGS
@given(st.sampled_from(sorted(_story()) + ["extra", "kind", "status", "audience", "image"]), values,
       st.sampled_from(["internal", "external"]))
def test_any_value_in_any_story_field(field: str, value: object, audience: str):
    story = _story()
    story[field] = value
    _run_pipeline({STORY: yaml.safe_dump(story, allow_unicode=True).encode()}, audience)


@SETTINGS
@given(st.text(min_size=1, max_size=200), st.text(min_size=1, max_size=500))
def test_any_text_in_title_and_body_renders(title: str, body: str):
    story = _story()
    story.update(title=title, body=body, summary=title)
    _run_pipeline({STORY: yaml.safe_dump(story, allow_unicode=True).encode("utf-8", "surrogatepass")})
