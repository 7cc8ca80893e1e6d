"""Row builders of the stage-1 LP (``column_selection.py``): week-flow networks of permanent
agents, occupancy (rest) caps and Hall-type availability caps.

Variables are addressed through the index arrays of their labelled blocks (``LpBuilder.idx``):
``x_idx[j]`` is the LP variable of shift column ``j``. A row is
``({variable: coefficient}, right-hand side)``. Units: paid minutes, agents, slots.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from scheduler.roster.instance.columns import Columns
from scheduler.roster.instance.horizon import Horizon
from scheduler.roster.instance.week_flow import WeekFlow, permanent_groups, week_flow
from scheduler.roster.instance.week_limits import agent_week_limits
from scheduler.roster.schema import RosterProblem


def week_nets(problem: RosterProblem, hz: Horizon, c: Columns, perms: list) -> list[WeekFlow]:
    """One ``week_flow`` network per week for permanent agents ``perms`` (empty without)."""
    if not perms or not c.size:
        return []
    lengths = sorted({int(v) for v in c.paid})
    premium = problem.costs.overtime_premium
    limits = [agent_week_limits(problem, hz, a) for a in perms]
    return [week_flow(len(hz.week_days(w)), lengths,
                      permanent_groups(perms, [lim[w] for lim in limits], premium),
                      problem.rules.max_consecutive_days) for w in range(hz.n_weeks)]


def flow_rows(net: WeekFlow, hz: Horizon, c: Columns, w: int, arc_idx: np.ndarray,
              x_idx: np.ndarray) -> list[tuple[dict[int, float], float]]:
    """Node conservation of one week's network and the link rows (work arcs of day k and
    length L = permanent shifts of that day and paid length), as equality rows."""
    rows = []
    fl = net.flow.tocsr()
    for r in range(fl.shape[0]):
        seg = slice(fl.indptr[r], fl.indptr[r + 1])
        rows.append(({int(arc_idx[j]): float(v) for j, v in zip(fl.indices[seg], fl.data[seg],
                                                                  strict=True)},
                     float(net.flow_rhs[r])))
    lengths = sorted({int(v) for v in c.paid})
    lk = net.link.tocsr()
    for k, d in enumerate(hz.week_days(w)):
        for li, ln in enumerate(lengths):
            r = k * len(lengths) + li
            row = {int(arc_idx[j]): 1.0 for j in lk.indices[lk.indptr[r]:lk.indptr[r + 1]]}
            row.update({int(x_idx[j]): -1.0
                        for j in np.flatnonzero((c.day == d) & (c.paid == ln))})
            rows.append((row, 0.0))
    return rows


def occupancy(c: Columns, hz: Horizon, rest_min: int) -> sparse.csc_matrix:
    """(n_slots x n_cols) 1 where the slot starts inside [shift start, shift end + rest)."""
    first = c.start // hz.interval
    last = np.minimum(-(-(c.end + rest_min) // hz.interval), hz.n_slots)
    lens = np.maximum(last - first, 0)
    cols_idx = np.repeat(np.arange(c.size), lens)
    rows_idx = np.repeat(first, lens) + (np.arange(lens.sum()) - np.repeat(np.cumsum(lens) - lens,
                                                                            lens))
    return sparse.csc_matrix((np.ones(rows_idx.size), (rows_idx, cols_idx)),
                             shape=(hz.n_slots, c.size))


def occupancy_rows(problem: RosterProblem, hz: Horizon, cols: dict[str, Columns],
                   shift_idx: dict[tuple[str, int], np.ndarray], hires_idx: np.ndarray,
                   n_var: int) -> tuple[sparse.csr_matrix, np.ndarray]:
    """An agent's [start, end + min rest) intervals are disjoint, so at every slot the shifts
    whose interval contains it are at most the agents of that type (temps, over all age
    blocks: hired so far). ``shift_idx[(type, age)]``: the LP variables of that block's
    columns; ``hires_idx``: the hire cohorts H_d. Returns (A, rhs) of the "<=" rows."""
    rest = round(problem.rules.min_rest_hours * 60)
    occ = {t: occupancy(cols[t], hz, rest).tocoo() for t in ("permanent", "part_time",
                                                              "temporary")}
    groups = [[key] for key in shift_idx if key[0] != "temporary"]
    groups.append([key for key in shift_idx if key[0] == "temporary"])
    mats, rhs = [], []
    slot_day = np.asarray([hz.day_index(t.date()) for t in problem.slot_starts])
    for group in groups:
        if not group:
            continue
        r = [occ[key[0]].row for key in group]
        c = [shift_idx[key][occ[key[0]].col] for key in group]
        v = [occ[key[0]].data for key in group]
        typ = group[0][0]
        if typ == "temporary":  # hires with first shift on or before today
            n_h = slot_day + 1
            r.append(np.repeat(np.arange(hz.n_slots), n_h))
            c.append(hires_idx[np.arange(n_h.sum()) - np.repeat(np.cumsum(n_h) - n_h, n_h)])
            v.append(-np.ones(int(n_h.sum())))
            rhs.append(np.zeros(hz.n_slots))
        else:
            rhs.append(np.full(hz.n_slots, float(sum(a.agent_type == typ
                                                     for a in problem.agents))))
        mats.append(sparse.csr_matrix((np.concatenate(v), (np.concatenate(r), np.concatenate(c))),
                                      shape=(hz.n_slots, n_var)))
    return sparse.vstack(mats).tocsr(), np.concatenate(rhs)


def hall_rows(problem: RosterProblem, hz: Horizon, c: Columns, mask: np.ndarray,
              x_idx: np.ndarray, agents: list, max_sets: int = 40
              ) -> list[tuple[dict[int, float], float]]:
    """Hall-type caps: shifts only some agents may work are at most those agents, per day
    (headcount) and per week (their maximum paid minutes). Keeps LP targets assignable."""
    limits = [agent_week_limits(problem, hz, a) for a in agents]
    rows: list[tuple[dict[int, float], float]] = []
    for w in range(hz.n_weeks):
        max_min = np.asarray([lim[w].max_h * 60 for lim in limits])
        in_week = np.flatnonzero(np.isin(c.day, list(hz.week_days(w))))
        if in_week.size == 0 or mask.shape[0] == 0:
            continue
        allow = mask[:, in_week]  # agents x week columns
        # distinct agent sets of the week's columns; packed to bytes (8x fewer to sort), whose
        # lexicographic order is the bit rows' own, so the sets come out in the same order
        packed, inverse = np.unique(np.packbits(allow.T, axis=1), axis=0, return_inverse=True)
        sets = np.unpackbits(packed, axis=1, count=allow.shape[0]).astype(bool)
        if len(sets) > max_sets:
            continue
        for s_idx, agents_s in enumerate(sets):
            if agents_s.all():
                continue  # covered by the per-day and weekly rows already
            sub = np.flatnonzero([not (sets[k] & ~agents_s).any() for k in range(len(sets))])
            cols_s = in_week[np.isin(inverse.ravel(), sub)]
            hi = float(max_min[agents_s].sum())
            rows.append(({int(x_idx[j]): float(c.paid[j]) for j in cols_s}, hi))
            for d in hz.week_days(w):
                on_day = cols_s[c.day[cols_s] == d]
                if on_day.size:
                    n = float(mask[agents_s][:, c.day == d].any(axis=1).sum())
                    rows.append((dict.fromkeys(x_idx[on_day].tolist(), 1.0), n))
            del s_idx
    return rows
