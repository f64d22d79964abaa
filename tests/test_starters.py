"""`playbook new <kind> TITLE` and the example text it leaves behind.

A list record is appended to its file as text: the bytes before it stay exactly as they were,
and the new item lines up with the file's own list. `playbook validate` then refuses a published
record whose prose is still the template's example, at the example's own `file:line:col`;
every position these tests expect is found in the file's text, never written down by hand.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from generator.cli import main, new
from generator.placeholders import ANY, examples
from generator.render import BUILTIN_TEMPLATES, make_environment
from generator.starters import STARTERS, StarterError, id_from_title, kind_of, render_starter, template_name

from .sitebuild import FIXTURE, REPO, tree_hash

LIST_WORDS = [word for word in STARTERS if not kind_of(word).folder]
FILES = {"rule": "rules.yml", "role": "roles.yml", "event": "events.yml", "meeting": "meetings.yml",
         "faq": "faq.yml"}
FIXTURE_ROLES = ["mentor", "leader"]  # the roles of tests/fixtures/minimal/playbook/roles.yml, in order
# Every example sentence of the templates, with what the message says the field wants. Read off
# templates/new-*.yml.j2 by hand, so the examples placeholders.py derives are checked, not echoed.
EXAMPLES: dict[str, dict[tuple[str, ...], tuple[str, str]]] = {
    "story": {
        ("summary",): ("Say in one sentence what changed, and for whom.",
                       "one or two sentences for cards, feeds and the newsletter"),
        ("body",): ("What was the situation before? What did the pair try? What changed, and what would you "
                    "tell the next pair?", "the story itself, in Markdown"),
    },
    "rule": {
        ("statement",): ("Say in one sentence who must or should do what, and when.",
                         "the rule itself, as one sentence"),
        ("rationale",): ("Say why the rule exists: what goes wrong without it, and what it gives the pair.",
                         "why the rule exists, in Markdown"),
    },
    "role": {
        ("who",): ("Say in one sentence who takes this role.", "who takes this role, in one sentence"),
        ("summary",): ("Say what the role is about, and what someone in it brings to the program.",
                       "what the role is about, in Markdown"),
        ("responsibilities", ANY): ("Say one thing someone in this role does; add a line for each.",
                                    "what the role does"),
        ("time_commitment",): ("Say how much time the role takes, such as 2 hours a month.",
                               "how much time the role takes, such as `2 hours a month`"),
    },
    "event": {
        ("description",): ("Say what happens at the event and who should come.", "what happens and who should come"),
    },
    "meeting": {
        ("purpose",): ("Say what the meeting is for, and what the pair should leave it with.",
                       "what the meeting is for, in Markdown"),
        ("agenda", ANY, "title"): ("Name this part of the meeting", "what happens, in a few words"),
        ("agenda", ANY, "detail"): ("Say how to run this part, in a sentence or two.",
                                    "how to run it, in a sentence or two"),
        ("preparation", ANY, "items", ANY): ("Say what this role prepares before the meeting.",
                                             "what that role prepares"),
    },
    "faq": {
        ("answer",): ("Answer the question in a few sentences, as you would to a colleague who asked it.",
                      "the answer, in Markdown"),
    },
}
# `playbook new faq "Why now?"`, whole, at the left edge: the one record whose text has no date or role.
FAQ_RECORD = """\
# A new question, added by `playbook new faq`. Replace the example answer with your own,
# then run `playbook validate`: it reports the example answer while it is still here.
- id: why-now  # the question's anchor on the FAQ page; lower case with dashes
  # The question, as people ask it.
  question: "Why now?"
  # The answer, in Markdown.
  answer: |
    Answer the question in a few sentences, as you would to a colleague who asked it.
  # internal (the intranet only) or external (also the public site).
  audience: internal
"""
# A faq.yml written by a person: its own comments, a blank line, a comment after the list.
FAQ_FILE = """\
# yaml-language-server: $schema=../schemas/faq.schema.json
# Questions people ask.   (odd spacing, kept as it is)

questions:
  # The one everybody asks.
  - id: first
    question: "First?"
    answer: The first answer.   # a trailing comment
    audience: internal
