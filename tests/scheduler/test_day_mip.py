"""Day neighbourhood (``day_mip.py``): one date's shifts of every identity re-optimised jointly.
The MIP sees the incumbent's own choice on that date, so a scrambled date comes back at least as
cheap as it was; the result keeps every rule (rest, consecutive days, pool) and is never dearer."""

from __future__ import annotations

import numpy as np
import pytest
from local_search_support import roster_cost, start_roster
from roster_factory import make_problem

from scheduler.roster.best_response import BestResponse
from scheduler.roster.day_mip import DayMip
from scheduler.roster.extract import make_rows
from scheduler.roster.roster_price import raw_shifts
from scheduler.roster.schema import LabourRules
from scheduler.roster.solve import relabel_temps
from scheduler.roster.validate import roster_frame_from_assignments, validate_roster


def _valid(p, rm, chosen) -> list:
    rows = make_rows(p, rm.hz, rm.cols, raw_shifts(rm, relabel_temps(rm, chosen)))
    return validate_roster(p, roster_frame_from_assignments(rows)).violations


@pytest.mark.parametrize("rules", [LabourRules(), LabourRules(max_consecutive_days=3)])
def test_day_mip_restores_a_scrambled_date(rules):
    p = make_problem(n_perm=6, n_part=3, days=7, temp_max=1, peak_day=3, seed=2, scale=4.0,
                     rules=rules)
    rm, start = start_roster(p)
    br = BestResponse(rm)
    out, _ = br.improve(start, np.inf, seed=0)
    br.load(out)
    cost = br.total()
    day_of = {t: c.day for t, c in rm.cols.items()}
    # drop every named agent's shift on the peak date (temps keep theirs: no release)
    named = [(i, j) for i, j in out if rm.ids[i].agent is None
             or day_of[rm.ids[i].agent_type][j] != 3]
    assert len(named) < len(out)
    br.load(named)
    assert br.total() > cost + 1.0
    gain = DayMip(br).improve_day(3, time_s=10.0)
    assert gain > 0
    assert br.total() <= cost + 1e-6
    assert _valid(p, rm, br.pairs()) == []


def test_day_mip_never_worse_valid_and_keeps_hires():
    p = make_problem(n_perm=6, n_part=3, days=7, temp_max=1, peak_day=3, seed=2, scale=4.0)
    rm, start = start_roster(p)
    br = BestResponse(rm)
    br.load(start)
    hired = br.hired
    dm = DayMip(br)
    for d in range(7):
        before = br.total()
        gain = dm.improve_day(d, time_s=10.0)
        assert gain >= 0
        assert br.total() == pytest.approx(before - gain)
    assert br.hired == hired
    assert br.total() < roster_cost(rm, start).total_cny
    assert _valid(p, rm, br.pairs()) == []
