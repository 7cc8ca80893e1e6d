"""The constructive roster's vectorised pricing (``construct.greedy``): the same numbers as the
per-shift arithmetic it replaced, and an LP shift goes to the agent the preference order names."""

from __future__ import annotations

import numpy as np
from roster_factory import make_problem

from scheduler.roster.checks.validator import roster_frame_from_assignments, validate_roster
from scheduler.roster.construct.fill_gaps import fill_gaps
from scheduler.roster.construct.greedy import _Greedy, greedy_roster, projected_ot
from scheduler.roster.construct.shift_value import projected_ot_many, shift_values
from scheduler.roster.pricing.compare import raw_shifts
from scheduler.roster.pricing.roster_rows import make_rows
from scheduler.roster.solve import prepare_instance


def _instance(**kw):
    p = make_problem(n_perm=6, n_part=3, days=7, temp_max=2, scale=1.0, peak_day=3, **kw)
    return prepare_instance(p)


def test_projected_ot_many_equals_the_scalar_formula_on_a_grid():
    inst, _, _ = _instance()
    i = next(k for k, x in enumerate(inst.ids) if x.agent_type == "permanent")
    ident = inst.ids[i]
    lo, hi = inst.cols["permanent"].paid_range
    w = 0
    paid = np.arange(0.0, ident.max_week[w] + 1, 30.0)
    for pj in (lo, (lo + hi) / 2, hi):
        many = projected_ot_many(ident.min_week[w], ident.contract_week[w], paid, pj, (lo, hi))
        one = [projected_ot(inst, i, w, float(x), pj) for x in paid]
        assert np.allclose(many, one, atol=1e-9)
    assert many.max() > 0  # the grid reaches weeks above contract: the test can tell


def test_shift_values_equal_a_loop_over_each_shift_duty_rows():
    inst, _, _ = _instance()
    c = inst.cols["permanent"]
    rng = np.random.default_rng(0)
    resid = rng.normal(2.0, 2.0, c.duty.shape[0])  # some slots over-covered (negative)
    cols = rng.choice(c.size, size=40, replace=False)
    avoided, cover = shift_values(c, cols, resid, 0.9 / 30)
    for k, j in enumerate(cols):
        rows = c.duty.indices[c.duty.indptr[j]:c.duty.indptr[j + 1]]
        work = 0.9 / 30 * c.duty.data[c.duty.indptr[j]:c.duty.indptr[j + 1]]
        assert abs(avoided[k] - np.minimum(np.maximum(resid[rows], 0.0), work).sum()) < 1e-9
        assert abs(cover[k] - work.sum()) < 1e-9
    assert (avoided < cover - 1e-9).any()  # negative residuals cut the value somewhere


def test_lp_taker_prefers_the_agent_furthest_below_its_weekly_minimum():
    inst, _, sel = _instance()
    g = _Greedy(inst, sel.x, sel.cohorts, shorten=False)
    perm = np.array(g.by_type["permanent"], dtype=np.int64)
    c = inst.cols["permanent"]
    # a day-1 day shift (none has worked yet: no rest conflict; it ends early, so the "ends
    # late before a working day" key is equal); lp_taker is handed the agents that may take it
    j = int(np.flatnonzero((c.day == 1) & (c.start >= 1440 + 8 * 60))[0])
    g.week_paid[perm, 0] = 8 * 60  # everyone worked 8 h this week ...
    g.week_paid[perm[3], 0] = 0.0  # agent 3 is now the furthest below its minimum
    assert g.lp_taker("permanent", j, 1, 0, perm)[0] == perm[3]
    g.last_end[perm[3]] = int(c.start[j])  # ... unless the rest since its last shift is short
    assert g.lp_taker("permanent", j, 1, 0, perm)[0] != perm[3]


def test_constructive_roster_is_rule_abiding_apart_from_weekly_minimums():
    inst, _, sel = _instance()
    chosen = fill_gaps(inst, greedy_roster(inst, sel.x, sel.cohorts, shorten=True))
    rows = make_rows(inst.problem, inst.hz, inst.cols, raw_shifts(inst, chosen))
    rep = validate_roster(inst.problem, roster_frame_from_assignments(rows))
    assert len(rows) > 0
    assert {v.rule for v in rep.violations} <= {"weekly_min_hours"}
