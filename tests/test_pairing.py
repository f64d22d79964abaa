"""`playbook match`: the participants file checked like YAML, the rules of a pair, the best assignment
(against brute force), the reasons given, and a proposal that never lands where the site is built."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import random
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import urls
from generator.cli import main
from generator.errors import PlaybookError
from generator.models import Matching
from generator.outputs import Options
from generator.pairing import Fit, RequestError, propose_pairs
from generator.participants import COLUMNS, read_roster
from generator.proposal import proposal_csv
from generator.publish import build_playbook

from .sitebuild import built_files, mkdocs_build

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "pairing" / "participants.csv"
MATCHING = Matching(mentor_role="reverse-mentor", leader_role="mentee-leader", leader_learns=3, mentor_learns=1,
                    same_site=1, shared_time=1)


def person(id: str, role: str = "reverse-mentor", **fields: str) -> dict[str, str]:
    """A row that breaks no rule with any other made here, unless a test says otherwise."""
    row = {"id": id, "name": f"Name {id}", "role": role, "department": f"Dept {id}", "site": "Leeds",
           "manager_id": "", "skills_offered": "video", "skills_wanted": "video", "languages": "English",
           "availability": ""}
    return {**row, **fields}


def mentor(id: str, **fields: str) -> dict[str, str]:
    return person(id, "reverse-mentor", **fields)


def leader(id: str, **fields: str) -> dict[str, str]:
    return person(id, "mentee-leader", **fields)


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def propose(tmp_path: Path, rows: list[dict[str, str]], matching: Matching = MATCHING, **options):
    return propose_pairs(read_roster(write_csv(tmp_path / "participants.csv", rows), matching), matching, **options)


def pairs_of(proposal) -> set[tuple[str, str]]:
    return {(pair.mentor.id, pair.leader.id) for pair in proposal.pairs}


# --- The participants file ---------------------------------------------------------------------------------------

def test_every_mistake_in_the_participants_file_is_reported_with_its_cell_in_one_run(tmp_path):
    path = tmp_path / "participants.csv"
    header = "id,name,role,department,site,manager_id,skills_offered,skills_wanted,languages,availabilty"
    path.write_text(header + "\nm1,Ann,reverse-mentor,IT,Leeds,,video,budgets,English,\n", encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        read_roster(path, MATCHING)
    assert caught.value.report().splitlines() == [
        f"{path}:1:{header.index('availabilty') + 1}: unknown column `availabilty`; did you mean `availability`?",
        "1 error in 1 file"]


def test_rows_are_checked_cell_by_cell_with_line_and_column(tmp_path):
    path = tmp_path / "participants.csv"
    path.write_text(
        "id,name,role,department,site,manager_id,skills_offered,skills_wanted,languages\n"
        "m1,Ann,reverse-mentor,IT,Leeds,,video,budgets,English\n"
        "m1,Bo,reverse-mentr,IT,Leeds,,video,budgets,English\n"
        "m 3,,reverse-mentor,IT,Leeds,m3,,budgets,\n"
        "l1,Cy,mentee-leader,Sales,York,l2,budgets,video,English\n"
        "l2,Di,mentee-leader,Sales,York,l1,budgets,video,English\n"
        "l3,\"Eve\nSmith\",mentee-leader,Ops,York,,budgets,\"video;\",English\n"
        "l4,Flo,mentee-leader,Ops,York,,budgets\n"
        "m5,Gus,reverse-mentor,Ops,York,,,video,English\n", encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        read_roster(path, MATCHING)
    assert caught.value.report().splitlines() == [
        f"{path}:3:1: id `m1` is already used on line 2",
        f"{path}:3:7: role: `reverse-mentr` is not a role that is matched; use `reverse-mentor` or `mentee-leader`; "
        "did you mean `reverse-mentor`?",
        f"{path}:4:1: id: `m 3` is not an id; use letters, digits, `.`, `_` and `-`, such as `e1042` or `ana.diaz`",
        f"{path}:4:5: name: is empty; the person's name, for the proposal.",
        f"{path}:4:42: languages: is empty; the languages they can hold a session in, separated by `;`; partners "
        "share at least one.",
        f"{path}:5:32: manager_id: the reporting line goes round in a circle: l1 → l2 → l1",
        # The quoted name of l3 runs over two lines, so l4 is on line 9.
        f"{path}:9:1: this row has 7 cells, the header has 9; put a list of values in one cell, separated by `;`",
        f"{path}:10:33: skills_offered: is empty; a reverse mentor needs at least one, since pairs are matched on "
        "what one can teach and the other wants to learn",
        "8 errors in 1 file"]


def test_the_header_refuses_age_and_names_missing_columns(tmp_path):
    path = tmp_path / "participants.csv"
    header = "id,name,role,Age,department,site,manager_id,skills_offered,skills_wanted"
    path.write_text(header + "\n", encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        read_roster(path, MATCHING)
    assert caught.value.report().splitlines() == [
        f"{path}:1:1: missing column `languages`; the header row needs {', '.join(COLUMNS)}",
        f"{path}:1:{header.index('Age') + 1}: remove the column `Age`: pairs are matched on what one can teach and the other wants to "
        "learn, never on age",
        "2 errors in 1 file"]


def test_a_file_saved_with_semicolons_is_explained(tmp_path):
    path = tmp_path / "participants.csv"
    path.write_text("id;name;role\nm1;Ann;reverse-mentor\n", encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        read_roster(path, MATCHING)
    assert str(caught.value.problems[0]) == (f"{path}:1:1: the columns are separated by `;`; save the file as CSV "
                                             "with commas (in a spreadsheet, “CSV UTF-8”)")


def test_a_wish_nobody_offers_is_a_warning_with_the_likely_spelling(tmp_path):
    path = write_csv(tmp_path / "p.csv", [mentor("m1", skills_offered="social media"),
                                          leader("l1", skills_wanted="socal media; budgets")])
    roster = read_roster(path, MATCHING)
    line = path.read_text(encoding="utf-8").splitlines()[2]
    column = line.index("socal media") + 1
    assert [str(w) for w in roster.warnings] == [
        f"{path}:3:{column}: warning: skills_wanted: nobody who could be their partner offers `socal media`; did you "
        "mean `social media`?",
        f"{path}:3:{column}: warning: skills_wanted: nobody who could be their partner offers `budgets`"]


def test_the_example_file_reads_and_its_one_unmet_wish_is_warned_about():
    roster = read_roster(EXAMPLE, MATCHING)
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    assert len(roster.mentors) + len(roster.leaders) == len(lines) - 1
    [warning] = roster.warnings
    line = lines[warning.location.line - 1]
    assert "warehouse robotics" in line and line[warning.location.column - 1:].startswith("warehouse robotics")


# --- The rules of a pair -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("mentor_fields", "leader_fields"), [
    pytest.param({"manager_id": "l1"}, {}, id="the mentor reports to the leader"),
    pytest.param({}, {"manager_id": "m1"}, id="the leader reports to the mentor"),
    pytest.param({"manager_id": "x1"}, {}, id="further up the line"),
    pytest.param({"department": "Sales"}, {"department": "sales "}, id="same department"),
    pytest.param({"languages": "Polish"}, {"languages": "English; German"}, id="no shared language"),
    pytest.param({"availability": "Mon am"}, {"availability": "Tue am"}, id="no shared free time"),
    pytest.param({"skills_offered": "video"}, {"skills_wanted": "budgets"}, id="nothing to teach"),
])
def test_a_pair_that_breaks_a_rule_is_never_proposed_however_well_it_scores(tmp_path, mentor_fields, leader_fields):
    """m1 and l1 would be the best pair by far; the rule must leave l1 with the weaker m2."""
    best = {"skills_offered": "a; b; c; video; budgets", "skills_wanted": "a; b; c", "site": "York"}
    rows = [mentor("m1", **{**best, **mentor_fields}), leader("l1", **{**best, **leader_fields}),
            mentor("m2", skills_offered="a; video; budgets"),
            # x1 is l1's report and m1's manager: l1 is above m1, two steps up.
            mentor("x1", manager_id="l1", languages="Welsh")]
    proposal = propose(tmp_path, rows)
    assert ("m1", "l1") not in pairs_of(proposal)
    assert ("m2", "l1") in pairs_of(proposal)


def test_an_org_chart_traces_a_reporting_line_through_managers_who_are_not_participants(tmp_path):
    """m1's manager t1 is no participant; only the org chart says that t1 reports to l1."""
    rows = [mentor("m1", manager_id="t1", skills_offered="a; b"), leader("l1", skills_wanted="a; b"),
            mentor("m2", skills_offered="a"), leader("l2", skills_wanted="a")]
    participants = write_csv(tmp_path / "participants.csv", rows)
    assert pairs_of(propose_pairs(read_roster(participants, MATCHING), MATCHING)) == {("m1", "l1"), ("m2", "l2")}
    org = tmp_path / "org.csv"
    # The chart names another manager for m1 than the participants file does: both lines count.
    org.write_text("id,manager_id\nm1,t9\nt1,t2\nt2,l1\nl1,\n", encoding="utf-8")
    roster = read_roster(participants, MATCHING, org)
    assert roster.managers["m1"] == {"t1", "t9"}
    assert pairs_of(propose_pairs(roster, MATCHING)) == {("m1", "l2"), ("m2", "l1")}


