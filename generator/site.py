"""The site: every output's files, and the navigation over its pages."""

from __future__ import annotations

from dataclasses import dataclass

from generator.feeds import feed_files
from generator.form_files import form_files
from generator.health import health_files
from generator.ics import calendar_files
from generator.models import Playbook
from generator.nav import NavItem, navigation
from generator.outputs import Asset, Options, OutputFunction, Page
from generator.pages import render_pages

# Each output is `(playbook, options) -> files`; a new one (a JSON API, a PDF) is one more entry.
OUTPUTS: tuple[OutputFunction, ...] = (render_pages, feed_files, calendar_files, health_files, form_files)


@dataclass(frozen=True)
class Site:
    pages: tuple[Page, ...]
    nav: list[NavItem]
    assets: tuple[Asset, ...] = ()


def build_site(playbook: Playbook, options: Options, outputs: tuple[OutputFunction, ...] = OUTPUTS) -> Site:
    """Run every output over the playbook; pages go to MkDocs as pages, the rest as files."""
    files = [file for output in outputs for file in output(playbook, options)]
    pages = tuple(file for file in files if isinstance(file, Page))
    assets = tuple(file for file in files if isinstance(file, Asset))
    return Site(pages, navigation(playbook, {page.path for page in pages}), assets)