# The end of the list.
"""
REFUSED_LAYOUT = ("Error: playbook/faq.yml: a new question cannot be added at the end of the file, because "
                  "`questions:` is not its last list, written one `- ` item per line; add it by hand, or run "
                  "`playbook validate` to see what is wrong\n")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the minimal playbook, as the working directory, with the time zone events need."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    with (root / "playbook" / "program.yml").open("a", encoding="utf-8") as program:
        program.write("time_zone: Europe/Berlin\n")
    monkeypatch.chdir(root)
    return root


def _new(word: str, title: str) -> Result:
    return CliRunner().invoke(main, ["new", word, title])


def _added(word: str, title: str) -> str:
    """`playbook new WORD TITLE`, which must succeed; the new record's id, read from its message."""
    result = _new(word, title)
    assert result.exit_code == 0, result.output
    found = re.fullmatch(r"(\S+): new (draft story|\w+ `([a-z0-9-]+)` at the end).*\n", result.stdout)
    assert found, result.stdout
    return found[3] or ""


def _record(word: str, title: str, roles: list[str]) -> str:
    """The text a template writes for a record, at the left edge."""
    return textwrap.dedent(render_starter(make_environment(), word, title, dt.date.today(), roles))


def _story_file(title_slug: str) -> str:
    return f"playbook/stories/{dt.date.today().isoformat()}-{title_slug}.yml"


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """Line and column of a character, counted from 1 as editors do."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _find_once(text: str, pattern: str) -> int:
    found = [match.start() for match in re.finditer(pattern, text)]
    assert len(found) == 1, f"{pattern!r} is in the file {len(found)} times"
    return found[0]


def _words(example: str) -> str:
    """A pattern for the example's words with any spacing between them, as a rewrapped copy has."""
    return r"\s+".join(re.escape(word) for word in example.split())


def _value_place(text: str, example: str) -> tuple[int, int]:
    """Where the value holding `example` starts: the text itself, or the `|` of a block scalar whose text it is."""
    line, column = _line_col(text, _find_once(text, _words(example)))
    lines = text.splitlines()
    before = lines[line - 2].rstrip()
    if not lines[line - 1][:column - 1].strip() and before.endswith(("|", ">")):
        return line - 1, len(before)
    return line, column


def _id_place(text: str, record_id: str) -> str:
    line, column = _line_col(text, _find_once(text, rf"(?<=- id: ){re.escape(record_id)}\b"))
    return f"{line}:{column}"


def _label(path: tuple[str, ...]) -> str:
    """`agenda[1].title`: a field's path as messages show it, for the first item of each list."""
    return "".join("[1]" if part == ANY else f".{part}" for part in path).lstrip(".")


def _example_errors(project: Path, word: str, shown: str, record_id: str) -> list[tuple[str, int, int, str]]:
    """Each example left in one new record, as `playbook validate` must report it, found in the file's text."""
    kind = kind_of(word)
    text = (project / shown).read_text(encoding="utf-8")
    prefix = "" if kind.folder else f"{kind.name}[{record_id}]."
    errors = []
    for path, (example, hint) in EXAMPLES[word].items():
        line, column = _value_place(text, example)
        errors.append((shown, line, column, f"{prefix}{_label(path)}: `{_label(path)}` still holds the example "
                       f"text from `playbook new {word}`; write your own: {hint}"))
    return errors


def _report(errors: list[tuple[str, int, int, str]]) -> list[str]:
    """The lines `playbook validate` prints for these errors: in file order, then the count."""
    files = {shown for shown, *_ in errors}
    noun = "error" if len(errors) == 1 else "errors"
    return ([f"{shown}:{line}:{column}: {message}" for shown, line, column, message in sorted(errors)]
            + [f"{len(errors)} {noun} in {len(files)} file{'' if len(files) == 1 else 's'}"])


def _validate() -> Result:
    return CliRunner().invoke(main, ["validate"])


# The words, their templates and their examples


