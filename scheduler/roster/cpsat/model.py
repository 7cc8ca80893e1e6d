"""Stage 2: the per-agent CP-SAT model on the selected columns.

One Boolean per (agent identity, candidate column). Identities are the named agents plus temp
identities with a fixed first-shift day (hire cohort). Each rule is one function in
``cpsat/rules/``.
Integer scales: coverage in units of 1/(100*interval) agent (coefficient = efficiency*100 *
on-duty minutes); objective in CNY * ``OBJ_SCALE`` (so one coverage unit of shortfall costs
``shortfall_cost_per_agent_hour_cny`` objective units).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.roster.instance.columns import Columns
from scheduler.roster.instance.horizon import Horizon
from scheduler.roster.instance.identities import Identity
from scheduler.roster.instance.instance import Instance
from scheduler.roster.schema import RosterProblem

OBJ_SCALE = 6000  # objective units per CNY
EFF_SCALE = 100  # efficiency is rounded to 1/100


@dataclass
class RosterModel:
    """The CP-SAT model of one ``Instance``: the model, its variables and objective terms.

    ``x[i][d]``: identity ``i``'s (column, Boolean) pairs of start day ``d``, in the order of
    ``inst.candidates``; ``obj``: (coefficient, variable) terms in CNY x ``OBJ_SCALE``."""

    inst: Instance
    m: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: list[dict[int, list[tuple[int, cp_model.IntVar]]]] = field(default_factory=list)
    works: list[dict[int, cp_model.IntVar]] = field(default_factory=list)
    hired: dict[int, cp_model.IntVar] = field(default_factory=dict)
    shortfall: list[cp_model.IntVar] = field(default_factory=list)
    obj: list[tuple[int, cp_model.IntVar]] = field(default_factory=list)
    obj_const: int = 0

    @property
    def problem(self) -> RosterProblem:
        return self.inst.problem

    @property
    def hz(self) -> Horizon:
        return self.inst.hz

    @property
    def cols(self) -> dict[str, Columns]:
        return self.inst.cols

    @property
    def ids(self) -> list[Identity]:
        return self.inst.ids

    def day_paid(self, i: int, days: range | list[int]) -> cp_model.LinearExpr:
        c = self.cols[self.ids[i].agent_type]
        terms = [(int(c.paid[j]), v) for d in days for j, v in self.x[i].get(d, [])]
        return cp_model.LinearExpr.weighted_sum([v for _, v in terms], [p for p, _ in terms])


def build_variables(rm: RosterModel) -> None:
    """Create x: one Boolean per identity and candidate column (created in column order),
    grouped by start day as in ``inst.candidates``."""
    for i, by_day in enumerate(rm.inst.candidates):
        pairs = sorted((j, d) for d, lst in by_day.items() for j in lst)
        var = {j: rm.m.new_bool_var(f"x{i}_{j}") for j, _ in pairs}
        rm.x.append({d: [(j, var[j]) for j in lst] for d, lst in by_day.items()})
