"""``temporary_pool_headcount``: temps are hired from a pool of at most ``max_headcount``.

Each temp identity has a fixed first-shift day (its hire cohort) and a ``hired`` Boolean: a hired
temp works on its cohort day (that is its first shift), never before (identities are created
only from horizon start + lead_days), and may work later days only if hired. A hire costs
``onboarding_cost_cny + training_hours x hourly_cost_cny`` (charged on the first shift row).
Identities of one cohort are interchangeable; ``hired`` and total paid minutes are ordered
within a cohort to break symmetry.
"""

from __future__ import annotations

from scheduler.roster.cpsat.model import OBJ_SCALE, RosterModel


def temporary_pool_headcount(rm: RosterModel) -> None:
    pool = rm.problem.temporary
    fee = round((pool.onboarding_cost_cny + pool.training_hours * pool.hourly_cost_cny) * OBJ_SCALE)
    prev_by_cohort: dict[int, int] = {}
    for i, ident in enumerate(rm.ids):
        if ident.agent_type != "temporary":
            continue
        h = int(ident.cohort_day or 0)
        if h not in rm.works[i]:
            continue  # cannot work its cohort day: never hired
        hired = rm.works[i][h]
        rm.hired[i] = hired
        for d, w in rm.works[i].items():
            if d != h:
                rm.m.add_implication(w, hired)
        if fee:
            rm.obj.append((fee, hired))
        j = prev_by_cohort.get(h)
        if j is not None:
            rm.m.add_implication(hired, rm.hired[j])
            all_days = range(len(rm.hz.days))
            rm.m.add(rm.day_paid(j, all_days) >= rm.day_paid(i, all_days))
        prev_by_cohort[h] = i
    if rm.hired:
        rm.m.add(sum(rm.hired.values()) <= pool.max_headcount)
