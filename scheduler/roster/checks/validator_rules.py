"""Per-shift roster rules, one small named function each, recomputed from rows and scenario.

Every function takes a :class:`RuleContext` and returns a list of :class:`Violation`. Rule names
(``Violation.rule``) are stable strings used in reports and tests. Hours are paid hours recomputed
as span minus the unpaid meal (never the row's own ``paid_hours``, which has its own rule).

Weeks are calendar weeks from ``rules.week_start``; a week cut by the horizon prorates the weekly
limits (``RuleContext.agent_week``). A temporary's minimum weekly hours count only from their
first shift.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from scheduler.roster.checks.context import (
    EPS,
    HOURS_TOL,
    MONEY_TOL,
    RuleContext,
    Violation,
    _minutes,
    _v,
)
from scheduler.roster.checks.parse import ParsedShift, policy_for
from scheduler.roster.checks.validator_rules_agent import (
    check_availability,
    check_max_consecutive_days,
    check_min_rest,
    check_start_time_spread,
    check_temp_headcount,
    check_temp_lead_days,
    check_weekly_hours,
)
from scheduler.roster.schema import ShiftPolicy

__all__ = ["RULES", "RuleContext", "Violation"]


def check_known_agent(ctx: RuleContext) -> list[Violation]:
    """Agent IDs exist (named agents or TEMP-nnn) and the row's agent_type matches."""
    out = []
    for s in ctx.shifts:
        if s.true_type is None:
            out.append(_v("unknown_agent", s, f"agent_id {s.agent_id!r} is not in the scenario"))
        elif s.agent_type != s.true_type:
            out.append(
                _v(
                    "agent_type_mismatch",
                    s,
                    f"agent_type {s.agent_type!r}, expected {s.true_type!r}",
                )
            )
    return out


def check_shift_date(ctx: RuleContext) -> list[Violation]:
    """The row's date is the date of the shift start and lies inside the horizon."""
    horizon = set(ctx.dates)
    out = []
    for s in ctx.shifts:
        if s.date != s.start.date():
            out.append(
                _v("shift_date", s, f"date {s.date} but shift starts {s.start:%Y-%m-%d %H:%M}")
            )
        elif s.date not in horizon:
            out.append(_v("shift_date", s, f"date {s.date} is outside the horizon"))
    return out


def check_shift_span(ctx: RuleContext) -> list[Violation]:
    """A shift ends after it starts."""
    return [
        _v("shift_span", s, f"shift_end {s.end:%Y-%m-%d %H:%M} is not after shift_start")
        for s in ctx.shifts
        if s.end <= s.start
    ]


def check_one_shift_per_day(ctx: RuleContext) -> list[Violation]:
    """At most one shift start per agent per date."""
    seen: dict[tuple[str, date], int] = {}
    out = []
    for s in ctx.shifts:
        key = (s.agent_id, s.date)
        if key in seen:
            out.append(
                _v("one_shift_per_day", s, f"second shift on {s.date} (first at row {seen[key]})")
            )
        else:
            seen[key] = s.row
    return out


def _with_policy(ctx: RuleContext) -> Iterator[tuple[ParsedShift, ShiftPolicy]]:
    """Shifts of a known agent type, each with its type's ShiftPolicy."""
    for s in ctx.shifts:
        if s.true_type is not None:
            yield s, policy_for(ctx.problem, s.true_type)


def check_shift_length(ctx: RuleContext) -> list[Violation]:
    """Paid hours within [paid_hours_min, paid_hours_max] of the type, on the length step grid."""
    out = []
    for s, p in _with_policy(ctx):
        h = s.paid_hours
        if h < p.paid_hours_min - EPS or h > p.paid_hours_max + EPS:
            out.append(
                _v(
                    "shift_length",
                    s,
                    f"{h:.2f} paid hours outside [{p.paid_hours_min}, {p.paid_hours_max}]",
                )
            )
            continue
        steps = (h - p.paid_hours_min) * 60 / p.length_step_minutes
        if abs(steps - round(steps)) > 1e-4:
            out.append(
                _v(
                    "shift_length",
                    s,
                    f"{h:.2f} paid hours not on the {p.length_step_minutes}-minute grid",
                )
            )
    return out


def check_shift_start(ctx: RuleContext) -> list[Violation]:
    """Start time of day inside [earliest_start, latest_start] (may wrap midnight), on the grid."""
    out = []
    for s, p in _with_policy(ctx):
        m, e, last = _minutes(s.start), _minutes(p.earliest_start), _minutes(p.latest_start)
        inside = e <= m <= last if last >= e else (m >= e or m <= last)
        if not inside:
            out.append(
                _v(
                    "shift_start",
                    s,
                    f"start {s.start:%H:%M} outside "
                    f"{p.earliest_start:%H:%M}-{p.latest_start:%H:%M}",
                )
            )
        elif ((m - e) % 1440) % p.start_step_minutes:
            out.append(
                _v(
                    "shift_start",
                    s,
                    f"start {s.start:%H:%M} not on the {p.start_step_minutes}-minute grid",
                )
            )
    return out


