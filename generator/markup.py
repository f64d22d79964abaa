"""Repairs to the theme's own HTML that no template block or stylesheet can reach.

Material writes a few invalid or unnamed elements straight into base.html and its nav
partial. Copying those whole templates would fork the theme; instead each repair below is
an exact replacement that does nothing once the theme fixes the markup itself.
"""

from __future__ import annotations

import re

# The drawer and search toggles are checkboxes; `autocomplete` is not allowed on them (Nu Html Checker).
_CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle"[^>]*type="checkbox"[^>]*?) autocomplete="off"')
# Section labels get `tabindex=""`, which is not a number.
_EMPTY_TABINDEX = re.compile(r'(<label class="md-nav__link[^"]*"[^>]*?) tabindex=""')
# The table of contents' title points at the nav toggle `__toc`, which exists only on pages in
# the nav; stories and hubs are kept out of the nav on purpose, so there it points at nothing.
_TOC_LABEL = '<label class="md-nav__title" for="__toc">'
# The search overlay opens as a dialog with no name for screen readers (axe: aria-dialog-name).
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_NAMED_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'


def repair_theme_html(html: str) -> str:
    """Valid, named markup in place of the theme's few flaws; content is not touched."""
    html = _CHECKBOX_AUTOCOMPLETE.sub(r"\1", html)
    html = _EMPTY_TABINDEX.sub(r"\1", html)
    if 'id="__toc"' not in html:
        html = html.replace(_TOC_LABEL, '<label class="md-nav__title">', 1)
    return html.replace(_SEARCH_DIALOG, _NAMED_SEARCH_DIALOG, 1)
