"""Stage 2: the per-agent CP-SAT model on the selected columns.

One Boolean per (agent identity, candidate column). Identities are the named agents plus temp
identities with a fixed first-shift day (hire cohort). Each rule is one function in ``rules/``.
Integer scales: coverage in units of 1/(100*interval) agent (coefficient = efficiency*100 *
on-duty minutes); objective in CNY * ``OBJ_SCALE`` (so one coverage unit of shortfall costs
``shortfall_cost_per_agent_hour_cny`` objective units).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from scheduler.roster.columns import Columns
from scheduler.roster.horizon import Horizon
from scheduler.roster.schema import Agent, AgentType, RosterProblem

OBJ_SCALE = 6000  # objective units per CNY
EFF_SCALE = 100  # efficiency is rounded to 1/100


@dataclass
class Identity:
    """One agent in the model: a named agent or an anonymous temp of a hire cohort."""

    key: str
    agent_type: AgentType
    agent: Agent | None
    cohort_day: int | None  # temps: day index of the first shift
    hourly: float
    min_week: list[float]  # minutes per week (prorated)
    max_week: list[float]
    contract_week: list[float]

    def efficiency(self, problem: RosterProblem, day: int) -> float:
        if self.agent is not None:
            return self.agent.efficiency
        ramp = problem.temporary.efficiency_ramp
        return ramp[min(day - int(self.cohort_day or 0), len(ramp) - 1)]


@dataclass
class RosterModel:
    problem: RosterProblem
    hz: Horizon
    cols: dict[str, Columns]
    ids: list[Identity]
    m: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: list[dict[int, list[tuple[int, cp_model.IntVar]]]] = field(default_factory=list)
    works: list[dict[int, cp_model.IntVar]] = field(default_factory=list)
    hired: dict[int, cp_model.IntVar] = field(default_factory=dict)
    shortfall: list[cp_model.IntVar] = field(default_factory=list)
    obj: list[tuple[int, cp_model.IntVar]] = field(default_factory=list)
    obj_const: int = 0

    def day_paid(self, i: int, days: range | list[int]) -> cp_model.LinearExpr:
        c = self.cols[self.ids[i].agent_type]
        terms = [(int(c.paid[j]), v) for d in days for j, v in self.x[i].get(d, [])]
        return cp_model.LinearExpr.weighted_sum([v for _, v in terms], [p for p, _ in terms])


def build_variables(rm: RosterModel, candidates: list[np.ndarray]) -> None:
    """Create x: one Boolean per identity and candidate column, grouped by start day."""
    for i, ident in enumerate(rm.ids):
        c = rm.cols[ident.agent_type]
        by_day: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
        for j in candidates[i]:
            by_day.setdefault(int(c.day[j]), []).append((int(j), rm.m.new_bool_var(f"x{i}_{j}")))
        rm.x.append(by_day)
