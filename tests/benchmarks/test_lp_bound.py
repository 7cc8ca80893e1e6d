"""The HiGHS LP bound as the roster benchmark's yardstick: never above a validated roster of the
benchmark's seeded instances (staff-to-peak baseline, CP-SAT engine). Exactness on known optima
is tested with the product in tests/scheduler/roster/checks/test_lower_bound.py."""

from __future__ import annotations

from datetime import date

import pytest

from benchmarks.baselines import staff_to_peak
from benchmarks.lp_bound import build_and_solve
from benchmarks.roster_instances import make_instance
from scheduler.roster.checks.validator import roster_frame_from_assignments, validate_roster
from scheduler.roster.schema import SolverConfig


def test_bound_below_validated_staff_to_peak_roster_on_seeded_instances():
    for n, seed in ((12, 0), (16, 1)):
        problem = make_instance(n, 7, seed, start=date(2026, 11, 9))  # whole calendar weeks
        rep = validate_roster(problem, roster_frame_from_assignments(staff_to_peak(problem)))
        assert rep.ok, rep.summary()
        res = build_and_solve(problem, mip_time_limit_s=2)
        assert 0 < res.lp_bound_cny <= rep.total_cost_cny + 1e-6
        assert res.mip_dual_bound_cny <= rep.total_cost_cny + 1e-6


def test_bound_below_validated_cpsat_roster():
    solve = pytest.importorskip("scheduler.roster.solve").solve_roster
    problem = make_instance(12, 7, 3)
    result = solve(
        problem,
        SolverConfig(time_limit_s=5, num_workers=1, random_seed=0, deterministic_time_limit=2),
    )
    rep = validate_roster(problem, roster_frame_from_assignments(result.assignments))
    assert build_and_solve(problem).lp_bound_cny <= rep.total_cost_cny + 1e-6