def test_every_word_is_a_command_with_its_template():
    assert set(new.commands) == set(STARTERS)
    assert set(EXAMPLES) == set(STARTERS)
    for word in STARTERS:
        assert (BUILTIN_TEMPLATES / template_name(word)).is_file(), word


@pytest.mark.parametrize("word", sorted(STARTERS))
def test_every_word_has_its_examples(word):
    found = examples()[kind_of(word).name]
    assert found, f"`playbook new {word}` writes no example text that validate would catch"
    assert all(example.text and example.word == word for example in found)
    assert {example.path: (example.text, example.hint) for example in found} == EXAMPLES[word]


@pytest.mark.parametrize("word", sorted(STARTERS))
def test_every_example_stands_in_the_text_its_template_writes(word):
    text = render_starter(make_environment(), word, "Some title", dt.date(2030, 6, 7), ["some-role"])
    for example, _ in EXAMPLES[word].values():
        _find_once(text, _words(example))


# Ids from titles


@pytest.mark.parametrize(("title", "expected"), [
    ("What a driver taught us!", "what-a-driver-taught-us"),
    ("  Meet   monthly  ", "meet-monthly"),
    ("Café Über alles", "cafe-uber-alles"),
    ("2027 kick-off: day 1", "2027-kick-off-day-1"),
    ("one two three four five six seven eight", "one-two-three-four-five-six"),
    ("Story", "story"),  # the word slugify falls back on, here really the title
])
def test_id_from_title(title, expected):
    assert id_from_title(title) == expected


@pytest.mark.parametrize("title", ["!!!", "", "   ", "— ? —", "ストーリー"])
def test_id_from_title_refuses_a_title_without_letters(title):
    with pytest.raises(StarterError) as raised:
        id_from_title(title)
    assert str(raised.value) == f"`{title}` has no letters a–z or digits to make an id from; give a title with a few words in Latin letters"


@pytest.mark.parametrize("word", [*LIST_WORDS, "story"])
def test_new_refuses_a_title_without_letters_and_writes_nothing(project, word):
    before = tree_hash(project)
    result = _new(word, "!!!")
    assert result.exit_code == 1
    assert result.output == "Error: `!!!` has no letters a–z or digits to make an id from; give a title with a few words in Latin letters\n"
    assert tree_hash(project) == before


@pytest.mark.parametrize("word", LIST_WORDS)
def test_the_new_record_gets_its_id_from_the_title(project, word):
    result = _new(word, "What a driver taught us!")
    assert result.exit_code == 0, result.output
    kind = kind_of(word)
    assert result.stdout == (f"playbook/{FILES[word]}: new {kind.noun} `what-a-driver-taught-us` at the end, with "
                             "example text that `playbook validate` reports until it is replaced; edit it, then run "
                             "`playbook validate`\n")
    items = yaml.safe_load((project / "playbook" / FILES[word]).read_text(encoding="utf-8"))[kind.name]
    assert items[-1]["id"] == "what-a-driver-taught-us"
    assert items[-1]["question" if word == "faq" else "title"] == "What a driver taught us!"


def test_a_title_with_quotes_and_a_colon_is_written_as_one_yaml_string(project):
    title = 'Say "no": why \\ and # matter'
    assert _added("faq", title) == "say-no-why-and-matter"
    items = yaml.safe_load((project / "playbook" / "faq.yml").read_text(encoding="utf-8"))["questions"]
    assert items[-1]["question"] == title


# Appending as text


def test_the_file_keeps_its_bytes_and_gets_the_record_at_the_end(project):
    path = project / "playbook" / "faq.yml"
    path.write_text(FAQ_FILE, encoding="utf-8")
    assert _added("faq", "Why now?") == "why-now"
    assert path.read_text(encoding="utf-8") == FAQ_FILE + "\n" + textwrap.indent(FAQ_RECORD, "  ")
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    assert [item["id"] for item in items] == ["first", "why-now"]
    assert items[0] == {"id": "first", "question": "First?", "answer": "The first answer.", "audience": "internal"}


def _faq_list(indent: str) -> str:
    return textwrap.indent("- id: first\n  question: \"First?\"\n  answer: One.\n", indent)


