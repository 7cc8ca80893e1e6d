"""The LP bound counts temporaries by ramp age (issue 22): a temp's first day is at the ramp's
first efficiency, so a bound that takes every temp at its best efficiency is looser."""

from __future__ import annotations

from roster_factory import make_problem

from scheduler.roster import solve_roster
from scheduler.roster.checks.lower_bound import build_and_solve
from scheduler.roster.checks.validator import roster_frame_from_assignments, validate_roster
from scheduler.roster.schema import SolverConfig, TemporaryPool


def _first_day_rush(ramp: tuple[float, ...]):
    """No named agents; 2 days; demand 3 agents 08:00-16:00 on day 0 only; 3 temps, no fee."""
    p = make_problem(n_perm=0, n_part=0, days=2, temp_max=3, peak_day=None)
    req = [3.0 if 16 <= k < 32 else 0.0 for k in range(len(p.slot_starts))]
    pool = TemporaryPool(max_headcount=3, hourly_cost_cny=40.0, efficiency_ramp=ramp)
    return p.model_copy(update={"required": tuple(req), "temporary": pool})


def test_first_day_temps_count_at_their_first_efficiency():
    ramped = build_and_solve(_first_day_rush((0.5, 1.0))).lp_bound_cny
    best = build_and_solve(_first_day_rush((1.0,))).lp_bound_cny
    # 3 temps at 0.5 cover about half the 24 agent-hours: about 11 more agent-hours short at
    # 200 CNY each than at full efficiency (measured 3,510 against 1,260 CNY)
    assert ramped >= best + 2000


def test_ramped_bound_stays_below_a_validated_roster():
    p = _first_day_rush((0.5, 0.8, 1.0))
    result = solve_roster(p, SolverConfig(time_limit_s=5, num_workers=1, random_seed=0))
    report = validate_roster(p, roster_frame_from_assignments(result.assignments))
    assert report.ok, report.summary()
    assert build_and_solve(p).lp_bound_cny <= report.total_cost_cny + 1e-6
