"""Hides Material for MkDocs' end-of-life banner in a new project's builds, as this repo's Makefile does.

Material prints the banner when MkDocs loads the theme, and MkDocs loads the theme before any
plugin, so our plugin would set `NO_MKDOCS_2_WARNING` too late. MkDocs reads the whole of
mkdocs.yml with PyYAML's full loader first, though, and the new project's mkdocs.yml names
`!!python/name:generator.banner.hidden`: reading that tag imports this module, so the variable is
set before the theme loads. Only the banner goes; every warning and error still shows.
"""

from __future__ import annotations

import os

# A value the person set themselves is kept, as `make` keeps one given on its command line.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

hidden = True
"""What mkdocs.yml's `extra.material_banner_hidden` holds; nothing reads it."""