def test_an_org_chart_is_checked_cell_by_cell_too(tmp_path):
    participants = write_csv(tmp_path / "participants.csv", [mentor("m1"), leader("l1")])
    org = tmp_path / "org.csv"
    org.write_text("id,manager_id\nm1,t1\nt1,t2\nt2,t1\nt 3,\nm1,\n", encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        read_roster(participants, MATCHING, org)
    assert caught.value.report().splitlines() == [
        f"{org}:3:4: manager_id: the reporting line goes round in a circle: t1 → t2 → t1",
        f"{org}:5:1: id: `t 3` is not an id; use letters, digits, `.`, `_` and `-`, such as `e1042` or `ana.diaz`",
        f"{org}:6:1: id `m1` is already used on line 2",
        "3 errors in 1 file"]
    org.write_text("id,boss\n", encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        read_roster(participants, MATCHING, org)
    assert caught.value.report().splitlines() == [
        f"{org}:1:1: missing column `manager_id`; the header row needs id, manager_id",
        f"{org}:1:4: unknown column `boss`; the columns are id, manager_id",
        "2 errors in 1 file"]


def test_the_same_department_may_pair_when_the_program_allows_it(tmp_path):
    rows = [mentor("m1", department="Sales"), leader("l1", department="Sales")]
    assert pairs_of(propose(tmp_path, rows)) == set()
    allowed = MATCHING.model_copy(update={"same_department": "allowed"})
    assert pairs_of(propose(tmp_path, rows, allowed)) == {("m1", "l1")}


def test_each_pair_says_what_it_has_going_for_it(tmp_path):
    rows = [mentor("m1", skills_offered="Social media; video", skills_wanted="budgets", availability="Tue am"),
            leader("l1", skills_wanted="video; social  media; hiring", skills_offered="budgets; strategy",
                   availability="tue am; Thu pm")]
    [pair] = propose(tmp_path, rows).pairs
    assert pair.why == ("Name l1 learns video, social  media; Name m1 learns budgets; both at Leeds; "
                        "both free tue am")
    assert pair.score == 2 * MATCHING.leader_learns + MATCHING.mentor_learns + MATCHING.same_site + \
        MATCHING.shared_time


# --- The best assignment ------------------------------------------------------------------------------------------

SKILLS = ["a", "b", "c", "d"]


@st.composite
def small_rosters(draw):
    def some(items):
        return "; ".join(draw(st.lists(st.sampled_from(items), max_size=3, unique=True)))

    rows = []
    for role, prefix in (("reverse-mentor", "m"), ("mentee-leader", "l")):
        for n in range(draw(st.integers(1, 5))):
            rows.append(person(f"{prefix}{n}", role, department=draw(st.sampled_from(["D1", "D2", "D3"])),
                               site=draw(st.sampled_from(["S1", "S2"])), skills_offered=some(SKILLS) or "a",
                               skills_wanted=some(SKILLS) or "b", languages=some(["en", "de"]) or "en",
                               availability=some(["mon", "tue"])))
    ids = [row["id"] for row in rows]
    for row in rows:
        row["manager_id"] = draw(st.sampled_from(["", "", *[i for i in ids if i < row["id"]]]))
    weights = {"leader_learns": draw(st.integers(0, 5)), "mentor_learns": draw(st.integers(0, 5)),
               "same_site": draw(st.integers(-3, 3)), "shared_time": draw(st.integers(0, 3))}
    return rows, MATCHING.model_copy(update=weights)


def brute_force(fit_possible, scores, mentors: int, leaders: int) -> tuple[int, int]:
    """The most pairs, then the highest total, over every way to pair the two sides."""
    best = (0, 0)
    for size in range(min(mentors, leaders), 0, -1):
        for chosen in itertools.combinations(range(mentors), size):
            for partners in itertools.permutations(range(leaders), size):
                if all(fit_possible[i][j] for i, j in zip(chosen, partners, strict=True)):
                    total = sum(scores[i][j] for i, j in zip(chosen, partners, strict=True))
                    best = max(best, (size, total))
        if best[0]:
            return best
    return best


@settings(max_examples=150, deadline=None)
@given(small_rosters())
def test_the_proposal_is_optimal_against_brute_force(tmp_path_factory, case):
    rows, matching = case
    folder = tmp_path_factory.mktemp("roster")
    roster = read_roster(write_csv(folder / "p.csv", rows), matching)
    fit = Fit.of(roster.mentors, roster.leaders, matching, roster.managers)
    proposal = propose_pairs(roster, matching)
    expected = brute_force(fit.possible.tolist(), fit.scores.tolist(), len(roster.mentors), len(roster.leaders))
    assert (len(proposal.pairs), proposal.total) == expected
    paired = {p.mentor.id for p in proposal.pairs} | {p.leader.id for p in proposal.pairs}
    assert {u.person.id for u in proposal.unmatched} == {row["id"] for row in rows} - paired


def test_more_pairs_beat_one_brilliant_pair(tmp_path):
    """m1-l1 alone scores far more than m1-l2 plus m2-l1, but leaves two people without a partner."""
    rows = [mentor("m1", skills_offered="a; b; c; d; e"), leader("l1", skills_wanted="a; b; c; d; e"),
            mentor("m2", skills_offered="a"), leader("l2", skills_wanted="e")]
    assert pairs_of(propose(tmp_path, rows)) == {("m1", "l2"), ("m2", "l1")}


def test_the_same_file_in_any_order_gives_the_same_proposal(tmp_path):
    rows = list(csv.DictReader(EXAMPLE.open(encoding="utf-8")))
    first = proposal_csv(propose(tmp_path, rows))
    for seed in range(5):
        random.Random(seed).shuffle(rows)
        assert proposal_csv(propose(tmp_path, rows)) == first


def test_fix_keeps_a_pair_and_avoid_forbids_one(tmp_path):
    rows = [mentor("m1", skills_offered="a; b"), leader("l1", skills_wanted="a; b"),
            mentor("m2", skills_offered="a"), leader("l2", skills_wanted="a")]
    assert pairs_of(propose(tmp_path, rows)) == {("m1", "l1"), ("m2", "l2")}
    fixed = propose(tmp_path, rows, fixed=[("l2", "m1")])
    assert pairs_of(fixed) == {("m1", "l2"), ("m2", "l1")}
    assert {pair.leader.id: pair.fixed for pair in fixed.pairs} == {"l1": False, "l2": True}
    assert pairs_of(propose(tmp_path, rows, avoided=[("m1", "l1")])) == {("m1", "l2"), ("m2", "l1")}


def test_a_fix_or_avoid_that_cannot_be_met_says_why(tmp_path):
    rows = [mentor("m1", manager_id="l1"), leader("l1"), mentor("m2", department="Dept l2"), leader("l2"),
            mentor("m3")]
    with pytest.raises(RequestError) as caught:
        propose(tmp_path, rows, fixed=[("m1", "l1"), ("m2", "l2"), ("m3", "m2"), ("m3", "x9")],
                avoided=[("l1", "zz")])
    assert str(caught.value).splitlines() == ["--avoid l1:zz: nobody in the participants file has the id `zz`"]
    with pytest.raises(RequestError) as caught:
        propose(tmp_path, rows, fixed=[("m1", "l1"), ("m2", "l2"), ("m3", "m2"), ("m3", "x9")])
    assert str(caught.value).splitlines() == [
        "--fix m3:m2: a pair needs one reverse-mentor and one mentee-leader",
        "--fix m3:x9: nobody in the participants file has the id `x9`"]
    with pytest.raises(RequestError) as caught:
        propose(tmp_path, rows, fixed=[("m1", "l1"), ("m2", "l2"), ("m3", "l2")], avoided=[("m3", "l2")])
    assert str(caught.value).splitlines() == [
        "--fix m1:l1: the pair breaks a rule: one is in the other's reporting line",
        "--fix m2:l2: the pair breaks a rule: both work in Dept l2",
        "--fix m3:l2: the same pair is ruled out with --avoid",
        "--fix: `l2` is fixed to more than one partner"]


def test_everyone_left_alone_is_told_why(tmp_path):
    rows = [mentor("m1", skills_offered="video"), mentor("m2", skills_offered="video", languages="Polish"),
            leader("l1", skills_wanted="video"), leader("l2", skills_wanted="robots", department="Dept m1"),
            mentor("m3", skills_offered="video", manager_id="l1")]
    proposal = propose(tmp_path, rows)
    assert pairs_of(proposal) == {("m1", "l1")}
    assert {alone.person.id: alone.why for alone in proposal.unmatched} == {
        "l2": "no reverse mentor can be their partner: of 3, 1 is in their department, 1 shares no language with "
              "them, 1 offers nothing they want to learn (robots)",
        "m2": "no mentee leader can be their partner: of 2, 2 share no language with them",
        "m3": "no mentee leader can be their partner: of 2, 1 is in their reporting line, 1 wants to learn nothing "
              "they offer (video)",
    }
    assert proposal_csv(proposal).splitlines()[2:] == [
        ",,l2,Name l2,,,\"no partner: no reverse mentor can be their partner: of 3, 1 is in their department, 1 "
        "shares no language with them, 1 offers nothing they want to learn (robots)\"",
        "m2,Name m2,,,,,\"no partner: no mentee leader can be their partner: of 2, 2 share no language with them\"",
        "m3,Name m3,,,,,\"no partner: no mentee leader can be their partner: of 2, 1 is in their reporting line, 1 "
        "wants to learn nothing they offer (video)\""]


def test_a_name_that_looks_like_a_formula_is_written_as_text(tmp_path):
    rows = [mentor("m1", name="=HYPERLINK(\"https://evil.example\",\"x\")"), leader("l1", name="@SUM(A1)")]
    table = list(csv.reader(io.StringIO(proposal_csv(propose(tmp_path, rows)))))
    assert table[1][1] == "'=HYPERLINK(\"https://evil.example\",\"x\")" and table[1][3] == "'@SUM(A1)"


# --- The command ---------------------------------------------------------------------------------------------------

def run(*args: str):
    return CliRunner().invoke(main, ["match", *args], catch_exceptions=False)


@pytest.fixture
def project(tmp_path, monkeypatch):
    shutil.copytree(REPO / "playbook", tmp_path / "playbook")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_match_writes_the_proposal_and_names_everyone_left_alone(project):
    result = run(str(EXAMPLE), "--out", "pairs.csv", "--fix", "e2012:e1112", "--org", str(EXAMPLE.with_name(
        "org-chart.csv")))
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader((project / "pairs.csv").open(encoding="utf-8")))
    pairs = [row for row in table if row["mentor_id"] and row["leader_id"]]
    alone = [row for row in table if not (row["mentor_id"] and row["leader_id"])]
    assert {"mentor_id": "e2012", "leader_id": "e1112", "fixed": "yes"}.items() <= next(
        row for row in pairs if row["leader_id"] == "e1112").items()
    total = sum(int(row["score"]) for row in pairs)
    summary = result.stdout.splitlines()
    assert summary[0] == f"pairs.csv: {len(pairs)} pairs (1 fixed), total score {total}; {len(alone)} people " \
                         "without a partner"
    assert summary[1:] == [f"  {row['mentor_id'] or row['leader_id']} {row['mentor'] or row['leader']}: "
                           f"{row['why'].removeprefix('no partner: ')}" for row in alone]
    assert "warehouse robotics" in result.stderr


def test_match_never_writes_where_the_site_is_built_from_or_into(project):
    for target in ("playbook/pairs.csv", "docs/pairs.csv", "site/pairs.csv"):
        result = run(str(EXAMPLE), "--out", target)
        assert result.exit_code == 2
        folder = target.split("/")[0]
        assert f"Invalid value for --out: {target} is inside {folder}/, which the site is built from or into; " \
               "write the proposal outside the repository" in result.output
        assert not (project / target).exists()
    shutil.copy(EXAMPLE, project / "applicants.csv")
    before = (project / "applicants.csv").read_bytes()
    result = run("applicants.csv", "--out", "applicants.csv")
    assert result.exit_code == 2 and "applicants.csv is one of the files read; name a new file" in result.output
    assert (project / "applicants.csv").read_bytes() == before


def test_match_reports_file_errors_and_bad_pairs_with_exit_1(project):
    broken = project / "broken.csv"
    broken.write_text(EXAMPLE.read_text(encoding="utf-8").replace("e1102,Helen Marsh,mentee-leader",
                                                                  "e1102,Helen Marsh,leader"), encoding="utf-8")
    result = run(str(broken), "--out", "pairs.csv")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{broken}:3:19: role: `leader` is not a role that is matched; use `reverse-mentor` or `mentee-leader`; "
        "did you mean `mentee-leader`?",
        "1 error in 1 file"]
    result = run(str(EXAMPLE), "--out", "pairs.csv", "--fix", "e2002:e1102", "--avoid", "e2002")
    assert result.exit_code == 2 and "`e2002` is not a pair; write the two ids as `e2012:e1112`" in result.output
    result = run(str(EXAMPLE), "--out", "pairs.csv", "--fix", "e2002:e1102")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "Error: --fix e2002:e1102: the pair breaks a rule: one is in the " \
                                             "other's reporting line; both work in Finance"
    assert not (project / "pairs.csv").exists()


