"""``night_shift_fairness``: spread night shifts evenly among permanent agents.

A night shift is one whose span overlaps 00:00-06:00 local on some date. share =
ceil(total permanent night shifts / number of permanent agents); the term is
fairness_weight_cny x sum over permanent agents of max(0, own night shifts - share).
"""

from __future__ import annotations

from scheduler.roster.cpsat.model import OBJ_SCALE, RosterModel


def night_shift_fairness(rm: RosterModel) -> None:
    weight = round(rm.problem.costs.fairness_weight_cny * OBJ_SCALE)
    perm = [i for i, ident in enumerate(rm.ids) if ident.agent_type == "permanent"]
    if weight == 0 or not perm:
        return
    night = rm.cols["permanent"].night
    counts = []
    for i in perm:
        vs = [v for lst in rm.x[i].values() for j, v in lst if night[j]]
        counts.append(sum(vs) if vs else 0)
    n_days = len(rm.hz.days)
    share = rm.m.new_int_var(0, n_days, "night_share")
    rm.m.add(len(perm) * share >= sum(counts))
    rm.m.add(len(perm) * share <= sum(counts) + len(perm) - 1)
    for i, cnt in zip(perm, counts, strict=True):
        ex = rm.m.new_int_var(0, n_days, f"nx{i}")
        rm.m.add(ex >= cnt - share)
        rm.obj.append((weight, ex))
