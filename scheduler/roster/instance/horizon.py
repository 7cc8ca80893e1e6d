"""Calendar of a roster horizon: slots, dates, 7-day weeks and minute arithmetic.

Conventions (shared with the independent validator):
- The horizon is ``problem.slot_starts``; minute 0 is the first slot start, slot ``k`` covers
  minutes ``[k * interval, (k + 1) * interval)``.
- Days are the distinct dates of ``slot_starts``. A shift belongs to the date of its start.
- Weeks are consecutive 7-day blocks starting at the first horizon date. A last partial block of
  ``n`` days has its weekly hour limits prorated by ``n / 7``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from scheduler.roster.schema import RosterProblem


@dataclass(frozen=True)
class Horizon:
    """Index helpers for one problem. Minutes are counted from the first slot start."""

    t0: datetime
    interval: int  # minutes per slot
    n_slots: int
    days: tuple[date, ...]

    @classmethod
    def of(cls, problem: RosterProblem) -> Horizon:
        days = tuple(sorted({s.date() for s in problem.slot_starts}))
        return cls(problem.slot_starts[0], problem.interval_minutes, len(problem.slot_starts), days)

    @property
    def end_minute(self) -> int:
        return self.n_slots * self.interval

    def minute(self, when: datetime) -> int:
        """Minutes from the horizon start (may be negative or beyond the end)."""
        return int((when - self.t0).total_seconds() // 60)

    def at(self, minute: int) -> datetime:
        return self.t0 + timedelta(minutes=minute)

    def day_index(self, d: date) -> int:
        return (d - self.days[0]).days

    def week_of_day(self, day_idx: int) -> int:
        return day_idx // 7

    @property
    def n_weeks(self) -> int:
        return (len(self.days) + 6) // 7

    def week_days(self, week: int) -> range:
        """Day indices of week ``week``."""
        return range(7 * week, min(7 * week + 7, len(self.days)))

    def week_fraction(self, week: int) -> float:
        """Proration factor of weekly hour limits: days in the block / 7."""
        return len(self.week_days(week)) / 7.0
