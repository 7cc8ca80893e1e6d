"""Best-response sweeps: re-optimise one identity's whole schedule with everyone else fixed.

Given the coverage of all other identities, the cost change of adding one column of identity
``i`` is exact and per column (shortfall it removes, surplus it adds; an identity's shifts never
overlap, since they are on different dates with rest between), so the identity's best whole
schedule under every per-identity rule is one DP (``tours.TourPricer.price``). A sweep visits
every identity in a seeded random order and moves it to its best schedule when that lowers the
total (wages + overtime + weekly-minimum penalty + onboarding + shortfall + surplus) by more
than ``MIN_GAIN_CNY``. The only cross-identity rule besides coverage, the temporary pool size,
is kept by not hiring a temp while the pool is full. Night-shift fairness is not seen here: the
caller compares full roster prices before keeping a result. Money in CNY.

``perturb_search`` is iterated local search on top: kicks that empty a few schedules, and,
once those stall, kicks that ban one shift and offer the hole to others (two-identity moves)
and, while the temp pool has room, kicks that let one hired temporary go and re-optimise
everyone else (the many-identity move that undoes an unneeded hire).
The coverage value of every candidate and the DP run compiled (``tour_dp.py``).
"""

from __future__ import annotations

import random
import time

import numpy as np

from scheduler.roster.instance.instance import MIN_GAIN_CNY, Instance
from scheduler.roster.search.tour_dp import cover_values, move_values
from scheduler.roster.search.tours import Tour, TourPricer

KICK_SIZE = (1, 3)  # identities emptied per kick (inclusive range)
REPAIR_SHARE = 0.05  # share of the other identities re-optimised after a kick
ACCEPT_TIES = True  # plateau moves: keep a kick that ends at the same cost
RELATED_SHARE = 0.5  # share of kicks drawn among the identities working one random date
BAN_SHARE = 0.3  # share of kicks that move one identity off one of its shifts
BAN_SCAN = 30  # responders tried per ban kick
BAN_AFTER = 100  # ban kicks only after this many kicks without a strict improvement
FIRE_SHARE = 0.02  # share of stalled kicks that let one temporary go (some hired, pool not full)
FIRE_SWEEPS = 2  # best-response sweeps over the others after a temporary is let go