def test_match_needs_the_programs_matching_settings(project):
    program = project / "playbook" / "program.yml"
    data = yaml.safe_load(program.read_text(encoding="utf-8"))
    del data["matching"]
    program.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run(str(EXAMPLE), "--out", "pairs.csv")
    assert result.exit_code == 1
    assert result.stderr == "Error: playbook/program.yml has no `matching:`; add one naming the two roles to pair, " \
                            "as the README's “Pairing” section shows\n"


def test_the_readme_documents_every_column_of_the_participants_file():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert [column for column in COLUMNS if f"| `{column}` |" not in readme] == []


# --- The matching page ---------------------------------------------------------------------------------------------

def build(root: Path = REPO, audience: str = "internal"):
    return build_playbook(root / "playbook", root, Options(today=dt.date(2026, 12, 5), audience=audience))


def test_the_matching_page_prints_the_programs_own_weights():
    made = build()
    matching = made.playbook.program.matching
    (page,) = [page for page in made.site.pages if page.path == urls.MATCHING]
    mentor, leader = (made.playbook.role(role).title.lower() for role in (matching.mentor_role, matching.leader_role))
    assert f"| thing the {leader} wants to learn that the {mentor} can teach | {matching.leader_learns} |" \
        in page.markdown
    assert f"| thing the {mentor} wants to learn that the {leader} can teach | {matching.mentor_learns} |" \
        in page.markdown
    example = 2 * matching.leader_learns + matching.mentor_learns
    assert f"scores {example} points, or {example + matching.same_site} at the same site." in page.markdown
    assert [f"- [{made.playbook.rule(rule).title}](rules/{rule}.md)" for rule in matching.rules] == \
        [line for line in page.markdown.splitlines() if line.startswith("- [")]
    assert ("How pairs are matched", "matching.md") in dict(made.site.nav)["Program"]