def check_breaks_inside(ctx: RuleContext) -> list[Violation]:
    """Every break lies inside its shift and breaks do not overlap."""
    out = []
    for s in ctx.shifts:
        prev_end = None
        for b0, b1 in s.breaks:
            if b0 < s.start or b1 > s.end:
                out.append(
                    _v("break_inside_shift", s, f"break {b0:%H:%M}-{b1:%H:%M} outside the shift")
                )
            elif prev_end is not None and b0 < prev_end:
                out.append(
                    _v("break_inside_shift", s, f"break {b0:%H:%M}-{b1:%H:%M} overlaps another")
                )
            prev_end = b1 if prev_end is None else max(prev_end, b1)
    return out


def check_meal_break(ctx: RuleContext) -> list[Violation]:
    """A meal break is present when paid hours exceed the threshold and starts in its window."""
    out = []
    for s, p in _with_policy(ctx):
        if p.meal_break_minutes <= 0:
            continue
        if s.meal is None:
            if s.paid_hours > p.meal_break_from_paid_hours + EPS:
                out.append(
                    _v(
                        "meal_break",
                        s,
                        f"{s.paid_hours:.2f} paid hours and no "
                        f"{p.meal_break_minutes}-minute meal break",
                    )
                )
            continue
        after = (s.meal[0] - s.start).total_seconds() / 3600
        if after < p.meal_break_min_after_hours - EPS or after > p.meal_break_max_after_hours + EPS:
            out.append(
                _v(
                    "meal_break",
                    s,
                    f"meal starts {after:.2f} h after shift start, allowed "
                    f"[{p.meal_break_min_after_hours}, {p.meal_break_max_after_hours}]",
                )
            )
    return out


def check_short_breaks(ctx: RuleContext) -> list[Violation]:
    """Paid short breaks: at least ``floor(paid hours / short_break_every_hours)`` breaks other
    than the meal, each at least ``short_break_minutes`` long (the scenario's ShiftPolicy)."""
    out = []
    for s, p in _with_policy(ctx):
        if p.short_break_minutes <= 0:
            continue
        need = int((s.paid_hours + EPS) // p.short_break_every_hours)
        short = [b for b in s.breaks if b != s.meal]
        long_enough = [b for b in short
                       if (b[1] - b[0]).total_seconds() / 60 >= p.short_break_minutes - EPS]
        if len(long_enough) < need:
            out.append(
                _v(
                    "short_breaks",
                    s,
                    f"{len(long_enough)} short breaks of >= {p.short_break_minutes} min for "
                    f"{s.paid_hours:.2f} paid hours, required {need} "
                    f"(one per {p.short_break_every_hours} h)",
                )
            )
    return out


def check_max_hours_per_day(ctx: RuleContext) -> list[Violation]:
    """Paid hours of one shift at most LabourRules.max_hours_per_day."""
    cap = ctx.problem.rules.max_hours_per_day
    return [
        _v("max_hours_per_day", s, f"{s.paid_hours:.2f} paid hours > {cap}")
        for s in ctx.shifts
        if s.paid_hours > cap + EPS
    ]


def check_paid_hours(ctx: RuleContext) -> list[Violation]:
    """The row's paid_hours equals span minus the unpaid meal (tolerance 0.01 h)."""
    return [
        _v(
            "paid_hours",
            s,
            f"paid_hours {s.paid_hours_reported:.2f}, recomputed {s.paid_hours:.2f}",
        )
        for s in ctx.shifts
        if abs(s.paid_hours_reported - s.paid_hours) > HOURS_TOL + 1e-9
    ]


def check_cost(ctx: RuleContext) -> list[Violation]:
    """The row's cost_cny equals the cost recomputed from the scenario (tolerance 0.01 CNY)."""
    return [
        _v("cost", s, f"cost_cny {s.cost_reported:.2f}, recomputed {c:.2f}")
        for s, c in zip(ctx.shifts, ctx.costs, strict=True)
        if s.true_type is not None and abs(s.cost_reported - c) > MONEY_TOL + 1e-9
    ]


RULES: tuple[Callable[[RuleContext], list[Violation]], ...] = (
    check_known_agent,
    check_shift_date,
    check_shift_span,
    check_one_shift_per_day,
    check_shift_length,
    check_shift_start,
    check_breaks_inside,
    check_meal_break,
    check_short_breaks,
    check_min_rest,
    check_max_consecutive_days,
    check_weekly_hours,
    check_start_time_spread,
    check_max_hours_per_day,
    check_availability,
    check_temp_lead_days,
    check_temp_headcount,
    check_paid_hours,
    check_cost,
)
