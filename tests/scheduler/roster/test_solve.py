"""solve_roster end to end: determinism, shortfall instead of failure, rejected rules, outputs."""

from __future__ import annotations

from datetime import time
from time import perf_counter

import pytest
from roster_checks import violations
from roster_factory import make_problem

from scheduler.errors import SchedulerInputError
from scheduler.roster.instance.preflight import check_problem
from scheduler.roster.pricing.coverage import coverage_frame
from scheduler.roster.schema import (
    LabourRules,
    ShiftPolicy,
    SolverConfig,
    TemporaryPool,
)
from scheduler.roster.solve import cpsat_model, prepare_instance, solve_roster

CFG = SolverConfig(time_limit_s=10, num_workers=1, random_seed=0, deterministic_time_limit=2.0)


def _key(result):
    return [(a.agent_id, a.shift_start, a.shift_end, a.breaks) for a in result.assignments]


def test_deterministic_for_fixed_seed_and_one_worker():
    p = make_problem(n_perm=3, n_part=2, days=3, temp_max=2, peak_day=1)
    cfg = CFG.model_copy(update={"deterministic_time_limit": 0.5})
    a = solve_roster(p, cfg)
    b = solve_roster(p, cfg)
    assert a.status in ("OPTIMAL", "FEASIBLE")
    assert _key(a) == _key(b) and a.objective_cny == b.objective_cny
    assert violations(p, a) == []


def test_small_week_is_consistent_and_reports_progress():
    p = make_problem(n_perm=5, n_part=3, days=7, temp_max=3, peak_day=4)
    seen = []
    cfg = CFG.model_copy(update={"deterministic_time_limit": 1.0})
    r = solve_roster(p, cfg, on_progress=lambda t, obj, bound: seen.append((t, obj, bound)))
    assert violations(p, r) == []
    assert seen and list(r.progress) == seen
    assert r.best_bound_cny is not None and r.best_bound_cny <= r.objective_cny + 1e-6
    assert 0 <= r.gap <= 1
    assert r.wall_time_s > 0


def test_unmeetable_demand_still_gives_roster_and_shortfall_report():
    p = make_problem(n_perm=3, n_part=0, days=2, temp_max=1, scale=12.0, peak_day=1)
    r = solve_roster(p, CFG)
    assert r.status in ("OPTIMAL", "FEASIBLE")
    assert r.assignments and r.unmet
    assert violations(p, r) == []
    short = coverage_frame(p, r.assignments)["shortfall"].sum() * 0.5
    assert sum(u.agent_hours_short for u in r.unmet) == pytest.approx(short)
    assert any("temporary pool exhausted (1 of 1 hired)" == u.binding for u in r.unmet)
    for u in r.unmet:
        assert u.start < u.end and u.peak_agents_short > 0


def test_coverage_frame_columns():
    p = make_problem(n_perm=2, n_part=0, days=1, temp_max=0)
    frame = coverage_frame(p, ())
    assert list(frame.columns) == ["timestamp", "required", "scheduled", "shortfall", "surplus"]
    assert (frame["shortfall"] == frame["required"]).all() and (frame["scheduled"] == 0).all()


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"rules": LabourRules(max_hours_per_week=30)}, "field 'min_hours_per_week'"),
        ({"rules": LabourRules(max_hours_per_day=7)}, "field 'paid_hours_min'"),
        ({"temporary": TemporaryPool(max_headcount=1, hourly_cost_cny=1, min_hours_per_week=50,
                                     max_hours_per_week=40)}, "temporary pool"),
    ],
)
def test_self_contradicting_rules_are_rejected(change, needle):
    p = make_problem(n_perm=2, n_part=0, days=7, temp_max=0).model_copy(update=change)
    with pytest.raises(SchedulerInputError) as err:
        solve_roster(p, CFG)
    assert needle in str(err.value) and "\n" not in str(err.value)


def test_min_hours_that_cannot_fit_availability_are_rejected():
    p = make_problem(n_perm=1, n_part=0, days=7, temp_max=0)
    a = p.agents[0].model_copy(update={"available_weekdays": (0, 1)})  # 2 days x 9 h < 40 h
    with pytest.raises(SchedulerInputError, match="agent P000: field 'min_hours_per_week'"):
        check_problem(p.model_copy(update={"agents": (a,)}))


def test_no_permitted_start_inside_availability_is_rejected():
    p = make_problem(n_perm=1, n_part=0, days=7, temp_max=0)
    a = p.agents[0].model_copy(update={"available_from": time(9, 0),
                                       "available_to": time(12, 0)})
    with pytest.raises(SchedulerInputError, match="no permitted shift start"):
        check_problem(p.model_copy(update={"agents": (a,)}))


def test_unaligned_start_step_is_rejected():
    p = make_problem(n_perm=1, n_part=0, days=1, temp_max=0)
    pol = ShiftPolicy(paid_hours_min=8, paid_hours_max=8, start_step_minutes=20)
    p = p.model_copy(update={"shifts": p.shifts.model_copy(update={"permanent": pol})})
    with pytest.raises(SchedulerInputError, match="shift policy 'permanent'"):
        check_problem(p)


def test_solve_roster_reports_local_search_progress():
    from scheduler.roster.schema import SolverConfig
    from scheduler.roster.solve import solve_roster

    p = make_problem(n_perm=30, n_part=10, days=7, temp_max=4, peak_day=3, seed=3)
    seen = []
    t = perf_counter()
    # deterministic mode: work limits, the clock (60 s) is only HiGHS's safety net
    res = solve_roster(p, SolverConfig(time_limit_s=60, num_workers=1, random_seed=0,
                                       deterministic_time_limit=2.0),
                       on_progress=lambda *r: seen.append(r))
    assert perf_counter() - t < 90
    assert seen and [s[1] for s in seen] == sorted((s[1] for s in seen), reverse=True)
    assert res.objective_cny <= seen[-1][1] + 1e-6


def test_rules_can_be_added_after_local_search():
    """solve_roster builds the CP-SAT rules only when CP-SAT will run: the deferred model is
    the same model."""
    from scheduler.roster.solve import add_rules

    p = make_problem(n_perm=6, n_part=3, days=7, temp_max=1, peak_day=3, seed=2, scale=4.0)
    whole = cpsat_model(prepare_instance(p)[0])
    later = cpsat_model(prepare_instance(p)[0], rules=False)
    assert len(later.m.proto.constraints) < len(whole.m.proto.constraints)
    add_rules(later)
    assert len(later.m.proto.constraints) == len(whole.m.proto.constraints)
    assert len(later.m.proto.variables) == len(whole.m.proto.variables)
    assert len(whole.m.proto.objective.vars) > 0
    for field in ("vars", "coeffs"):
        assert list(getattr(later.m.proto.objective, field)) == list(
            getattr(whole.m.proto.objective, field))
