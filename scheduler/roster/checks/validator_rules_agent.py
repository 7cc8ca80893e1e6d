"""Per-agent roster rules: rest, consecutive days, weekly hours, availability, temporaries.

Weekly limits apply per calendar week (``rules.week_start``; a week cut by the horizon prorated as
``RuleContext.agent_week`` says); a temporary's minimum counts only from their first shift and
is reported under its own rule name ``temp_weekly_min_hours``, and only in weeks the temporary
works (a temp may be let go).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta

from scheduler.roster.checks.context import EPS, RuleContext, Violation, _v
from scheduler.roster.checks.parse import ParsedShift


def check_min_rest(ctx: RuleContext) -> list[Violation]:
    """At least min_rest_hours between the end of a shift and the next start of the same agent."""
    need = ctx.problem.rules.min_rest_hours
    out = []
    for rows in ctx.by_agent.values():
        for a, b in zip(rows, rows[1:], strict=False):
            rest = (b.start - a.end).total_seconds() / 3600
            if rest < need - EPS:
                out.append(
                    _v("min_rest", b, f"{rest:.2f} h rest after the shift of {a.date}, need {need}")
                )
    return out


def check_max_consecutive_days(ctx: RuleContext) -> list[Violation]:
    """No more than max_consecutive_days dates with a shift in a row."""
    limit = ctx.problem.rules.max_consecutive_days
    out = []
    for rows in ctx.by_agent.values():
        dates = sorted({s.date for s in rows})
        run = 1
        for prev, cur in zip(dates, dates[1:], strict=False):
            run = run + 1 if (cur - prev).days == 1 else 1
            if run == limit + 1:
                s = next(r for r in rows if r.date == cur)
                out.append(
                    _v("max_consecutive_days", s, f"{run} consecutive working days, max {limit}")
                )
    return out


def _weekly_hours(ctx: RuleContext, rows: list[ParsedShift]) -> dict[int, float]:
    hours: dict[int, float] = defaultdict(float)
    for s in rows:
        hours[ctx.week_of(s.date)] += s.paid_hours
    return hours


def check_weekly_hours(ctx: RuleContext) -> list[Violation]:
    """Paid hours of each calendar week within the agent's (or temp pool's) min/max and the
    legal weekly cap, prorated in a week cut by the horizon (see ``RuleContext.agent_week``)."""
    prob, out = ctx.problem, []
    legal = prob.rules.max_hours_per_week
    for agent in prob.agents:
        hours = _weekly_hours(ctx, ctx.by_agent.get(agent.agent_id, []))
        for w in range(ctx.n_weeks):
            h = hours.get(w, 0.0)
            lo, hi, cap, _ = ctx.agent_week(agent, w)
            tag = f"{ctx.week_name(w)}: {h:.2f} paid hours"
            if h > hi + EPS:
                out.append(_v("weekly_max_hours", None, f"{tag} > max {hi:.2f}", agent.agent_id))
            if h > cap + EPS:
                out.append(_v("legal_weekly_max_hours", None, f"{tag} > legal cap {cap:.2f}",
                              agent.agent_id))
            if h < lo - EPS:
                out.append(_v("weekly_min_hours", None, f"{tag} < min {lo:.2f}", agent.agent_id))
    pool = prob.temporary
    for aid, first in ctx.temp_first.items():
        hours = _weekly_hours(ctx, ctx.by_agent[aid])
        for w in range(ctx.week_of(first), ctx.n_weeks):
            h, f = hours.get(w, 0.0), ctx.work_days(w)
            tag = f"{ctx.week_name(w)}: {h:.2f} paid hours"
            if h > pool.max_hours_per_week * f + EPS:
                out.append(_v("weekly_max_hours", None,
                              f"{tag} > temp max {pool.max_hours_per_week * f:.2f}", aid))
            if h > legal * f + EPS:
                out.append(_v("legal_weekly_max_hours", None,
                              f"{tag} > legal cap {legal * f:.2f}", aid))
            n = ctx.problem.rules.working_days_per_week
            f_min = min(1.0, sum(d >= first for d in ctx.week_dates(w)) / n)
            if w in hours and h < pool.min_hours_per_week * f_min - EPS:
                out.append(_v("temp_weekly_min_hours", None,
                              f"{tag} < temp min {pool.min_hours_per_week * f_min:.2f}", aid))
    return out


def _inside_window(s: ParsedShift, t_from: time | None, t_to: time | None) -> bool:
    if t_from is None and t_to is None:
        return True
    if t_to is None:  # open-ended: start at or after available_from on the shift's own date
        return s.start >= datetime.combine(s.date, t_from)
    for day in (s.date - timedelta(days=1), s.date):
        lo = datetime.combine(day, t_from) if t_from is not None else datetime.combine(day, time(0))
        hi = datetime.combine(day, t_to)
        if hi <= lo:  # crosses midnight; to 00:00 without a start = until the end of the day
            hi += timedelta(days=1)
        if lo <= s.start and s.end <= hi:
            return True
    return False


def check_availability(ctx: RuleContext) -> list[Violation]:
    """Named agents start only on available weekdays, not on days off, inside their time window."""
    out = []
    for s in ctx.shifts:
        a = s.agent
        if a is None:
            continue
        if s.date.weekday() not in a.available_weekdays:
            out.append(_v("availability", s, f"{s.date:%a} is not an available weekday"))
        elif s.date in a.days_off:
            out.append(_v("availability", s, f"{s.date} is a requested day off"))
        elif not _inside_window(s, a.available_from, a.available_to):
            out.append(
                _v(
                    "availability",
                    s,
                    f"shift {s.start:%H:%M}-{s.end:%H:%M} outside "
                    f"{a.available_from or 'any'}-{a.available_to or 'any'}",
                )
            )
    return out


def check_temp_lead_days(ctx: RuleContext) -> list[Violation]:
    """No temporary works before the horizon's start, nor before the date ``lead_days`` whole
    dates after its first date (00:00), as the solver counts (a horizon from 10:00 with lead
    2 days: from the third date at 00:00)."""
    first = ctx.problem.slot_starts[0]
    lead = timedelta(days=ctx.problem.temporary.lead_days)
    by_date = datetime.combine(first.date() + lead, time(0))
    earliest = max(first, by_date)
    return [
        _v(
            "temp_lead_days",
            s,
            f"temporary starts {s.start:%Y-%m-%d %H:%M} before {earliest:%Y-%m-%d %H:%M}",
        )
        for s in ctx.shifts
        if s.is_temp and s.start < earliest
    ]


def check_temp_headcount(ctx: RuleContext) -> list[Violation]:
    """Distinct temporaries at most TemporaryPool.max_headcount."""
    n, cap = len(ctx.temp_first), ctx.problem.temporary.max_headcount
    if n > cap:
        return [_v("temp_headcount", None, f"{n} temporaries hired, pool max {cap}")]
    return []


def check_start_time_spread(ctx: RuleContext) -> list[Violation]:
    """Regular shifts (``rules.max_start_spread_hours``): a named agent's shift starts within one
    calendar week fit in a clock-time window that wide (the window may cross midnight: the
    spread is 24 h minus the largest gap between consecutive start times around the clock)."""
    limit = ctx.problem.rules.max_start_spread_hours
    if limit is None:
        return []
    out = []
    for aid, rows in ctx.by_agent.items():
        if rows[0].is_temp:
            continue
        weeks: dict[int, list[ParsedShift]] = defaultdict(list)
        for s in rows:
            weeks[ctx.week_of(s.date)].append(s)
        for w, shifts in sorted(weeks.items()):
            clock = sorted({s.start.hour * 60 + s.start.minute for s in shifts})
            gaps = [b - a for a, b in zip(clock, clock[1:], strict=False)]
            gaps.append(clock[0] + 1440 - clock[-1])
            spread = (1440 - max(gaps)) / 60
            if spread > limit + EPS:
                out.append(_v("start_time_spread", None,
                              f"{ctx.week_name(w)}: starts spread over {spread:g} h "
                              f"({', '.join(f'{m // 60:02d}:{m % 60:02d}' for m in clock)}), "
                              f"max {limit:g} h", aid))
    return out
