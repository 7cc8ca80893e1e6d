"""Calendar of a roster horizon: slots, dates, calendar weeks and minute arithmetic.

Conventions (shared with the independent validator):
- The horizon is ``problem.slot_starts``; minute 0 is the first slot start, slot ``k`` covers
  minutes ``[k * interval, (k + 1) * interval)``.
- Days are the distinct dates of ``slot_starts``. A shift belongs to the date of its start.
- Weeks are calendar weeks starting on ``LabourRules.week_start`` (default Monday). A week cut
  by the horizon's start or end keeps ``n < 7`` of its days; its weekly hour limits are prorated
  (see ``instance/week_limits.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from scheduler.roster.schema import Agent, RosterProblem


@dataclass(frozen=True)
class Horizon:
    """Index helpers for one problem. Minutes are counted from the first slot start."""

    t0: datetime
    interval: int  # minutes per slot
    n_slots: int
    days: tuple[date, ...]
    week_start: int = 0  # 0=Mon..6=Sun

    @classmethod
    def of(cls, problem: RosterProblem) -> Horizon:
        days = tuple(sorted({s.date() for s in problem.slot_starts}))
        return cls(problem.slot_starts[0], problem.interval_minutes, len(problem.slot_starts), days,
                   problem.rules.week_start)

    @property
    def lead_days(self) -> int:
        """Days of the first calendar week that fall before the horizon (0 = starts on
        ``week_start``)."""
        return (self.days[0].weekday() - self.week_start) % 7

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
        """Calendar week (0 = the week holding the first horizon day) of day index ``day_idx``."""
        return (day_idx + self.lead_days) // 7

    @property
    def n_weeks(self) -> int:
        return (len(self.days) + self.lead_days + 6) // 7

    def week_days(self, week: int) -> range:
        """Day indices of calendar week ``week`` inside the horizon."""
        start = 7 * week - self.lead_days
        return range(max(0, start), min(start + 7, len(self.days)))

    def week_fraction(self, week: int) -> float:
        """Horizon days in calendar week ``week`` / 7 (the proration of the legal cap and of
        agents available every weekday)."""
        return len(self.week_days(week)) / 7.0

    def work_share(self, week: int, agent: Agent, working_days: int) -> float:
        """min(1, the agent's workable days of calendar week ``week`` inside the horizon (on
        its available weekdays, not on leave) / min(``working_days``, its available weekdays)):
        the scale of its weekly limits (1 in a whole week without long leave)."""
        first, wanted = self.days[0], set(agent.available_weekdays)
        off = set(agent.days_off)
        dates = [first + timedelta(days=d) for d in self.week_days(week)]
        workable = sum(1 for d in dates if d.weekday() in wanted and d not in off)
        return min(1.0, workable / max(1, min(working_days, len(wanted))))

    def week_is_cut_after(self, week: int) -> bool:
        """True when calendar week ``week`` goes on after the horizon's last day."""
        return 7 * (week + 1) - self.lead_days > len(self.days)

    def week_label(self, week: int) -> str:
        """``week 3, 2027-06-14..06-18``: the week's number and its dates inside the horizon."""
        days = self.week_days(week)
        first = self.days[0] + timedelta(days=days.start)
        last = self.days[0] + timedelta(days=days.stop - 1)
        return f"week {week + 1}, {first:%Y-%m-%d}..{last:%m-%d}"
