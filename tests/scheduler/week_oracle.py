"""Test oracle for calendar weeks, written from the documented rule (instance/week_limits.py),
sharing no code with the solver or the validator.

Week ``w`` holds the dates ``anchor + 7w .. anchor + 7w + 6`` where ``anchor`` is the last
``rules.week_start`` weekday on or before the first horizon date. An agent's limits scale by f =
min(1, workable dates inside (available weekday, not on leave) / min(working days, available
weekdays)), the minimum only in whole weeks; with ``hours_before_horizon`` in a first week that
starts before the horizon, the limits minus those hours. Temps: the pool's limits x min(1, dates
(from the first shift, for the minimum) / working days).
"""

from __future__ import annotations

from datetime import date, timedelta

from scheduler.roster.schema import Agent, RosterProblem


def horizon_dates(problem: RosterProblem) -> list[date]:
    return sorted({s.date() for s in problem.slot_starts})


def anchor(problem: RosterProblem) -> date:
    first = horizon_dates(problem)[0]
    return first - timedelta(days=(first.weekday() - problem.rules.week_start) % 7)


def week_of(problem: RosterProblem, d: date) -> int:
    return (d - anchor(problem)).days // 7


def week_count(problem: RosterProblem) -> int:
    return week_of(problem, horizon_dates(problem)[-1]) + 1


def dates_of_week(problem: RosterProblem, w: int) -> list[date]:
    inside = set(horizon_dates(problem))
    start = anchor(problem) + timedelta(days=7 * w)
    return [start + timedelta(days=k) for k in range(7) if start + timedelta(days=k) in inside]


def agent_range(problem: RosterProblem, agent: Agent, w: int) -> tuple[float, float]:
    """(minimum, maximum) paid hours of a named agent in calendar week ``w``."""
    days = dates_of_week(problem, w)
    wanted = set(agent.available_weekdays)
    workable = [d for d in days if d.weekday() in wanted and d not in agent.days_off]
    f = min(1.0, len(workable) / min(problem.rules.working_days_per_week, len(wanted)))
    cap = min(agent.max_hours_per_week, problem.rules.max_hours_per_week)
    if w == 0 and agent.hours_before_horizon is not None and anchor(problem) < days[0]:
        lo = max(0.0, agent.min_hours_per_week - agent.hours_before_horizon)
        if len(days) < 7 - (days[0] - anchor(problem)).days:
            lo = 0.0
        return lo, max(0.0, cap - agent.hours_before_horizon)
    return (agent.min_hours_per_week * f if len(days) == 7 else 0.0), cap * f


def temp_range(problem: RosterProblem, w: int, first: date) -> tuple[float, float]:
    pool, n = problem.temporary, problem.rules.working_days_per_week
    days = dates_of_week(problem, w)
    on = sum(d >= first for d in days)
    cap = min(pool.max_hours_per_week, problem.rules.max_hours_per_week)
    return pool.min_hours_per_week * min(1.0, on / n), cap * min(1.0, len(days) / n)
