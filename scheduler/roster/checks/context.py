"""Shared pieces of the independent validator: the Violation model and the rule context.

Weeks are calendar weeks starting on ``rules.week_start`` (0=Mon). An agent's weekly maximum,
legal cap and contract are scaled by min(1, its workable dates of the week inside the horizon
(available weekday, no leave) / min(rules.working_days_per_week, its available weekdays)); its
minimum likewise in a week wholly inside the horizon and none in a week the horizon cuts; for the
first week, when the agent's ``hours_before_horizon`` is given and the horizon starts mid-week,
the limits minus those hours instead (no minimum if the week also goes on after). Temps: the
pool's limits x min(1, dates / working days), the minimum counting dates from their first shift.
Hours are paid hours recomputed as span minus the unpaid meal.
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
        back = (self.first_date.weekday() - self.problem.rules.week_start) % 7
        self.week_anchor = self.first_date - _dt.timedelta(days=back)

    @property
    def n_weeks(self) -> int:
        return (self.dates[-1] - self.week_anchor).days // 7 + 1

    def week_of(self, d: date) -> int:
        return (d - self.week_anchor).days // 7

    def week_dates(self, w: int) -> list[date]:
        """Dates of calendar week ``w`` inside the horizon."""
        monday = self.week_anchor + _dt.timedelta(days=7 * w)
        week = [monday + _dt.timedelta(days=k) for k in range(7)]
        return [d for d in week if self.first_date <= d <= self.dates[-1]]

    def week_days(self, w: int) -> int:
        """Horizon days in calendar week ``w`` (7 except at the horizon's edges)."""
        return len(self.week_dates(w))

    def prorate(self, w: int) -> float:
        return self.week_days(w) / 7.0

    def week_name(self, w: int) -> str:
        days = self.week_dates(w)
        return f"week {w + 1}, {days[0]:%Y-%m-%d}..{days[-1]:%m-%d}"

    def work_days(self, w: int) -> float:
        """min(1, horizon dates of week ``w`` / working days per week)."""
        return min(1.0, self.week_days(w) / self.problem.rules.working_days_per_week)

    def agent_week(self, agent, w: int) -> tuple[float, float, float, float]:
        """(min, max, legal cap, contract) paid hours of a named agent in calendar week ``w``."""
        wanted, off = set(agent.available_weekdays), set(agent.days_off)
        days = self.week_dates(w)
        workable = sum(1 for d in days if d.weekday() in wanted and d not in off)
        n = min(self.problem.rules.working_days_per_week, len(wanted))
        f = min(1.0, workable / max(1, n))
        legal = self.problem.rules.max_hours_per_week
        whole = len(days) == 7
        lo, hi = (agent.min_hours_per_week * f if whole else 0.0), agent.max_hours_per_week * f
        cap, contract = legal * f, agent.contract_hours_per_week * f
        before = agent.hours_before_horizon
        if w == 0 and self.week_anchor < self.first_date and before is not None:
            hi, cap = max(0.0, agent.max_hours_per_week - before), max(0.0, legal - before)
            contract = max(0.0, agent.contract_hours_per_week - before)
            lo = max(0.0, agent.min_hours_per_week - before)
            if days[-1] < self.week_anchor + _dt.timedelta(days=6):  # the week goes on after
                lo = 0.0
        return lo, hi, cap, contract


def _v(rule: str, s: ParsedShift | None, message: str, agent_id: str | None = None) -> Violation:
    if s is None:
        return Violation(rule=rule, agent_id=agent_id, date=None, message=message)
    return Violation(rule=rule, agent_id=s.agent_id, date=s.date, message=f"row {s.row}: {message}")


def _minutes(t: time | datetime) -> int:
    return t.hour * 60 + t.minute
