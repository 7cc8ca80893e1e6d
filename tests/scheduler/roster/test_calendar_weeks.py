"""Calendar weeks (issue 22): weekly hours counted Mon-Sun (``week_start``) whatever day the plan
starts, prorated at the horizon's edges, with earlier hours as an input; solver, pre-flight and
validator agree. Cases from planning 618 2027 (06-01..06-18 and 06-10..06-20)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

import pandas as pd
import pytest
from roster_factory import make_problem
from week_oracle import agent_range, week_of

from scheduler.roster import solve_roster
from scheduler.roster.checks.validator import roster_frame_from_assignments, validate_roster
from scheduler.roster.instance.horizon import Horizon
from scheduler.roster.instance.preflight import check_problem
from scheduler.roster.instance.week_limits import agent_week_limits
from scheduler.roster.schema import Agent, LabourRules, SolverConfig, TemporaryPool

CONFIG = SolverConfig(time_limit_s=8, num_workers=1, random_seed=0)


def plan(first: date, last: date, agents: list[Agent], scale: float = 6.0, temps: int = 0,
         **rules) -> object:
    """A problem over the dates first..last (30-minute slots) with the factory's demand shape."""
    days = (last - first).days + 1
    base = make_problem(n_perm=1, n_part=0, days=days, temp_max=temps, scale=scale,
                        peak_day=None)
    t0 = datetime.combine(first, time(0))
    slots = tuple(t0 + timedelta(minutes=30 * k) for k in range(len(base.slot_starts)))
    pool = TemporaryPool(max_headcount=temps, hourly_cost_cny=40.0, max_hours_per_week=54)
    return base.model_copy(update={"slot_starts": slots, "agents": tuple(agents),
                                   "temporary": pool, "rules": LabourRules(**rules)})


def perm(k: int, **kw) -> Agent:
    fields = {"contract_hours_per_week": 40, "min_hours_per_week": 32, "max_hours_per_week": 48,
              "hourly_cost_cny": 45.0} | kw
    return Agent(agent_id=f"P{k:02d}", name=f"P{k}", agent_type="permanent", **fields)


def part(k: int, **kw) -> Agent:
    fields = {"contract_hours_per_week": 0, "min_hours_per_week": 8, "max_hours_per_week": 24,
              "hourly_cost_cny": 35.0} | kw
    return Agent(agent_id=f"T{k:02d}", name=f"T{k}", agent_type="part_time", **fields)


def weekly_hours(rows) -> dict[tuple[str, date], float]:
    """Paid hours per (agent, Monday of the calendar week), counted from the rows' own dates."""
    out: dict[tuple[str, date], float] = defaultdict(float)
    for r in rows:
        out[(r.agent_id, r.date - timedelta(days=r.date.weekday()))] += r.paid_hours
    return out


def test_weeks_follow_the_calendar_from_any_start_day():
    p = plan(date(2027, 6, 1), date(2027, 6, 18), [perm(0)])  # Tuesday .. Friday
    hz = Horizon.of(p)
    assert hz.n_weeks == 3
    assert [len(hz.week_days(w)) for w in range(3)] == [6, 7, 5]  # Tue-Sun, Mon-Sun, Mon-Fri
    assert hz.week_label(2) == "week 3, 2027-06-14..06-18"
    sunday = plan(date(2027, 6, 1), date(2027, 6, 18), [perm(0)], week_start=6)
    assert [len(Horizon.of(sunday).week_days(w)) for w in range(3)] == [5, 7, 6]


