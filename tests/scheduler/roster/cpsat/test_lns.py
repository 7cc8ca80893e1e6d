"""LNS on the per-agent CP-SAT model (``cpsat.lns``): never worse, deterministic, valid."""

from __future__ import annotations

import time

import pytest
from roster_factory import make_problem

from scheduler.roster.checks.validator import roster_frame_from_assignments, validate_roster
from scheduler.roster.construct.fill_gaps import fill_gaps
from scheduler.roster.construct.greedy import greedy_roster
from scheduler.roster.cpsat.lns import Lns
from scheduler.roster.cpsat.model import OBJ_SCALE
from scheduler.roster.pricing.compare import raw_shifts
from scheduler.roster.pricing.roster_rows import make_rows, price_roster
from scheduler.roster.schema import SolverConfig
from scheduler.roster.solve import cpsat_model, prepare_instance, relabel_temps

CFG = SolverConfig(time_limit_s=30, num_workers=1, random_seed=3, deterministic_time_limit=0.8)


def _rows(inst, chosen):
    return make_rows(inst.problem, inst.hz, inst.cols, raw_shifts(inst, chosen))


def _run_lns(p):
    inst, _, sel = prepare_instance(p)
    start = relabel_temps(inst, fill_gaps(inst, greedy_roster(inst, sel.x, sel.cohorts)))
    lns = Lns(cpsat_model(inst), CFG)
    assert lns.start(start, 10.0)
    start_obj = lns.obj / OBJ_SCALE
    seen: list[float] = []
    lns.run(time.perf_counter() + 60.0, CFG.deterministic_time_limit, seen.append)
    return inst, start, start_obj, lns, seen


def test_lns_never_worse_deterministic_and_valid():
    p = make_problem(n_perm=8, n_part=3, days=7, temp_max=2, peak_day=3, seed=1)
    inst, start, start_obj, lns, seen = _run_lns(p)
    assert lns.stats.iterations > 0
    assert lns.obj / OBJ_SCALE <= start_obj + 1e-6
    assert seen == sorted(seen, reverse=True)  # each reported objective improves on the last
    rows = _rows(inst, lns.chosen())
    before = price_roster(p, _rows(inst, start)).total_cny
    after = price_roster(p, rows).total_cny
    assert after <= before + 1e-6
    rep = validate_roster(p, roster_frame_from_assignments(rows))
    assert rep.violations == [] and rep.total_cost_cny == pytest.approx(after)
    _, _, _, again, _ = _run_lns(p)
    assert again.chosen() == lns.chosen() and again.obj == lns.obj
