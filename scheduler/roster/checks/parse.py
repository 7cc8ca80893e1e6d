"""Parse an HR roster frame into one normalised row per shift, for the independent validator.

This module shares no code with the optimiser: it reads only the pydantic schema and the roster
frame (columns ``agent_id,agent_name,agent_type,date,shift_start,shift_end,breaks,paid_hours,
cost_cny``, as text straight from the CSV or already parsed).

Conventions (docs/contracts.md, issue 6):
- ``shift_start``/``shift_end`` are ``YYYY-MM-DD HH:MM`` (ISO ``T`` form and datetimes accepted).
- ``breaks`` are ``HH:MM-HH:MM`` times of day separated by ``;``; each is resolved to the first
  occurrence at or after the shift start, so breaks of a shift crossing midnight land on the right
  date. A break whose length equals the type's ``meal_break_minutes`` (the first such one) is the
  unpaid meal; every other break is a paid short break. No break covers demand.
- Cells starting with ``'`` (the CSV writer's guard against spreadsheet formulas) lose that quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd

from scheduler.errors import SchedulerInputError
from scheduler.roster.schema import ROSTER_COLUMNS, Agent, RosterProblem, ShiftPolicy

TEMP_ID = re.compile(r"^TEMP-\d+$")
_BREAK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class ParsedShift:
    """One roster row, resolved. Times are naive local datetimes; hours are float hours."""

    row: int  # 1-based CSV line (header = 1)
    agent_id: str
    agent_name: str
    agent_type: str  # as written in the row
    true_type: str | None  # type from the scenario (None = unknown agent)
    agent: Agent | None
    date: date
    start: datetime
    end: datetime
    breaks: tuple[tuple[datetime, datetime], ...]
    meal: tuple[datetime, datetime] | None
    paid_hours_reported: float
    cost_reported: float

    @property
    def span_hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600.0

    @property
    def meal_hours(self) -> float:
        if self.meal is None:
            return 0.0
        return (self.meal[1] - self.meal[0]).total_seconds() / 3600.0

    @property
    def paid_hours(self) -> float:
        """Recomputed paid hours: span minus the unpaid meal break."""
        return self.span_hours - self.meal_hours

    @property
    def is_temp(self) -> bool:
        return self.true_type == "temporary"


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    s = str(value).strip()
    return s[1:] if s.startswith("'") else s


def _fail(source: str, row: int, field: str, message: str) -> SchedulerInputError:
    return SchedulerInputError(f"{source}: row {row}, field '{field}': {message}")


def _datetime(value: object, source: str, row: int, field: str) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, second=0, microsecond=0)
    s = _text(value)
    try:
        return datetime.fromisoformat(s).replace(second=0, microsecond=0)
    except ValueError:
        raise _fail(source, row, field, f"not a YYYY-MM-DD HH:MM time: {s!r}") from None


def _date(value: object, source: str, row: int) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = _text(value)
    try:
        return date.fromisoformat(s[:10])
    except ValueError:
        raise _fail(source, row, "date", f"not a YYYY-MM-DD date: {s!r}") from None


def _number(value: object, source: str, row: int, field: str) -> float:
    s = _text(value)
    try:
        x = float(s)
    except ValueError:
        raise _fail(source, row, field, f"not a number: {s!r}") from None
    if x != x:
        raise _fail(source, row, field, "missing value")
    return x


def resolve_break(start: datetime, t_from: time, t_to: time) -> tuple[datetime, datetime]:
    """Place a ``HH:MM-HH:MM`` break at the first occurrence at or after the shift start."""
    b0 = datetime.combine(start.date(), t_from)
    if b0 < start:
        b0 += timedelta(days=1)
    b1 = datetime.combine(b0.date(), t_to)
    if b1 <= b0:
        b1 += timedelta(days=1)
    return b0, b1


def _breaks(
    value: object, start: datetime, source: str, row: int
) -> list[tuple[datetime, datetime]]:
    if isinstance(value, (list, tuple)):  # already resolved (start, end) pairs or Break models
        out = []
        for b in value:
            pair = (b.start, b.end) if hasattr(b, "start") else (b[0], b[1])
            out.append((pair[0].replace(tzinfo=None), pair[1].replace(tzinfo=None)))
        return out
    s = _text(value)
    if not s:
        return []
    out = []
    for part in s.split(";"):
        if not part.strip():
            continue
        m = _BREAK.match(part)
        if not m:
            raise _fail(source, row, "breaks", f"not HH:MM-HH:MM: {part.strip()!r}")
        h0, m0, h1, m1 = (int(g) for g in m.groups())
        if h0 > 23 or h1 > 23 or m0 > 59 or m1 > 59:
            raise _fail(source, row, "breaks", f"invalid time of day: {part.strip()!r}")
        out.append(resolve_break(start, time(h0, m0), time(h1, m1)))
    return out


def policy_for(problem: RosterProblem, agent_type: str) -> ShiftPolicy:
    """The ShiftPolicy of a type (``permanent``, ``part_time`` or ``temporary``)."""
    return getattr(problem.shifts, agent_type)


def parse_roster(
    problem: RosterProblem, roster: pd.DataFrame, source: str = "roster"
) -> list[ParsedShift]:
    """Parse every row; malformed cells raise SchedulerInputError (one line: source, row, field)."""
    missing = [c for c in ROSTER_COLUMNS if c not in roster.columns]
    if missing:
        raise SchedulerInputError(f"{source}: row 1, field '{missing[0]}': missing column")
    agents = {a.agent_id: a for a in problem.agents}
    out: list[ParsedShift] = []
    for i, rec in enumerate(roster.loc[:, list(ROSTER_COLUMNS)].itertuples(index=False)):
        row = i + 2
        aid = _text(rec.agent_id)
        if not aid:
            raise _fail(source, row, "agent_id", "empty")
        written = _text(rec.agent_type)
        agent = agents.get(aid)
        if agent is not None:
            true_type: str | None = agent.agent_type
        elif TEMP_ID.match(aid):
            true_type = "temporary"
        else:
            true_type = None
        start = _datetime(rec.shift_start, source, row, "shift_start")
        end = _datetime(rec.shift_end, source, row, "shift_end")
        breaks = sorted(_breaks(rec.breaks, start, source, row))
        meal = None
        ptype = true_type or (
            written if written in ("permanent", "part_time", "temporary") else None
        )
        if ptype is not None:
            meal_min = policy_for(problem, ptype).meal_break_minutes
            if meal_min > 0:
                for b in breaks:
                    if abs((b[1] - b[0]).total_seconds() - 60 * meal_min) < 1:
                        meal = b
                        break
        out.append(
            ParsedShift(
                row=row,
                agent_id=aid,
                agent_name=_text(rec.agent_name),
                agent_type=written,
                true_type=true_type,
                agent=agent,
                date=_date(rec.date, source, row),
                start=start,
                end=end,
                breaks=tuple(breaks),
                meal=meal,
                paid_hours_reported=_number(rec.paid_hours, source, row, "paid_hours"),
                cost_reported=_number(rec.cost_cny, source, row, "cost_cny"),
            )
        )
    return out
