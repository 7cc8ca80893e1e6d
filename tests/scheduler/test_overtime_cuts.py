"""Per-agent overtime cuts: valid for every feasible week, and stronger than the aggregate row."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from roster_factory import make_problem

from scheduler.roster.columns import build_columns
from scheduler.roster.horizon import Horizon
from scheduler.roster.overtime_cuts import AgentWeek, overtime_cuts
from scheduler.roster.rules.availability import agent_mask
from scheduler.roster.select import solve_selection_lp

EIGHT_NINE = AgentWeek(contract_h=40, min_h=32, max_h=48, shortest_h=8, longest_h=9, max_shifts=7)


def _weeks(a: AgentWeek):
    """Every feasible (shifts, paid hours) of the agent with 8/9-h shifts, and its overtime."""
    for n in range(a.max_shifts + 1):
        for nine in range(n + 1):
            h = 8 * (n - nine) + 9 * nine
            if a.min_h <= h <= a.max_h:
                yield n, h, max(0.0, h - a.contract_h)


def test_cuts_hold_at_every_feasible_week():
    agents = [EIGHT_NINE, AgentWeek(40, 32, 48, 8, 9, 5), AgentWeek(20, 0, 24, 8, 9, 3)]
    for a in agents:
        cuts = overtime_cuts([a])
        assert cuts, "an agent with feasible weeks gets cuts"
        for (n, h, ot), (b, rhs) in itertools.product(_weeks(a), cuts):
            assert ot - h - b * n >= rhs - 1e-9


def test_five_shift_week_pays_every_nine_hour_shift():
    # one agent 4 x 9 h (36 h), the other 4 x 9 h + 8 h (44 h): 80 h = the contracts, so the
    # aggregate row allows 0 overtime; per agent the 44-h week pays 4 h, and so does the cut.
    cuts = overtime_cuts([EIGHT_NINE, EIGHT_NINE])
    hours, shifts = 36 + 44, 4 + 5
    best = max(hours + b * shifts + rhs for b, rhs in cuts)
    assert best == pytest.approx(4.0)
    assert (0.0, -80.0) in [(b, pytest.approx(r)) for b, r in cuts]  # b = 0: sum H - sum C


def test_no_cut_for_an_agent_without_a_feasible_week():
    # a 50-h minimum with at most five 9-h shifts (45 h) cannot be met
    assert overtime_cuts([AgentWeek(40, 50, 60, 8, 9, 5)]) == []


def test_selection_mip_gives_integer_counts_at_or_above_the_lp():
    p = make_problem(n_perm=6, n_part=2, days=7, temp_max=2, peak_day=3, seed=2)
    hz = Horizon.of(p)
    cols = {t: build_columns(p, t, hz) for t in ("permanent", "part_time", "temporary")}
    masks = {t: np.array([agent_mask(a, cols[t], hz) for a in p.agents if a.agent_type == t],
                         dtype=bool).reshape(-1, cols[t].size) for t in ("permanent", "part_time")}
    sel = solve_selection_lp(p, hz, cols, masks, mip_time_s=20, mip_nodes=2000)
    assert sel.mip_objective_cny is not None
    assert sel.mip_objective_cny >= sel.lp_objective_cny - 1e-6
    for xv in sel.x.values():
        assert np.allclose(xv, np.round(xv))
