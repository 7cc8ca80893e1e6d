"""Deterministic mode (issue 17, point 7): the same inputs and seed give the byte-identical HR
roster whatever the machine's load; the safety clock, if it fires, is reported."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from types import SimpleNamespace

import pytest
from roster_checks import violations
from roster_factory import make_problem

from scheduler.roster import work_budget
from scheduler.roster.checks.validator import roster_frame_from_assignments
from scheduler.roster.schema import RosterProblem, RosterResult, SolverConfig
from scheduler.roster.solve import solve_roster

SAFETY = "deterministic mode: the safety time limit"
HOG = "import time\nend = time.time() + 120\nwhile time.time() < end:\n    pass\n"


def roster_sha256(result: RosterResult) -> str:
    """SHA-256 of the HR roster frame (one row per agent per working day) as CSV."""
    frame = roster_frame_from_assignments(result.assignments)
    return hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()


def _problems() -> dict[str, RosterProblem]:
    return {
        "tiny": make_problem(n_perm=3, n_part=2, days=3, temp_max=2, peak_day=1),
        "mid": make_problem(n_perm=20, n_part=8, days=7, temp_max=6, peak_day=4),
    }


@pytest.mark.parametrize("name", ["tiny", "mid"])
def test_same_seed_gives_identical_roster_bytes_under_cpu_load(name):
    problem = _problems()[name]
    cfg = SolverConfig(time_limit_s=3, random_seed=11, deterministic=True)  # default workers
    quiet = solve_roster(problem, cfg)
    hogs = [subprocess.Popen([sys.executable, "-c", HOG]) for _ in range(2)]
    try:
        loaded = solve_roster(problem, cfg)
    finally:
        for h in hogs:
            h.kill()
            h.wait()
    assert quiet.assignments, "empty roster"
    assert roster_sha256(quiet) == roster_sha256(loaded)
    assert quiet.objective_cny == loaded.objective_cny
    assert not any(w.startswith(SAFETY) for w in quiet.warnings + loaded.warnings)
    assert violations(problem, quiet) == []


def test_safety_clock_that_fires_is_reported(monkeypatch):
    monkeypatch.setattr(work_budget, "SAFETY_FACTOR", 0.0)
    monkeypatch.setattr(work_budget, "SAFETY_EXTRA_S", 0.0)
    problem = _problems()["tiny"]
    result = solve_roster(problem, SolverConfig(time_limit_s=3, random_seed=11,
                                                deterministic=True))
    assert any(w.startswith(SAFETY) and "may differ between runs" in w
               for w in result.warnings), result.warnings
    assert result.assignments and violations(problem, result) == []


def test_default_mode_reports_no_safety_clock():
    result = solve_roster(_problems()["tiny"], SolverConfig(time_limit_s=2, num_workers=1))
    assert not any(w.startswith(SAFETY) for w in result.warnings)


def test_work_budget_scales_with_the_time_limit():
    short = work_budget.WorkBudget.of(SolverConfig(time_limit_s=10, deterministic=True), 0.0)
    long = work_budget.WorkBudget.of(SolverConfig(time_limit_s=100, deterministic=True), 0.0)
    assert long.moves(0.9) == 10 * short.moves(0.9)
    assert short.kicks(0.9) is None  # moves, not kicks: a kick costs more on a bigger roster
    assert long.cp_sat_dtime(50) == 10 * short.cp_sat_dtime(5)
    default = work_budget.WorkBudget.of(SolverConfig(time_limit_s=10), 0.0)
    assert not default.fixed and default.cp_sat_dtime(5) is None


def test_cli_flag_sets_deterministic_over_the_scenario():
    from scenarios.cli_args import build_parser as _parser
    from scenarios.cli_args import solver_config as _solver_config

    scenario = SimpleNamespace(solver=SolverConfig(time_limit_s=30))
    base = ["roster", "--requirements", "r.csv", "--scenario", "s.toml", "--out", "o.csv"]
    on = _parser().parse_args([*base, "--deterministic"])
    assert _solver_config(on, scenario).deterministic is True
    off = _parser().parse_args(base)
    assert _solver_config(off, scenario).deterministic is False
    keep = SimpleNamespace(solver=SolverConfig(deterministic=True))
    assert _solver_config(off, keep).deterministic is True  # the scenario key holds


def test_move_budget_stops_the_local_search():
    """The kicks stop once they have made the budget's moves (a work count, not the clock)."""
    from roster_factory import make_problem

    from scheduler.roster.search.best_response import BestResponse
    from scheduler.roster.solve import prepare_instance

    problem = make_problem(n_perm=6, n_part=3, days=3, temp_max=2, peak_day=1)
    inst, _masks, _sel = prepare_instance(problem, SolverConfig(time_limit_s=5, deterministic=True))
    br = BestResponse(inst)
    start, _ = br.improve([], float("inf"))
    before = br.moves
    br.perturb_search(start, float("inf"), seed=0, max_moves=500)
    made = br.moves - before
    assert 500 <= made < 500 + 3 * len(inst.ids)  # the last kick may finish its repairs
