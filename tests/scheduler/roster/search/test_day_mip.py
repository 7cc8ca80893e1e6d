"""Day neighbourhood (``day_mip.py``): one date's shifts of every identity re-optimised jointly.
The MIP sees the incumbent's own choice on that date, so a scrambled date comes back at least as
cheap as it was; the result keeps every rule (rest, consecutive days, pool) and is never dearer."""

from __future__ import annotations

import numpy as np
import pytest
from local_search_support import roster_cost, start_roster
from roster_factory import make_problem

from scheduler.roster.checks.validator import roster_frame_from_assignments, validate_roster
from scheduler.roster.pricing.compare import raw_shifts
from scheduler.roster.pricing.roster_rows import make_rows
from scheduler.roster.schema import LabourRules
from scheduler.roster.search.best_response import BestResponse
from scheduler.roster.search.day_mip import DayMip
from scheduler.roster.solve import relabel_temps


def _valid(p, inst, chosen) -> list:
    rows = make_rows(p, inst.hz, inst.cols, raw_shifts(inst, relabel_temps(inst, chosen)))
    return validate_roster(p, roster_frame_from_assignments(rows)).violations


@pytest.mark.parametrize("rules", [LabourRules(), LabourRules(max_consecutive_days=3)])
def test_day_mip_restores_a_scrambled_date(rules):
    p = make_problem(n_perm=6, n_part=3, days=7, temp_max=1, peak_day=3, seed=2, scale=4.0,
                     rules=rules)
    inst, start = start_roster(p)
    br = BestResponse(inst)
    out, _ = br.improve(start, np.inf, seed=0)
    br.load(out)
    cost = br.total()
    day_of = {t: c.day for t, c in inst.cols.items()}
    # drop every named agent's shift on the peak date (temps keep theirs: no release)
    named = [(i, j) for i, j in out if inst.ids[i].agent is None
             or day_of[inst.ids[i].agent_type][j] != 3]
    assert len(named) < len(out)
    br.load(named)
    assert br.total() > cost + 1.0
    gain = DayMip(br).improve_day(3, time_s=10.0)
    assert gain > 0
    assert br.total() <= cost + 1e-6
    assert _valid(p, inst, br.pairs()) == []


def test_day_mip_never_worse_valid_and_keeps_hires():
    p = make_problem(n_perm=6, n_part=3, days=7, temp_max=1, peak_day=3, seed=2, scale=4.0)
    inst, start = start_roster(p)
    br = BestResponse(inst)
    br.load(start)
    hired = br.hired
    dm = DayMip(br)
    for d in range(7):
        before = br.total()
        gain = dm.improve_day(d, time_s=10.0)
        assert gain >= 0
        assert br.total() == pytest.approx(before - gain)
    assert br.hired == hired
    assert br.total() < roster_cost(inst, start).total_cny
    assert _valid(p, inst, br.pairs()) == []
