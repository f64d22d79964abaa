"""Which static files from docs/ a set of rendered pages uses.

The external site copies a picture, PDF or script from docs/ only when one of its own pages
links to it or embeds it; a file that only internal pages use stays on the intranet. This
module works on URLs and HTML text alone, so tests call it without running a build.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Collection, Iterable, Mapping
from urllib.parse import unquote, urljoin, urlsplit

# Every attribute through which a page can link to or load a file. MkDocs writes them quoted.
_REFERENCE = re.compile(r"""(?<![\w-])(?:href|src|srcset|poster|data)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_PLACEHOLDER_SITE = "http://site.invalid/"


def unused_static_files(pages: Iterable[tuple[str, str]], files: Mapping[str, str], keep: Collection[str],
                        site_url: str | None = None) -> list[str]:
    """The files (source path → URL) that no page (URL, HTML) refers to, except those in `keep`.

    `keep` holds source paths the site's configuration uses itself, such as extra_css or the logo.
    """
    if not files:
        return []
    wanted = {posixpath.normpath(unquote(url)).lstrip("/"): src for src, url in files.items() if src not in keep}
    base = site_url if site_url and site_url.endswith("/") else _PLACEHOLDER_SITE
    for page_url, page_html in pages:
        for path in referenced_paths(urljoin(base, page_url), page_html, base):
            wanted.pop(path, None)
        if not wanted:
            break
    return sorted(wanted.values())


def referenced_paths(page_url: str, page_html: str, site_url: str) -> set[str]:
    """The site-relative paths that `page_html`, shown at `page_url`, links to or loads."""
    paths = set()
    site = urlsplit(site_url)
    for match in _REFERENCE.finditer(page_html):
        value = match[1] if match[1] is not None else match[2]
        for reference in _candidates(value):
            target = urlsplit(urljoin(page_url, reference))
            if target.netloc == site.netloc and target.path.startswith(site.path):
                paths.add(posixpath.normpath(unquote(target.path[len(site.path):])).lstrip("/"))
    return paths


def _candidates(value: str) -> list[str]:
    """One URL, or each URL of a `srcset` list (`a.png 1x, b.png 2x`)."""
    value = html.unescape(value).strip()
    # The whole value too: reading a plain URL as a list can only keep more files, never fewer.
    parts = [part.split()[0] for part in value.split(",") if part.strip()] if " " in value else []
    return [value, *parts] if value else []