def test_without_matching_settings_there_is_no_page_and_an_external_page_needs_external_rules(tmp_path):
    shutil.copytree(REPO / "playbook", tmp_path / "playbook")
    program = tmp_path / "playbook" / "program.yml"
    data = yaml.safe_load(program.read_text(encoding="utf-8"))
    assert [page.path for page in build(audience="external").site.pages if page.path == urls.MATCHING] == \
        [urls.MATCHING], "the sample tells candidates how pairs are matched"
    data["matching"]["audience"] = "internal"
    program.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert not [page for page in build(tmp_path, "external").site.pages if page.path == urls.MATCHING]
    data["matching"]["audience"] = "external"
    program.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    # With every rule internal, only the matching page's links remain to refuse, once the forms and policies,
    # which link rules too, are gone.
    for name in ("forms.yml", "policies.yml"):
        (tmp_path / "playbook" / name).unlink()
    rules = tmp_path / "playbook" / "rules.yml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("audience: external", "audience: internal"),
                     encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        build(tmp_path, "external")
    assert [problem.message for problem in caught.value.problems] == [
        f"the external program `program` links to the internal rule `{rule}`, which the external site leaves out; "
        "make that rule external too, or remove the link" for rule in data["matching"]["rules"]]
    del data["matching"]["rules"]
    program.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert [page.path for page in build(tmp_path, "external").site.pages if page.path == urls.MATCHING] == \
        [urls.MATCHING]
    del data["matching"]
    program.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    made = build(tmp_path)
    assert not [page for page in made.site.pages if page.path == urls.MATCHING]
    assert "How pairs are matched" not in str(made.site.nav)


@pytest.mark.site
def test_no_participant_name_reaches_any_built_file(tmp_path, monkeypatch):
    """The example file and its proposal inside the project, where a coordinator might leave them."""
    project = tmp_path / "project"
    for name in ("playbook", "docs", "templates", "mkdocs.yml"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, project / name)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "web_editor: editor/cms", f"web_editor: {REPO / 'editor' / 'cms'}"), encoding="utf-8")
    (project / "pairing").mkdir()
    shutil.copy(EXAMPLE, project / "pairing" / "participants.csv")
    shutil.copy(EXAMPLE, project / "playbook" / "participants.csv")
    monkeypatch.chdir(project)
    assert run("pairing/participants.csv", "--out", "pairing/pairs.csv").exit_code == 0
    built = mkdocs_build(config, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    names = {row["name"] for row in csv.DictReader(EXAMPLE.open(encoding="utf-8"))}
    leaks = {(path.name, name) for path, text in built_files(tmp_path / "site") for name in names if name in text}
    assert leaks == set()
    assert (tmp_path / "site" / "matching" / "index.html").is_file()
