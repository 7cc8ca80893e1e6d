"""Shared pieces of the independent validator: the Violation model and the rule context.

Weeks are consecutive 7-day blocks from the first horizon date; a last partial block prorates the
weekly limits by days/7. Hours are paid hours recomputed as span minus the unpaid meal.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from pydantic import BaseModel, ConfigDict

from scheduler.roster.checks.parse import ParsedShift
from scheduler.roster.schema import RosterProblem

EPS = 1e-6
MONEY_TOL = 0.01
HOURS_TOL = 0.01


class Violation(BaseModel):
    model_config = ConfigDict(frozen=True)

    rule: str
    agent_id: str | None = None
    date: _dt.date | None = None
    message: str


@dataclass
class RuleContext:
    """Parsed rows plus horizon facts shared by the rules."""

    problem: RosterProblem
    shifts: list[ParsedShift]
    costs: list[float] = field(default_factory=list)  # recomputed cost per shift, CNY

    def __post_init__(self) -> None:
        self.dates: list[date] = sorted({t.date() for t in self.problem.slot_starts})
        self.first_date = self.dates[0]
        self.n_days = (self.dates[-1] - self.first_date).days + 1
        self.by_agent: dict[str, list[ParsedShift]] = defaultdict(list)
        for s in sorted(self.shifts, key=lambda s: s.start):
            self.by_agent[s.agent_id].append(s)
        self.temp_first: dict[str, date] = {
            aid: rows[0].date for aid, rows in self.by_agent.items() if rows[0].is_temp
        }

    @property
    def n_weeks(self) -> int:
        return (self.n_days + 6) // 7

    def week_of(self, d: date) -> int:
        return (d - self.first_date).days // 7

    def week_days(self, w: int) -> int:
        """Horizon days in week block ``w`` (7 except possibly the last)."""
        return max(0, min(7, self.n_days - 7 * w))

    def prorate(self, w: int) -> float:
        return self.week_days(w) / 7.0


def _v(rule: str, s: ParsedShift | None, message: str, agent_id: str | None = None) -> Violation:
    if s is None:
        return Violation(rule=rule, agent_id=agent_id, date=None, message=message)
    return Violation(rule=rule, agent_id=s.agent_id, date=s.date, message=f"row {s.row}: {message}")


def _minutes(t: time | datetime) -> int:
    return t.hour * 60 + t.minute
