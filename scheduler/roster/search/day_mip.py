"""Day neighbourhood: every identity's shift on one date re-optimised jointly, the rest fixed.

Whole-schedule best responses (``best_response.py``) move one identity at a time; what they
cannot do is reshape a whole day at once (e.g. three agents trading start times so a peak is
covered with less surplus around it). Here, for one date ``d``, every identity keeps its shifts
on the other dates and chooses one candidate shift on ``d`` or none, with:

- the exact cost of each choice given the rest of its schedule: wage, plus the change of its
  week's cost curve (overtime above contract, weekly-minimum penalty, inf above the maximum);
- only choices its other shifts allow: minimum rest after the shift on ``d - 1`` and before the
  one on ``d + 1``, and no run of working dates above the consecutive-day limit;
- coverage of every slot the day's shifts touch, with shortfall and surplus priced as in the
  objective.

Identities that offer the same choices at the same costs and efficiency are interchangeable on
that date, so they are one group with integer counts (no symmetric copies for the MIP to
branch over: 200 agents fall into 45-85 groups on the benchmark). Temporaries are not hired or
released here: a temp without shifts stays out, and a temp working its cohort date keeps a
shift on it. The MIP (HiGHS, one thread, a time limit, the incumbent as its start) is solved
and its counts handed back to members, those already on a chosen shift keeping it; the result
is kept when the local search's total (CNY) drops. Money in CNY, coverage in agents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import highspy
import numpy as np
from scipy import sparse

from scheduler.roster.instance.instance import MIN_GAIN_CNY
from scheduler.roster.lp.highs import highs_lp, quiet_highs, set_threads

if TYPE_CHECKING:  # the type only: day_mip sits beside the local search, not above it
    from scheduler.roster.search.best_response import BestResponse


@dataclass
class _Group:
    """Interchangeable identities on one date: their candidate flat indices (of the first
    member's space), the CNY of each, the shared column indices and whether each must work."""

    members: list[int]
    ks: np.ndarray
    cost: np.ndarray
    cols: np.ndarray
    must: bool
    first: int  # the member into whose candidate space ``ks`` index


class DayMip:
    """Re-optimise one date of the incumbent held by a ``BestResponse``."""

    def __init__(self, br: BestResponse) -> None:
        self.br = br

    # ------------------------------------------------------------------ choices
    def _choices(self, i: int, d: int) -> tuple[np.ndarray, np.ndarray, bool] | None:
        """Identity ``i``'s allowed shifts on date ``d`` (flat indices), the CNY of each given
        its other dates, and whether it must work ``d``; None when it stays out of the MIP."""
        br, pr = self.br, self.br.pricer
        sp, tour = pr.spaces[i], br.tours[i]
        on = dict(tour)
        temp = i in br.temps
        if temp and (not tour or (sp.forced_day == d and len(tour) == 1)):
            return None  # hiring and releasing temps stays with the local search
        w = int(pr.week_of[d])
        units = sum(int(sp.units[sp.index[(e, j)]]) for e, j in tour
                    if e != d and pr.week_of[e] == w)
        n_u = sp.curves.shape[1]
        before = sp.curves[w, units] if units < n_u else np.inf
        ks = np.arange(sp.off[d], sp.off[d + 1])
        run_before = run_after = 0
        while d - run_before - 1 >= 0 and (d - run_before - 1) in on:
            run_before += 1
        while d + run_after + 1 < pr.n_days and (d + run_after + 1) in on:
            run_after += 1
        ok = np.full(ks.size, run_before + 1 + run_after <= pr.max_streak)
        if d - 1 in on:
            ok &= sp.start[ks] >= sp.end[sp.index[(d - 1, on[d - 1])]] + pr.rest
        if d + 1 in on:
            ok &= sp.end[ks] + pr.rest <= sp.start[sp.index[(d + 1, on[d + 1])]]
        after = units + sp.units[ks]
        week = np.where(after < n_u, sp.curves[w, np.minimum(after, n_u - 1)], np.inf)
        cost = week - before + sp.wage[ks]
        ok &= np.isfinite(cost)
        return ks[ok], cost[ok], bool(temp and sp.forced_day == d)

    def _groups(self, d: int) -> tuple[list[_Group], np.ndarray]:
        """Groups of interchangeable identities on ``d`` and the coverage without their
        shifts on ``d`` (agents per slot)."""
        br = self.br
        base = br.cov.copy()
        groups: dict[tuple, _Group] = {}
        for i in br.tours:
            got = self._choices(i, d)
            if got is None:
                continue
            sp = br.pricer.spaces[i]
            j_now = dict(br.tours[i]).get(d)
            if j_now is not None:
                k = sp.index[(d, j_now)]
                sl = slice(sp.duty_ptr[k], sp.duty_ptr[k + 1])
                np.subtract.at(base, sp.duty_slot[sl], sp.duty_agents[sl])
            ks, cost, must = got
            cols = sp.col[ks]
            key = (br.inst.ids[i].agent_type, float(sp.eff[d]), must, cols.tobytes(),
                   np.round(cost, 6).tobytes())
            g = groups.setdefault(key, _Group([], ks, cost, cols, must, i))
            g.members.append(i)
        return list(groups.values()), base

    # ------------------------------------------------------------------ model
    def _solve(self, groups: list[_Group], base: np.ndarray, d: int, time_s: float
               ) -> np.ndarray | None:
        """Integer shifts per (group, candidate), flat in group order; None if HiGHS found no
        solution."""
        br = self.br
        owner = np.repeat(np.arange(len(groups)), [g.ks.size for g in groups])
        slots, agents, lens = [], [], []
        for g in groups:
            sp = br.pricer.spaces[g.first]
            for k in g.ks:
                sl = slice(sp.duty_ptr[k], sp.duty_ptr[k + 1])
                slots.append(sp.duty_slot[sl])
                agents.append(sp.duty_agents[sl])
                lens.append(sl.stop - sl.start)
        n = owner.size
        if n == 0:
            return None
        touched = np.unique(np.concatenate(slots))
        pos = np.full(br.req.size, -1)
        pos[touched] = np.arange(touched.size)
        n_s, n_g = touched.size, len(groups)
        rows = np.concatenate([pos[np.concatenate(slots)], np.arange(n_s), np.arange(n_s),
                               n_s + owner])
        cols = np.concatenate([np.repeat(np.arange(n), lens), n + np.arange(n_s),
                               n + n_s + np.arange(n_s), np.arange(n)])
        vals = np.concatenate([np.concatenate(agents), np.ones(n_s), -np.ones(n_s), np.ones(n)])
        a = sparse.csc_matrix((vals, (rows, cols)), shape=(n_s + n_g, n + 2 * n_s))
        need = br.req[touched] - base[touched]  # shift cover + shortfall - surplus = need
        size = np.asarray([len(g.members) for g in groups], dtype=float)
        cost = np.concatenate([np.concatenate([g.cost for g in groups]),
                               np.full(n_s, br.short_price), np.full(n_s, br.over_price)])
        m = highs_lp(cost, np.zeros(a.shape[1]),
                     np.concatenate([size[owner], np.full(2 * n_s, highspy.kHighsInf)]),
                     np.concatenate([need, np.where([g.must for g in groups], size, 0.0)]),
                     np.concatenate([need, size]), a,
                     np.arange(a.shape[1]) < n)
        h = quiet_highs()
        set_threads(h, 1)
        h.setOptionValue("random_seed", 0)
        h.setOptionValue("time_limit", float(max(0.1, time_s)))
        h.setOptionValue("mip_rel_gap", 1e-6)
        h.passModel(m)
        start = np.zeros(a.shape[1])
        start[:n] = self._incumbent_counts(groups, d)
        covered = a[:n_s, :n] @ start[:n]
        start[n:n + n_s] = np.maximum(0.0, need - covered)
        start[n + n_s:] = np.maximum(0.0, covered - need)
        sol = highspy.HighsSolution()
        sol.col_value = start.tolist()
        sol.value_valid = True
        h.setSolution(sol)
        h.run()
        if not h.getInfo().primal_solution_status:
            return None
        return np.round(np.asarray(h.getSolution().col_value)[:n]).astype(np.int64)

    def _incumbent_counts(self, groups: list[_Group], d: int) -> np.ndarray:
        out = []
        for g in groups:
            counts = np.zeros(g.ks.size)
            where = {int(j): p for p, j in enumerate(g.cols)}
            for i in g.members:
                j = dict(self.br.tours[i]).get(d)
                if j is not None:
                    counts[where[j]] += 1
            out.append(counts)
        return np.concatenate(out)

    # ------------------------------------------------------------------ search
    def improve_day(self, d: int, time_s: float) -> float:
        """Re-optimise date ``d`` within ``time_s`` seconds; returns the CNY saved (0 when
        the incumbent is kept)."""
        br = self.br
        groups, base = self._groups(d)
        counts = self._solve(groups, base, d, time_s)
        if counts is None:
            return 0.0
        before = br.total()
        saved = br._snapshot()
        at = 0
        for g in groups:
            c = counts[at:at + g.ks.size]
            at += g.ks.size
            wanted = [int(j) for j, k in zip(g.cols, c, strict=True) for _ in range(int(k))]
            now = {i: dict(br.tours[i]).get(d) for i in g.members}
            for i in g.members:  # members already on a wanted shift keep it
                if now[i] is not None and now[i] in wanted:
                    wanted.remove(now[i])
                    now[i] = -1
            for i in g.members:
                if now[i] == -1:
                    continue
                j = wanted.pop() if wanted else None
                if j != now[i]:
                    rest = [(e, jj) for e, jj in br.tours[i] if e != d]
                    br._set(i, tuple(sorted(rest + ([(d, j)] if j is not None else []))))
        after = br.total()
        if after > before - MIN_GAIN_CNY:
            br._restore(saved)
            return 0.0
        return before - after

