"""Parallel search epochs (scheduler/roster/search/parallel_epochs.py): forked or alternating epochs
of kicks and day MIPs return a valid roster cheaper than the start, and a forked child's kicks
alone improve it."""

from __future__ import annotations

import os
import time

import pytest
from local_search_support import roster_cost, start_roster
from roster_factory import make_problem

from scheduler.cores import usable_cores
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


@pytest.mark.skipif(usable_cores() < 2, reason="needs two usable cores for a forked child")
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


def test_one_usable_core_forks_no_child(monkeypatch):
    """A process allowed one core (affinity mask) on a many-core machine searches alone: the
    pool is the process itself and no child is forked, however many workers are asked for."""
    import scheduler.roster.search.parallel_epochs as ps

    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0}, raising=False)
    monkeypatch.setattr(ps.mp, "get_all_start_methods", lambda: ["fork", "spawn"])
    assert ps.child_processes(4) == 0

    def no_fork(*_args, **_kwargs):
        raise AssertionError("a child process was forked on a 1-core affinity mask")

    monkeypatch.setattr(ps.mp, "get_context", no_fork)
    monkeypatch.setattr(ps, "EPOCH_S", 0.3)
    p = make_problem(n_perm=6, n_part=3, days=7, temp_max=1, peak_day=3, seed=2, scale=4.0)
    inst, start = start_roster(p)
    out = ps.parallel_perturb(BestResponse(inst), start, time.perf_counter() + 0.7, seed=0,
                              workers=4)
    assert roster_cost(inst, out).total_cny <= roster_cost(inst, start).total_cny
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2}, raising=False)
    assert ps.child_processes(4) == 2  # three usable cores: the process and two children
