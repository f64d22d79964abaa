"""The `playbook` command: thin click wrappers around the pipeline."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Sized
from pathlib import Path

import click
import yaml

from generator import kinds
from generator.audience import Audience, check_external_site
from generator.digest import build_digest, build_welcome
from generator.errors import InternalError, PlaybookError, Problem
from generator.messages import closest
from generator.output import OutputError, write_changed, write_files, write_folder, write_new_file
from generator.outputs import Options
from generator.publish import Checked, build_playbook, check_playbook, fails
from generator.render import make_environment, plural
from generator.report import Format, format_problems
from generator.review import DUE_SOON_DAYS, reviews_due
from generator.schema import schema_files
from generator.starters import STARTERS, Known, StarterError, appended, id_from_title, kind_of, render_starter
from generator.stories import shown_by_role

NEW_PROJECT = Path(__file__).resolve().parent / "new_project"
MAX_WITHIN_DAYS = 3650  # ten years; a larger horizon overflows the date arithmetic and helps nobody
STRICT = click.option("--strict", is_flag=True, help="Exit 1 on any warning, as `mkdocs build --strict` does.")
CONTENT = click.option("--content", "content", default="playbook", show_default=True,
                       type=click.Path(file_okay=False, path_type=Path), help="The playbook's YAML folder.")


class TemplateFailure(click.ClickException):
    """A template broke: a bug in a template, reported without a traceback but not as a content error."""


class _Guarded(click.Group):
    """Turns a broken template, or a file that cannot be written, into a one-line error for every command."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except InternalError as error:
            raise TemplateFailure(f"a template failed, not the content: {error}") from None
        except OutputError as error:
            raise click.ClickException(str(error)) from None
        except OSError as error:  # a read-only or full disk is the machine's problem, not a bug to trace
            where = f"{error.filename}: " if error.filename else ""
            raise click.ClickException(f"{where}{error.strerror or error}") from None


class ContentError(click.ClickException):
    """Problems in the content: printed one per line with no traceback, exit code 1."""

    def __init__(self, error: PlaybookError):
        super().__init__(error.report())

    def show(self, file=None) -> None:
        click.echo(self.message, err=True)


class WarningsFailure(click.ClickException):
    """A strict run with warnings: they are printed already, so this only says why the exit code is 1."""


def check(content: Path, options: Options) -> Checked:
    """The build's first half, as every command runs it: content errors stop it, warnings are printed."""
    try:
        checked = check_playbook(content, Path.cwd(), options)
    except PlaybookError as error:
        raise ContentError(error) from None
    show_warnings(checked.warnings)
    return checked


def show_warnings(warnings: tuple[Problem, ...]) -> None:
    for warning in warnings:
        click.echo(str(warning), err=True)


def finish(warnings: tuple[Problem, ...], strict: bool) -> None:
    """Apply the one strictness rule (publish.fails) after a command's work is reported."""
    if fails(warnings, strict):
        raise WarningsFailure(f"{_count(warnings, 'warning')}, and --strict fails on any warning")


@click.group(cls=_Guarded)
@click.version_option(package_name="playbook-generator")
def main() -> None:
    """Publish a reverse-mentoring program guide from YAML."""


@main.command()
@CONTENT
@click.option("--format", "style", type=click.Choice(["text", "github", "json"]), default="text", show_default=True,
              help="text: one `path:line:col` line each; github: Actions annotations; json: for tools.")
@STRICT
def validate(content: Path, style: Format, strict: bool) -> None:
    """Check every file and report every problem; exit 1 if there is an error."""
    try:
        checked = check_playbook(content, Path.cwd(), Options(today=dt.date.today()))
        check_external_site(checked.playbook, dt.date.today())
    except PlaybookError as error:
        if style == "text":
            raise ContentError(error) from None
        click.echo(format_problems(error.problems, style))
        sys.exit(1)
    playbook, warnings = checked.playbook, checked.warnings
    if style != "text":
        click.echo(format_problems(warnings, style))
        sys.exit(1 if fails(warnings, strict) else 0)
    show_warnings(warnings)
    for story, person in shown_by_role(playbook, dt.date.today()):
        who = f"{person.name} appears as “{person.role}”" if person.name else \
            f"“{person.role}”, who refused to be named"
        click.echo(f"{story.source}: shown by role only: {who}", err=True)
    click.echo(f"{content}: the playbook is valid ({_count(playbook.roles, 'role')}, {_count(playbook.rules, 'rule')}, "
               f"{_count(playbook.stories, 'post')})" + (f"; {_count(warnings, 'warning')}" if warnings else ""))
    finish(warnings, strict)


@main.command()
@CONTENT
@click.option("--strict", is_flag=True, help="Exit 1 when any review is overdue or there is any warning, for a "
              "scheduled CI job.")
