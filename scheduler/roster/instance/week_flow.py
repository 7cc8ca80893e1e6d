"""Per-agent weeks in an anonymous model: a flow network whose paths are feasible agent-weeks.

An aggregated (anonymous) model counts shifts per day and paid length; it does not know that
each agent works at most one shift a day. With 8-9 h shifts and a 40-h contract that matters:
an agent's week is 40 h without overtime only as five 8-h shifts or four shifts of any length,
and a 9-h shift can only go to an agent with four shifts that week. When the 9-h shifts sit on
two days (the 00:00 peak of Double 11), no agent can take more than two of them, so a week
with many five-shift agents has unavoidable overtime that a per-week cut cannot see.

Exact remedy (a Dantzig-Wolfe / network reformulation of one agent-week): a layered network per
group of interchangeable agents (same contract, minimum, maximum and overtime rate). Layer k is
the k-th day of the week; a node is (paid minutes so far, consecutive days worked so far); an
arc either rests (streak back to 0) or works one shift of paid length L (minutes + L, streak + 1,
at most ``max_consecutive`` in a row, never above the weekly maximum); a last arc per node goes
to the sink if minutes are within [min, max] and costs the overtime
``rate x max(0, minutes - contract)``. Every path is a feasible week of one agent and every
feasible week is a path, so ``group size`` units of flow are exactly a multiset of agent-weeks.
The link rows tie the flow to the model's shift counts: for each day and length, the work arcs'
flow = the shifts of that length that day. Rest between shifts, availability per named agent
and streaks crossing the week boundary are left to the model's other rows (a relaxation; the
streak starts at 0 each week), so a model with this network stays a valid lower bound.
Units: minutes (paid) inside the network; cost in the caller's money unit per flow unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class WeekGroup:
    """Interchangeable agents in one week: count and limits in paid minutes (prorated)."""

    count: float
    contract_min: float
    min_min: float
    max_min: float
    ot_cost_per_min: float


@dataclass(frozen=True)
class WeekFlow:
    """Arcs (columns) and rows of the networks of all groups of one week.

    ``cost``: per arc. ``flow``: node-conservation rows (flow in - out), right-hand side
    ``flow_rhs`` (= -count at each group's source, +count at its sink, 0 elsewhere).
    ``link``: rows (day k of the week, length index) x arcs, 1 on work arcs; the caller sets
    ``link @ f = shifts of that length on that day``. ``minutes``: per arc, paid minutes worked
    (0 on rest and sink arcs); ``group``: per arc, the group index.
    """

    cost: np.ndarray
    flow: sparse.csr_matrix
    flow_rhs: np.ndarray
    link: sparse.csr_matrix
    minutes: np.ndarray
    group: np.ndarray
    sink_minutes: np.ndarray  # per arc: the week's paid minutes on sink arcs, -1 elsewhere
    overtime_min: np.ndarray  # per arc: overtime minutes (sink arcs), 0 elsewhere


def week_flow(n_days: int, lengths: Sequence[int], groups: Sequence[WeekGroup],
              max_consecutive: int) -> WeekFlow:
    """Networks of ``groups`` over a week of ``n_days`` days with shift ``lengths`` (minutes)."""
    lengths = [int(x) for x in lengths]
    n_len = len(lengths)
    tails, heads, costs, link_row, mins, grp, sinkm, otm = [], [], [], [], [], [], [], []
    rhs: list[float] = []
    node_id: dict[tuple, int] = {}

    def node(key: tuple) -> int:
        if key not in node_id:
            node_id[key] = len(rhs)
            rhs.append(0.0)
        return node_id[key]

    for g, grp_def in enumerate(groups):
        hi, lo = int(grp_def.max_min + 1e-6), grp_def.min_min - 1e-6
        longest = max(lengths) if lengths else 0
        src = node((g, 0, 0, 0))
        rhs[src] = -grp_def.count
        sink = node((g, "sink"))
        rhs[sink] = grp_def.count
        layer = {(0, 0)}
        for k in range(n_days):
            left = n_days - k - 1  # days after this one
            nxt: set[tuple[int, int]] = set()
            for h, c in sorted(layer):
                moves = [(h, 0, -1, 0)]
                if c < max_consecutive:
                    moves += [(h + ln, c + 1, li, ln) for li, ln in enumerate(lengths)
                              if h + ln <= hi]
                for h2, c2, li, ln in moves:
                    if h2 + longest * left < lo:  # cannot reach the minimum any more
                        continue
                    tails.append(node((g, k, h, c)))
                    heads.append(node((g, k + 1, h2, c2)))
                    costs.append(0.0)
                    link_row.append(k * n_len + li if li >= 0 else -1)
                    mins.append(ln)
                    grp.append(g)
                    sinkm.append(-1)
                    otm.append(0.0)
                    nxt.add((h2, c2))
            layer = nxt
        for h, c in sorted(layer):
            tails.append(node((g, n_days, h, c)))
            heads.append(sink)
            otm.append(max(0.0, h - grp_def.contract_min))
            costs.append(grp_def.ot_cost_per_min * otm[-1])
            link_row.append(-1)
            mins.append(0)
            grp.append(g)
            sinkm.append(h)
    n_arc = len(tails)
    arcs = np.arange(n_arc)
    flow = sparse.csr_matrix(
        (np.concatenate([-np.ones(n_arc), np.ones(n_arc)]),
         (np.concatenate([tails, heads]), np.concatenate([arcs, arcs]))),
        shape=(len(rhs), n_arc))
    lr = np.asarray(link_row)
    on = lr >= 0
    link = sparse.csr_matrix((np.ones(int(on.sum())), (lr[on], arcs[on])),
                             shape=(n_days * n_len, n_arc))
    return WeekFlow(np.asarray(costs), flow, np.asarray(rhs), link, np.asarray(mins),
                    np.asarray(grp), np.asarray(sinkm), np.asarray(otm))


def permanent_groups(agents: Sequence, limits: Sequence, premium: float) -> list[WeekGroup]:
    """Permanent agents grouped by their week's (contract, minimum, maximum) in minutes, from
    ``limits`` (one ``WeekLimits`` per agent, paid hours of this calendar week). The group's
    overtime is priced at its lowest hourly rate x premium (CNY per paid minute): one network
    per distinct rate made the demo scenario's LP (80 agents, many rates) 50 s slower, and the
    lowest rate keeps the bound valid (higher-paid agents' overtime is under- not
    over-priced)."""
    groups: dict[tuple[float, float, float], list[float]] = {}
    for a, lim in zip(agents, limits, strict=True):
        key = (lim.contract_h, lim.min_h, lim.max_h)
        groups.setdefault(key, []).append(a.hourly_cost_cny)
    return [WeekGroup(float(len(rates)), c * 60, lo * 60, hi * 60,
                      min(rates) * premium / 60) for (c, lo, hi), rates in sorted(groups.items())]
