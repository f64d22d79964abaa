"""Which rules are overdue for review or due soon, grouped by the role that owns them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from generator.models import Playbook, Rule

DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class Due:
    rule: Rule
    overdue: bool

    @property
    def sort_key(self) -> tuple[dt.date, str]:
        return self.rule.next_review, self.rule.id


def reviews_due(playbook: Playbook, today: dt.date, within_days: int = DUE_SOON_DAYS) -> dict[str, list[Due]]:
    """Owner role title → rules overdue or due within `within_days`, soonest first."""
    horizon = today + dt.timedelta(days=within_days)
    grouped: dict[str, list[Due]] = defaultdict(list)
    for rule in playbook.rules:
        if rule.next_review <= horizon:
            grouped[playbook.role(rule.owner).title].append(Due(rule, rule.review_overdue(today)))
    return {owner: sorted(items, key=lambda d: d.sort_key) for owner, items in sorted(grouped.items())}
