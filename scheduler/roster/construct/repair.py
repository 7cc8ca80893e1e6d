"""Repairs of a constructive roster: ``shed_overtime`` and ``swap_for_efficiency``.

The constructive roster tends to give some permanent agents six shifts or 9-h shifts in a week
(overtime at hourly x premium) while others stay below contract. Two moves, applied greedily to
the agent-weeks with the most overtime while they pay off:

- transfer: hand one shift (same column, same day) to another permanent agent who is idle that
  day, stays within contract hours (so no new overtime), keeps rest, consecutive-day and weekly
  limits, and has the column among its candidates; the donor must stay at or above its minimum;
- shorten: swap one shift for a shorter candidate column on the same day;
- exchange: swap one shift with a shorter shift of another permanent agent on the same day, who
  stays within contract (a 41-h week and a 33-h week become 40 h and 34 h).

A move is taken when the overtime saved (CNY) exceeds the change in shortfall + overstaff
penalty of the coverage (efficiencies can differ). Only candidate columns of the model are used,
so the result stays a solution of the per-agent model. Coverage in agents, money in CNY.
"""

from __future__ import annotations

import numpy as np

from scheduler.roster.instance.instance import Instance


class _State:
    """Roster as day -> column per identity, weekly paid minutes, residual demand (agents)."""

    def __init__(self, inst: Instance, chosen: list[tuple[int, int]]) -> None:
        self.inst = inst
        p, hz = inst.problem, inst.hz
        self.it = hz.interval
        self.resid = np.asarray(p.required, dtype=float).copy()
        self.work: dict[int, dict[int, int]] = {}
        self.paid: dict[tuple[int, int], float] = {}
        self.short_price = inst.short_price
        self.over_price = inst.over_price
        for i, j in chosen:
            c = self.cols(i)
            d = int(c.day[j])
            self.work.setdefault(i, {})[d] = j
            w = hz.week_of_day(d)
            self.paid[(i, w)] = self.paid.get((i, w), 0.0) + float(c.paid[j])
            r, v = self.duty(i, j)
            self.resid[r] -= v

    def cols(self, i: int):
        return self.inst.cols[self.inst.ids[i].agent_type]

    def duty(self, i: int, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Slots and coverage (agents) of identity i working column j."""
        c = self.cols(i)
        ptr = c.duty.indptr
        d = int(c.day[j])
        eff = self.inst.ids[i].efficiency(self.inst.problem, d)
        return c.duty.indices[ptr[j]:ptr[j + 1]], eff * c.duty.data[ptr[j]:ptr[j + 1]] / self.it

    def cover_delta(self, changes: list[tuple[np.ndarray, np.ndarray, float]]) -> float:
        """Penalty change (CNY) when coverage changes by sign x values on slots."""
        slots, inv = np.unique(np.concatenate([r for r, _, _ in changes]), return_inverse=True)
        delta = np.bincount(inv, weights=np.concatenate([sign * v for _, v, sign in changes]),
                            minlength=slots.size)
        old = self.resid[slots]
        new = old - delta

        def cost(x: np.ndarray) -> float:
            return float(self.short_price * np.clip(x, 0, None).sum()
                         + self.over_price * np.clip(-x, 0, None).sum())
        return cost(new) - cost(old)

    def fits(self, i: int, d: int, j: int, ignore: int | None = None) -> bool:
        """Identity i may work column j on day d (rest, consecutive days), ``ignore`` = its own
        shift on d being replaced."""
        inst, c = self.inst, self.cols(i)
        days = self.work.get(i, {})
        if d in days and days[d] != ignore:
            return False
        if j not in self.candidates(i, d):
            return False
        rest = inst.problem.rules.min_rest_hours * 60
        prev = [k for k in days if k < d]
        nxt = [k for k in days if k > d]
        if prev and c.start[j] < c.end[days[max(prev)]] + rest:
            return False
        if nxt and c.end[j] + rest > c.start[days[min(nxt)]]:
            return False
        maxc = inst.problem.rules.max_consecutive_days
        left = next(k for k in range(1, maxc + 2) if d - k not in days) - 1
        right = next(k for k in range(1, maxc + 2) if d + k not in days) - 1
        return left + right + 1 <= maxc

    def candidates(self, i: int, d: int) -> set[int]:
        cache = self.__dict__.setdefault("_cand", {})
        key = (i, d)
        if key not in cache:
            cache[key] = set(self.inst.candidates[i].get(d, []))
        return cache[key]

    def move(self, i: int, d: int, j_old: int | None, j_new: int | None) -> None:
        w = self.inst.hz.week_of_day(d)
        c = self.cols(i)
        if j_old is not None:
            r, v = self.duty(i, j_old)
            self.resid[r] += v
            del self.work[i][d]
            self.paid[(i, w)] -= float(c.paid[j_old])
        if j_new is not None:
            r, v = self.duty(i, j_new)
            self.resid[r] -= v
            self.work.setdefault(i, {})[d] = j_new
            self.paid[(i, w)] = self.paid.get((i, w), 0.0) + float(c.paid[j_new])

    def chosen(self) -> list[tuple[int, int]]:
        return sorted((i, j) for i, days in self.work.items() for j in days.values())


def _ot_cny(inst: Instance, i: int, w: int, paid_min: float) -> float:
    ident = inst.ids[i]
    over = max(0.0, paid_min - ident.contract_week[w]) / 60
    return over * ident.hourly * inst.problem.costs.overtime_premium


def shed_overtime(inst: Instance, chosen: list[tuple[int, int]],
                  rounds: int = 3) -> list[tuple[int, int]]:
    """Roster with avoidable permanent overtime removed (see module docstring)."""
    st = _State(inst, chosen)
    hz = inst.hz
    perm = [i for i, ident in enumerate(inst.ids) if ident.agent_type == "permanent"]
    for _ in range(rounds):
        moved = 0
        for w in range(hz.n_weeks):
            donors = sorted((i for i in perm
                             if st.paid.get((i, w), 0.0) > inst.ids[i].contract_week[w] + 1e-6),
                            key=lambda i: -st.paid[(i, w)])
            for i in donors:
                moved += _relieve(st, i, w, perm)
        if not moved:
            break
    return st.chosen()


def _relieve(st: _State, i: int, w: int, perm: list[int]) -> int:
    """Apply the best paying moves for donor i in week w until no overtime or no gain."""
    inst = st.inst
    ident = inst.ids[i]
    c = st.cols(i)
    moves = 0
    while st.paid.get((i, w), 0.0) > ident.contract_week[w] + 1e-6:
        paid_i = st.paid[(i, w)]
        best, best_gain = None, 1e-6
        for d in [k for k in st.work.get(i, {}) if inst.hz.week_of_day(k) == w]:
            j = st.work[i][d]
            pj = float(c.paid[j])
            r_i, v_i = st.duty(i, j)
            # shorten
            for j2 in st.candidates(i, d):
                if c.paid[j2] >= pj or not st.fits(i, d, j2, ignore=j):
                    continue
                new_paid = paid_i - pj + float(c.paid[j2])
                if new_paid < ident.min_week[w] - 1e-6:
                    continue
                saved = _ot_cny(inst, i, w, paid_i) - _ot_cny(inst, i, w, new_paid)
                r2, v2 = st.duty(i, j2)
                gain = saved - st.cover_delta([(r_i, v_i, -1.0), (r2, v2, 1.0)])
                if gain > best_gain:
                    best, best_gain = ("shorten", d, j, j2, None), gain
            # exchange: a shorter shift of another agent on the same day, who stays within
            # contract (same columns, so coverage changes only by efficiency)
            for r in perm:
                jr = st.work.get(r, {}).get(d)
                if r == i or jr is None or c.paid[jr] >= pj:
                    continue
                other, pr = inst.ids[r], st.paid.get((r, w), 0.0)
                new_i = paid_i - pj + float(c.paid[jr])
                if pr - float(c.paid[jr]) + pj > min(other.contract_week[w],
                                                     other.max_week[w]) + 1e-6 or \
                        new_i < ident.min_week[w] - 1e-6:
                    continue
                if not (st.fits(i, d, jr, ignore=j) and st.fits(r, d, j, ignore=jr)):
                    continue
                saved = _ot_cny(inst, i, w, paid_i) - _ot_cny(inst, i, w, new_i)
                (r_r, v_r), (r_i2, v_i2), (r_r2, v_r2) = st.duty(r, jr), st.duty(i, jr), \
                    st.duty(r, j)
                gain = saved - st.cover_delta([(r_i, v_i, -1.0), (r_r, v_r, -1.0),
                                               (r_i2, v_i2, 1.0), (r_r2, v_r2, 1.0)])
                if gain > best_gain:
                    best, best_gain = ("exchange", d, j, jr, r), gain
            # transfer
            if paid_i - pj < ident.min_week[w] - 1e-6:
                continue
            saved = _ot_cny(inst, i, w, paid_i) - _ot_cny(inst, i, w, paid_i - pj)
            if saved <= best_gain:
                continue
            for r in perm:
                other = inst.ids[r]
                pr = st.paid.get((r, w), 0.0)
                if r == i or pr + pj > min(other.contract_week[w], other.max_week[w]) + 1e-6:
                    continue
                if not st.fits(r, d, j):
                    continue
                r_r, v_r = st.duty(r, j)
                gain = saved - st.cover_delta([(r_i, v_i, -1.0), (r_r, v_r, 1.0)])
                if gain > best_gain:
                    best, best_gain = ("transfer", d, j, j, r), gain
        if best is None:
            break
        kind, d, j, j2, r = best
        if kind == "shorten":
            st.move(i, d, j, j2)
        elif kind == "exchange":
            st.move(i, d, j, None)
            st.move(int(r), d, j2, j)
            st.move(i, d, None, j2)
        else:
            st.move(i, d, j, None)
            st.move(int(r), d, None, j2)
        moves += 1
    return moves


def swap_for_efficiency(inst: Instance, chosen: list[tuple[int, int]], passes: int = 2,
                        tries: int = 12) -> list[tuple[int, int]]:
    """Exchange same-length shifts of two permanent agents on one day when the more efficient
    agent then covers the tighter shift and the coverage penalty falls.

    The stage-1 LP counts permanent agents at their mean efficiency, so its integer shifts fit
    demand exactly on average; given to agents regardless of efficiency they leave fractional
    shortfall wherever a 0.9 agent holds a shift over a binding slot. Per day, shifts held by
    less efficient agents are visited tightest first (slot-minutes where the residual demand is
    within one agent of binding) and offered to the ``tries`` loosest shifts of more efficient
    agents; a swap keeps weekly hours (same paid length), rest and consecutive days.
    """
    st = _State(inst, chosen)
    perm = [i for i, ident in enumerate(inst.ids) if ident.agent_type == "permanent"]
    eff = {i: inst.ids[i].efficiency(inst.problem, 0) for i in perm}
    if len(set(eff.values())) < 2:
        return chosen
    c = inst.cols["permanent"]
    for _ in range(passes):
        swaps = 0
        for d in range(len(inst.hz.days)):
            held = [(i, st.work[i][d]) for i in perm if d in st.work.get(i, {})]

            def tight(j: int) -> float:
                r, v = st.duty(perm[0], j)
                return float((v * (st.resid[r] > -1.0)).sum())

            score = {j: tight(j) for _, j in held}
            by_tight = sorted(held, key=lambda h: -score[h[1]])
            for b, jb in by_tight:
                if st.work.get(b, {}).get(d) != jb:
                    continue
                loose = [(a, ja) for a, ja in reversed(by_tight)
                         if eff[a] > eff[b] and st.work.get(a, {}).get(d) == ja
                         and score[ja] < score[jb] and c.paid[ja] == c.paid[jb]][:tries]
                for a, ja in loose:
                    if not (st.fits(a, d, jb, ignore=ja) and st.fits(b, d, ja, ignore=jb)):
                        continue
                    (ra, va), (rb, vb) = st.duty(a, ja), st.duty(b, jb)
                    (ra2, va2), (rb2, vb2) = st.duty(a, jb), st.duty(b, ja)
                    delta = st.cover_delta([(ra, va, -1.0), (rb, vb, -1.0),
                                            (ra2, va2, 1.0), (rb2, vb2, 1.0)])
                    if delta < -1e-9:
                        st.move(a, d, ja, None)
                        st.move(b, d, jb, ja)
                        st.move(a, d, None, jb)
                        swaps += 1
                        break
        if not swaps:
            break
    return st.chosen()
