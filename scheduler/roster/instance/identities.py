"""The roster's identities: named agents and anonymous temps of a hire cohort.

An identity is one row of the roster before names are given: every named agent, then one
temporary per cohort start day (``TEMP-001``...), with its weekly minimum, maximum and contract
time in minutes per calendar week (``instance/week_limits.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.roster.instance.horizon import Horizon
from scheduler.roster.instance.week_limits import agent_week_limits, temp_week_limits
from scheduler.roster.schema import Agent, AgentType, RosterProblem


@dataclass
class Identity:
    """One agent in the roster: a named agent or an anonymous temp of a hire cohort."""

    key: str
    agent_type: AgentType
    agent: Agent | None
    cohort_day: int | None  # temps: day index of the first shift
    hourly: float  # CNY per paid hour
    min_week: list[float]  # minutes per week (prorated)
    max_week: list[float]
    contract_week: list[float]

    def efficiency(self, problem: RosterProblem, day: int) -> float:
        """Work done per on-duty minute on horizon day ``day`` (temps: their ramp)."""
        if self.agent is not None:
            return self.agent.efficiency
        ramp = problem.temporary.efficiency_ramp
        return ramp[min(day - int(self.cohort_day or 0), len(ramp) - 1)]


def agent_identities(
    problem: RosterProblem, hz: Horizon, cohort_days: list[int]
) -> list[Identity]:
    """Every named agent, then one temporary per cohort start day in ``cohort_days`` (indices
    into the horizon's days), with its weekly min / max / contract time in minutes, prorated
    for weeks cut by the horizon."""
    ids = []
    for a in problem.agents:
        lim = agent_week_limits(problem, hz, a)
        ids.append(Identity(a.agent_id, a.agent_type, a, None, a.hourly_cost_cny,
                            [x.min_h * 60 for x in lim], [x.max_h * 60 for x in lim],
                            [x.contract_h * 60 for x in lim]))
    pool = problem.temporary
    for k, h in enumerate(cohort_days):
        lim = temp_week_limits(problem, hz, h)
        ids.append(Identity(f"TEMP-{k + 1:03d}", "temporary", None, h, pool.hourly_cost_cny,
                            [x.min_h * 60 for x in lim], [x.max_h * 60 for x in lim],
                            [0.0] * hz.n_weeks))
    return ids
