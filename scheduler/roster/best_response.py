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
"""

from __future__ import annotations

import random
import time

import numpy as np

from scheduler.roster.model import RosterModel
from scheduler.roster.tours import Tour, TourPricer

MIN_GAIN_CNY = 0.01
KICK_SIZE = (1, 3)  # identities emptied per kick (inclusive range)
REPAIR_SHARE = 0.05  # share of the other identities re-optimised after a kick
ACCEPT_TIES = True  # plateau moves: keep a kick that ends at the same cost
RELATED_SHARE = 0.5  # share of kicks drawn among the identities working one random date


class BestResponse:
    def __init__(self, rm: RosterModel, pricer: TourPricer | None = None) -> None:
        self.rm = rm
        self.pricer = pricer or TourPricer(rm)
        costs, it = rm.problem.costs, rm.hz.interval
        self.req = np.asarray(rm.problem.required, dtype=float)
        self.short_price = costs.shortfall_cost_per_agent_hour_cny * it / 60  # per agent-slot
        self.over_price = costs.overstaff_cost_per_agent_hour_cny * it / 60
        self.tours: dict[int, Tour] = {}
        self.covs: dict[int, np.ndarray] = {}
        self.cov = np.zeros(rm.hz.n_slots)
        self.temps: set[int] = set()
        self.hired = 0
        self._subs: dict[tuple[str, bytes], tuple] = {}

    def _slot_cost(self, gap: np.ndarray) -> np.ndarray:
        """Shortfall + surplus cost of a slot whose requirement minus coverage is ``gap``."""
        return self.short_price * np.maximum(0.0, gap) + self.over_price * np.maximum(0.0, -gap)

    def _sub_duty(self, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Identity ``i``'s candidate columns and their duty entries (slot, minutes, local
        column), shared by identities with the same candidates."""
        typ = self.rm.ids[i].agent_type
        cols = np.unique(np.concatenate(self.pricer.spaces[i].cand))
        key = (typ, cols.tobytes())
        if key not in self._subs:
            sub = self.rm.cols[typ].duty[:, cols]
            local = np.repeat(np.arange(len(cols)), np.diff(sub.indptr))
            self._subs[key] = (cols, sub.indices, sub.data.astype(float), local)
        return self._subs[key]

    def cover_value(self, i: int, base: np.ndarray):
        """Cost change (CNY) of adding each of identity ``i``'s candidate columns, per
        (type, efficiency), on top of the coverage ``base`` (agents per slot)."""
        cache: dict[tuple[str, float], np.ndarray] = {}
        it = self.rm.hz.interval
        cols, rows, minutes, local = self._sub_duty(i)
        gap = self.req[rows] - base[rows]
        now = self._slot_cost(gap)

        def value(typ: str, eff: float) -> np.ndarray:
            key = (typ, eff)
            if key not in cache:
                delta = self._slot_cost(gap - eff * minutes / it) - now
                out = np.zeros(self.rm.cols[typ].size)
                out[cols] = np.bincount(local, weights=delta, minlength=len(cols))
                cache[key] = out
            return cache[key]

        return value

    def tour_value(self, i: int, tour: Tour, value) -> float:
        typ = self.rm.ids[i].agent_type
        eff = self.pricer.spaces[i].eff
        return self.pricer.tour_cost(i, tour) + sum(float(value(typ, float(eff[d]))[j])
                                                    for d, j in tour)

    # ------------------------------------------------------------------ state
    def load(self, chosen: list[tuple[int, int]]) -> None:
        """Set the incumbent roster ((identity, column) pairs)."""
        rm = self.rm
        by_id: dict[int, list[tuple[int, int]]] = {i: [] for i in range(len(rm.ids))}
        for i, j in chosen:
            by_id[i].append((int(rm.cols[rm.ids[i].agent_type].day[j]), j))
        self.tours = {i: tuple(sorted(p)) for i, p in by_id.items()}
        self.covs = {i: self.pricer.coverage(i, t) for i, t in self.tours.items()}
        self.cov = (np.sum(list(self.covs.values()), axis=0) if self.covs
                    else np.zeros(rm.hz.n_slots))
        self.temps = {i for i in self.tours if rm.ids[i].agent_type == "temporary"}
        self.hired = sum(1 for i in self.temps if self.tours[i])

    def total(self) -> float:
        """Cost of the incumbent (CNY, without night-shift fairness)."""
        return (sum(self.pricer.tour_cost(i, t) for i, t in self.tours.items())
                + float(self._slot_cost(self.req - self.cov).sum()))

    def pairs(self) -> list[tuple[int, int]]:
        return [(i, j) for i, t in sorted(self.tours.items()) for _, j in t]

    def _set(self, i: int, tour: Tour) -> None:
        if i in self.temps:
            self.hired += int(bool(tour)) - int(bool(self.tours[i]))
        cov_i = self.pricer.coverage(i, tour)
        self.cov = self.cov - self.covs[i] + cov_i
        self.tours[i], self.covs[i] = tour, cov_i

    def move(self, i: int) -> bool:
        """Move identity ``i`` to its best schedule; True if that lowered the cost."""
        if (i in self.temps and not self.tours[i]
                and self.hired >= self.rm.problem.temporary.max_headcount):
            return False
        value = self.cover_value(i, self.cov - self.covs[i])
        best, tour = self.pricer.price(i, value)
        if not np.isfinite(best) or best > self.tour_value(i, self.tours[i], value) - MIN_GAIN_CNY:
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
                       max_kicks: int | None = None) -> tuple[list[tuple[int, int]], int]:
        """Iterated local search: empty the schedules of a few random identities, re-optimise
        them and a random ``REPAIR_SHARE`` of the others, keep the result if cheaper, else restore.
        Returns the best roster and the number of accepted kicks."""
        self.load(chosen)
        rng = random.Random(seed)
        best = self.total()
        ids = list(self.tours)
        accepted = 0
        kicks = 0
        while time.perf_counter() < deadline and (max_kicks is None or kicks < max_kicks):
            kicks += 1
            saved = (dict(self.tours), dict(self.covs), self.cov.copy(), self.hired)
            pool = ids
            if rng.random() < RELATED_SHARE:  # identities sharing one date (they compete)
                d = rng.randrange(len(self.rm.hz.days))
                pool = [i for i in ids if any(day == d for day, _ in self.tours[i])] or ids
            kicked = rng.sample(pool, min(len(pool), rng.randint(*KICK_SIZE)))
            for i in kicked:
                self._set(i, ())
            others = [i for i in ids if rng.random() < REPAIR_SHARE]
            for i in kicked + others + kicked:
                self.move(i)
            now = self.total()
            if now < best - MIN_GAIN_CNY or (ACCEPT_TIES and now <= best + MIN_GAIN_CNY):
                best, accepted = now, accepted + 1
            else:
                self.tours, self.covs, self.cov, self.hired = saved
        return self.pairs(), accepted