# (name, the file before, the bytes `playbook new faq "Why now?"` must add)
LAYOUTS = [
    ("at column 0", f"questions:\n{_faq_list('')}", "\n" + FAQ_RECORD),
    ("indented by 2", f"questions:\n{_faq_list('  ')}", "\n" + textwrap.indent(FAQ_RECORD, "  ")),
    ("indented by 4", f"questions:\n{_faq_list('    ')}", "\n" + textwrap.indent(FAQ_RECORD, "    ")),
    ("no newline at the end", f"questions:\n{_faq_list('  ')}".rstrip("\n"),
     "\n\n" + textwrap.indent(FAQ_RECORD, "  ")),
    ("a comment first", f"# Questions.\nquestions:\n  # the first\n{_faq_list('  ')}",
     "\n" + textwrap.indent(FAQ_RECORD, "  ")),
    ("an empty key", "questions:\n", "\n" + textwrap.indent(FAQ_RECORD, "  ")),
]


@pytest.mark.parametrize(("before", "added"), [case[1:] for case in LAYOUTS], ids=[case[0] for case in LAYOUTS])
def test_the_new_item_lines_up_with_the_list(project, before, added):
    path = project / "playbook" / "faq.yml"
    path.write_bytes(before.encode("utf-8"))
    _added("faq", "Why now?")
    assert path.read_bytes() == (before + added).encode("utf-8")
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["questions"][-1]["id"] == "why-now"


def test_a_windows_file_stays_crlf(project):
    path = project / "playbook" / "faq.yml"
    before = FAQ_FILE.replace("\n", "\r\n").encode("utf-8")
    path.write_bytes(before)
    _added("faq", "Why now?")
    data = path.read_bytes()
    assert data == before + ("\n" + textwrap.indent(FAQ_RECORD, "  ")).replace("\n", "\r\n").encode("utf-8")
    assert re.search(rb"(?<!\r)\n", data) is None, "a bare LF in a CRLF file"
    assert [item["id"] for item in yaml.safe_load(data)["questions"]] == ["first", "why-now"]


def test_a_windows_file_without_a_last_line_end_stays_crlf(project):
    path = project / "playbook" / "faq.yml"
    before = f"questions:\r\n{_faq_list('  ')}".rstrip("\n").replace("\n", "\r\n").encode("utf-8")
    path.write_bytes(before)
    _added("faq", "Why now?")
    data = path.read_bytes()
    assert data == before + ("\n\n" + textwrap.indent(FAQ_RECORD, "  ")).replace("\n", "\r\n").encode("utf-8")
    assert re.search(rb"(?<!\r)\n", data) is None


def test_a_byte_order_mark_is_kept(project):
    path = project / "playbook" / "faq.yml"
    before = "\ufeff" + FAQ_FILE
    path.write_bytes(before.encode("utf-8"))
    _added("faq", "Why now?")
    assert path.read_bytes() == (before + "\n" + textwrap.indent(FAQ_RECORD, "  ")).encode("utf-8")


@pytest.mark.parametrize("word", LIST_WORDS)
def test_every_kind_is_appended_after_the_files_own_bytes(project, word):
    """rules.yml and roles.yml come from the fixture; the rest from a file with one comment."""
    path = project / "playbook" / FILES[word]
    if not path.exists():
        path.write_text(f"# Written by hand.\n{kind_of(word).name}:\n", encoding="utf-8")
    before = path.read_bytes()
    _added(word, "Brand new one")
    assert path.read_bytes() == before + ("\n" + textwrap.indent(_record(word, "Brand new one", FIXTURE_ROLES),
                                                                 "  ")).encode("utf-8")


def test_a_new_rule_names_the_playbooks_roles(project):
    _added("rule", "Brand new one")
    text = (project / "playbook" / "rules.yml").read_text(encoding="utf-8")
    assert "    # The roles the rule binds, by their id in roles.yml (mentor, leader).\n" in text
    assert "    applies_to: [mentor]\n    # The role" in text
    assert "    owner: mentor\n" in text
    assert f"    last_reviewed: {dt.date.today().isoformat()}\n" in text