@click.option("--within", default=DUE_SOON_DAYS, show_default=True, type=click.IntRange(0, MAX_WITHIN_DAYS),
              help="Also list reviews due within this many days.")
def review(content: Path, strict: bool, within: int) -> None:
    """List the rules whose review is overdue or due soon, grouped by owner, with file and line."""
    today = dt.date.today()
    checked = check(content, Options(today=today))
    grouped = reviews_due(checked.playbook, today, within)
    for owner, items in grouped.items():
        click.echo(f"{owner}:")
        for due in items:
            state = "OVERDUE since" if due.overdue else "due"
            click.echo(f"  {due.rule.source}: {due.rule.id}: {state} {due.rule.next_review} "
                       f"(last reviewed {due.rule.last_reviewed}, every {due.rule.review_every})")
    overdue = sum(due.overdue for items in grouped.values() for due in items)
    due_soon = sum(len(items) for items in grouped.values()) - overdue
    click.echo(f"{plural(overdue, 'review')} overdue, {due_soon} due within {within} days")
    if strict and overdue:
        sys.exit(1)
    finish(checked.warnings, strict)


@main.command()
@CONTENT
@click.option("--templates", default="templates", show_default=True, type=click.Path(path_type=Path),
              help="Templates that override the built-in ones.")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the Markdown pages into.")
@click.option("--drafts/--no-drafts", default=False, help="Include draft posts.")
@click.option("--site-url", default=None, help="The site's address; the feeds need it for absolute links.")
@STRICT
def render(content: Path, templates: Path, out: Path, drafts: bool, site_url: str | None, strict: bool) -> None:
    """Write the generated Markdown pages into a folder, for any static-site engine."""
    try:
        options = Options(today=dt.date.today(), drafts=drafts, site_url=site_url, templates=templates)
        build = build_playbook(content, Path.cwd(), options)
    except PlaybookError as error:
        raise ContentError(error) from None
    show_warnings(build.warnings)
    outputs = [(out / page.path, page.markdown.encode("utf-8")) for page in build.site.pages]
    outputs += [(out / asset.path, asset.content) for asset in build.site.assets]
    written = write_changed(outputs)
    click.echo(f"{out}: {len(outputs)} files, {written} written, {len(outputs) - written} unchanged")
    finish(build.warnings, strict)


@main.command()
@CONTENT
@click.option("--templates", default="templates", show_default=True, type=click.Path(path_type=Path))
@click.option("--since", required=True, type=click.DateTime(["%Y-%m-%d"]), help="First day, YYYY-MM-DD.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day, YYYY-MM-DD (default: today).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write; the plain-text version goes beside it as .txt.")
@click.option("--site-url", help="The site's address for links (default: site_url in mkdocs.yml).")
@click.option("--audience", type=click.Choice(["internal", "external"]), default="internal", show_default=True,
              help="external: only what the external site shows, for a newsletter outside the company.")
@STRICT
def digest(content: Path, templates: Path, since: dt.datetime, until: dt.datetime | None, out: Path,
           site_url: str | None, audience: Audience, strict: bool) -> None:
    """Write an e-mail newsletter of the posts and rule reviews in a date range."""
    today = dt.date.today()
    first, last = since.date(), until.date() if until else today
    if last < first:
        raise click.BadParameter(f"--until {last} is before --since {first}", param_hint="--until")
    text_out = _text_beside(out)
    site_url = _letter_site_url(site_url, "digest")
    checked = check(content, Options(today=today, audience=audience))
    letter = build_digest(checked.playbook, make_environment(templates), since=first, until=last, site_url=site_url,
                          today=today)
    write_files([(out, letter.html.encode("utf-8")), (text_out, letter.text.encode("utf-8"))])
    click.echo(f"{out}: {_count(letter.posts, 'post')} and {_count(letter.rules, 'rule review')} "
               f"from {first} to {last}; plain text in {text_out}")
    finish(checked.warnings, strict)


@main.command()
@click.argument("role_id", metavar="ROLE")
@CONTENT
@click.option("--templates", default="templates", show_default=True, type=click.Path(path_type=Path))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write; the plain-text version goes beside it as .txt.")
@click.option("--site-url", help="The site's address for links (default: site_url in mkdocs.yml).")
@STRICT
def welcome(role_id: str, content: Path, templates: Path, out: Path, site_url: str | None, strict: bool) -> None:
    """Write the welcome e-mail for people new in ROLE (a role id): their first weeks, what is next, who to ask."""
    today = dt.date.today()
    text_out = _text_beside(out)
    site_url = _letter_site_url(site_url, "welcome e-mail")
    checked = check(content, Options(today=today))
    roles = {role.id: role for role in checked.playbook.roles}
    if role_id not in roles:
        near = closest(role_id, list(roles))
        hint = f"did you mean `{near}`? " if near else ""
        raise click.BadParameter(f"`{role_id}` is not a role; {hint}the roles are {', '.join(roles)}",
                                 param_hint="ROLE")
    letter = build_welcome(checked.playbook, make_environment(templates), role=roles[role_id], site_url=site_url,
                           today=today)
    write_files([(out, letter.html.encode("utf-8")), (text_out, letter.text.encode("utf-8"))])
    click.echo(f"{out}: welcome for a new {letter.role.title}, {_count(letter.role.first_weeks, 'first-weeks task')}; "
               f"plain text in {text_out}")
    finish(checked.warnings, strict)


