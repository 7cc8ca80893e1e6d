"""Test oracle for two roster cost terms, computed from HR rows with no solver code: the
night-fairness term and the weekly-minimum penalty (calendar weeks from ``week_oracle``). Money
in CNY, paid time in minutes."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from week_oracle import agent_range, temp_range, week_count, week_of

from scheduler.roster.instance.instance import MIN_HOURS_PENALTY_CNY
from scheduler.roster.schema import RosterProblem, ShiftAssignment

NIGHT_END = time(6)  # a night shift overlaps 00:00-06:00 of some date (cpsat/rules/fairness.py)


def night_fairness_cny(problem: RosterProblem, rows: list[ShiftAssignment]) -> float:
    """Night-fairness term: weight x sum over permanent agents of nights above the even share."""
    perm = [a.agent_id for a in problem.agents if a.agent_type == "permanent"]
    if not perm:
        return 0.0
    nights = dict.fromkeys(perm, 0)
    for r in rows:
        if r.agent_type == "permanent":
            midnight = datetime.combine(r.shift_start.date(), time(0))
            nights[r.agent_id] += any(
                r.shift_start < midnight + timedelta(days=k, hours=NIGHT_END.hour)
                and r.shift_end > midnight + timedelta(days=k) for k in range(3))
    share = math.ceil(sum(nights.values()) / len(perm))
    return problem.costs.fairness_weight_cny * sum(max(0, n - share) for n in nights.values())


def short_weeks(problem: RosterProblem, rows: list[ShiftAssignment]
                 ) -> dict[tuple[str, int], tuple[float, int, bool]]:
    """(agent id, calendar week) -> (minimum, paid minutes, is temp) for every agent-week with
    a minimum: named agents every week, temps the weeks they work (``week_oracle``)."""
    paid: dict[tuple[str, int], int] = defaultdict(int)
    temp_first: dict[str, date] = {}
    for r in rows:
        paid[(r.agent_id, week_of(problem, r.date))] += round(r.paid_hours * 60)
        if r.agent_type == "temporary":
            temp_first[r.agent_id] = min(r.date, temp_first.get(r.agent_id, r.date))
    out = {}
    for w in range(week_count(problem)):
        for a in problem.agents:
            out[(a.agent_id, w)] = (agent_range(problem, a, w)[0] * 60, paid[(a.agent_id, w)],
                                    False)
        for aid, d0 in temp_first.items():
            if (aid, w) in paid:
                out[(aid, w)] = (temp_range(problem, w, d0)[0] * 60, paid[(aid, w)], True)
    return out


def weekly_min_gap_cny(short: dict, temps: bool, whole_minutes: bool) -> float:
    """Weekly-minimum penalty (CNY) of ``_short_weeks``: with ``whole_minutes`` the minimum is
    rounded up to a whole minute, as the DP and CP-SAT count it."""
    missing = 0.0
    for lo, got, is_temp in short.values():
        if is_temp and not temps:
            continue
        need = math.ceil(lo - 1e-6) if whole_minutes else lo
        missing += max(0.0, need - got)
    return MIN_HOURS_PENALTY_CNY / 60 * missing