def test_a_broken_roles_file_gives_the_placeholder_role(project):
    (project / "playbook" / "roles.yml").write_text("roles:\n  - id: mentor\n   title: [x\n", encoding="utf-8")
    _added("rule", "Brand new one")
    text = (project / "playbook" / "rules.yml").read_text(encoding="utf-8")
    assert "(see roles.yml)" in text
    assert "    applies_to: [role-id]\n" in text


@pytest.mark.parametrize("word", LIST_WORDS)
def test_a_missing_file_is_started_with_its_schema_line(project, word):
    kind, path = kind_of(word), project / "playbook" / FILES[word]
    path.unlink(missing_ok=True)
    _added(word, "Brand new one")
    modeline = f"# yaml-language-server: $schema=../schemas/{FILES[word].removesuffix('.yml')}.schema.json\n"
    assert path.read_text(encoding="utf-8") == modeline + f"{kind.name}:\n" + _record(word, "Brand new one", [
        role for role in FIXTURE_ROLES if word != "role"])
    # The same line `playbook init` writes, naming a schema that exists beside the content folder.
    init_file = REPO / "generator" / "new_project" / "playbook" / FILES[word]
    assert init_file.read_text(encoding="utf-8").splitlines()[0] == modeline.rstrip("\n")
    assert (REPO / "playbook" / modeline.split("=", 1)[1].strip()).resolve().is_file()


def test_a_missing_faq_file_is_exactly_the_schema_line_the_key_and_the_record(project):
    _added("faq", "Why now?")
    assert (project / "playbook" / "faq.yml").read_bytes() == (
        "# yaml-language-server: $schema=../schemas/faq.schema.json\nquestions:\n" + FAQ_RECORD).encode("utf-8")


# Refusals: one line each, nothing written


@pytest.mark.parametrize(("word", "title", "taken_in", "noun", "record_id"), [
    ("rule", "Meet monthly", "rules.yml", "rule", "meet-monthly"),  # the same kind
    ("faq", "Mentor", "roles.yml", "role", "mentor"),  # another kind
    ("role", "Meet monthly!", "rules.yml", "rule", "meet-monthly"),
])
def test_an_id_already_used_anywhere_is_refused(project, word, title, taken_in, noun, record_id):
    before = tree_hash(project)
    result = _new(word, title)
    text = (project / "playbook" / taken_in).read_text(encoding="utf-8")
    assert result.exit_code == 1
    assert result.output == (f"Error: id `{record_id}` is already used by the {noun} at playbook/{taken_in}:"
                             f"{_id_place(text, record_id)}; choose another title, or edit that {noun}\n")
    assert tree_hash(project) == before


def test_an_id_in_a_kind_without_a_starter_is_taken_too(project):
    # Not a valid pitfall (it lacks most fields), but its id is read all the same.
    pitfalls = "pitfalls:\n  - title: Late starts\n    id: late-starts\n"
    (project / "playbook" / "pitfalls.yml").write_text(pitfalls, encoding="utf-8")
    result = _new("event", "Late starts")
    line, column = _line_col(pitfalls, pitfalls.index("late-starts"))
    assert result.exit_code == 1
    assert result.output == (f"Error: id `late-starts` is already used by the pitfall at playbook/pitfalls.yml:"
                             f"{line}:{column}; choose another title, or edit that pitfall\n")


def test_the_same_title_twice_is_refused_the_second_time(project):
    _added("faq", "Why now?")
    path = project / "playbook" / "faq.yml"
    after_first = path.read_bytes()
    result = _new("meeting", "Why now")
    assert result.exit_code == 1
    assert result.output == (f"Error: id `why-now` is already used by the question at playbook/faq.yml:"
                             f"{_id_place(after_first.decode(), 'why-now')}; choose another title, or edit that "
                             "question\n")
    assert path.read_bytes() == after_first
    assert not (project / "playbook" / "meetings.yml").exists()


