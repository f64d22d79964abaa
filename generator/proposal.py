"""The proposal file `playbook match` writes: each pair with its score and why, then everyone left alone.

A coordinator opens it in a spreadsheet, so a cell that starts like a formula is written as text:
a name such as `=HYPERLINK(...)` in the participants file must not become a live formula.
"""

from __future__ import annotations

import csv
import io

from generator.pairing import Proposal

COLUMNS = ("mentor_id", "mentor", "leader_id", "leader", "score", "fixed", "why")
# The characters that make a spreadsheet read a cell as a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def proposal_csv(proposal: Proposal) -> str:
    """The proposal as CSV text: the pairs in leader order, then the unmatched in id order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for pair in proposal.pairs:
        writer.writerow(_safe([pair.mentor.id, pair.mentor.name, pair.leader.id, pair.leader.name, str(pair.score),
                               "yes" if pair.fixed else "", pair.why]))
    for alone in proposal.unmatched:
        person = [alone.person.id, alone.person.name]
        sides = [*person, "", ""] if alone.side == "mentor" else ["", "", *person]
        writer.writerow(_safe([*sides, "", "", f"no partner: {alone.why}"]))
    return buffer.getvalue()


def _safe(cells: list[str]) -> list[str]:
    return [f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell for cell in cells]
