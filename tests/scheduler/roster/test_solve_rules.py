"""One test per roster rule: each builds a tiny problem in which the rule binds."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import numpy as np
import pytest
from roster_checks import violations
from roster_factory import START, make_problem

from scheduler.roster.pricing.coverage import coverage_frame
from scheduler.roster.schema import (
    Agent,
    CostParams,
    LabourRules,
    RosterProblem,
    ShiftPolicy,
    SolverConfig,
    TemporaryPool,
)
from scheduler.roster.solve import solve_roster

CFG = SolverConfig(time_limit_s=8, num_workers=1, random_seed=0, deterministic_time_limit=3.0)
NO_TEMPS = TemporaryPool(max_headcount=0, hourly_cost_cny=40.0)


def perm(k: int = 0, **kw) -> Agent:
    base = {"agent_id": f"P{k}", "name": f"P{k}", "agent_type": "permanent",
            "contract_hours_per_week": 40, "min_hours_per_week": 0, "max_hours_per_week": 60,
            "hourly_cost_cny": 45.0}
    base.update(kw)
    return Agent(**base)


def part(k: int = 0, **kw) -> Agent:
    base = {"agent_id": f"T{k}", "name": f"T{k}", "agent_type": "part_time",
            "contract_hours_per_week": 0, "min_hours_per_week": 0, "max_hours_per_week": 30,
            "hourly_cost_cny": 35.0}
    base.update(kw)
    return Agent(**base)


def flat(days: int, level: float, hours: tuple[int, int] = (0, 24)) -> tuple[float, ...]:
    """``level`` agents required between ``hours`` local on every day, 0 otherwise."""
    day = [level if hours[0] <= h / 2 < hours[1] else 0.0 for h in range(48)]
    return tuple(day * days)


def problem(days: int, required, agents, **kw) -> RosterProblem:
    return make_problem(0, 0, days, 0, **{"required": tuple(required), "agents": tuple(agents),
                                          "temporary": kw.pop("temporary", NO_TEMPS), **kw})


def solved(p: RosterProblem):
    r = solve_roster(p, CFG)
    assert r.status in ("OPTIMAL", "FEASIBLE")
    assert violations(p, r) == []
    return r


def test_one_shift_per_day():
    p = problem(1, flat(1, 1.0), [perm()], rules=LabourRules(min_rest_hours=0))
    r = solved(p)
    assert len(r.assignments) == 1  # demand all day, yet a single shift on the date
    assert r.shortfall_penalty_cny > 0


def test_min_rest_between_shifts():
    req = np.zeros(96)
    req[36:48] = 1.0  # day 1 18:00-24:00
    req[48 + 12:48 + 24] = 1.0  # day 2 06:00-12:00
    p = problem(2, req, [perm()], rules=LabourRules(min_rest_hours=11))
    r = solved(p)
    rows = sorted(r.assignments, key=lambda a: a.shift_start)
    for a, b in zip(rows, rows[1:], strict=False):
        assert b.shift_start - a.shift_end >= timedelta(hours=11)
    assert r.shortfall_penalty_cny > 0  # one of the two blocks cannot be covered


def test_max_consecutive_days():
    p = problem(4, flat(4, 1.0, (8, 17)), [perm()], rules=LabourRules(max_consecutive_days=2))
    r = solved(p)
    days = sorted((a.date - START).days for a in r.assignments)
    assert all(not {d, d + 1, d + 2} <= set(days) for d in days)
    assert len(days) == 3  # works days 0, 1, 3 (or 0, 2, 3)


def test_weekly_hours_limits_max_and_min():
    capped = problem(7, flat(7, 2.0, (8, 20)), [part(max_hours_per_week=10)])
    r = solved(capped)
    assert sum(a.paid_hours for a in r.assignments) <= 10 + 1e-9
    assert sum(a.paid_hours for a in r.assignments) >= 8  # demand makes it work to its max
    idle = problem(7, [0.0] * 7 * 48, [perm(min_hours_per_week=16, max_hours_per_week=20)])
    r2 = solved(idle)
    assert 16 <= sum(a.paid_hours for a in r2.assignments) <= 20  # minimum without demand


def test_availability_windows():
    a = part(available_from=time(17, 0), available_to=time(23, 0), available_weekdays=(0,))
    p = problem(2, flat(2, 1.0), [a])
    r = solved(p)
    assert r.assignments, "the agent should work inside its window"
    for s in r.assignments:
        assert s.shift_start.time() >= time(17, 0) and s.shift_end <= datetime.combine(
            s.date, time(23, 0))
        assert s.date.weekday() == 0


def test_availability_window_across_midnight():
    a = part(available_from=time(20, 0), available_to=time(2, 0))
    req = np.zeros(96)
    req[44:52] = 1.0  # 22:00-02:00 across midnight
    r = solved(problem(2, req, [a]))
    assert r.assignments
    s = r.assignments[0]
    assert s.shift_end.date() > s.date  # the shift crosses midnight
    assert s.shift_end <= datetime.combine(s.date + timedelta(days=1), time(2, 0))


def test_days_off_requested():
    p = problem(2, flat(2, 1.0, (8, 18)), [perm(days_off=(START,))])
    r = solved(p)
    assert r.assignments and all(a.date != START for a in r.assignments)


def test_temporary_pool_headcount_and_shortfall_reason():
    pool = TemporaryPool(max_headcount=2, hourly_cost_cny=40.0, onboarding_cost_cny=100.0)
    p = problem(1, flat(1, 4.0, (8, 16)), [], temporary=pool)
    r = solved(p)
    assert r.temporaries_hired == 2
    assert {a.agent_id for a in r.assignments} == {"TEMP-001", "TEMP-002"}
    assert r.unmet and all("temporary pool exhausted" in u.binding for u in r.unmet)
    cov = coverage_frame(p, r.assignments)
    covered = float(cov[["scheduled", "required"]].min(axis=1).sum()) * 0.5
    assert sum(u.agent_hours_short for u in r.unmet) == pytest.approx(32.0 - covered)
    # 1-day horizon: weekly max 48 h scaled to 1 of 5 working days (9.6 h), so each temp
    # works an 8 h shift (whole hours) with a 30-min meal: 7.5 h covered each
    assert covered == pytest.approx(15.0)


def test_temporary_lead_days_and_onboarding_on_first_shift():
    pool = TemporaryPool(max_headcount=1, hourly_cost_cny=40.0, onboarding_cost_cny=300.0,
                         training_hours=5, lead_days=1)
    r = solved(problem(2, flat(2, 1.0, (8, 16)), [], temporary=pool))
    assert all(a.date > START for a in r.assignments)
    first = min(r.assignments, key=lambda a: a.shift_start)
    assert first.cost_cny == pytest.approx(first.paid_hours * 40 + 300 + 5 * 40)
    assert any("lead_days" in u.binding for u in r.unmet if u.start.date() == START)


def test_efficiency_ramp_counted_in_coverage():
    pool = TemporaryPool(max_headcount=1, hourly_cost_cny=10.0, efficiency_ramp=(0.5, 1.0))
    r = solved(problem(2, flat(2, 1.0, (8, 14)), [], temporary=pool))
    cov = coverage_frame(r and problem(2, flat(2, 1.0, (8, 14)), [], temporary=pool),
                         r.assignments)
    day1 = cov[cov.timestamp.dt.date == START]["scheduled"]
    day2 = cov[cov.timestamp.dt.date == START + timedelta(days=1)]["scheduled"]
    assert day1.max() == pytest.approx(0.5) and day2.max() == pytest.approx(1.0)


def test_meal_break_window_and_break_not_covering():
    r = solved(problem(1, flat(1, 1.0, (8, 18)), [perm()]))
    (s,) = r.assignments
    (meal,) = [b for b in s.breaks if not b.paid]
    assert timedelta(hours=3) <= meal.start - s.shift_start <= timedelta(hours=5)
    cov = coverage_frame(problem(1, flat(1, 1.0, (8, 18)), [perm()]), r.assignments)
    on_break = cov[(cov.timestamp >= meal.start) & (cov.timestamp < meal.end)]
    assert len(on_break) == 2 and (on_break["scheduled"] == 0).all()


def test_short_breaks_remove_half_a_slot():
    pol = ShiftPolicy(paid_hours_min=8, paid_hours_max=8, short_break_minutes=15,
                      short_break_every_hours=4)
    p = problem(1, flat(1, 1.0, (8, 16)), [perm()])
    p = p.model_copy(update={"shifts": p.shifts.model_copy(update={"permanent": pol})})
    r = solved(p)
    (s,) = r.assignments
    assert len(s.breaks) == 2 and all(b.paid for b in s.breaks)
    cov = coverage_frame(p, r.assignments)
    assert sorted(cov["scheduled"].unique().tolist()) == [0.0, 0.5, 1.0]
    assert (cov["scheduled"] == 0.5).sum() == 2


def test_coverage_with_shortfall_penalty():
    p = problem(1, flat(1, 2.0, (9, 17)), [perm()],
                costs=CostParams(shortfall_cost_per_agent_hour_cny=100.0))
    r = solved(p)
    cov = coverage_frame(p, r.assignments)
    short_h = float(cov["shortfall"].sum()) * 0.5
    assert r.shortfall_penalty_cny == pytest.approx(100.0 * short_h)
    assert short_h >= 8.0  # one agent cannot cover two required
    assert r.objective_cny == pytest.approx(sum(a.cost_cny for a in r.assignments) + 100 * short_h)


def test_overtime_cost_on_crossing_shift():
    a = perm(contract_hours_per_week=16, max_hours_per_week=40, hourly_cost_cny=50.0)
    p = problem(7, list(flat(3, 1.0, (9, 17))) + [0.0] * 4 * 48, [a])
    r = solved(p)
    rows = sorted(r.assignments, key=lambda s: s.shift_start)
    hours = sum(s.paid_hours for s in rows)
    assert hours >= 24
    assert sum(s.cost_cny for s in rows) == pytest.approx((hours - 16) * 50 * 1.5)
    assert rows[0].cost_cny == 0 and rows[-1].cost_cny > 0


def test_night_shift_fairness():
    req = np.zeros(4 * 48)
    for d in range(4):
        req[d * 48:d * 48 + 8] = 1.0  # 00:00-04:00 every night
    costs = CostParams(shortfall_cost_per_agent_hour_cny=200.0, fairness_weight_cny=500.0)
    p = problem(4, req, [perm(0), perm(1)], costs=costs)
    r = solved(p)
    counts = [sum(1 for s in r.assignments if s.agent_id == k) for k in ("P0", "P1")]
    assert abs(counts[0] - counts[1]) <= 1 and sum(counts) >= 3
    assert r.fairness_penalty_cny == 0


def test_shift_crossing_midnight_covers_peak():
    req = np.zeros(96)
    req[44:52] = 1.0  # 22:00-02:00
    r = solved(problem(2, req, [perm()]))
    assert r.shortfall_penalty_cny == 0
    s = r.assignments[0]
    assert s.shift_start.date() < s.shift_end.date()


def test_overstaff_penalty_with_agents_on_identical_shifts():
    # three agents must work (weekly minimum) although one is required: surplus is priced
    agents = [perm(k, min_hours_per_week=8 * 7 / 7, max_hours_per_week=9) for k in range(3)]
    costs = CostParams(shortfall_cost_per_agent_hour_cny=200.0,
                       overstaff_cost_per_agent_hour_cny=2.0)
    p = problem(7, flat(7, 1.0, (9, 17)), agents, costs=costs)
    r = solved(p)
    assert len(r.assignments) >= 3
    cov = coverage_frame(p, r.assignments)
    assert r.overstaff_penalty_cny == pytest.approx(2.0 * float(cov["surplus"].sum()) * 0.5)
    assert r.overstaff_penalty_cny > 0
