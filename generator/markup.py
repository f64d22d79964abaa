"""Repairs to the theme's own HTML that no template block or stylesheet can reach.

Material writes a few invalid or unnamed elements straight into base.html and its nav
partial. Copying those whole templates would fork the theme; instead each repair below is
an exact text replacement that does nothing once the theme fixes the markup itself.
"""

from __future__ import annotations

_REPAIRS = (
    # The drawer and search toggles are checkboxes; `autocomplete` is not allowed on them (Nu Html Checker).
    ('id="__drawer" autocomplete="off">', 'id="__drawer">'),
    ('id="__search" autocomplete="off">', 'id="__search">'),
    # Section labels get `tabindex=""`, which is not a number; it is always the label's last attribute.
    # Content cannot hold this text inside a tag: the sanitizer allows no `tabindex`.
    (' tabindex="">', ">"),
    # The search overlay opens as a dialog with no name for screen readers (axe: aria-dialog-name).
    ('<div class="md-search" data-md-component="search" role="dialog">',
     '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'),
    # The breadcrumb (`navigation.path`) is a second nav named like the main one (axe: landmark-unique).
    ('<nav class="md-path" aria-label="Navigation"', '<nav class="md-path" aria-label="Breadcrumb"'),
)
# The table of contents' title points at the nav toggle `__toc`, which exists only on pages in
# the nav; stories and hubs are kept out of the nav on purpose, so there it points at nothing.
_TOC_LABEL = '<label class="md-nav__title" for="__toc">'


def repair_theme_html(html: str) -> str:
    """Valid, named markup in place of the theme's few flaws; content is not touched."""
    for flawed, repaired in _REPAIRS:
        html = html.replace(flawed, repaired)
    if 'id="__toc"' not in html:
        html = html.replace(_TOC_LABEL, '<label class="md-nav__title">', 1)
    return html
