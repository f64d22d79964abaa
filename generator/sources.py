"""Links from a generated page to the YAML behind it, at its line where the host can show one."""

from __future__ import annotations

from urllib.parse import urlsplit

from generator.errors import Location


def source_url(repo_url: str | None, edit_uri: str | None, docs_dir: str, location: Location) -> str | None:
    """The page's edit link, built from MkDocs' own `repo_url` and `edit_uri`.

    `edit_uri` points into the docs folder (`edit/main/docs/`), but content lives beside it,
    so the docs folder is taken off the end and the YAML's path from the project root is added.
    """
    if not repo_url or not edit_uri:
        return None
    prefix = edit_uri.strip("/")
    if prefix.endswith("/" + docs_dir) or prefix == docs_dir:
        prefix = prefix[: -len(docs_dir)].rstrip("/")
    base = prefix if "://" in edit_uri else f"{repo_url.rstrip('/')}/{prefix}"
    url = f"{base}/{location.path}"
    return f"{url}#L{location.line}" if supports_line_anchors(repo_url, edit_uri) else url


def supports_line_anchors(repo_url: str, edit_uri: str) -> bool:
    """GitHub and GitLab (also self-hosted: its URLs have `/-/`) jump to `#L12`."""
    host = urlsplit(repo_url).hostname or ""
    return host == "github.com" or "gitlab" in host or edit_uri.lstrip("/").startswith("-/")


def repository_name(repo_url: str) -> str:
    """`owner/name` from a repository's URL, for the header link when no name is configured."""
    parts = urlsplit(repo_url)
    return parts.path.strip("/").removesuffix(".git") or parts.hostname or repo_url
