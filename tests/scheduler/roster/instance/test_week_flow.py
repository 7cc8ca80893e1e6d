"""Week-flow networks: their paths are exactly the feasible agent-weeks, they price overtime per
agent, and the stage-1 LP/MIP that uses them stays consistent."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pytest
from roster_factory import make_problem
from scipy.optimize import linprog

from scheduler.roster.instance.availability import agent_mask
from scheduler.roster.instance.columns import build_columns
from scheduler.roster.instance.horizon import Horizon
from scheduler.roster.instance.week_flow import WeekGroup, week_flow
from scheduler.roster.lp.column_selection import solve_selection_lp

EIGHT, NINE = 480, 540
PERMANENT = WeekGroup(count=1, contract_min=2400, min_min=1920, max_min=2880,
                      ot_cost_per_min=1.0)


def _paths(net, group: int = 0):
    """Every source-to-sink path of one group: (lengths per day, path cost)."""
    tails = np.asarray(net.flow.tocsc().argmin(axis=0)).ravel()  # -1 entry = tail node
    heads = np.asarray(net.flow.tocsc().argmax(axis=0)).ravel()
    link = net.link.tocsc()
    n_len = link.shape[0] // 7
    out_arcs: dict[int, list[int]] = {}
    for a in np.flatnonzero(net.group == group):
        out_arcs.setdefault(int(tails[a]), []).append(int(a))
    src = int(np.flatnonzero(net.flow_rhs < 0)[group])
    sink = int(np.flatnonzero(net.flow_rhs > 0)[group])

    def walk(node, pattern, cost):
        if node == sink:
            yield tuple(pattern), cost
            return
        for a in out_arcs.get(node, []):
            rows = link.indices[link.indptr[a]:link.indptr[a + 1]]
            step = [] if net.sink_minutes[a] >= 0 else \
                [(int(rows[0]) % n_len) if rows.size else None]
            yield from walk(int(heads[a]), pattern + step, cost + float(net.cost[a]))

    return Counter(walk(src, [], 0.0))


def _feasible_weeks(lengths, group: WeekGroup, k: int):
    """Brute force: every off/length choice per day within the group's limits."""
    out = Counter()
    for choice in itertools.product([None, *range(len(lengths))], repeat=7):
        mins = sum(lengths[c] for c in choice if c is not None)
        run = longest = 0
        for c in choice:
            run = run + 1 if c is not None else 0
            longest = max(longest, run)
        if group.min_min <= mins <= group.max_min and longest <= k:
            out[(choice, max(0.0, mins - group.contract_min) * group.ot_cost_per_min)] += 1
    return out


def test_paths_are_exactly_the_feasible_weeks():
    lengths = [EIGHT, NINE]
    net = week_flow(7, lengths, [PERMANENT], max_consecutive=6)
    paths = _paths(net)
    assert paths == _feasible_weeks(lengths, PERMANENT, 6)
    assert max(paths.values()) == 1  # each week is one path
    assert ((None,) * 7, 0.0) not in paths  # below the 32-h minimum


def test_consecutive_day_limit_inside_the_week():
    net = week_flow(7, [EIGHT], [WeekGroup(1, 2400, 0, 3360, 1.0)], max_consecutive=3)
    assert all(max(len(run) for run in "".join("x" if c is not None else " "
                                               for c in pattern).split(" ")) <= 3
               for pattern, _ in _paths(net))


def _min_cost(net, counts: dict[tuple[int, int], int]) -> float:
    """LP over the network with the link rows fixed to shift counts per (day, length index)."""
    n_len = net.link.shape[0] // 7
    b_link = np.zeros(net.link.shape[0])
    for (d, li), n in counts.items():
        b_link[d * n_len + li] = n
    a_eq = np.vstack([net.flow.toarray(), net.link.toarray()])
    b_eq = np.concatenate([net.flow_rhs, b_link])
    res = linprog(net.cost, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    assert res.status == 0
    return float(res.fun)


def test_overtime_of_one_agent_is_not_cancelled_by_another():
    # two agents, four days with two 9-h shifts each and one 8-h shift on day 4: one agent
    # works 4 x 9 = 36 h, the other 4 x 9 + 8 = 44 h. The aggregate row sees 80 h = the two
    # contracts (0 h overtime); per agent the 44-h week pays 4 h, and so does the network.
    group = WeekGroup(count=2, contract_min=2400, min_min=1920, max_min=2880,
                      ot_cost_per_min=1.0)
    net = week_flow(7, [EIGHT, NINE], [group], max_consecutive=6)
    counts = {(d, 1): 2 for d in range(4)} | {(4, 0): 1}
    assert _min_cost(net, counts) == pytest.approx(4 * 60)


def test_one_shift_per_agent_and_day():
    # three 9-h shifts on one day for two agents cannot be split into agent-weeks
    net = week_flow(7, [EIGHT, NINE], [WeekGroup(2, 2400, 0, 2880, 1.0)], max_consecutive=6)
    n_len = 2
    b_link = np.zeros(net.link.shape[0])
    b_link[0 * n_len + 1] = 3
    res = linprog(net.cost, A_eq=np.vstack([net.flow.toarray(), net.link.toarray()]),
                  b_eq=np.concatenate([net.flow_rhs, b_link]), bounds=(0, None), method="highs")
    assert res.status == 2  # infeasible


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
