"""The per-agent (tour) relaxation probe: its Lagrangian bound never exceeds a validated roster's
cost, the master never falls below it, on a small instance the two meet, and the master's
solution by category adds up to its value (every named agent's tour weights summing to one)."""

from __future__ import annotations

from datetime import date

from benchmarks.roster_instances import make_instance
from benchmarks.tour_bound import full_instance, tour_bound
from scheduler.roster.checks.validator import roster_frame_from_assignments, validate_roster
from scheduler.roster.schema import SolverConfig
from scheduler.roster.solve import solve_roster


def test_tour_bound_between_itself_and_a_validated_roster():
    problem = make_instance(6, 7, 1, start=date(2026, 11, 9))
    result = solve_roster(
        problem,
        SolverConfig(time_limit_s=5, num_workers=1, random_seed=0, deterministic_time_limit=2),
    )
    rep = validate_roster(problem, roster_frame_from_assignments(result.assignments))
    assert rep.ok, rep.summary()
    res = tour_bound(full_instance(problem), seconds=60, log=lambda _: None)
    assert res.converged
    assert res.lagrangian <= res.master + 1e-6
    assert res.master - res.lagrangian <= 1e-3 * res.master
    assert res.lagrangian <= rep.total_cost_cny + 1e-6
    assert res.tours > 0
    parts = res.parts
    spent = parts["shortfall_cny"] + parts["surplus_cny"] + sum(
        v for k, v in parts.items() if k.endswith("_cost_cny"))
    assert abs(spent - parts["master_cny"]) <= 1e-6 * parts["master_cny"]
    assert parts["master_cny"] <= res.master + 1e-6
    assert abs(sum(v for k, v in parts.items() if k.endswith("_agents")
                   and not k.startswith("temporary")) - len(problem.agents)) < 1e-6
