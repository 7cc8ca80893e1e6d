"""Large-neighbourhood search (LNS) on the per-agent CP-SAT model, starting from a full roster.

The monolithic model (tens of thousands of Booleans) is too big for CP-SAT to improve much in
the time limit. LNS keeps one model and, each iteration, frees a small neighbourhood of
(identity, day) shift choices while every other shift Boolean is fixed to the incumbent (its
domain set to one value), then solves the model with the incumbent as a complete hint. Every
rule stays in force (they are the model's own constraints), presolve removes the fixed part, and
a sub-solve can only return a solution at least as good as the hint, so the roster never gets
worse. Neighbourhoods, chosen in turn from ``random.Random(seed)``:

- ``days``: every identity's shifts on a window of 1-3 consecutive days (random subset of
  identities when the window is too big);
- ``agents``: random identities over the whole horizon;
- ``overtime``: permanent agents paid above contract in some week plus agents of the same type
  below contract, on the days of the week with the most overtime (hours move between them);
- ``shortfall``: all identities on a short slot's day and its neighbours (slot drawn with
  probability proportional to its shortfall);
- ``nudge``: many identities on a 2-4 day window, but a worked shift may only move its start by
  up to two hours (change length or meal, or be dropped), and an idle day may take one of a
  few random candidates.

The neighbourhood size (free Booleans) adapts: it grows after a sub-solve proved optimality and
shrinks after one ended without improvement. With ``SolverConfig.deterministic_time_limit`` set
and one worker the search stops after that much CP-SAT deterministic time (sub-solves are then
limited by deterministic time only), so the result does not depend on machine load.
Objective units are the model's (CNY x ``OBJ_SCALE``).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from scheduler.roster.cpsat.interrupts import solve_cpsat
from scheduler.roster.cpsat.model import OBJ_SCALE, RosterModel
from scheduler.roster.schema import SolverConfig

SUB_TIME_S = 0.75  # wall-clock cap of one sub-solve
SUB_DTIME = 0.3  # deterministic-time cap of one sub-solve (deterministic mode)
START_FREE = 2_500  # initial neighbourhood size in free shift Booleans
MIN_FREE, MAX_FREE = 400, 20_000
SUB_LINEARIZATION = 1  # CP-SAT linearization_level of sub-solves (1 beat 0 on the bench)
SUB_WORKERS = 2  # sub-solve workers when the config allows more than one
KINDS = ("days", "agents", "overtime", "shortfall", "nudge")
NUDGE_MINUTES = 120  # "nudge": worked shifts may move their start this far
IDLE_SAMPLE = 4  # "nudge": candidate columns freed per idle (identity, day)

Improve = Callable[[float], None]  # called with the new objective (CNY) after each improvement


@dataclass
class LnsStats:
    iterations: int = 0
    improvements: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


class Lns:
    """LNS state: the model, its x-variable layout and the incumbent full solution."""

    def __init__(self, rm: RosterModel, config: SolverConfig) -> None:
        self.rm, self.config = rm, config
        self.proto = rm.m.proto
        self.n_vars = len(self.proto.variables)
        # x variable indices per (identity, day), and their column per index
        self.cells: dict[tuple[int, int], list[int]] = {}
        self.col_of: dict[int, int] = {}
        for i, by_day in enumerate(rm.x):
            for d, lst in by_day.items():
                self.cells[(i, d)] = [v.index for _, v in lst]
                self.col_of.update({v.index: j for j, v in lst})
        self.sol: list[int] = []
        self.obj = float("inf")
        self.rng = random.Random(config.random_seed)
        self.free = START_FREE
        self.stats = LnsStats()
        self.dtime_used = 0.0

    # ------------------------------------------------------------------ incumbent handling
    def start(self, chosen: list[tuple[int, int]], time_limit_s: float) -> bool:
        """Complete the roster ``chosen`` ((identity, column) pairs) to a full model solution
        and fix every shift Boolean to it. False when the roster is not a model solution."""
        on = set(chosen)
        for (i, _), idxs in self.cells.items():
            for k in idxs:
                self._fix(k, int((i, self.col_of[k]) in on))
        solver = self._solver(max(0.5, time_limit_s), None)
        status = solve_cpsat(solver, self.rm.m)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self._unfix_all()
            return False
        self._accept(solver)
        return True

    def chosen(self) -> list[tuple[int, int]]:
        """Incumbent roster as (identity, column) pairs."""
        return [(i, self.col_of[k]) for (i, _), idxs in self.cells.items()
                for k in idxs if self.sol[k]]

    def _fix(self, k: int, val: int) -> None:
        dom = self.proto.variables[k].domain
        dom[0] = val
        dom[1] = val

    def _unfix_all(self) -> None:
        for idxs in self.cells.values():
            for k in idxs:
                self._fix_range(k)

    def _fix_range(self, k: int) -> None:
        dom = self.proto.variables[k].domain
        dom[0] = 0
        dom[1] = 1

    def _accept(self, solver: cp_model.CpSolver) -> None:
        self.sol = list(solver.response_proto.solution)
        self.obj = solver.objective_value
        hint = self.proto.solution_hint
        hint.vars.clear()
        hint.values.clear()
        hint.vars.extend(range(self.n_vars))
        hint.values.extend(self.sol)

    def _solver(self, limit_s: float, dtime: float | None) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.num_workers = 1 if self.config.num_workers == 1 else SUB_WORKERS
        p.linearization_level = SUB_LINEARIZATION
        p.random_seed = self.config.random_seed + self.stats.iterations
        p.max_time_in_seconds = limit_s
        if dtime is not None:
            p.max_deterministic_time = dtime
        p.cp_model_probing_level = 0
        p.symmetry_level = 0
        return solver

    # ------------------------------------------------------------------ neighbourhoods
    def _worked(self, i: int, d: int) -> bool:
        return any(self.sol[k] for k in self.cells.get((i, d), ()))

    def _paid_by_week(self) -> dict[tuple[int, int], float]:
        rm, out = self.rm, {}
        for (i, d), idxs in self.cells.items():
            c = rm.cols[rm.ids[i].agent_type]
            for k in idxs:
                if self.sol[k]:
                    key = (i, rm.hz.week_of_day(d))
                    out[key] = out.get(key, 0.0) + float(c.paid[self.col_of[k]])
        return out

    def _take_identities(self, ids: list[int], days: list[int] | None) -> list[tuple[int, int]]:
        """Cells of ``ids`` (in order) on ``days`` (None = all) until the size budget is met."""
        out: list[tuple[int, int]] = []
        size = 0
        all_days = range(len(self.rm.hz.days))
        for i in ids:
            for d in (days if days is not None else all_days):
                idxs = self.cells.get((i, d))
                if idxs:
                    out.append((i, d))
                    size += len(idxs)
            if size >= self.free:
                break
        return out

    def neighbourhood(self, kind: str) -> list[tuple[int, int]]:
        rm, rng = self.rm, self.rng
        n_ids, n_days = len(rm.ids), len(rm.hz.days)
        ids = list(range(n_ids))
        rng.shuffle(ids)
        if kind == "days" or (kind == "shortfall" and not rm.shortfall):
            width = rng.choice((1, 2, 3))
            d0 = rng.randrange(max(1, n_days - width + 1))
            return self._take_identities(ids, list(range(d0, min(n_days, d0 + width))))
        if kind == "shortfall":
            short = np.asarray([self.sol[v.index] for v in rm.shortfall], dtype=float)
            if short.max() <= 0:
                return self.neighbourhood("days")
            # sample a short slot with probability proportional to its shortfall
            t = rng.choices(range(len(short)), weights=short.tolist())[0]
            d = rm.hz.day_index(rm.problem.slot_starts[t].date())
            days = [x for x in (d - 1, d, d + 1) if 0 <= x < n_days]
            return self._take_identities(ids, days)
        if kind == "overtime":
            paid = self._paid_by_week()
            over, under = [], []
            for i in ids:
                ident = rm.ids[i]
                if ident.agent_type != "permanent":
                    continue
                weeks = range(rm.hz.n_weeks)
                if any(paid.get((i, w), 0.0) > ident.contract_week[w] + 1e-6 for w in weeks):
                    over.append(i)
                elif any(paid.get((i, w), 0.0) < ident.contract_week[w] - 1e-6 for w in weeks):
                    under.append(i)
            if not over:
                return self._take_identities(ids, None)
            ot = [sum(max(0.0, paid.get((i, w), 0.0) - rm.ids[i].contract_week[w])
                      for i in over) for w in range(rm.hz.n_weeks)]
            week = list(rm.hz.week_days(int(np.argmax(ot))))
            k = max(1, len(over) // 2)
            mixed = [x for pair in zip(over[:k], under, strict=False) for x in pair]
            return self._take_identities(mixed + over[len(mixed) // 2:] + under, week)
        return self._take_identities(ids, None)

    def nudge(self) -> list[int]:
        """Variables of a day window (around a short slot half of the time): for every worked
        cell only the columns starting within ``NUDGE_MINUTES`` of the incumbent's, for idle
        cells a few random candidates; identities in random order until the size budget."""
        rm, rng = self.rm, self.rng
        n_days = len(rm.hz.days)
        width = rng.choice((2, 3, 4))
        short = [self.sol[v.index] for v in rm.shortfall]
        if rng.random() < 0.5 and short and max(short) > 0:
            t = rng.choices(range(len(short)), weights=short)[0]
            d0 = rm.hz.day_index(rm.problem.slot_starts[t].date()) - rng.randrange(width)
        else:
            d0 = rng.randrange(n_days)
        days = [d for d in range(d0, d0 + width) if 0 <= d < n_days]
        ids = list(range(len(rm.ids)))
        rng.shuffle(ids)
        freed: list[int] = []
        for i in ids:
            c = rm.cols[rm.ids[i].agent_type]
            for d in days:
                idxs = self.cells.get((i, d), [])
                on = [k for k in idxs if self.sol[k]]
                if on:
                    s0 = int(c.start[self.col_of[on[0]]])
                    freed += [k for k in idxs
                              if abs(int(c.start[self.col_of[k]]) - s0) <= NUDGE_MINUTES]
                elif idxs:
                    freed += rng.sample(idxs, min(IDLE_SAMPLE, len(idxs)))
            if len(freed) >= self.free:
                break
        return freed

    # ------------------------------------------------------------------ main loop
    def run(self, deadline: float, dtime_budget: float | None,
            on_improve: Improve | None = None) -> None:
        """Improve the incumbent until ``deadline`` (perf_counter seconds) or the deterministic
        budget is spent."""
        if not self.cells or not self.sol:
            return
        k = 0
        while True:
            left = deadline - time.perf_counter()
            if left < 0.3:
                break
            dt = None
            if dtime_budget is not None:
                dt = min(SUB_DTIME, dtime_budget - self.dtime_used)
                if dt <= 1e-3:
                    break
            kind = KINDS[k % len(KINDS)] if k < len(KINDS) else self.rng.choice(KINDS)
            k += 1
            if kind == "nudge":
                freed = self.nudge()
            else:
                freed = [idx for cell in self.neighbourhood(kind) for idx in self.cells[cell]]
            for idx in freed:
                self._fix_range(idx)
            # deterministic mode: only the deterministic limit may stop a sub-solve
            solver = self._solver(left if dt is not None else min(SUB_TIME_S, left), dt)
            status = solve_cpsat(solver, self.rm.m)
            self.stats.iterations += 1
            self.dtime_used += solver.deterministic_time
            ok = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
            if ok and solver.objective_value < self.obj - 0.5:
                self._accept(solver)
                self.stats.improvements += 1
                self.stats.by_kind[kind] = self.stats.by_kind.get(kind, 0) + 1
                if on_improve is not None:
                    on_improve(self.obj / OBJ_SCALE)
            for idx in freed:
                self._fix(idx, int(self.sol[idx]))
            if status == cp_model.OPTIMAL:
                self.free = min(MAX_FREE, int(self.free * 1.25))
            elif not ok or solver.objective_value >= self.obj - 0.5:
                self.free = max(MIN_FREE, int(self.free * 0.8))
