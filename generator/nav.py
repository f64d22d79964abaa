"""The site's navigation, from each kind's `nav` row in the registry.

Only list pages and a few record pages enter the navigation: every page renders the whole nav,
so a nav entry per story would make the build grow with the square of the number of stories.
"""

from __future__ import annotations

from generator import kinds, urls
from generator.models import Playbook

NavItem = tuple[str | None, "str | list[NavItem]"]
STORY_SECTION: list[NavItem] = [("Latest", urls.hub("all")), ("Browse by topic", urls.BROWSE)]


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
    sections["Stories"] = STORY_SECTION
    items: list[NavItem] = [("Home", urls.HOME)]
    for section, entries in sections.items():
        kept: list[NavItem] = [(label, path) for label, path in entries if path in paths]
        if len(entries) == 1 and entries[0][0] is None:  # the section is one page, not a list
            items += [(section, path) for _, path in kept]
        elif kept:
            items.append((section, kept))
    return items
