"""Proposing pairs: every reverse mentor against every leader, scored, then the best assignment.

The hard rules decide which pairs are possible at all; among the possible ones, the assignment
with the most pairs wins, and among those the highest total score. That is an assignment problem,
solved exactly by scipy's `linear_sum_assignment`: no greedy pass that pairs the first comers well
and the last badly. Age is not an input: the participants file has no column for it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

from generator.models import Matching
from generator.participants import Participant, Roster, key_of, noun

Matrix = npt.NDArray[np.int64]
Side = Literal["mentor", "leader"]
Mask = npt.NDArray[np.bool_]
# Why a pair is not possible, in the order a person left without a partner is told about it.
BLOCKS = ("reporting line", "department", "language", "time", "skills", "avoided")
# How a person left alone is told what rules out the others, with `{be}` and the like for the count.
BLOCK_WORDS = {
    "reporting line": "{be} in their reporting line",
    "department": "{be} in their department",
    "language": "{share} no language with them",
    "time": "{share} no free time with them",
    "avoided": "{be} ruled out with --avoid",
}
SKILLS_WORDS = {"mentor": "{want} to learn nothing they offer", "leader": "{offer} nothing they want to learn"}


def _conjugate(words: str, count: int) -> str:
    one = count == 1
    return f"{count} " + words.format(be="is" if one else "are", share="shares" if one else "share",
                                      offer="offers" if one else "offer", want="wants" if one else "want")


class RequestError(ValueError):
    """A `--fix` or `--avoid` that cannot be met; the message names the pair and why."""


@dataclass(frozen=True)
class Pair:
    mentor: Participant
    leader: Participant
    score: int
    fixed: bool
    why: str


@dataclass(frozen=True)
class Unmatched:
    person: Participant
    side: Side
    why: str


@dataclass(frozen=True)
class Proposal:
    pairs: tuple[Pair, ...]
    unmatched: tuple[Unmatched, ...]

    @property
    def total(self) -> int:
        return sum(pair.score for pair in self.pairs)


def propose_pairs(roster: Roster, matching: Matching, fixed: Sequence[tuple[str, str]] = (),
                  avoided: Sequence[tuple[str, str]] = ()) -> Proposal:
    """The best pairs for the roster, keeping the fixed ones and never making an avoided one."""
    fit = Fit.of(roster.mentors, roster.leaders, matching, roster.managers)
    fit.avoid(_indices(fit, avoided, "--avoid"))
    pins = _indices(fit, fixed, "--fix")
    _check_pins(fit, pins, fixed)
    chosen = list(pins) + _solve(fit, {i for i, _ in pins}, {j for _, j in pins})
    pairs = tuple(sorted((fit.pair(i, j, (i, j) in pins) for i, j in chosen), key=lambda p: p.leader.id))
    return Proposal(pairs, tuple(_unmatched(fit, chosen)))


@dataclass
class Fit:
    """Every reverse mentor (rows) against every leader (columns): what one can teach the other, and
    which pairs a rule forbids, as whole matrices, so 500 by 500 people take milliseconds, not minutes."""

    mentors: tuple[Participant, ...]
    leaders: tuple[Participant, ...]
    matching: Matching
    leader_learns: Matrix
    mentor_learns: Matrix
    same_site: Mask
    shared_time: Matrix
    blocked: dict[str, Mask]
    scores: Matrix = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        weights = self.matching
        self.scores = (weights.leader_learns * self.leader_learns + weights.mentor_learns * self.mentor_learns
                       + weights.same_site * self.same_site.astype(np.int64) + weights.shared_time * self.shared_time)

    @classmethod
    def of(cls, mentors: tuple[Participant, ...], leaders: tuple[Participant, ...], matching: Matching,
           managers: Mapping[str, frozenset[str]]) -> Fit:
        def overlap(left: Iterable[tuple[str, ...]], right: Iterable[tuple[str, ...]]) -> Matrix:
            left, right = list(left), list(right)
            vocabulary = {key: n for n, key in enumerate({key_of(x) for items in [*left, *right] for x in items})}
            return _incidence(left, vocabulary) @ _incidence(right, vocabulary).T

        leader_learns = overlap((m.skills_offered for m in mentors), (ld.skills_wanted for ld in leaders))
        shared_time = overlap((m.availability for m in mentors), (ld.availability for ld in leaders))
        both_gave_times = np.outer([bool(m.availability) for m in mentors], [bool(ld.availability) for ld in leaders])
        blocked = {
            "reporting line": _reporting_lines(mentors, leaders, managers),
            "department": _same(mentors, leaders, "department") if matching.same_department == "never"
            else np.zeros((len(mentors), len(leaders)), dtype=bool),
            "language": overlap((m.languages for m in mentors), (ld.languages for ld in leaders)) == 0,
            "time": both_gave_times & (shared_time == 0),
            "skills": leader_learns == 0,
            "avoided": np.zeros((len(mentors), len(leaders)), dtype=bool),
        }
        return cls(mentors, leaders, matching, leader_learns,
                   overlap((m.skills_wanted for m in mentors), (ld.skills_offered for ld in leaders)),
                   _same(mentors, leaders, "site"), shared_time, blocked)

    @property
    def possible(self) -> Mask:
        return ~np.logical_or.reduce(list(self.blocked.values()))

    def avoid(self, pairs: Iterable[tuple[int, int]]) -> None:
        for i, j in pairs:
            self.blocked["avoided"][i, j] = True

    def reasons(self, i: int, j: int) -> list[str]:
        return [block for block in BLOCKS if self.blocked[block][i, j]]

    def pair(self, i: int, j: int, fixed: bool) -> Pair:
        mentor, leader = self.mentors[i], self.leaders[j]
        return Pair(mentor, leader, int(self.scores[i, j]), fixed, explain(mentor, leader, self.matching, fixed))


def _incidence(lists: list[tuple[str, ...]], vocabulary: dict[str, int]) -> Matrix:
    """One row per person, one column per item: 1 where the person lists the item."""
    matrix = np.zeros((len(lists), max(len(vocabulary), 1)), dtype=np.int64)
    for row, items in enumerate(lists):
        for item in items:
            matrix[row, vocabulary[key_of(item)]] = 1
    return matrix


def _same(mentors: tuple[Participant, ...], leaders: tuple[Participant, ...], field: str) -> Mask:
    codes: dict[str, int] = {}
    left = np.array([codes.setdefault(key_of(getattr(m, field)), len(codes)) for m in mentors], dtype=np.int64)
    right = np.array([codes.setdefault(key_of(getattr(ld, field)), len(codes)) for ld in leaders], dtype=np.int64)
    return np.equal.outer(left, right)


def _reporting_lines(mentors: tuple[Participant, ...], leaders: tuple[Participant, ...],
                     managers: Mapping[str, frozenset[str]]) -> Mask:
    """Where one of the pair sits above the other, directly or further up the line."""
    row = {m.id: i for i, m in enumerate(mentors)}
    column = {ld.id: j for j, ld in enumerate(leaders)}
    blocked = np.zeros((len(mentors), len(leaders)), dtype=bool)
    for person in (*mentors, *leaders):
        for above in _above(person.id, managers):
            if person.id in row and above in column:
                blocked[row[person.id], column[above]] = True
            elif person.id in column and above in row:
                blocked[row[above], column[person.id]] = True
    return blocked


def _above(person_id: str, managers: Mapping[str, frozenset[str]]) -> set[str]:
    """Everyone above a person: their managers, theirs, and so on. Two sources may name two managers
    for one person (the participants file and the org chart); both lines count."""
    found: set[str] = set()
    waiting = list(managers.get(person_id, ()))
    while waiting:
        manager = waiting.pop()
        if manager not in found and manager != person_id:
            found.add(manager)
            waiting += managers.get(manager, ())
    return found


def _indices(fit: Fit, pairs: Sequence[tuple[str, str]], option: str) -> list[tuple[int, int]]:
    """Each `a:b` as a (mentor row, leader column), in either order; every mistake reported at once."""
    rows = {m.id: i for i, m in enumerate(fit.mentors)}
    columns = {ld.id: j for j, ld in enumerate(fit.leaders)}
    found, problems = [], []
    for a, b in pairs:
        if a in columns and b in rows:
            a, b = b, a
        if a in rows and b in columns:
            found.append((rows[a], columns[b]))
            continue
        unknown = [person for person in (a, b) if person not in rows and person not in columns]
        problems += [f"{option} {a}:{b}: nobody in the participants file has the id `{person}`" for person in unknown] \
            or [f"{option} {a}:{b}: a pair needs one {fit.matching.mentor_role} and one {fit.matching.leader_role}"]
    if problems:
        raise RequestError("\n".join(problems))
    return found


def _check_pins(fit: Fit, pins: list[tuple[int, int]], fixed: Sequence[tuple[str, str]]) -> None:
    problems = []
    for (i, j), (a, b) in zip(pins, fixed, strict=True):
        if fit.blocked["avoided"][i, j]:
            problems.append(f"--fix {a}:{b}: the same pair is ruled out with --avoid")
        elif reasons := fit.reasons(i, j):
            problems.append(f"--fix {a}:{b}: the pair breaks a rule: " + "; ".join(
                _broken(fit, i, j, block) for block in reasons))
    for side, people in ((0, fit.mentors), (1, fit.leaders)):
        taken = [pin[side] for pin in pins]
        problems += [f"--fix: `{people[n].id}` is fixed to more than one partner" for n in sorted(set(taken))
                     if taken.count(n) > 1]
    if problems:
        raise RequestError("\n".join(problems))


def _broken(fit: Fit, i: int, j: int, block: str) -> str:
    mentor, leader = fit.mentors[i], fit.leaders[j]
    return {"reporting line": "one is in the other's reporting line",
            "department": f"both work in {leader.department}",
            "language": "they share no language",
            "time": "they share no free time",
            "skills": f"{mentor.name} offers none of what {leader.name} wants to learn"}[block]


def _solve(fit: Fit, fixed_rows: set[int], fixed_columns: set[int]) -> list[tuple[int, int]]:
    """The most pairs the rules allow, and of those the highest total score, among people not fixed."""
    rows = [i for i in range(len(fit.mentors)) if i not in fixed_rows]
    columns = [j for j in range(len(fit.leaders)) if j not in fixed_columns]
    if not rows or not columns:
        return []
    scores = fit.scores[np.ix_(rows, columns)]
    possible = fit.possible[np.ix_(rows, columns)]
    # One more pair must outweigh any difference in score the other pairs can make, so the bonus per
    # pair exceeds the widest spread of total scores; all whole numbers, so no rounding can tip it. The
    # spread reaches 0 at both ends, so that a possible pair, even one that only scores below zero, always
    # weighs more than the 0 of an impossible one.
    spread = int(max(scores.max(), 0) - min(scores.min(), 0)) if scores.size else 0
    bonus = min(len(rows), len(columns)) * spread + 1
    weights = np.where(possible, bonus + scores, 0)
    chosen_rows, chosen_columns = linear_sum_assignment(weights, maximize=True)
    return [(rows[r], columns[c]) for r, c in zip(chosen_rows, chosen_columns, strict=True) if possible[r, c]]


def explain(mentor: Participant, leader: Participant, matching: Matching, fixed: bool = False) -> str:
    """What the pair has going for it, in the words the participants file used."""
    parts = []
    if taught := _shared(leader.skills_wanted, mentor.skills_offered):
        parts.append(f"{leader.name} learns {', '.join(taught)}")
    if learned := _shared(mentor.skills_wanted, leader.skills_offered):
        parts.append(f"{mentor.name} learns {', '.join(learned)}")
    if key_of(mentor.site) == key_of(leader.site):
        parts.append(f"both at {leader.site}")
    if times := _shared(leader.availability, mentor.availability):
        parts.append(f"both free {', '.join(times)}")
    if fixed:
        parts.append("fixed by --fix")
    return "; ".join(parts)


def _shared(wanted: tuple[str, ...], offered: tuple[str, ...]) -> list[str]:
    keys = {key_of(item) for item in offered}
    return [item for item in wanted if key_of(item) in keys]


def _unmatched(fit: Fit, chosen: list[tuple[int, int]]) -> list[Unmatched]:
    paired_mentors, paired_leaders = {i for i, _ in chosen}, {j for _, j in chosen}
    left = [_alone(fit, i, "mentor") for i in range(len(fit.mentors)) if i not in paired_mentors]
    left += [_alone(fit, j, "leader") for j in range(len(fit.leaders)) if j not in paired_leaders]
    return sorted(left, key=lambda alone: alone.person.id)


def _alone(fit: Fit, index: int, side: Side) -> Unmatched:
    """Why nobody was paired with this person: no one the rules allow, or everyone allowed is taken."""
    if side == "mentor":
        person, others, role, wishes = fit.mentors[index], fit.leaders, fit.matching.leader_role, \
            fit.mentors[index].skills_offered
        line: tuple[int | slice, int | slice] = (index, slice(None))
    else:
        person, others, role, wishes = fit.leaders[index], fit.mentors, fit.matching.mentor_role, \
            fit.leaders[index].skills_wanted
        line = (slice(None), index)
    if not others:
        return Unmatched(person, side, f"there is no {noun(role)} in the file")
    counts, ruled_out = {}, np.zeros(len(others), dtype=bool)
    for block in BLOCKS:  # each partner ruled out is counted once, under the first rule that rules them out
        counts[block] = int((fit.blocked[block][line] & ~ruled_out).sum())
        ruled_out |= fit.blocked[block][line]
    allowed = [others[n].name for n in np.flatnonzero(~ruled_out)]
    if allowed:
        names = ", ".join(allowed[:5]) + (f" and {len(allowed) - 5} more" if len(allowed) > 5 else "")
        return Unmatched(person, side, f"every {noun(role)} who could be their partner ({names}) is paired with "
                         "someone else; pairing them instead would leave more people without a partner or lower "
                         "the total score")
    words = {**BLOCK_WORDS, "skills": SKILLS_WORDS[side] + f" ({', '.join(wishes)})"}
    told = ", ".join(_conjugate(words[block], count) for block, count in counts.items() if count)
    return Unmatched(person, side, f"no {noun(role)} can be their partner: of {len(others)}, {told}")
