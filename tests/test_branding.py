"""Branding from mkdocs.yml (issue 15): a colour code in `theme.palette` becomes Material's custom colours, a
colour people could not read stops the build with what would pass, and in Chromium every text the palette
colours reads at WCAG AA, in the light and the dark scheme alike."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from generator.brand import BrandError, brand_from_palette, parse_colour, text_on

from .browser import serve_directory
from .sitebuild import FIXTURE, mkdocs_build

DESKTOP = {"width": 1350, "height": 940}  # wide enough for Material's tabs
SCHEMES = {"light": "default", "dark": "slate"}
# A brand of its own for the fixture: the company's blue in both schemes, and an accent per scheme.
BRAND = [{"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "#0b5394", "accent": "#c2185b"},
         {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "#0b5394", "accent": "#f48fb1"}]
BRAND_PAGE = """# Brand

Read [the about page](about.md) first.

[Outline button](about.md){ .md-button } [Primary button](about.md){ .md-button .md-button--primary }
"""


# --- The build: colour codes read, turned into CSS, and checked -------------------------------------------------

def test_a_colour_code_becomes_materials_custom_colour_with_its_variables():
    brand = brand_from_palette(BRAND)
    assert brand.palette == [{**BRAND[0], "primary": "custom", "accent": "custom"},
                             {**BRAND[1], "primary": "custom", "accent": "custom"}]
    light = rule(brand.css, "default", "primary")
    assert light["--md-primary-fg-color"] == "#0b5394"
    assert light["--md-primary-bg-color"] == "#fff"  # white reads better on a dark blue than black
    assert light["--md-typeset-a-color"] == "#0b5394"  # 7.84:1 on white: links keep the brand's colour
    dark = rule(brand.css, "slate", "primary")
    assert dark["--md-primary-fg-color"] == "#0b5394"  # the header keeps it in the dark scheme too
    assert dark["--md-typeset-a-color"] != "#0b5394"  # but links, 2.05:1 on the dark page, get a lighter shade
    assert rule(brand.css, "slate", "accent")["--md-accent-bg-color"] == "#000000de"  # black text on a light pink


def test_material_colour_names_pass_through_untouched():
    palette = {"scheme": "default", "primary": "deep purple", "accent": "indigo"}
    assert brand_from_palette(palette).palette == palette
    assert brand_from_palette(palette).css == ""
    assert brand_from_palette(None).css == ""


def test_a_light_yellow_primary_is_an_error_naming_the_option_the_ratio_and_a_shade_that_passes():
    with pytest.raises(BrandError) as caught:
        brand_from_palette([{"scheme": "default", "primary": "#FFF59D", "accent": "#3d5afe"},
                            {"scheme": "slate", "primary": "#fff59d", "accent": "#0b5394"}])
    assert str(caught.value).splitlines() == [
        "The site's colours in mkdocs.yml are hard to read or not understood:",
        '  theme.palette[0].primary "#FFF59D": links on the white page reach only 1.12:1; WCAG AA needs 4.5:1. '
        'A darker shade such as "#746800" passes',
        '  theme.palette[1].accent "#0b5394": links under the pointer on the dark page reach only 2.05:1; '
        'WCAG AA needs 4.5:1. A lighter shade such as "#1c8aee" passes',
    ]


def test_a_mid_tone_primary_is_told_one_shade_that_mends_the_tabs_and_the_links():
    with pytest.raises(BrandError) as caught:
        brand_from_palette({"primary": "#2e7dd7"})
    assert caught.value.problems == [
        'theme.palette.primary "#2e7dd7": the header\'s tabs on it reach only 3.90:1; WCAG AA needs 4.5:1. '
        'A darker shade such as "#2367b5" passes',
        'theme.palette.primary "#2e7dd7": links on the white page reach only 4.17:1; WCAG AA needs 4.5:1. '
        'A darker shade such as "#2367b5" passes',
    ]


@pytest.mark.parametrize("scheme, role, colour", [
    ("default", "primary", "#fff59d"), ("default", "primary", "#2e7dd7"), ("default", "primary", "#888"),
    ("default", "accent", "#ffeb3b"), ("default", "accent", "#ff80ab"), ("slate", "accent", "#1a237e"),
    ("slate", "primary", "#2e7dd7"), ("slate", "accent", "#4051b5")])
def test_the_shade_an_error_suggests_passes_the_check(scheme, role, colour):
    with pytest.raises(BrandError) as caught:
        brand_from_palette({"scheme": scheme, role: colour})
    suggested = re.findall(r'such as "(#[0-9a-f]{6})" passes', caught.value.problems[0])
    assert brand_from_palette({"scheme": scheme, role: suggested[0]}).css


def test_an_unquoted_colour_code_and_an_unknown_name_are_errors():
    # `primary: #0b5394` without quotes: YAML reads the colour as a comment and the value as empty.
    unquoted = yaml.safe_load("theme:\n  palette:\n    primary: #0b5394\n    accent: navy\n")
    with pytest.raises(BrandError) as caught:
        brand_from_palette(unquoted["theme"]["palette"])
    assert caught.value.problems == [
        'theme.palette.primary is empty; write a colour code in quotes, as in primary: "#0b5394"',
        "theme.palette.accent: 'navy' is neither a colour code such as \"#0b5394\" nor one of Material's colour "
        "names (indigo, blue, teal, ...)",
    ]


def test_text_on_a_colour_is_whichever_of_white_and_black_reads_better():
    assert text_on(parse_colour("#0b5394"))[0] == (255, 255, 255)
    assert text_on(parse_colour("#fff59d"))[0] == (0, 0, 0)


@pytest.mark.site
def test_a_build_with_a_poor_brand_colour_fails_with_one_line_per_problem(tmp_path):
    project = fixture_with_palette(tmp_path, [{"scheme": "default", "primary": "#fff59d"}])
    result = mkdocs_build(project / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 1
    assert ('theme.palette[0].primary "#fff59d": links on the white page reach only 1.12:1; WCAG AA needs 4.5:1. '
            'A darker shade such as "#746800" passes') in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="10" fill="#fff"/></svg>'


@pytest.mark.site
@pytest.mark.parametrize("audience", ["internal", "external"])
def test_a_logo_and_favicon_in_docs_show_on_every_site(tmp_path, audience):
    """The external site drops files of docs/ that none of its pages uses; the logo and favicon stay."""
    project = fixture_with_palette(tmp_path, BRAND)
    (project / "docs" / "images").mkdir()
    for name in ("logo.svg", "favicon.svg"):
        (project / "docs" / "images" / name).write_text(LOGO, encoding="utf-8")
    config_file = project / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["theme"].update(logo="images/logo.svg", favicon="images/favicon.svg")
    config["plugins"] = ["search", {"playbook": {"audience": audience}}]
    program = project / "playbook" / "program.yml"
    program.write_text(program.read_text(encoding="utf-8") + f"audience: {audience}\n", encoding="utf-8")
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = mkdocs_build(config_file, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a [^>]*class="md-header__button md-logo"[^>]*>\s*<img src="images/logo.svg"', home)
    assert '<link rel="icon" href="images/favicon.svg">' in home
    assert (tmp_path / "site" / "images" / "logo.svg").is_file()
    assert (tmp_path / "site" / "images" / "favicon.svg").is_file()


# --- In Chromium: every text the palette colours, measured ------------------------------------------------------

# For one element: its text colour, the opacity it is drawn at, and the backgrounds behind it down to the first
# opaque one. The test composites them and computes the ratio itself.
PAINT = """(element) => {
    const layers = [];
    let opacity = 1;
    for (let e = element; e; e = e.parentElement) {
        const style = getComputedStyle(e);
        layers.push(style.backgroundColor);
        if (/^rgb\\(/.test(style.backgroundColor)) break;
        opacity *= +style.opacity;
    }
    return {color: getComputedStyle(element).color, opacity, layers};
}"""
BUTTONS = """() => {
    if (document.querySelector('article .md-button')) return;  // the page has its own
    document.querySelector('article').insertAdjacentHTML('beforeend', '<p><a class="md-button" href="#">Outline</a> '
        + '<a class="md-button md-button--primary" href="#">Primary</a></p>');
}"""
SETTLED = "() => document.getAnimations().every(animation => animation.playState !== 'running')"
TEXTS = {"the header's title": ".md-header__topic .md-ellipsis",
         "the current tab": ".md-tabs__item--active .md-tabs__link",
         "another tab": ".md-tabs__item:not(.md-tabs__item--active) .md-tabs__link",
         "a link in the text": "article p a[href]:not(.md-button):not(.headerlink)",
         "an outline button": "article .md-button:not(.md-button--primary)",
         "a primary button": "article .md-button--primary"}


def rgba(css: str) -> tuple[float, float, float, float]:
    match = re.fullmatch(r"rgba?\((.+)\)", css)
    assert match, f"a computed colour that is not rgb(): {css}"
    values = [float(value) for value in re.split(r"[\s,/]+", match.group(1).strip())]
    return values[0], values[1], values[2], values[3] if len(values) > 3 else 1.0


def over(top: tuple[float, float, float, float], bottom: tuple[float, float, float]) -> tuple[float, float, float]:
    red, green, blue, alpha = top
    return red * alpha + bottom[0] * (1 - alpha), green * alpha + bottom[1] * (1 - alpha), blue * alpha + bottom[2] * (
        1 - alpha)


def luminance(colour: tuple[float, float, float]) -> float:
    def linear(channel: float) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
    return 0.2126 * linear(colour[0]) + 0.7152 * linear(colour[1]) + 0.0722 * linear(colour[2])


def ratio(paint: dict) -> float:
    """WCAG contrast of the text against what is behind it, composited as the browser paints them."""
    background: tuple[float, float, float] = (255, 255, 255)
    for layer in reversed(paint["layers"]):
        background = over(rgba(layer), background)
    red, green, blue, alpha = rgba(paint["color"])
    text = over((red, green, blue, alpha * paint["opacity"]), background)
    lighter, darker = sorted((luminance(text), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def contrasts(browser, url: str, scheme: str) -> dict[str, float]:
    """The contrast of each text the palette colours, at rest and, for links and buttons, under the pointer."""
    context = browser.new_context(viewport=DESKTOP, color_scheme=scheme)
    tab = context.new_page()
    tab.goto(url, wait_until="networkidle")
    assert tab.get_attribute("body", "data-md-color-scheme") == SCHEMES[scheme]
    tab.evaluate(BUTTONS)
    found = {}
    for what, selector in TEXTS.items():
        element = tab.locator(selector).first
        tab.mouse.move(0, DESKTOP["height"] - 1)
        tab.wait_for_function(SETTLED)
        found[what] = ratio(element.evaluate(PAINT))
        if "link" in what or "button" in what:
            element.hover()
            tab.wait_for_function(SETTLED)
            found[f"{what} under the pointer"] = ratio(element.evaluate(PAINT))
    context.close()
    return found


def below_aa(found: dict[str, float]) -> dict[str, str]:
    return {what: f"{value:.2f}:1" for what, value in found.items() if value < 4.5}


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_the_samples_palette_reads_at_aa(browser, served_sample, scheme):
    found = contrasts(browser, served_sample, scheme)
    assert len(found) == 9
    assert below_aa(found) == {}, found


@pytest.fixture(scope="module")
def branded(tmp_path_factory) -> Iterator[str]:
    """The fixture playbook with BRAND's colour codes, Material's tabs and a page with a link and buttons."""
    root = tmp_path_factory.mktemp("branded")
    project = fixture_with_palette(root, BRAND)
    (project / "docs" / "brand.md").write_text(BRAND_PAGE, encoding="utf-8")
    result = mkdocs_build(project / "mkdocs.yml", root / "site")
    assert result.returncode == 0, result.stderr
    server, url = serve_directory(root / "site")
    yield url + "brand/"
    server.shutdown()


@pytest.mark.site
@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_a_brand_palette_reads_at_aa(browser, branded, scheme):
    found = contrasts(browser, branded, scheme)
    assert len(found) == 9
    assert below_aa(found) == {}, found


@pytest.mark.site
def test_the_measurement_catches_a_poor_colour_that_the_build_cannot_check(browser, tmp_path):
    """Material's own `yellow` is a name, not a colour code, so only the browser sees its links at 2.3:1."""
    project = fixture_with_palette(tmp_path, {"scheme": "default", "primary": "yellow", "accent": "yellow"})
    (project / "docs" / "brand.md").write_text(BRAND_PAGE, encoding="utf-8")
    assert mkdocs_build(project / "mkdocs.yml", tmp_path / "site").returncode == 0
    server, url = serve_directory(tmp_path / "site")
    try:
        poor = below_aa(contrasts(browser, url + "brand/", "light"))
    finally:
        server.shutdown()
    assert {"a link in the text", "an outline button", "a link in the text under the pointer"} <= set(poor)


def fixture_with_palette(root: Path, palette: object) -> Path:
    """A copy of the minimal fixture whose mkdocs.yml has `palette` and Material's tabs."""
    project = root / "project"
    shutil.copytree(FIXTURE, project)
    config_file = project / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["theme"].update(palette=palette, features=["navigation.tabs"])
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return project


def rule(css: str, scheme: str, role: str) -> dict[str, str]:
    """The variables of one generated rule."""
    block = re.search(rf'\[data-md-color-scheme="{scheme}"\]\[data-md-color-{role}="custom"\] \{{(.*?)\}}', css, re.S)
    assert block, css
    return dict(re.findall(r"(--[\w-]+): ([^;]+);", block.group(1)))
