"""Fire kicks (scheduler/roster/search/best_response.py ``_fire_kick``): let one hired
temporary go and re-optimise everyone else without hiring another; tried only while the temp
pool is not full; its sweeps stop at the deadline; under iterated local search the roster
never gets dearer, stays valid and is the same for the same seed."""

from __future__ import annotations

import random

import numpy as np
from local_search_support import roster_cost, start_roster
from roster_factory import make_problem

import scheduler.roster.search.best_response as bresp
from scheduler.roster.checks.validator import roster_frame_from_assignments, validate_roster
from scheduler.roster.pricing.compare import raw_shifts
from scheduler.roster.pricing.roster_rows import make_rows
from scheduler.roster.search.best_response import BestResponse
from scheduler.roster.solve import relabel_temps


def _heavy(temp_max: int):
    """Demand heavy enough that hiring temporaries pays (see test_best_response)."""
    p = make_problem(n_perm=6, n_part=3, days=7, temp_max=temp_max, peak_day=3, seed=2,
                     scale=4.0)
    inst, start = start_roster(p)
    out, _ = BestResponse(inst).improve(start, np.inf, seed=1)
    return p, inst, out


def _violations(p, inst, chosen) -> list:
    rows = make_rows(p, inst.hz, inst.cols, raw_shifts(inst, relabel_temps(inst, chosen)))
    return validate_roster(p, roster_frame_from_assignments(rows)).violations


def test_fire_kick_lets_one_temporary_go_and_hires_no_other():
    p, inst, out = _heavy(temp_max=4)
    br = BestResponse(inst)
    br.load(out)
    hired = {t for t in br.temps if br.tours[t]}
    assert hired, "the heavy instance hires temporaries"
    br._fire_kick(random.Random(0), list(br.tours))
    now = {t for t in br.temps if br.tours[t]}
    assert now < hired and len(now) == len(hired) - 1
    assert br.hired == len(now)
    assert np.isclose(br.total(), roster_cost(inst, br.pairs()).total_cny)
    assert _violations(p, inst, br.pairs()) == []


def test_fire_kick_stops_its_sweeps_at_the_deadline():
    _, inst, out = _heavy(temp_max=4)
    br = BestResponse(inst)
    br.load(out)
    hired, moves = br.hired, br.moves
    br._fire_kick(random.Random(0), list(br.tours), deadline=0.0)  # long past
    assert br.hired == hired - 1  # the temp is let go ...
    assert br.moves == moves  # ... and no one else re-optimised


def _count_fire_kicks(monkeypatch, temp_max: int) -> tuple[int, int, int]:
    """(fire kicks made, temps hired at the start, pool size) with every stalled kick a fire
    kick when allowed."""
    monkeypatch.setattr(bresp, "BAN_AFTER", 0)
    monkeypatch.setattr(bresp, "FIRE_SHARE", 1.0)
    calls = []
    real = BestResponse._fire_kick

    def counted(self, rng, ids, *deadline):
        calls.append(self.hired)
        real(self, rng, ids, *deadline)

    monkeypatch.setattr(BestResponse, "_fire_kick", counted)
    _, inst, out = _heavy(temp_max)
    br = BestResponse(inst)
    br.load(out)
    start_hired = br.hired
    br.perturb_search(out, np.inf, seed=3, max_kicks=5)
    return len(calls), start_hired, temp_max


def test_no_fire_kick_while_the_pool_is_full(monkeypatch):
    made, hired, pool = _count_fire_kicks(monkeypatch, temp_max=1)
    assert hired == pool == 1  # the pool binds: temporaries are worth more than they cost
    assert made == 0


def test_fire_kicks_while_the_pool_has_room(monkeypatch):
    made, hired, pool = _count_fire_kicks(monkeypatch, temp_max=20)
    assert 0 < hired < pool
    assert made > 0


def test_fire_kicks_never_worse_valid_deterministic(monkeypatch):
    monkeypatch.setattr(bresp, "BAN_AFTER", 0)
    monkeypatch.setattr(bresp, "FIRE_SHARE", 1.0)
    p, inst, out = _heavy(temp_max=20)
    before = roster_cost(inst, out).total_cny
    fired = []
    real = BestResponse._fire_kick
    monkeypatch.setattr(BestResponse, "_fire_kick",
                        lambda self, *a: (fired.append(1), real(self, *a)))
    runs = [BestResponse(inst).perturb_search(out, np.inf, seed=4, max_kicks=6)[0]
            for _ in range(2)]
    assert len(fired) == 12  # every kick of both runs was a fire kick
    assert runs[0] == runs[1]
    assert _violations(p, inst, runs[0]) == []
    assert roster_cost(inst, runs[0]).total_cny <= before + 1e-6
