"""CP-SAT solution callback of ``solve_roster``: progress records (wall s, objective CNY,
bound CNY) of every improving solution, CP-SAT's and the local searches'."""

from __future__ import annotations

import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduler.roster.cpsat.model import OBJ_SCALE
from scheduler.roster.schema import StageRecord

Progress = Callable[[float, float, float], None]


class SolveCallback(cp_model.CpSolverSolutionCallback):
    def __init__(self, t_start: float, on_progress: Progress | None) -> None:
        super().__init__()
        self.t_start, self.on_progress = t_start, on_progress
        self.progress: list[tuple[float, float, float]] = []

    def on_solution_callback(self) -> None:
        rec = (time.perf_counter() - self.t_start, self.objective_value / OBJ_SCALE,
               self.best_objective_bound / OBJ_SCALE)
        self.progress.append(rec)
        if self.on_progress is not None:
            self.on_progress(*rec)

    def record_lns(self, objective_cny: float) -> None:
        """An LNS or local-search improvement; bound = the monolithic solve's last one, else
        NaN (none)."""
        bound = self.progress[-1][2] if self.progress else float("nan")
        rec = (time.perf_counter() - self.t_start, objective_cny, bound)
        self.progress.append(rec)
        if self.on_progress is not None:
            self.on_progress(*rec)


class StageLog:
    """Per-stage wall seconds and best score (CNY) of a solve, for ``RosterResult.stages``."""

    def __init__(self, t_start: float) -> None:
        self.last = t_start
        self.records: list[StageRecord] = []

    def add(self, stage: str, score_cny: float, detail: str = "") -> None:
        now = time.perf_counter()
        self.records.append(StageRecord(stage=stage,  # type: ignore[arg-type]
                                        seconds=max(0.0, now - self.last),
                                        score_cny=score_cny, detail=detail))
        self.last = now