def _text_beside(out: Path) -> Path:
    """Where an e-mail's plain-text part goes: beside its HTML file, as .txt."""
    text_out = out.with_suffix(".txt")
    if text_out == out:
        raise click.BadParameter(f"{out} is where the plain-text part goes; pass the HTML file, such as "
                                 f"--out {out.with_suffix('.html')}", param_hint="--out")
    return text_out


def _letter_site_url(site_url: str | None, letter: str) -> str:
    """An e-mail is read away from the site, so its links need the site's address."""
    site_url = site_url or configured_site_url(Path("mkdocs.yml"))
    if not site_url:
        raise click.UsageError(f"the {letter} needs the site's address: pass --site-url or set site_url in mkdocs.yml")
    return site_url


def configured_site_url(config_file: Path) -> str | None:
    """site_url from mkdocs.yml, read without MkDocs: `!ENV` is resolved, other tags are skipped."""
    return _setting(_mkdocs_config(config_file), "site_url")


def _mkdocs_config(config_file: Path) -> dict[str, object]:
    """mkdocs.yml read without MkDocs, or nothing if it cannot be read."""
    class Tolerant(yaml.SafeLoader):
        pass

    Tolerant.add_constructor("!ENV", _resolve_env)
    Tolerant.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=Tolerant)
    except (OSError, yaml.YAMLError):
        return {}
    return config if isinstance(config, dict) else {}


def _setting(config: dict[str, object], key: str) -> str | None:
    value = config.get(key)
    return value if isinstance(value, str) and value else None


