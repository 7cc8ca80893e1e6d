"""Best-response local search (scheduler/roster/search/best_response.py): it never worsens a roster,
keeps it valid (pool size included), is deterministic for a seed, its ban kicks find moves, and
a sweep without moves leaves no single identity a cheaper schedule of its own."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from local_search_support import roster_cost, start_roster
from roster_factory import make_problem

from scheduler.roster.checks.validator import roster_frame_from_assignments, validate_roster
from scheduler.roster.pricing.compare import raw_shifts
from scheduler.roster.pricing.roster_rows import make_rows
from scheduler.roster.search.best_response import BestResponse
from scheduler.roster.solve import relabel_temps


@pytest.mark.parametrize("temp_max", [0, 1])
def test_best_response_never_worse_valid_deterministic(temp_max):
    # heavy demand: hiring temps pays, so the pool limit binds when it is 1
    p = make_problem(n_perm=6, n_part=3, days=7, temp_max=temp_max, peak_day=3, seed=2,
                     scale=4.0)
    inst, start = start_roster(p)
    before = roster_cost(inst, start).total_cny
    br = BestResponse(inst)
    out, moves = br.improve(start, np.inf, seed=5)
    assert moves > 0
    assert br.total() == pytest.approx(roster_cost(inst, out).total_cny)
    kicked, _ = br.perturb_search(out, np.inf, seed=5, max_kicks=15)
    for chosen in (out, kicked):
        chosen = relabel_temps(inst, chosen)
        rows = make_rows(p, inst.hz, inst.cols, raw_shifts(inst, chosen))
        rep = validate_roster(p, roster_frame_from_assignments(rows))
        assert rep.violations == []
        assert rep.total_cost_cny <= before + 1e-6
        assert len({r.agent_id for r in rows if r.agent_type == "temporary"}) <= temp_max
    assert roster_cost(inst, kicked).total_cny <= roster_cost(inst, out).total_cny + 1e-6
    again, _ = BestResponse(inst).perturb_search(
        BestResponse(inst).improve(start, np.inf, seed=5)[0], np.inf, seed=5, max_kicks=15)
    assert again == kicked


def test_ban_kicks_never_worse_valid_deterministic(monkeypatch):
    """Every kick a ban kick (one shift banned, the hole offered to others): the roster never
    gets dearer, stays valid and is the same for the same seed; and bans do find moves."""
    import scheduler.roster.search.best_response as bresp

    monkeypatch.setattr(bresp, "BAN_AFTER", 0)
    monkeypatch.setattr(bresp, "BAN_SHARE", 1.0)
    p = make_problem(n_perm=6, n_part=3, days=7, temp_max=1, peak_day=3, seed=2, scale=4.0)
    inst, start = start_roster(p)
    out, _ = BestResponse(inst).improve(start, np.inf, seed=1)
    runs = []
    for _ in range(2):
        br = BestResponse(inst)
        kicked, accepted = br.perturb_search(out, np.inf, seed=3, max_kicks=30)
        runs.append(kicked)
    assert runs[0] == runs[1]
    assert accepted > 0
    rows = make_rows(p, inst.hz, inst.cols, raw_shifts(inst, relabel_temps(inst, runs[0])))
    rep = validate_roster(p, roster_frame_from_assignments(rows))
    assert rep.violations == []
    assert rep.total_cost_cny <= roster_cost(inst, out).total_cny + 1e-6


def test_best_response_move_is_an_exact_best_reply():
    """After a sweep without moves, no single identity can lower the cost by changing its own
    candidate schedule (checked by random single-identity changes)."""
    p = make_problem(n_perm=4, n_part=2, days=7, temp_max=0, peak_day=3, seed=4)
    inst, start = start_roster(p)
    br = BestResponse(inst)
    out, _ = br.improve(start, np.inf, seed=0, max_sweeps=50)
    base = roster_cost(inst, out).total_cny
    rng = random.Random(0)
    pricer = br.pricer
    for _ in range(200):
        i = rng.randrange(len(inst.ids))
        d = rng.randrange(7)
        options = list(inst.candidates[i].get(d, []))
        if not options:
            continue
        day_of = inst.cols[inst.ids[i].agent_type].day
        others = [(a, j) for a, j in out if not (a == i and day_of[j] == d)]
        trial = others + [(i, rng.choice(options))]
        tour = tuple(sorted((int(inst.cols[inst.ids[i].agent_type].day[j]), j)
                            for a, j in trial if a == i))
        if not np.isfinite(pricer.tour_cost(i, tour)) or not _rest_ok(inst, i, tour):
            continue
        assert roster_cost(inst, trial).total_cny >= base - 1e-6


def _rest_ok(inst, i, tour) -> bool:
    c = inst.cols[inst.ids[i].agent_type]
    rules = inst.problem.rules
    days = [d for d, _ in tour]
    run = longest = 0
    for d in range(7):
        run = run + 1 if d in days else 0
        longest = max(longest, run)
    return longest <= rules.max_consecutive_days and all(
        d2 - d1 > 1 or c.start[j2] - c.end[j1] >= rules.min_rest_hours * 60
        for (d1, j1), (d2, j2) in itertools.pairwise(tour))
