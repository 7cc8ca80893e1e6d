"""The roster's identities: named agents and anonymous temps of a hire cohort.

An identity is one row of the roster before names are given: every named agent, then one
temporary per cohort start day (``TEMP-001``...), with its weekly minimum, maximum and contract
time in minutes, prorated for partial weeks (``Horizon.week_fraction``).
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.roster.instance.horizon import Horizon
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
    for partial weeks."""
    legal = problem.rules.max_hours_per_week
    fr = [hz.week_fraction(w) for w in range(hz.n_weeks)]
    ids = [Identity(a.agent_id, a.agent_type, a, None, a.hourly_cost_cny,
                    [a.min_hours_per_week * f * 60 for f in fr],
                    [min(a.max_hours_per_week, legal) * f * 60 for f in fr],
                    [a.contract_hours_per_week * f * 60 for f in fr]) for a in problem.agents]
    pool = problem.temporary
    for k, h in enumerate(cohort_days):
        days_from = [sum(1 for d in hz.week_days(w) if d >= h) / 7 for w in range(hz.n_weeks)]
        ids.append(Identity(f"TEMP-{k + 1:03d}", "temporary", None, h, pool.hourly_cost_cny,
                            [pool.min_hours_per_week * f * 60 for f in days_from],
                            [min(pool.max_hours_per_week, legal) * f * 60 for f in fr],
                            [0.0] * hz.n_weeks))
    return ids