def test_weekend_only_part_timer_is_accepted_on_a_tuesday_to_friday_window():
    weekend = part(0, available_weekdays=(5, 6), min_hours_per_week=8, max_hours_per_week=16)
    p = plan(date(2027, 6, 1), date(2027, 6, 18), [perm(0), perm(1), weekend], scale=3.0)
    check_problem(p)  # the Mon-Fri remainder holds none of its days: it owes nothing there
    limits = agent_week_limits(p, Horizon.of(p), weekend)
    # the cut first and last weeks impose no minimum (days outside the plan can hold it)
    assert [(x.min_h, x.max_h) for x in limits] == [(0, 16), (8, 16), (0, 0)]
    result = solve_roster(p, CONFIG)
    frame = roster_frame_from_assignments(result.assignments)
    report = validate_roster(p, frame)
    assert report.ok, report.summary()
    assert 0 < sum(r.paid_hours for r in result.assignments if r.agent_id == "T00") <= 32


def test_618_plan_keeps_calendar_week_caps_for_part_timers_and_temps():
    agents = [perm(k) for k in range(3)] + [part(k, min_hours_per_week=0) for k in range(3)]
    p = plan(date(2027, 6, 10), date(2027, 6, 20), agents, scale=12.0, temps=3)
    result = solve_roster(p, CONFIG)
    frame = roster_frame_from_assignments(result.assignments)
    assert validate_roster(p, frame).ok
    hours = weekly_hours(result.assignments)
    busy = {k: h for k, h in hours.items() if k[1] == date(2027, 6, 14)}
    assert any(h > 0 for (aid, _), h in busy.items() if aid.startswith("T0"))
    for (aid, _), h in busy.items():  # a whole Mon-Sun week inside the plan: full caps
        cap = 24 if aid.startswith("T0") else 54 if aid.startswith("TEMP") else 48
        assert h <= cap + 1e-6, (aid, h)


def _rows(agent_id: str, days: list[date], start: int = 9, paid: float = 6.75) -> pd.DataFrame:
    """One shift a day of ``paid`` hours (no meal) from ``start`` o'clock."""
    rows = []
    for d in days:
        s = datetime.combine(d, time(start))
        rows.append({"agent_id": agent_id, "agent_name": agent_id, "agent_type": "part_time",
                     "date": d, "shift_start": s, "shift_end": s + timedelta(hours=paid),
                     "breaks": "", "paid_hours": paid, "cost_cny": paid * 35.0})
    return pd.DataFrame(rows)


def test_validator_flags_a_calendar_week_over_the_cap_that_7_day_blocks_would_miss():
    p = plan(date(2027, 6, 10), date(2027, 6, 20), [part(0, min_hours_per_week=0)])
    p = p.model_copy(update={"shifts": p.shifts.model_copy(update={
        "part_time": p.shifts.part_time.model_copy(update={"paid_hours_max": 7.0,
                                                          "length_step_minutes": 15})})})
    # 4 x 6.75 = 27 h in Mon-Sun 06-14..06-20 (max 24); 7-day blocks from 06-10 would split
    # them 20.25 h (06-10..06-16) + 6.75 h (06-17..06-20, prorated max 13.7 h).
    days = [date(2027, 6, d) for d in (14, 15, 16, 17)]
    report = validate_roster(p, _rows("T00", days))
    over = [v for v in report.violations if v.rule == "weekly_max_hours"]
    assert len(over) == 1 and "week 2, 2027-06-14..06-20: 27.00 paid hours > max 24.00" in \
        over[0].message, report.summary()
    assert week_of(p, days[0]) == 1
    fine = validate_roster(p, _rows("T00", days[:3]))
    assert not [v for v in fine.violations if v.rule == "weekly_max_hours"]


@pytest.mark.parametrize(("before", "cap"), [(None, 48 * 4 / 5), (30.0, 18.0), (48.0, 0.0)])
def test_hours_before_the_horizon_count_in_the_first_calendar_week(before, cap):
    a = perm(0, hours_before_horizon=before)
    p = plan(date(2027, 6, 3), date(2027, 6, 9), [a])  # Thursday: Mon-Wed happened before
    lim = agent_week_limits(p, Horizon.of(p), a)[0]
    assert lim.max_h == pytest.approx(cap)
    assert lim.max_h == pytest.approx(agent_range(p, a, 0)[1])
    assert lim.min_h == pytest.approx(agent_range(p, a, 0)[0])
