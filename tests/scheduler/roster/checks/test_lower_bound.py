"""The HiGHS LP lower bound (scheduler/roster/checks/lower_bound.py): exact on cases with a known
optimum (a cyclic call-centre toy, one agent, temporary hiring with lead days). Its use as the
benchmark's yardstick against seeded benchmark rosters is tested in
tests/benchmarks/test_lp_bound.py."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from scheduler.roster.checks.lower_bound import build_and_solve
from scheduler.roster.checks.validator import roster_frame_from_assignments, validate_roster
from scheduler.roster.schema import (
    Agent,
    Break,
    CostParams,
    LabourRules,
    RosterProblem,
    ShiftAssignment,
    ShiftPolicies,
    ShiftPolicy,
    TemporaryPool,
)

TOY = [6, 6, 6, 6, 6, 8, 9, 12, 18, 22, 25, 21, 21, 20, 18, 21, 21, 24, 24, 18, 18, 18, 12, 8]
DAY = datetime(2026, 11, 11)


def _problem(required, interval=60, agents=(), pool=None, policy=None, **kw) -> RosterProblem:
    policy = policy or ShiftPolicy(
        paid_hours_min=8, paid_hours_max=8, start_step_minutes=60, latest_start=time(23)
    )
    n = len(required)
    return RosterProblem(
        slot_starts=tuple(DAY + timedelta(minutes=interval * i) for i in range(n)),
        interval_minutes=interval,
        required=tuple(float(r) for r in required),
        agents=agents,
        temporary=pool or TemporaryPool(max_headcount=0, hourly_cost_cny=0),
        shifts=ShiftPolicies(permanent=policy, part_time=policy, temporary=policy),
        rules=kw.pop("rules", LabourRules()),
        costs=kw.pop("costs", CostParams(shortfall_cost_per_agent_hour_cny=100)),
    )


def test_cyclic_call_centre_toy_lp_equals_ip_equals_55():
    # 8-h shifts at any hour cost 1 each (temporaries at 1/8 CNY an hour, no hiring cost).
    pool = TemporaryPool(max_headcount=100, hourly_cost_cny=1 / 8, max_hours_per_week=56)
    res = build_and_solve(_problem(TOY, pool=pool), mip_time_limit_s=10)
    assert res.lp_bound_cny == pytest.approx(55.0)
    assert res.mip_objective_cny == pytest.approx(55.0)
    assert res.lp_breakdown["shortfall_agent_hours"] == pytest.approx(0.0, abs=1e-6)


def test_single_permanent_agent_bound_equals_the_validated_best_roster():
    # One agent, contract 0 (every hour is overtime at 40 x 1.5), demand 1 all day, shortfall 100.
    # A 1-day horizon prorates weekly limits by 1/7: 63 h/week allows the 9-h shift.
    agent = Agent(
        agent_id="P1",
        name="a",
        agent_type="permanent",
        contract_hours_per_week=0,
        min_hours_per_week=0,
        max_hours_per_week=63,
        hourly_cost_cny=40,
    )
    policy = ShiftPolicy(paid_hours_min=8, paid_hours_max=9, meal_break_minutes=60)
    problem = _problem(
        [1] * 48,
        interval=30,
        agents=(agent,),
        policy=policy,
        rules=LabourRules(max_hours_per_week=63),
    )
    # Best roster: a 9-h paid shift (10-h span) covers 9 h; 15 h short.
    expected = 9 * 40 * 1.5 + 15 * 100
    assert build_and_solve(problem).lp_bound_cny == pytest.approx(expected)
    shift = ShiftAssignment(
        agent_id="P1",
        agent_name="a",
        agent_type="permanent",
        date=DAY.date(),
        shift_start=DAY + timedelta(hours=8),
        shift_end=DAY + timedelta(hours=18),
        breaks=(Break(start=DAY + timedelta(hours=12), end=DAY + timedelta(hours=13), paid=False),),
        paid_hours=9,
        cost_cny=540,
    )
    rep = validate_roster(problem, roster_frame_from_assignments([shift]))
    assert rep.ok
    assert rep.total_cost_cny == pytest.approx(expected)


@pytest.mark.parametrize(("lead_days", "expected"), [(1, 8 * 30 + 100 + 2 * 30), (2, 8 * 100)])
def test_temporary_hiring_cost_and_lead_days(lead_days, expected):
    req = [0] * 48 + [0] * 18 + [1] * 16 + [0] * 14  # day 2, 09:00-17:00
    pool = TemporaryPool(
        max_headcount=3,
        hourly_cost_cny=30,
        onboarding_cost_cny=100,
        training_hours=2,
        lead_days=lead_days,
    )
    policy = ShiftPolicy(paid_hours_min=8, paid_hours_max=8)
    res = build_and_solve(_problem(req, interval=30, pool=pool, policy=policy), mip_time_limit_s=10)
    assert res.lp_bound_cny == pytest.approx(expected)
    assert res.mip_objective_cny == pytest.approx(expected)


def test_rest_occupancy_counts_only_agents_available_on_the_dates_that_reach_it():
    # A Wednesday 00:00-02:00 rush of 3 and three part-timers of one class (4-h shifts, 10 CNY
    # an hour): A and B work Tuesdays and Wednesdays, C only Fridays. Per day at most 2 can
    # work, but C can never be there: the best roster is A Tue 22:00-02:00 and B Wed
    # 00:00-04:00, one agent short for 2 h (80 + 200 CNY). With the class size (3) as the
    # occupancy cap the LP covered the rush with 1.5 + 1.5 shifts for 120 CNY.
    tue = DAY - timedelta(days=1)
    policy = ShiftPolicy(paid_hours_min=4, paid_hours_max=4, start_step_minutes=60)
    agents = tuple(
        Agent(agent_id=k, name=k, agent_type="part_time", contract_hours_per_week=0,
              min_hours_per_week=0, max_hours_per_week=24, hourly_cost_cny=10,
              available_weekdays=days)
        for k, days in (("A", (1, 2)), ("B", (1, 2)), ("C", (4,)))
    )
    required = [0.0] * 48
    required[24] = required[25] = 3.0  # Wednesday 00:00 and 01:00
    problem = RosterProblem(
        slot_starts=tuple(tue + timedelta(hours=i) for i in range(48)),
        interval_minutes=60,
        required=tuple(required),
        agents=agents,
        temporary=TemporaryPool(max_headcount=0, hourly_cost_cny=0),
        shifts=ShiftPolicies(permanent=policy, part_time=policy, temporary=policy),
        rules=LabourRules(),
        costs=CostParams(shortfall_cost_per_agent_hour_cny=100),
    )
    assert build_and_solve(problem).lp_bound_cny == pytest.approx(280.0)
    shifts = [
        ShiftAssignment(agent_id=k, agent_name=k, agent_type="part_time", date=start.date(),
                        shift_start=start, shift_end=start + timedelta(hours=4), breaks=(),
                        paid_hours=4, cost_cny=40)
        for k, start in (("A", tue + timedelta(hours=22)), ("B", DAY))
    ]
    rep = validate_roster(problem, roster_frame_from_assignments(shifts))
    assert rep.ok
    assert rep.total_cost_cny == pytest.approx(280.0)
