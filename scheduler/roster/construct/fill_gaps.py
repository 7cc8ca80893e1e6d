"""Fill idle days of a constructive roster where a shift pays for itself, and lengthen shifts of
named agents still below a weekly minimum (the last step of the constructive roster)."""

from __future__ import annotations

import numpy as np

from scheduler.roster.construct.shift_value import projected_ot_many, shift_values, unmet_near
from scheduler.roster.instance.instance import Instance


def fill_gaps(inst: Instance, chosen: list[tuple[int, int]],
              passes: int = 2) -> list[tuple[int, int]]:
    """Add shifts on idle days where the penalty avoided beats the wage/overtime (or where a
    named agent is still below its weekly minimum), respecting rest and consecutive days on
    both sides, weekly maxima and temp first-shift days. Shortest days are visited first."""
    p, hz = inst.problem, inst.hz
    it = hz.interval
    price = inst.short_price
    rest = p.rules.min_rest_hours * 60
    maxc = p.rules.max_consecutive_days
    premium = p.costs.overtime_premium
    resid, work, week_paid = _state(inst, chosen)
    out = list(chosen)
    slots_per_day = 1440 // it
    for _ in range(passes):
        added = 0
        short_by_day = [float(np.clip(resid[d * slots_per_day:(d + 1) * slots_per_day], 0, None)
                              .sum()) for d in range(len(hz.days))]
        for d in sorted(range(len(hz.days)), key=lambda d: -short_by_day[d]):
            w = hz.week_of_day(d)
            for i, ident in enumerate(inst.ids):
                days = work.get(i, {})
                lst = inst.candidates[i].get(d)
                if not lst or d in days:
                    continue
                if ident.agent_type == "temporary" and (not days or d < min(days)):
                    continue
                if unmet_near(resid, d, slots_per_day) <= 0 and (
                        ident.agent_type == "temporary"
                        or week_paid.get((i, w), 0.0) >= ident.min_week[w] - 1e-6):
                    continue  # no shift of day d can gain: its value would be <= 0
                left = next((k for k in range(1, maxc + 2) if d - k not in days), maxc + 1) - 1
                right = next((k for k in range(1, maxc + 2) if d + k not in days), maxc + 1) - 1
                if left + right + 1 > maxc:
                    continue
                c = inst.cols[ident.agent_type]
                prev_end = max((int(c.end[days[k]]) for k in days if k < d), default=-10**9)
                next_start = min((int(c.start[days[k]]) for k in days if k > d), default=10**9)
                paid_w = week_paid.get((i, w), 0.0)
                eff = ident.efficiency(p, d)
                below_min = paid_w < ident.min_week[w] - 1e-6 and (
                    ident.agent_type != "temporary")
                cols = np.asarray(lst, dtype=np.int64)
                pj = c.paid[cols].astype(float)
                cols = cols[(c.start[cols] >= prev_end + rest)
                            & (c.end[cols] + rest <= next_start)
                            & (paid_w + pj <= ident.max_week[w] + 1e-6)]
                if not len(cols):
                    continue
                gain = shift_values(c, cols, resid, eff / it)[0] * price
                pj = c.paid[cols].astype(float)
                if ident.agent_type == "permanent":
                    gain -= projected_ot_many(ident.min_week[w], ident.contract_week[w], paid_w,
                                              pj, c.paid_range) / 60 * ident.hourly * premium
                else:
                    gain -= pj / 60 * ident.hourly
                k = int(np.argmax(gain))
                if not below_min and gain[k] <= 0.0:
                    continue
                best = int(cols[k])
                out.append((i, best))
                work.setdefault(i, {})[d] = best
                week_paid[(i, w)] = paid_w + float(c.paid[best])
                ptr = c.duty.indptr
                resid[c.duty.indices[ptr[best]:ptr[best + 1]]] -= \
                    eff * c.duty.data[ptr[best]:ptr[best + 1]] / it
                added += 1
        if not added:
            break
    return _lengthen_for_minimum(inst, out, work, week_paid)


def _state(inst: Instance, chosen: list[tuple[int, int]]
           ) -> tuple[np.ndarray, dict[int, dict[int, int]], dict[tuple[int, int], float]]:
    """Residual demand per slot (agents), each identity's shift by day, and paid minutes per
    (identity, week) of the roster ``chosen``."""
    p, hz, it = inst.problem, inst.hz, inst.hz.interval
    resid = np.asarray(p.required, dtype=float).copy()
    work: dict[int, dict[int, int]] = {}
    week_paid: dict[tuple[int, int], float] = {}
    for i, j in chosen:
        ident = inst.ids[i]
        c = inst.cols[ident.agent_type]
        d = int(c.day[j])
        work.setdefault(i, {})[d] = j
        ptr = c.duty.indptr
        resid[c.duty.indices[ptr[j]:ptr[j + 1]]] -= \
            ident.efficiency(p, d) * c.duty.data[ptr[j]:ptr[j + 1]] / it
        w = hz.week_of_day(d)
        week_paid[(i, w)] = week_paid.get((i, w), 0.0) + float(c.paid[j])
    return resid, work, week_paid


def _lengthen_for_minimum(inst: Instance, out: list[tuple[int, int]],
                          work: dict[int, dict[int, int]],
                          week_paid: dict[tuple[int, int], float]) -> list[tuple[int, int]]:
    """Swap shifts of named agents still below a weekly minimum for longer candidates."""
    hz, rest = inst.hz, inst.problem.rules.min_rest_hours * 60
    for i, ident in enumerate(inst.ids):
        if ident.agent_type == "temporary" or i not in work:
            continue
        c, days = inst.cols[ident.agent_type], work[i]
        for w in range(hz.n_weeks):
            for d in sorted(k for k in days if hz.week_of_day(k) == w):
                paid_w = week_paid.get((i, w), 0.0)
                if paid_w >= ident.min_week[w] - 1e-6:
                    break
                j0 = days[d]
                prev_end = max((int(c.end[days[k]]) for k in days if k < d), default=-10**9)
                next_start = min((int(c.start[days[k]]) for k in days if k > d), default=10**9)
                options = [j for j in inst.candidates[i][d] if c.paid[j] > c.paid[j0]
                           and c.start[j] >= prev_end + rest and c.end[j] + rest <= next_start
                           and paid_w - c.paid[j0] + c.paid[j] <= ident.max_week[w] + 1e-6]
                if options:
                    j1 = max(options, key=lambda j: (int(c.paid[j]), -abs(int(c.start[j])
                                                                           - int(c.start[j0]))))
                    out[out.index((i, j0))] = (i, j1)
                    days[d] = j1
                    week_paid[(i, w)] = paid_w - float(c.paid[j0]) + float(c.paid[j1])
    return out
