"""``coverage_with_shortfall``: agents on duty x efficiency per slot against the requirement.

coverage_t = sum over agents on duty at t of efficiency x (fraction of t not on break);
shortfall_t = max(0, required_t - coverage_t) is allowed and priced at
shortfall_cost_per_agent_hour_cny per agent-hour; surplus_t = max(0, coverage_t - required_t) at
overstaff_cost_per_agent_hour_cny. Temps use efficiency_ramp[k] on the k-th day since their
first shift. Shift costs: part-time and temporary paid hours x hourly rate.
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from scheduler.roster.cpsat.model import EFF_SCALE, OBJ_SCALE, RosterModel


def shift_wages(rm: RosterModel) -> None:
    """Part-time and temporary wages: paid minutes x hourly rate."""
    for i, ident in enumerate(rm.ids):
        if ident.agent_type == "permanent":
            continue
        c = rm.cols[ident.agent_type]
        for lst in rm.x[i].values():
            for j, v in lst:
                rm.obj.append((round(int(c.paid[j]) * ident.hourly * OBJ_SCALE / 60), v))


def coverage_with_shortfall(rm: RosterModel) -> None:
    """sum(coef x count) + shortfall_t >= required_t, counts aggregated per (column, efficiency)."""
    hz, costs = rm.hz, rm.problem.costs
    groups: dict[tuple[str, int, int], list] = {}
    for i, ident in enumerate(rm.ids):
        for d, lst in rm.x[i].items():
            e = round(ident.efficiency(rm.problem, d) * EFF_SCALE)
            for j, v in lst:
                groups.setdefault((ident.agent_type, j, e), []).append(v)
    rows: list[list[tuple[int, cp_model.LinearExprT]]] = [[] for _ in range(hz.n_slots)]
    top = np.zeros(hz.n_slots, dtype=np.int64)  # largest possible coverage per slot
    for (typ, j, e), vs in groups.items():
        count = vs[0] if len(vs) == 1 else rm.m.new_int_var(0, len(vs), f"n{typ}{j}_{e}")
        if len(vs) > 1:
            rm.m.add(count == sum(vs))
        col = rm.cols[typ].duty[:, j]
        for t, minutes in zip(col.indices, col.data, strict=True):
            rows[int(t)].append((int(minutes) * e, count))
            top[int(t)] += int(minutes) * e * len(vs)
    req = np.round(np.asarray(rm.problem.required) * EFF_SCALE * hz.interval).astype(int)
    short_cost = round(costs.shortfall_cost_per_agent_hour_cny * OBJ_SCALE / (60 * EFF_SCALE))
    over_cost = round(costs.overstaff_cost_per_agent_hour_cny * OBJ_SCALE / (60 * EFF_SCALE))
    rm.shortfall = []
    for t in range(hz.n_slots):
        cov = cp_model.LinearExpr.weighted_sum([v for _, v in rows[t]], [c for c, _ in rows[t]])
        s = rm.m.new_int_var(0, int(req[t]), f"s{t}")
        rm.m.add(cov + s >= int(req[t]))
        rm.shortfall.append(s)
        rm.obj.append((short_cost, s))
        if over_cost > 0:
            u = rm.m.new_int_var(0, max(0, int(top[t]) - int(req[t])), f"u{t}")
            rm.m.add(u >= cov - int(req[t]))
            rm.obj.append((over_cost, u))

