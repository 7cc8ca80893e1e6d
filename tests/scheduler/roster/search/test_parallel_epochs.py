"""Parallel search epochs (scheduler/roster/search/parallel_epochs.py): forked or alternating epochs
of kicks and day MIPs return a valid roster cheaper than the start, and a forked child's kicks
alone improve it."""

from __future__ import annotations

import os
import time

import pytest
from local_search_support import roster_cost, start_roster
from roster_factory import make_problem

from scheduler.roster.checks.validator import roster_frame_from_assignments, validate_roster
from scheduler.roster.pricing.compare import raw_shifts
from scheduler.roster.pricing.roster_rows import make_rows
from scheduler.roster.search.best_response import BestResponse
from scheduler.roster.solve import relabel_temps


@pytest.mark.parametrize("workers", [1, 2])
def test_parallel_search_never_worse_and_valid(monkeypatch, workers):
    """Epochs of kicks and day MIPs (forked: two processes where the machine has two cores;
    alone: alternating) return a valid roster cheaper than the start."""
    import scheduler.roster.search.parallel_epochs as ps

    monkeypatch.setattr(ps, "EPOCH_S", 0.5)
    p = make_problem(n_perm=6, n_part=3, days=7, temp_max=1, peak_day=3, seed=2, scale=4.0)
    inst, start = start_roster(p)
    br = BestResponse(inst)
    out = ps.parallel_perturb(br, start, time.perf_counter() + 1.5, seed=0, workers=workers)
    rows = make_rows(p, inst.hz, inst.cols, raw_shifts(inst, relabel_temps(inst, out)))
    rep = validate_roster(p, roster_frame_from_assignments(rows))
    assert rep.violations == []
    assert rep.total_cost_cny < roster_cost(inst, start).total_cny


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores for a forked child")
def test_parallel_search_children_do_the_kicking(monkeypatch):
    """With the parent's own step made a no-op, the forked child's kicks alone still improve
    the roster (a child that does not run would leave it unchanged)."""
    import scheduler.roster.search.parallel_epochs as ps

    monkeypatch.setattr(ps, "EPOCH_S", 0.5)
    monkeypatch.setattr(ps, "_parent_step",
                        lambda br, best, end, seed, days: (br.load(best), (br.total(), best))[1])
    p = make_problem(n_perm=6, n_part=3, days=7, temp_max=1, peak_day=3, seed=2, scale=4.0)
    inst, start = start_roster(p)
    br = BestResponse(inst)
    out = ps.parallel_perturb(br, start, time.perf_counter() + 1.5, seed=0, workers=2)
    assert roster_cost(inst, out).total_cny < roster_cost(inst, start).total_cny
