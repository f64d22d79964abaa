"""The site's navigation, from each kind's `nav` row in the registry.

Only list pages and a few record pages enter the navigation: every page renders the whole nav,
so a nav entry per story would make the build grow with the square of the number of stories.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath

from generator import kinds, urls
from generator.models import Playbook
from generator.pages import MATCHING_TITLE
from generator.stories import ALL_POSTS

NavItem = tuple[str | None, "str | list[NavItem]"]
STORY_SECTION: list[NavItem] = [(ALL_POSTS, urls.hub("all")), ("Browse by topic", urls.BROWSE)]


def navigation(playbook: Playbook, paths: set[str]) -> list[NavItem]:
    """Home, the program's overview, a section per kind in registry order, then stories: only pages that exist."""
    sections: dict[str, list[NavItem]] = {"Program": [("Overview", urls.PROGRAM)]}
    for kind in kinds.collections():
        if kind.nav is None or kind.list_page is None:
            continue
        entries = sections.setdefault(kind.nav.section, [])
        entries.append((kind.nav.label, kind.list_page))
        if kind.nav.records:
            entries += [(record.title, urls.of(record)) for record in playbook.collections.get(kind.name, ())]
    sections["Program"].append((MATCHING_TITLE, urls.MATCHING))
    sections["Stories"] = STORY_SECTION
    items: list[NavItem] = [("Home", urls.HOME)]
    for section, entries in sections.items():
        kept: list[NavItem] = [(label, path) for label, path in entries if path in paths]
        if len(entries) == 1 and entries[0][0] is None:  # the section is one page, not a list
            items += [(section, path) for _, path in kept]
        elif kept:
            items.append((section, kept))
    return items


def places(paths: Iterable[str], in_nav: Iterable[str]) -> dict[str, str]:
    """For each page outside the navigation, the nav page it sits with: so a story, a rule or a tag
    page shows its section's tab, sidebar and breadcrumb although the nav does not list it.

    That page is the nav's index of the page's nearest folder that has one (or the folder's first nav
    page): `stories/tags/career.md` sits with `stories/index.md`, `rules/late-starts.md` with
    `rules/index.md`. A page in the top folder sits with no section, as the home page does.
    """
    nav_pages = list(in_nav)
    by_folder: dict[PurePosixPath, str] = {}
    for path in sorted(nav_pages, key=lambda path: PurePosixPath(path).name != "index.md"):
        by_folder.setdefault(PurePosixPath(path).parent, path)
    found = {}
    for path in set(paths) - set(nav_pages):
        folder = PurePosixPath(path).parent
        while folder not in by_folder and folder != folder.parent:
            folder = folder.parent
        if folder in by_folder and folder != PurePosixPath("."):
            found[path] = by_folder[folder]
    return found
