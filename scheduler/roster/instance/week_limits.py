"""Weekly hour limits of one agent on the horizon's calendar weeks, in paid hours.

A calendar week starts on ``LabourRules.week_start``. In a whole week an agent's limits are its
``min_hours_per_week`` / ``max_hours_per_week`` (capped by the legal ``max_hours_per_week``) and
``contract_hours_per_week``. In a week cut by the horizon, or shortened by leave, the limits
are scaled by the agent's work share

    f = min(1, workable days / min(working_days_per_week, len(available_weekdays)))

where workable days are the week's dates inside the horizon on the agent's available weekdays
and not on leave (``Horizon.work_share``): a 48 h maximum on a 5-day week allows 9.6 h a day,
so a Mon-Fri remainder allows a whole week and a one-day remainder one day's shift. The weekly
minimum holds in weeks wholly inside the horizon (scaled the same way for leave); in a week cut
by the horizon the days outside it can hold (or already held) the minimum, so none is imposed:
forcing every permanent agent to work a lone Sunday before a Monday-start week would be
absurd. When the agent's ``hours_before_horizon`` is given, the first (cut) week counts them
instead: maximum and contract minus the hours already worked, and the minimum minus them too
unless the week goes on after the horizon. Temporaries: the
pool's limits scaled by min(1, days / working_days_per_week), the minimum counting the days
from the temp's first shift. The independent validator implements the same rule on its own
(``checks/context.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from scheduler.roster.schema import Agent, RosterProblem

if TYPE_CHECKING:
    from scheduler.roster.instance.horizon import Horizon


@dataclass(frozen=True)
class WeekLimits:
    """Paid hours allowed in one calendar week (inside the horizon)."""

    min_h: float
    max_h: float
    contract_h: float


def agent_week_limits(problem: RosterProblem, hz: Horizon, agent: Agent) -> list[WeekLimits]:
    """The agent's limits for each calendar week ``0 .. hz.n_weeks - 1``, paid hours."""
    cap = min(agent.max_hours_per_week, problem.rules.max_hours_per_week)
    out = []
    for w in range(hz.n_weeks):
        f = hz.work_share(w, agent, problem.rules.working_days_per_week)
        whole = len(hz.week_days(w)) == 7
        lo, hi = (agent.min_hours_per_week * f if whole else 0.0), cap * f
        ct = agent.contract_hours_per_week * f
        before = agent.hours_before_horizon
        if w == 0 and hz.lead_days > 0 and before is not None:
            hi = max(0.0, cap - before)
            ct = max(0.0, agent.contract_hours_per_week - before)
            lo = max(0.0, agent.min_hours_per_week - before)
            if hz.week_is_cut_after(w):  # the rest of the week can still be worked after the end
                lo = 0.0
        out.append(WeekLimits(lo, hi, ct))
    return out


def temp_week_limits(problem: RosterProblem, hz: Horizon, first_day: int) -> list[WeekLimits]:
    """A temporary whose first shift is on day index ``first_day``: the pool's maximum (capped
    by the legal cap) x min(1, days / working_days_per_week); its minimum x min(1, days on or
    after ``first_day`` / working_days_per_week), applied only in weeks the temp works at all;
    no contract hours."""
    pool, n = problem.temporary, problem.rules.working_days_per_week
    cap = min(pool.max_hours_per_week, problem.rules.max_hours_per_week)
    out = []
    for w in range(hz.n_weeks):
        days = hz.week_days(w)
        days_from = sum(1 for d in days if d >= first_day)
        out.append(WeekLimits(pool.min_hours_per_week * min(1.0, days_from / n),
                              cap * min(1.0, len(days) / n), 0.0))
    return out
