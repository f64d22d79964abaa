"""Images come only from this site: the check on Markdown fields and `image.src`, without a build."""

from __future__ import annotations

import pytest

from generator import models as m
from generator.images import foreign_images, is_foreign, markdown_values


@pytest.mark.parametrize("url", [
    "https://cdn.example.net/a.png", "http://x/a.png", "ftp://x/a.png", "data:image/png;base64,AAAA", "//x/a.png",
    "\\\\x/a.png", "/\\x/a.png", "  HTTPS://x/a.png", "ht\ttps://x/a.png", "&#104;ttps://x/a.png", "\\/\\/x/a.png",
    "javascript:alert(1)",
])
def test_a_url_a_browser_would_fetch_from_another_host_is_foreign(url: str):
    assert is_foreign(url)


@pytest.mark.parametrize("url", ["images/a.png", "../images/a.png", "/images/a.png", "img/a:b.png", "a.png?x=1"])
def test_a_path_on_this_site_is_not_foreign(url: str):
    assert not is_foreign(url)


def _found(text: str, labels: frozenset[str] = frozenset()) -> list[str]:
    return [image.url for image in foreign_images(text, set(labels))]


def test_every_image_syntax_is_checked_and_links_are_not():
    text = ("![a [nested] alt](https://x/1.png \"t\") ![ok](images/ok.png) [a link](https://example.org/)\n"
            "<IMG SRC = '//x/2.png'> <img srcset=\"images/ok.png 1x, http://x/3.png 2x\">\n"
            "![z]( <http://x/4.png>) ![r][pic]\n\n[pic]: http://x/5.png\n[site]: https://example.org/\n")
    assert _found(text, frozenset({"pic"})) == ["https://x/1.png", "http://x/4.png", "//x/2.png", "http://x/3.png",
                                               "http://x/5.png"]
    assert "http://x/5.png" not in _found(text)  # a definition no image uses is a plain link


def test_every_markdown_field_is_found_through_the_models_own_type():
    benefit = m.Benefit(title="T", description="![x](http://x/a.png)")
    assert list(markdown_values(benefit)) == [(("description",), "![x](http://x/a.png)")]
