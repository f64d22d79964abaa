"""Fixtures shared by every test module: each is defined once here, so session-scoped ones
(the built sample site, the one Chromium) really are built once per run."""

from __future__ import annotations

from .browser import browser, served_sample  # noqa: F401
from .sitebuild import playbook, sample_build, sample_site  # noqa: F401
