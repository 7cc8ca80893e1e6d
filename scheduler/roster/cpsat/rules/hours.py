"""Weekly hour rules: ``weekly_hours_limits`` and ``overtime_cost``.

- Weeks are calendar weeks (``LabourRules.week_start``); limits of a week cut by the horizon
  are prorated as in ``instance/week_limits.py`` (agent limits and the legal weekly cap).
- Named agents: min_hours_per_week <= paid hours <= min(max_hours_per_week, legal max).
  The maximum is hard. The minimum is modelled with a steep penalty (``MIN_HOURS_PENALTY_CNY``
  per missing hour, far above any wage) so that a roster always exists; a roster that still
  misses a minimum is reported in ``RosterResult.warnings``.
- Temporaries: the pool's max always applies; the pool's min applies only in weeks the temp works
  at all, prorated by (days of the week on or after the temp's first-shift date) / 7.
- Overtime (permanent): hours above contract_hours_per_week (prorated) in a week cost
  hourly_cost_cny x overtime_premium per hour.
"""

from __future__ import annotations

import math

from scheduler.roster.cpsat.model import OBJ_SCALE, RosterModel
from scheduler.roster.instance.instance import MIN_HOURS_PENALTY_CNY


def weekly_hours_limits(rm: RosterModel) -> None:
    rate = round(MIN_HOURS_PENALTY_CNY * OBJ_SCALE / 60)
    for i, ident in enumerate(rm.ids):
        for w in range(rm.hz.n_weeks):
            days = list(rm.hz.week_days(w))
            paid = rm.day_paid(i, days)
            lo, hi = math.ceil(ident.min_week[w] - 1e-6), math.floor(ident.max_week[w] + 1e-6)
            rm.m.add(paid <= hi)
            if lo <= 0:
                continue
            miss = rm.m.new_int_var(0, lo, f"miss{i}_{w}")
            rm.obj.append((rate, miss))
            if ident.agent_type != "temporary":
                rm.m.add(paid + miss >= lo)
                continue
            works = [rm.works[i][d] for d in days if d in rm.works[i]]
            if works:
                any_work = rm.m.new_bool_var(f"wk{i}_{w}")
                rm.m.add_max_equality(any_work, works)
                rm.m.add(paid + miss >= lo).only_enforce_if(any_work)


def overtime_cost(rm: RosterModel) -> None:
    """Permanent agents: ot_w >= paid_w - contract_w, priced at hourly x premium."""
    premium = rm.problem.costs.overtime_premium
    for i, ident in enumerate(rm.ids):
        if ident.agent_type != "permanent":
            continue
        rate = round(ident.hourly * premium * OBJ_SCALE / 60)
        for w in range(rm.hz.n_weeks):
            paid = rm.day_paid(i, list(rm.hz.week_days(w)))
            ub = max(0, math.floor(ident.max_week[w]) - math.floor(ident.contract_week[w]))
            if ub <= 0 or rate == 0:
                continue
            ot = rm.m.new_int_var(0, ub, f"ot{i}_{w}")
            rm.m.add(ot >= paid - round(ident.contract_week[w]))
            rm.obj.append((rate, ot))
