"""Content is data: template syntax renders literally and raw HTML cannot run script."""

from __future__ import annotations

import base64
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.sanitize import sanitize_html

from .browser import search_for, serve_directory
from .sitebuild import FIXTURE, mkdocs_build

TEMPLATE_SYNTAX = ["{{ 7*7 }}", '{% include "x" %}', "{# hidden #}", "${7*7}"]
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")

STORY = r'''title: "Hello {{ 7*7 }} <script>window.__pwned = 'title'</script>"
date: 2026-03-01
summary: "Summary {% include \"x\" %} <b onmouseover=\"window.__pwned='summary'\">bold</b>"
body: |
  Literal template syntax: {{ 7*7 }}

  and {% include "x" %} and {# hidden #}

  and ${7*7}.

  <script>window.__pwned = 'script'; alert('script')</script>
  <img src="pic.png" alt="a kept picture" onerror="window.__pwned='onerror'">
  <iframe src="pic.png" id="injected-frame"></iframe>
  <object data="pic.png" id="injected-object"></object>
  <style>body { display: none }</style>
  <a href="javascript:alert('href')" id="js-link">javascript link</a>
  <a href="data:text/html,<script>alert(1)</script>" id="data-link">data link</a>
  [markdown javascript link](javascript:alert('md'))

  A paragraph with an attr_list handler.
  {: onclick="window.__pwned='attr'" id="attr-para" }

  *Emphasis stays*, and so does a [normal link](https://intranet.example/).

  - a list item
  - another item

  | Column | Value |
  | --- | --- |
  | table | stays |

  ![A kept image](../pic.png)
tags: [onboarding]
roles: [mentor]
people: []
'''


def _site_with_story(folder: Path, name: str, story: str) -> Path:
    """The minimal fixture plus one story (and the picture stories may show), built with --strict."""
    project = folder / "project"
    shutil.copytree(FIXTURE, project)
    (project / "playbook" / "stories" / f"{name}.yml").write_text(story)
    (project / "docs" / "pic.png").write_bytes(PIXEL)
    result = mkdocs_build(project / "mkdocs.yml", project / "site")
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def injected_site(tmp_path_factory) -> Path:
    return _site_with_story(tmp_path_factory.mktemp("injection"), "2026-03-01-hostile", STORY)


def _story_html(site: Path) -> str:
    return (site / "stories" / "2026-03-01-hostile" / "index.html").read_text()


def _content(html: str) -> str:
    start = html.index('<article class="md-content__inner md-typeset">')
    return html[start: html.index("</article>", start)]


@pytest.mark.site
@pytest.mark.parametrize("syntax", TEMPLATE_SYNTAX)
def test_template_syntax_renders_literally_in_pages(injected_site, syntax):
    content = _content(_story_html(injected_site))
    assert syntax.replace('"', "&quot;") in content or syntax in content


@pytest.mark.site
def test_template_syntax_renders_literally_in_feeds(injected_site):
    atom = ET.parse(injected_site / "feeds" / "all.atom.xml").getroot()
    titles = [e.text for e in atom.iter("{http://www.w3.org/2005/Atom}title")]
    summaries = [e.text for e in atom.iter("{http://www.w3.org/2005/Atom}summary")]
    assert any("{{ 7*7 }}" in (t or "") for t in titles)
    assert any('{% include "x" %}' in (s or "") for s in summaries)


