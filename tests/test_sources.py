"""Edit links from a generated page to the YAML behind it (generator/sources.py), without a build."""

from __future__ import annotations

import pytest

from generator.errors import Location
from generator.sources import repository_name, source_url

RULES = Location("playbook/rules.yml", 12, 5)


@pytest.mark.parametrize("repo_url, edit_uri, docs_dir, url", [
    # GitHub: MkDocs' edit_uri points into docs/, the YAML lives beside it; GitHub jumps to #L12.
    ("https://github.com/northwind/playbook", "edit/main/docs/", "docs",
     "https://github.com/northwind/playbook/edit/main/playbook/rules.yml#L12"),
    ("https://github.com/northwind/playbook/", "/edit/main/docs", "docs",
     "https://github.com/northwind/playbook/edit/main/playbook/rules.yml#L12"),
    # Self-hosted GitLab: no "gitlab" in the host, but its `/-/` paths say what it is.
    ("https://git.northwind.example/people/playbook", "-/edit/main/docs/", "docs",
     "https://git.northwind.example/people/playbook/-/edit/main/playbook/rules.yml#L12"),
    ("https://git.northwind.example/people/playbook", "/-/edit/main/docs/", "docs",
     "https://git.northwind.example/people/playbook/-/edit/main/playbook/rules.yml#L12"),
    ("https://gitlab.com/northwind/playbook", "edit/main/docs/", "docs",
     "https://gitlab.com/northwind/playbook/edit/main/playbook/rules.yml#L12"),
    # Any other host gets the file without a line anchor it may not understand.
    ("https://bitbucket.org/northwind/playbook", "src/main/docs/", "docs",
     "https://bitbucket.org/northwind/playbook/src/main/playbook/rules.yml"),
    # The configured docs folder is taken off, whatever it is called, and only as a whole folder name.
    ("https://github.com/northwind/playbook", "edit/main/site-src/", "site-src",
     "https://github.com/northwind/playbook/edit/main/playbook/rules.yml#L12"),
    ("https://github.com/northwind/playbook", "edit/main/mydocs/", "docs",
     "https://github.com/northwind/playbook/edit/main/mydocs/playbook/rules.yml#L12"),
    ("https://github.com/northwind/playbook", "edit/main/", "docs",
     "https://github.com/northwind/playbook/edit/main/playbook/rules.yml#L12"),
    # An absolute edit_uri is used as it is, not joined to repo_url.
    ("https://github.com/northwind/playbook", "https://github.com/northwind/fork/edit/dev/docs/", "docs",
     "https://github.com/northwind/fork/edit/dev/playbook/rules.yml#L12"),
])
def test_the_edit_link_points_at_the_yaml_file_and_line(repo_url: str, edit_uri: str, docs_dir: str, url: str):
    assert source_url(repo_url, edit_uri, docs_dir, RULES) == url


@pytest.mark.parametrize("repo_url, edit_uri", [
    (None, "edit/main/docs/"), ("", "edit/main/docs/"), ("https://github.com/northwind/playbook", None),
    ("https://github.com/northwind/playbook", ""),
])
def test_no_repository_or_no_edit_uri_means_no_edit_link(repo_url: str | None, edit_uri: str | None):
    assert source_url(repo_url, edit_uri, "docs", RULES) is None


@pytest.mark.parametrize("repo_url, name", [
    ("https://github.com/northwind/playbook", "northwind/playbook"),
    ("https://git.northwind.example/people/mentoring-playbook.git/", "people/mentoring-playbook"),
    ("https://git.northwind.example/", "git.northwind.example"),
])
def test_the_repository_name_comes_from_its_url(repo_url: str, name: str):
    assert repository_name(repo_url) == name