def _resolve_env(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    """MkDocs' `!ENV VAR` or `!ENV [VAR, ..., default]`: the first variable that is set, else the default."""
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(loader.construct_scalar(node))
    if not isinstance(node, yaml.SequenceNode):
        return None
    *names, default = loader.construct_sequence(node)
    return next((os.environ[name] for name in names if name in os.environ), default)


def _pair_of_ids(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        first, colon, second = value.partition(":")
        if not colon or not first.strip() or not second.strip() or ":" in second:
            raise click.BadParameter(f"`{value}` is not a pair; write the two ids as `e2012:e1112`")
        pairs.append((first.strip(), second.strip()))
    return pairs


@main.command()
@click.argument("participants", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The proposal to write, as CSV; keep it outside the repository, or where git ignores it.")
@click.option("--fix", multiple=True, callback=_pair_of_ids, metavar="A:B",
              help="Keep this pair, such as one that has already met; repeat for more.")
@click.option("--avoid", multiple=True, callback=_pair_of_ids, metavar="A:B",
              help="Never propose this pair; repeat for more.")
@click.option("--org", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="An org chart as CSV (id, manager_id) for everyone, to trace reporting lines through managers "
                   "who are not participants.")
@CONTENT
@STRICT
def match(participants: Path, out: Path, fix: list[tuple[str, str]], avoid: list[tuple[str, str]], org: Path | None,
          content: Path, strict: bool) -> None:
    """Propose the best pairs from a participants file, by skills and interests, never by age."""
    # Imported here: SciPy's optimizer takes half a second to load, which no other command should pay.
    from generator.pairing import RequestError, propose_pairs
    from generator.participants import read_roster
    from generator.proposal import proposal_csv

    matching = check(content, Options(today=dt.date.today())).playbook.program.matching
    if matching is None:
        raise click.ClickException(f"{content}/program.yml has no `matching:`; add one naming the two roles to pair, "
                                   "as the README's “Pairing” section shows")
    _check_private(out, [participants, *([org] if org else [])], content)
    try:
        roster = read_roster(participants, matching, org)
        show_warnings(roster.warnings)
        proposal = propose_pairs(roster, matching, fix, avoid)
    except PlaybookError as error:
        raise ContentError(error) from None
    except RequestError as error:
        raise click.ClickException(str(error)) from None
    write_files([(out, proposal_csv(proposal).encode("utf-8"))])
    click.echo(f"{out}: {_count(proposal.pairs, 'pair')}" + (f" ({len(fix)} fixed)" if fix else "")
               + f", total score {proposal.total}; {_count(proposal.unmatched, 'person', 'people')} without a partner")
    for alone in proposal.unmatched:
        click.echo(f"  {alone.person.id} {alone.person.name}: {alone.why}")
    finish(roster.warnings, strict)


def _check_private(out: Path, inputs: list[Path], content: Path) -> None:
    """The proposal names people: never let it land where a build would publish it, or over its input."""
    target = out.resolve()
    if target in [source.resolve() for source in inputs]:
        raise click.BadParameter(f"{out} is one of the files read; name a new file", param_hint="--out")
    config = _mkdocs_config(Path("mkdocs.yml"))
    published = [content, Path(_setting(config, "docs_dir") or "docs"), Path(_setting(config, "site_dir") or "site"),
                 Path("site-external")]
    for folder in published:
        if target.is_relative_to(folder.resolve()):
            raise click.BadParameter(f"{out} is inside {folder}/, which the site is built from or into; write "
                                     "the proposal outside the repository", param_hint="--out")


@main.command()
@click.option("--out", default="schemas", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write one JSON Schema per kind of file into.")
def schema(out: Path) -> None:
    """Write the JSON Schemas that editors and CI use to check the YAML."""
    files = schema_files()
    written = write_changed((out / name, text.encode("utf-8")) for name, text in files.items())
    click.echo(f"{out}: {_count(files, 'schema')}, {written} written, {len(files) - written} unchanged")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Start a new playbook project: mkdocs.yml, a small complete playbook/, templates/ and a README."""
    if directory.exists() and any(directory.iterdir()):
        raise click.ClickException(f"{directory} is not empty; choose a new or empty folder")
    files = [(str(source.relative_to(NEW_PROJECT)), source.read_bytes())
             for source in sorted(NEW_PROJECT.rglob("*")) if source.is_file()]
    files += [(f"schemas/{name}", text.encode("utf-8")) for name, text in schema_files().items()]
    # Built beside the folder and moved in whole, so a failure leaves no half project that init would then refuse.
    write_folder(directory, files, folders=("templates", "docs"))
    click.echo(f"{directory}: new playbook of examples; next: cd {directory} && playbook validate && mkdocs serve, "
               "then replace the examples in playbook/ with your program's own")


@main.group()
def new() -> None:
    """Start a new piece of content from a commented template."""


@new.command("story")
@click.argument("title")
@CONTENT
@click.option("--templates", default="templates", show_default=True, type=click.Path(path_type=Path))
def new_story(title: str, content: Path, templates: Path) -> None:
    """Write playbook/stories/<today>-<slug>.yml with every field explained; never overwrites."""
    today = dt.date.today()
    try:
        path = content / kinds.STORIES.file / f"{today.isoformat()}-{id_from_title(title)}.yml"
    except StarterError as error:
        raise click.ClickException(str(error)) from None
    if path.exists():
        raise click.ClickException(f"{path} already exists; choose another title or edit that file")
    text = render_starter(make_environment(templates), "story", title, today, _role_ids(content))
    write_new_file(path, text.encode("utf-8"))
    click.echo(f"{path}: new draft story; edit it, then run `playbook validate`")


def _new_record_command(word: str) -> click.Command:
    """`playbook new rule TITLE` and its siblings: one more record at the end of the kind's list file."""
    kind = kind_of(word)

    @click.command(word, help=f"Add a new {kind.noun} at the end of {kind.file}, every field explained; its id "
                   "comes from TITLE.")
    @click.argument("title")
    @CONTENT
    @click.option("--templates", default="templates", show_default=True, type=click.Path(path_type=Path))
    def command(title: str, content: Path, templates: Path) -> None:
        path, known = content / kind.file, Known.from_folder(content, Path.cwd())
        try:
            record_id = id_from_title(title)
            known.refuse_taken(record_id)
            record = render_starter(make_environment(templates), word, title, dt.date.today(), known.role_ids)
            data = appended(path, Path.cwd(), kind, record, record_id)
        except StarterError as error:
            raise click.ClickException(str(error)) from None
        write_files([(path, data)])
        click.echo(f"{path}: new {kind.noun} `{record_id}` at the end, with example text that `playbook validate` "
                   "reports until it is replaced; edit it, then run `playbook validate`")

    return command


for _word in STARTERS:
    if _word != "story":
        new.add_command(_new_record_command(_word))


def _role_ids(content: Path) -> list[str]:
    """The roles a new story may name; a playbook with errors gets the hint to look in roles.yml instead."""
    try:
        checked = check_playbook(content, Path.cwd(), Options(today=dt.date.today()))
    except PlaybookError:
        return []
    show_warnings(checked.warnings)
    return [role.id for role in checked.playbook.roles]


def _count(items: Sized, noun: str, nouns: str | None = None) -> str:
    return plural(len(items), noun, nouns)


if __name__ == "__main__":
    sys.exit(main())