class BestResponse:
    def __init__(self, inst: Instance, pricer: TourPricer | None = None) -> None:
        self.inst = inst
        self.pricer = pricer or TourPricer(inst)
        self.req = np.asarray(inst.problem.required, dtype=float)
        self.short_price = inst.short_price  # CNY per agent-slot
        self.over_price = inst.over_price
        self.tours: dict[int, Tour] = {}
        self.covs: dict[int, np.ndarray] = {}
        self.flat: dict[int, np.ndarray] = {}  # flat candidate indices of each schedule
        self.cov = np.zeros(inst.hz.n_slots)
        self.costs: dict[int, float] = {}  # tour cost of each identity's schedule (CNY)
        self.works = np.zeros((len(inst.ids), len(inst.hz.days)), dtype=bool)  # identity x date
        self.temps: set[int] = set()
        self.hired = 0
        self.moves = 0  # best-response moves evaluated: the deterministic mode's work count

    def _slot_cost(self, gap: np.ndarray) -> np.ndarray:
        """Shortfall + surplus cost of a slot whose requirement minus coverage is ``gap``."""
        return self.short_price * np.maximum(0.0, gap) + self.over_price * np.maximum(0.0, -gap)

    def values(self, i: int, base: np.ndarray, day: int | None = None) -> np.ndarray:
        """CNY of each of identity ``i``'s flat candidate shifts (only date ``day``'s when
        given) on top of the coverage ``base`` (agents per slot): its wage plus the exact
        change in shortfall and surplus cost."""
        sp = self.pricer.spaces[i]
        lo, hi = (0, len(sp.col)) if day is None else (sp.off[day], sp.off[day + 1])
        out = np.empty(hi - lo)
        cover_values(self.req - base, sp.duty_ptr[lo:hi + 1], sp.duty_slot, sp.duty_agents,
                     sp.wage[lo:hi], self.short_price, self.over_price, out)
        return out

    # ------------------------------------------------------------------ state
    def load(self, chosen: list[tuple[int, int]]) -> None:
        """Set the incumbent roster ((identity, column) pairs)."""
        inst = self.inst
        by_id: dict[int, list[tuple[int, int]]] = {i: [] for i in range(len(inst.ids))}
        for i, j in chosen:
            by_id[i].append((int(inst.cols[inst.ids[i].agent_type].day[j]), j))
        self.tours = {i: tuple(sorted(p)) for i, p in by_id.items()}
        self.covs = {i: self.pricer.coverage(i, t) for i, t in self.tours.items()}
        self.flat = {i: self._flat(i, t) for i, t in self.tours.items()}
        self.costs = {i: self.pricer.tour_cost(i, t) for i, t in self.tours.items()}
        self.works[:] = False
        for i, t in self.tours.items():
            self.works[i, [d for d, _ in t]] = True
        self.cov = (np.sum(list(self.covs.values()), axis=0) if self.covs
                    else np.zeros(inst.hz.n_slots))
        self.temps = {i for i in self.tours if inst.ids[i].agent_type == "temporary"}
        self.hired = sum(1 for i in self.temps if self.tours[i])

    def _flat(self, i: int, tour: Tour) -> np.ndarray:
        index = self.pricer.spaces[i].index
        return np.asarray([index[dj] for dj in tour], dtype=np.int64)

    def total(self) -> float:
        """Cost of the incumbent (CNY, without night-shift fairness)."""
        return sum(self.costs.values()) + float(self._slot_cost(self.req - self.cov).sum())

    def pairs(self) -> list[tuple[int, int]]:
        return [(i, j) for i, t in sorted(self.tours.items()) for _, j in t]

    def _set(self, i: int, tour: Tour) -> None:
        if i in self.temps:
            self.hired += int(bool(tour)) - int(bool(self.tours[i]))
        cov_i = self.pricer.coverage(i, tour)
        self.cov = self.cov - self.covs[i] + cov_i
        self.tours[i], self.covs[i], self.flat[i] = tour, cov_i, self._flat(i, tour)
        self.costs[i] = self.pricer.tour_cost(i, tour)
        self.works[i] = False
        self.works[i, [d for d, _ in tour]] = True

    def move(self, i: int) -> bool:
        """Move identity ``i`` to its best schedule; True if that lowered the cost."""
        self.moves += 1
        if (i in self.temps and not self.tours[i]
                and self.hired >= self.inst.problem.temporary.max_headcount):
            return False
        sp = self.pricer.spaces[i]
        g_val, g_arg, cur = move_values(
            self.req - (self.cov - self.covs[i]), sp.duty_ptr, sp.duty_slot, sp.duty_agents,
            sp.wage, self.short_price, self.over_price, sp.group, sp.g_start.size,
            self.flat[i])
        now = self.costs[i] + cur
        best, tour = self.pricer.price_choices(i, g_val, g_arg, below=now - MIN_GAIN_CNY)
        if tour is None or not np.isfinite(best) or best > now - MIN_GAIN_CNY:
            return False
        self._set(i, tour)
        return True

    # ------------------------------------------------------------------ search
    def improve(self, chosen: list[tuple[int, int]], deadline: float, seed: int = 0,
                max_sweeps: int = 20) -> tuple[list[tuple[int, int]], int]:
        """Sweeps until one changes nothing, ``max_sweeps`` or ``deadline`` (perf_counter s);
        returns the roster as (identity, column) pairs and the number of moves made."""
        self.load(chosen)
        rng = random.Random(seed)
        moves = 0
        for _ in range(max_sweeps):
            order = list(self.tours)
            rng.shuffle(order)
            moved = 0
            for i in order:
                if time.perf_counter() > deadline:
                    return self.pairs(), moves + moved
                moved += int(self.move(i))
            moves += moved
            if moved == 0:
                break
        return self.pairs(), moves

    def perturb_search(self, chosen: list[tuple[int, int]], deadline: float, seed: int = 0,
                       max_kicks: int | None = None, max_moves: int | None = None
                       ) -> tuple[list[tuple[int, int]], int]:
        """Iterated local search: each kick either empties a few schedules and re-optimises
        them (``_empty_kick``) or, once the search stalls, bans one shift and offers it to
        others (``_ban_kick``: slower, but finds what emptying no longer does); the
        result is kept if it costs no more (ties: plateau moves), else restored.
        Stops at ``deadline`` (perf_counter s), after ``max_kicks`` kicks or once the kicks have
        made ``max_moves`` best-response moves (a work count that grows with the instance, so
        deterministic mode's budget tracks CPU time on big and small rosters alike).
        Returns the best roster and the number of accepted kicks."""
        self.load(chosen)
        moves_end = None if max_moves is None else self.moves + max_moves
        rng = random.Random(seed)
        best = self.total()
        ids = list(self.tours)
        accepted = kicks = stalled = 0
        while (time.perf_counter() < deadline and (max_kicks is None or kicks < max_kicks)
               and (moves_end is None or self.moves < moves_end)):
            kicks += 1
            saved = self._snapshot()
            if (stalled >= BAN_AFTER and 0 < self.hired < self.inst.problem.temporary.max_headcount
                    and rng.random() < FIRE_SHARE):
                self._fire_kick(rng, ids, deadline)
            elif stalled >= BAN_AFTER and rng.random() < BAN_SHARE:
                self._ban_kick(rng, ids, best)
            else:
                self._empty_kick(rng, ids)
            now = self.total()
            stalled = 0 if now < best - MIN_GAIN_CNY else stalled + 1
            if now < best - MIN_GAIN_CNY or (ACCEPT_TIES and now <= best + MIN_GAIN_CNY):
                best, accepted = now, accepted + 1
            else:
                self._restore(saved)
        return self.pairs(), accepted

    def _snapshot(self) -> tuple:
        return (dict(self.tours), dict(self.covs), dict(self.costs), self.cov.copy(),
                self.hired, self.works.copy(), dict(self.flat))

    def _restore(self, saved: tuple) -> None:
        tours, covs, costs, cov, self.hired, works, flat = saved
        self.tours, self.covs, self.costs, self.flat = dict(tours), dict(covs), dict(costs), \
            dict(flat)
        self.cov, self.works = cov.copy(), works.copy()

    def _empty_kick(self, rng: random.Random, ids: list[int]) -> None:
        """Empty 1-3 schedules (half the time among identities working one date), then
        re-optimise them, a random ``REPAIR_SHARE`` of the others, and them again."""
        pool = ids
        if rng.random() < RELATED_SHARE:  # identities sharing one date (they compete)
            d = rng.randrange(len(self.inst.hz.days))
            pool = np.flatnonzero(self.works[:, d]).tolist() or ids
        kicked = rng.sample(pool, min(len(pool), rng.randint(*KICK_SIZE)))
        for i in kicked:
            self._set(i, ())
        others = [i for i in ids if rng.random() < REPAIR_SHARE]
        for i in kicked + others + kicked:
            self.move(i)

    def _fire_kick(self, rng: random.Random, ids: list[int], deadline: float = np.inf) -> None:
        """Let one hired temporary go (its onboarding and wages saved) and re-optimise every
        other identity for up to ``FIRE_SWEEPS`` sweeps, without hiring another temporary: the
        many-identity move that gives a temp's hours to permanents' and part-timers' spare
        hours (or overtime), which kicks on one to three schedules never find because one
        temp's shifts are a hole no single other identity fills. Tried only while the pool is
        not full: a full pool says temporaries are worth more than they cost there. The sweeps
        stop at ``deadline`` (perf_counter s; a sweep of 1,000 identities takes seconds)."""
        i = rng.choice(sorted(t for t in self.temps if self.tours[t]))
        self._set(i, ())
        order = [b for b in ids if b != i and not (b in self.temps and not self.tours[b])]
        for _ in range(FIRE_SWEEPS):
            rng.shuffle(order)
            moved = 0
            for b in order:
                if time.perf_counter() > deadline:
                    return
                moved += int(self.move(b))
            if not moved:
                break

    def _could_take(self, b: int, d: int) -> bool:
        """Screen for a ban responder: some candidate of ``b`` on date ``d`` is worth more
        (wage + coverage change, CNY) than what ``b`` has on ``d`` now (its shift, or nothing).
        Week costs are ignored, so it may pass identities whose move then fails."""
        sp = self.pricer.spaces[b]
        lo, hi = sp.off[d], sp.off[d + 1]
        if hi == lo:
            return False
        val = self.values(b, self.cov - self.covs[b], day=d)
        now = 0.0
        if self.works[b, d]:
            now = next(float(val[sp.index[(day, j)] - lo]) for day, j in self.tours[b]
                       if day == d)
        return float(val.min()) < now - MIN_GAIN_CNY

    def _ban_kick(self, rng: random.Random, ids: list[int], best: float) -> None:
        """Move one identity off one of its shifts (to its best schedule without it, even if
        that costs more), then offer the hole to other identities in random order: the first
        whose best response, followed by the banned identity's own, makes the roster cheaper
        than ``best`` is kept. Responders are screened cheaply first (``_could_take``); at most
        ``BAN_SCAN`` of those who pass are re-optimised. (Two-identity moves that kicks which
        empty whole schedules rarely find.)"""
        working = [i for i in ids if self.tours[i]]
        if not working:
            return
        i = rng.choice(working)
        d, j = rng.choice(self.tours[i])
        val = self.values(i, self.cov - self.covs[i])
        val[self.pricer.spaces[i].index[(d, j)]] = np.inf
        cost, tour = self.pricer.price_flat(i, val)
        if not np.isfinite(cost):  # e.g. a temp's cohort-day shift
            return
        self._set(i, tour)
        banned = self._snapshot()
        order = [b for b in ids if b != i]
        rng.shuffle(order)
        tried = 0
        for b in order:
            if tried >= BAN_SCAN:
                break
            if not self._could_take(b, d):
                continue
            tried += 1
            if not self.move(b):
                continue
            self.move(i)
            if self.total() < best - MIN_GAIN_CNY:
                return
            self._restore(banned)
