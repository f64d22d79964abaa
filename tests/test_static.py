"""Which static files from docs/ the external site's pages use, without a build."""

from __future__ import annotations

from generator.static import unused_static_files

FILES = {"images/a.png": "images/a.png", "images/b c.png": "images/b%20c.png", "x.pdf": "x.pdf",
         "extra.css": "extra.css", "z.png": "z.png"}


def test_files_no_page_uses_are_left_out_except_those_the_config_keeps():
    pages = [("stories/s/", '<img alt="" src="../../images/a.png">')]
    assert unused_static_files(pages, FILES, {"extra.css"}) == ["images/b c.png", "x.pdf", "z.png"]


def test_links_srcset_and_absolute_paths_under_the_site_url_count_as_uses():
    pages = [("", '<img srcset="images/b%20c.png 1x, z.png 2x">'),
             ("about/", '<a href="/mentoring/x.pdf">the form</a> '
                        "<img src='https://careers.example.com/mentoring/images/a.png'>")]
    assert unused_static_files(pages, FILES, {"extra.css"}, "https://careers.example.com/mentoring/") == []


def test_a_link_to_another_host_with_the_same_path_is_not_a_use():
    pages = [("", '<a href="https://elsewhere.example/x.pdf">x</a> <img src="https://elsewhere.example/z.png">')]
    assert "x.pdf" in unused_static_files(pages, FILES, set(), "https://careers.example.com/")
