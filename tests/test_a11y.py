"""Accessible and private: axe-core on every page kind, the Nu Html Checker on every page,
keyboard basics, and no request to any host but the one serving the site."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.errors import PlaybookError
from generator.validate import load_playbook

from .browser import page_kinds, search_for
from .sitebuild import FIXTURE, REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SIZES = {"desktop": {"width": 1350, "height": 940}, "phone": {"width": 412, "height": 823}}
SCHEMES = ("light", "dark")



def _axe(tab) -> list[str]:
    """Every violation axe-core finds, at any impact, with every rule it has switched on."""
    if not tab.evaluate("typeof window.axe !== 'undefined'"):
        tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {n['target']}" for v in result["violations"] for n in v["nodes"]]


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_violation_on_any_page_kind(browser, served_sample, playbook, scheme, size):
    assert AXE.is_file(), "make test installs axe-core with npm ci"
    context = browser.new_context(viewport=SIZES[size], color_scheme=scheme)
    tab = context.new_page()
    found = []
    for kind, path in page_kinds(playbook).items():
        tab.goto(served_sample + path, wait_until="networkidle")
        found += [f"{kind}: {violation}" for violation in _axe(tab)]
    context.close()
    assert found == []


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_violation_with_search_results_open(browser, served_sample, scheme):
    context = browser.new_context(viewport=SIZES["desktop"], color_scheme=scheme)
    tab = context.new_page()
    tab.goto(served_sample, wait_until="networkidle")
    search_for(tab, "mentor")
    tab.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    violations = _axe(tab)
    context.close()
    assert violations == []


def test_every_page_is_valid_html(sample_site):
    assert VNU.is_file(), "make test installs vnu-jar with npm ci"
    pages = sorted(str(p) for p in sample_site.rglob("*.html"))
    result = subprocess.run([shutil.which("java") or "java", "-jar", str(VNU), "--errors-only", "--format", "json",
                             *pages], capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
              if m["type"] == "error"]
    assert len(pages) > 50
    assert errors == []


def test_every_page_kind_asks_only_its_own_host(browser, served_sample, playbook):
    own = urlsplit(served_sample).netloc
    foreign: list[str] = []
    context = browser.new_context(viewport=SIZES["desktop"])
    tab = context.new_page()
    tab.on("request", lambda request: foreign.append(request.url)
           if urlsplit(request.url).scheme in ("http", "https", "ws", "wss")
           and urlsplit(request.url).netloc != own else None)
    for path in page_kinds(playbook).values():
        tab.goto(served_sample + path, wait_until="networkidle")
    search_for(tab, "mentor")
    tab.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    context.close()
    assert foreign == []


def test_the_first_tab_reaches_a_visible_skip_link_with_a_focus_ring(browser, served_sample, playbook):
    context = browser.new_context(viewport=SIZES["desktop"])
    tab = context.new_page()
    for kind, path in page_kinds(playbook).items():
        tab.goto(served_sample + path)
        tab.keyboard.press("Tab")
        focused = tab.evaluate("""() => {
            const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
            return {skip: e.classList.contains('md-skip'), text: e.textContent.trim(), href: e.getAttribute('href'),
                    visible: r.width > 0 && r.height > 0 && r.top >= 0,
                    ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'};
        }""")
        assert focused["skip"] and focused["text"] == "Skip to content", kind
        assert focused["visible"] and focused["ring"], kind
        tab.keyboard.press("Enter")
        assert tab.evaluate("location.hash") == focused["href"], kind
    context.close()


def test_every_page_kind_has_one_h1_and_no_skipped_heading_level(browser, served_sample, playbook):
    context = browser.new_context(viewport=SIZES["desktop"])
    tab = context.new_page()
    for kind, path in page_kinds(playbook).items():
        tab.goto(served_sample + path)
        levels = tab.evaluate("[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])")
        assert levels.count(1) == 1 and levels[0] == 1, (kind, levels)
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (kind, levels)
    context.close()


def test_role_and_rule_tables_have_header_cells(browser, served_sample, playbook):
    context = browser.new_context(viewport=SIZES["desktop"])
    tab = context.new_page()
    for kind in ("roles", "rules", "role", "rule", "meeting"):
        tab.goto(served_sample + page_kinds(playbook)[kind])
        tables = tab.evaluate("[...document.querySelectorAll('article table')].map(t => t.querySelectorAll('th').length)")
        assert tables and all(count > 0 for count in tables), kind
    context.close()


def test_a_story_image_without_alt_text_is_a_validation_error(tmp_path: Path):
    shutil.copytree(FIXTURE / "playbook", tmp_path / "playbook")
    story = tmp_path / "playbook" / "stories" / "2026-01-05-first-pair.yml"
    original = story.read_text()
    story.write_text(original + "image:\n  src: pair.jpg\n")
    src_line = len(original.splitlines()) + 2
    with pytest.raises(PlaybookError) as caught:
        load_playbook(tmp_path / "playbook", tmp_path, dt.date(2026, 11, 22))
    assert caught.value.report().splitlines()[0] == (
        f"playbook/stories/2026-01-05-first-pair.yml:{src_line}:3: image.alt: `alt` is required but missing "
        "(what the image shows, for people who cannot see it)")