def test_broken_yaml_is_one_line_and_writes_nothing(project):
    path = project / "playbook" / "rules.yml"
    broken = "rules:\n  - id: meet-monthly\n   title: [Meet every month\n"
    path.write_text(broken, encoding="utf-8")
    before = tree_hash(project)
    result = _new("rule", "Brand new one")
    line, column = _line_col(broken, broken.index("title"))  # where the list item's indentation goes wrong
    assert result.exit_code == 1
    assert result.output == (f"Error: playbook/rules.yml:{line}:{column}: YAML syntax error: did not find expected "
                             "'-' indicator; fix that first, then add the new record\n")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert tree_hash(project) == before


@pytest.mark.parametrize("before", [
    "questions: [{id: first, question: First?, answer: One.}]\n",  # a flow list
    "questions: []\n",
    f"questions:\n{_faq_list('  ')}audience_note: the list is not last\n",
    f"questions:\n{_faq_list('  ')}...\n",  # the document ends before the end of the file
], ids=["flow list", "empty flow list", "another key after", "document end"])
def test_a_list_that_cannot_take_one_more_item_is_refused(project, before):
    path = project / "playbook" / "faq.yml"
    path.write_text(before, encoding="utf-8")
    result = _new("faq", "Why now?")
    assert result.exit_code == 1
    assert result.output == REFUSED_LAYOUT
    assert path.read_text(encoding="utf-8") == before


# `playbook validate` after `playbook new`


def _new_of_every_kind(project: Path) -> dict[str, tuple[str, str]]:
    """One new record of every kind; by word, the file it is in and its id."""
    made = {}
    for word in STARTERS:
        record_id = _added(word, f"Our {word} for tests")
        made[word] = (_story_file(f"our-{word}-for-tests") if word == "story" else f"playbook/{FILES[word]}",
                      record_id)
    return made


def _publish(project: Path, shown: str) -> None:
    path = project / shown
    text = path.read_text(encoding="utf-8")
    assert text.count("\nstatus: draft\n") == 1
    path.write_text(text.replace("\nstatus: draft\n", "\nstatus: published\n"), encoding="utf-8")


def test_validate_reports_every_example_left_at_its_place(project):
    made = _new_of_every_kind(project)
    _publish(project, made["story"][0])
    result = _validate()
    expected = [error for word, (shown, record_id) in made.items()
                for error in _example_errors(project, word, shown, record_id)]
    assert result.exit_code == 1
    assert result.stderr.splitlines() == _report(expected)
    assert "Traceback" not in result.output


def test_a_draft_keeps_its_examples(project):
    made = _new_of_every_kind(project)
    result = _validate()
    expected = [error for word, (shown, record_id) in made.items() if word != "story"
                for error in _example_errors(project, word, shown, record_id)]
    assert result.exit_code == 1
    assert result.stderr.splitlines() == _report(expected)


@pytest.mark.parametrize("word", [word for word in STARTERS if "status" in kind_of(word).model.model_fields])
def test_a_new_draft_alone_is_valid_and_published_it_is_not(project, word):
    record_id = _added(word, "A draft for now")
    shown = _story_file("a-draft-for-now") if kind_of(word).folder else f"playbook/{FILES[word]}"
    result = _validate()
    assert result.exit_code == 0, result.output
    assert result.stdout == "playbook: the playbook is valid (2 roles, 1 rule, 2 posts)\n"
    _publish(project, shown)
    result = _validate()
    assert result.exit_code == 1
    assert result.stderr.splitlines() == _report(_example_errors(project, word, shown, record_id))


def test_every_kind_with_a_status_is_checked():
    """The draft test above is not empty: at least stories can be drafts."""
    assert [word for word in STARTERS if "status" in kind_of(word).model.model_fields] == ["story"]


def test_replacing_every_example_makes_the_playbook_valid(project):
    made = _new_of_every_kind(project)
    _publish(project, made["story"][0])
    for word, (shown, _) in made.items():
        path = project / shown
        text = path.read_text(encoding="utf-8")
        for example, _ in EXAMPLES[word].values():
            text = re.sub(_words(example), "Our own words, written for this program.", text)
        path.write_text(text, encoding="utf-8")
    result = _validate()
    assert result.exit_code == 0, result.output
    assert result.stdout == "playbook: the playbook is valid (3 roles, 2 rules, 2 posts)\n"