class _Markup(HTMLParser):
    """The tags and attributes of a fragment, as a browser would see them."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.mark.site
def test_no_dangerous_element_survives(injected_site):
    tags = _Markup(_content(_story_html(injected_site))).tags
    assert not [tag for tag, _ in tags if tag in {"script", "iframe", "object", "embed", "style"}]


@pytest.mark.site
def test_no_event_handler_or_script_url_survives(injected_site):
    for tag, attrs in _Markup(_content(_story_html(injected_site))).tags:
        assert not [name for name in attrs if name.startswith("on")], tag
        for name in ("href", "src"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:")), (tag, value)


@pytest.mark.site
def test_the_hostile_text_is_shown_as_text(injected_site):
    content = _content(_story_html(injected_site))
    assert "&lt;b onmouseover=" in content
    assert "&lt;script&gt;window.__pwned = &#x27;title&#x27;" in content or "&lt;script&gt;window.__pwned" in content


@pytest.mark.site
@pytest.mark.parametrize("kept", ["<em>Emphasis stays</em>", '<a href="https://intranet.example/">normal link</a>',
                                  "<li>a list item</li>", "<table>", 'alt="a kept picture"',
                                  'alt="A kept image"'])
def test_harmless_markup_stays(injected_site, kept):
    assert kept in _content(_story_html(injected_site))


@pytest.mark.site
def test_nothing_runs_in_a_real_browser(injected_site, browser):
    server, url = serve_directory(injected_site)
    try:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for path in ("stories/2026-03-01-hostile/", "", "stories/"):
            page.goto(url + path, wait_until="load")
            page.hover("article")
            for link in ("#js-link", "#data-link", "#attr-para"):
                if page.locator(link).count():
                    page.locator(link).click(no_wait_after=True)
            assert page.evaluate("window.__pwned") is None
            injected = page.evaluate("""() => document.querySelectorAll(
                'article iframe, article object, article embed, article style, article script,'
                + ' article [onerror], article [onclick], article [onmouseover]').length""")
            assert injected == 0
            assert page.evaluate("getComputedStyle(document.body).display") != "none"
        assert dialogs == []
        page.close()
    finally:
        server.shutdown()


def test_only_radio_and_checkbox_inputs_keep_their_type():
    """Content tabs and task lists need these two; a text field or a submit button has no use in content."""
    html = ('<input type="radio" name="t"><input type="checkbox" checked>'
            '<input type="text" name="q"><input type="submit" formaction="https://example.com/">')
    assert sanitize_html(html) == '<input type="radio" name="t"><input type="checkbox" checked=""><input name="q"><input>'


CLOBBER_STORY = r'''title: Theme ids stay the theme's
date: 2026-03-02
summary: A post that tries to take over the theme's ids.
body: |
  <div id="__config">{"base": "data:text/html,x", "features": [], "search": "https://evil.example/w.js", "translations": {}}</div>

  ## x {#__config}

  ## __config

  <div class="mermaid">graph TD; A-->B</div>

  <label for="__search" id="search-label">Opens the search</label>

  [Back to the top heading](#__config)

  === "One"

      First tab

  === "Two"

      Second tab
tags: [onboarding]
roles: [mentor]
people: []
'''


@pytest.fixture(scope="module")
def clobber_site(tmp_path_factory) -> Path:
    return _site_with_story(tmp_path_factory.mktemp("clobber"), "2026-03-02-clobber", CLOBBER_STORY)


@pytest.mark.site
def test_content_cannot_take_the_theme_ids(clobber_site, browser):
    server, url = serve_directory(clobber_site)
    tab = browser.new_page()
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    try:
        tab.goto(url + "stories/2026-03-02-clobber/", wait_until="load")
        assert tab.evaluate("document.querySelector('#__config').tagName") == "SCRIPT"
        assert tab.evaluate("document.querySelector('#__search').tagName") == "INPUT"
        renamed = tab.evaluate("[...document.querySelectorAll('article [id^=\"content-\"]')].map(e => e.id)")
        assert renamed == ["content-__config", "content-__config", "content-__config_1"]
        assert tab.locator("#search-label").get_attribute("for") == "content-__search"
        toc = tab.evaluate("[...document.querySelectorAll('.md-nav--secondary a')].map(a => a.getAttribute('href'))")
        assert toc == ["#content-__config", "#content-__config_1", "#related-stories"]
        assert all(tab.evaluate("id => !!document.getElementById(id)", href[1:]) for href in toc)
        assert tab.locator("article a", has_text="Back to the top heading").get_attribute("href") == "#content-__config"
        assert tab.evaluate("document.querySelectorAll('.mermaid, article img').length") == 0
        tab.locator("label", has_text="Two").click()  # content tabs still work: their ids are kept
        assert tab.locator("text=Second tab").is_visible()
        search_for(tab, "theme")  # Material's own script, driven by the real #__config
        tab.locator(".md-search-result__item", has_text="Theme ids").first.wait_for(timeout=30_000)
        assert [u for u in requests if not u.startswith(url)] == []
    finally:
        tab.close()
        server.shutdown()


@pytest.mark.parametrize("given, kept", [
    ('<div id="__config">{}</div>', '<div id="content-__config">{}</div>'),
    ('<h2 id="md-header">x</h2><a href="#md-header">y</a>', '<h2 id="content-md-header">x</h2><a href="#content-md-header">y</a>'),
    ('<a href="../other/#__search">y</a>', '<a href="../other/#content-__search">y</a>'),
    ('<a href="https://example.com/#__config">y</a>', '<a href="https://example.com/#__config">y</a>'),
    ('<label for="__drawer">x</label>', '<label for="content-__drawer">x</label>'),
    ('<input type="radio" name="__palette" id="__palette_0">', '<input type="radio" name="content-__palette" id="content-__palette_0">'),
    ('<input type="radio" name="__tabbed_1" id="__tabbed_1_2"><label for="__tabbed_1_2">t</label>',
     '<input type="radio" name="__tabbed_1" id="__tabbed_1_2"><label for="__tabbed_1_2">t</label>'),
    ('<span id="__tabbed_1_2x">x</span>', '<span id="content-__tabbed_1_2x">x</span>'),
    ('<p id="intro" class="admonition note">x</p>', '<p id="intro" class="admonition note">x</p>'),
    ('<div class="mermaid">graph</div>', "<div>graph</div>"),
    ('<div class="grid cards md-typeset md-content">x</div>', '<div class="grid cards">x</div>'),
    ('<p class="not-md-x">x</p>', '<p class="not-md-x">x</p>'),
    ('<img src="https://evil.example/p.png" alt="a">', ""),
    ('<img alt="a>b" src="//evil.example/p.png">', ""),
    ('<img src=" /\\evil.example/p.png">', ""),
    ('<img src="ht&#9;tps://evil.example/p.png">', ""),
    ('<img src="../pic.png" alt="kept">', '<img src="../pic.png" alt="kept">'),
])
def test_content_stays_out_of_the_theme_names_and_foreign_images_go(given, kept):
    assert sanitize_html(given) == kept
