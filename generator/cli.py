"""The `playbook` command: thin click wrappers around the pipeline."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from generator.errors import PlaybookError, Problem
from generator.pages import Options
from generator.publish import build_playbook
from generator.validate import load_playbook

CONTENT = click.option("--content", "content", default="playbook", show_default=True,
                       type=click.Path(file_okay=False, path_type=Path), help="The playbook's YAML folder.")


class ContentError(click.ClickException):
    """Problems in the content: printed one per line with no traceback, exit code 1."""

    def __init__(self, error: PlaybookError):
        super().__init__(error.report())

    def show(self, file=None) -> None:
        click.echo(self.message, err=True)


@click.group()
@click.version_option(package_name="playbook-generator")
def main() -> None:
    """Publish a reverse-mentoring program guide from YAML."""


@main.command()
@CONTENT
def validate(content: Path) -> None:
    """Check every file and report every problem, one `path:line:col` line each."""
    try:
        playbook, warnings = load_playbook(content, Path.cwd(), dt.date.today())
    except PlaybookError as error:
        raise ContentError(error) from None
    for warning in warnings:
        click.echo(str(warning), err=True)
    click.echo(f"{content}: the playbook is valid ({len(playbook.roles)} roles, {len(playbook.rules)} rules, "
               f"{len(playbook.stories)} posts)" + (f"; {_count(warnings, 'warning')}" if warnings else ""))


@main.command()
@CONTENT
@click.option("--templates", default="templates", show_default=True, type=click.Path(path_type=Path),
              help="Templates that override the built-in ones.")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the Markdown pages into.")
@click.option("--drafts/--no-drafts", default=False, help="Include draft posts.")
@click.option("--site-url", default=None, help="The site's address; the feeds need it for absolute links.")
def render(content: Path, templates: Path, out: Path, drafts: bool, site_url: str | None) -> None:
    """Write the generated Markdown pages into a folder, for any static-site engine."""
    try:
        options = Options(today=dt.date.today(), drafts=drafts, site_url=site_url)
        build = build_playbook(content, templates, Path.cwd(), options)
    except PlaybookError as error:
        raise ContentError(error) from None
    written = 0
    outputs = [(page.path, page.markdown.encode("utf-8")) for page in build.site.pages]
    outputs += [(asset.path, asset.content) for asset in build.site.assets]
    for path, content_bytes in outputs:
        written += _write_if_changed(out / path, content_bytes)
    click.echo(f"{out}: {len(outputs)} files, {written} written, {len(outputs) - written} unchanged")


def _write_if_changed(path: Path, content: bytes) -> bool:
    """Write only when the content differs, so a file watcher on the folder does not loop."""
    if path.is_file() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def _count(problems: list[Problem] | tuple[Problem, ...], noun: str) -> str:
    return f"{len(problems)} {noun}{'' if len(problems) == 1 else 's'}"


if __name__ == "__main__":
    sys.exit(main())