def test_a_rewrapped_example_is_still_the_example(project):
    record_id = _added("rule", "Rewrapped rule")
    path = project / "playbook" / "rules.yml"
    statement, _ = EXAMPLES["rule"][("statement",)]
    rationale, _ = EXAMPLES["rule"][("rationale",)]
    text = path.read_text(encoding="utf-8")
    text = text.replace(f"statement: {statement}\n", "statement: Say in one sentence who must\n"
                        "      or   should do what,\n      and when.\n")
    text = text.replace(f"rationale: |\n      {rationale}\n", "rationale: >\n        Say why the rule exists:\n"
                        "        what goes wrong without it,\n\n        and what it gives the pair.\n")
    path.write_text(text, encoding="utf-8")
    assert statement not in text and rationale not in text  # the rewrap really happened
    result = _validate()
    assert result.exit_code == 1
    assert result.stderr.splitlines() == _report(_example_errors(project, "rule", "playbook/rules.yml", record_id))


def test_an_example_in_a_later_list_item_is_found_there(project):
    """The template says to copy an agenda block for each part; a copy left as it was is reported as such."""
    record_id = _added("meeting", "Copied blocks")
    path = project / "playbook" / "meetings.yml"
    text = path.read_text(encoding="utf-8")
    (title, title_hint), (detail, detail_hint) = (EXAMPLES["meeting"][("agenda", ANY, part)]
                                                  for part in ("title", "detail"))
    block = f"    - minutes: 30\n      # What happens, in a few words.\n      title: {title}\n"
    assert text.count(block) == 1
    text = text.replace(block, "    - minutes: 10\n      title: Catch up\n      detail: Each says one thing.\n"
                        + block.replace("minutes: 30", "minutes: 20"))
    for example, _ in (EXAMPLES["meeting"][("purpose",)], EXAMPLES["meeting"][("preparation", ANY, "items", ANY)]):
        text = text.replace(example, "Our own words, written for this program.")
    path.write_text(text, encoding="utf-8")
    result = _validate()
    expected = [("playbook/meetings.yml", *_value_place(text, example), f"meetings[{record_id}].agenda[2].{part}: "
                 f"`agenda[2].{part}` still holds the example text from `playbook new meeting`; write your own: {hint}")
                for part, example, hint in (("title", title, title_hint), ("detail", detail, detail_hint))]
    assert result.exit_code == 1
    assert result.stderr.splitlines() == _report(expected)


def test_an_example_with_one_word_changed_is_the_writers_own(project):
    record_id = _added("rule", "Changed rule")
    path = project / "playbook" / "rules.yml"
    text = path.read_text(encoding="utf-8").replace("who must or should do what, and when.",
                                                    "who must or should do what, and why.")
    path.write_text(text, encoding="utf-8")
    result = _validate()
    rationale, hint = EXAMPLES["rule"][("rationale",)]
    line, column = _value_place(text, rationale)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == _report([("playbook/rules.yml", line, column, (
        f"rules[{record_id}].rationale: `rationale` still holds the example text from `playbook new rule`; "
        f"write your own: {hint}"))])


def test_the_fixtures_own_records_hold_no_examples(project):
    """The check has no false alarm on records people wrote: the copy validates as it is."""
    result = _validate()
    assert result.exit_code == 0, result.output
    assert result.stdout == "playbook: the playbook is valid (2 roles, 1 rule, 1 post)\n"


def test_a_last_record_ending_in_a_kept_block_keeps_its_text(project):
    """`|+` keeps trailing blank lines, so the usual blank line before the new record would join the answer."""
    faq = project / "playbook" / "faq.yml"
    faq.write_text("questions:\n  - id: a\n    question: Q?\n    answer: |+\n      A.\n", encoding="utf-8")
    before = yaml.safe_load(faq.read_text(encoding="utf-8"))["questions"][0]
    assert _new("faq", "Why?").exit_code == 0
    after = yaml.safe_load(faq.read_text(encoding="utf-8"))["questions"]
    assert after[0] == before
    assert [q["id"] for q in after] == ["a", "why"]
