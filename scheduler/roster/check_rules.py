"""``check_problem``: reject self-contradicting rules before solving.

Raises ``SchedulerInputError`` with one line naming the rule (agent/policy and field), e.g.
``agent P007: min_hours_per_week 44 cannot fit availability in week 1 (at most 32 h)``.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from scheduler.errors import SchedulerInputError
from scheduler.roster.columns import build_columns
from scheduler.roster.horizon import Horizon
from scheduler.roster.rules.availability import agent_mask
from scheduler.roster.schema import RosterProblem, ShiftPolicy
from scheduler.roster.templates import meal_offsets, paid_lengths


def _fail(msg: str) -> None:
    raise SchedulerInputError(msg)


def _check_horizon(problem: RosterProblem) -> None:
    if not problem.slot_starts:
        _fail("roster problem: field 'slot_starts' is empty")
    step = timedelta(minutes=problem.interval_minutes)
    for k in range(1, len(problem.slot_starts)):
        if problem.slot_starts[k] - problem.slot_starts[k - 1] != step:
            _fail(f"roster problem: field 'slot_starts' not contiguous at slot {k + 1} "
                  f"({problem.slot_starts[k]:%Y-%m-%d %H:%M})")


def _check_policy(name: str, policy: ShiftPolicy, problem: RosterProblem) -> None:
    it, rules = problem.interval_minutes, problem.rules
    t0 = problem.slot_starts[0]
    first = policy.earliest_start.hour * 60 + policy.earliest_start.minute
    if (first - t0.hour * 60 - t0.minute) % it or policy.start_step_minutes % it:
        _fail(f"shift policy '{name}': field 'earliest_start'/'start_step_minutes' not aligned "
              f"to the {it}-minute slots")
    if policy.paid_hours_min > rules.max_hours_per_day:
        _fail(f"shift policy '{name}': field 'paid_hours_min' {policy.paid_hours_min} h above "
              f"labour rule max_hours_per_day {rules.max_hours_per_day} h")
    lengths = paid_lengths(policy, rules)
    if not lengths:
        _fail(f"shift policy '{name}': no paid length between paid_hours_min and "
              f"paid_hours_max in steps of length_step_minutes")
    for paid in lengths:
        if not meal_offsets(policy, paid, it):
            _fail(f"shift policy '{name}': field 'meal_break_max_after_hours' leaves no meal "
                  f"break start inside a {paid / 60:g} h shift")


def _check_agents(problem: RosterProblem, hz: Horizon) -> None:
    legal = problem.rules.max_hours_per_week
    cols = {t: build_columns(problem, t, hz) for t in ("permanent", "part_time")}
    k = problem.rules.max_consecutive_days
    for a in problem.agents:
        if a.min_hours_per_week > legal:
            _fail(f"agent {a.agent_id}: field 'min_hours_per_week' {a.min_hours_per_week} above "
                  f"labour rule max_hours_per_week {legal}")
        c = cols[a.agent_type]
        mask = agent_mask(a, c, hz)
        if a.min_hours_per_week > 0 and not mask.any():
            _fail(f"agent {a.agent_id}: no permitted shift start fits field "
                  f"'available_from'/'available_to'/'available_weekdays'")
        best = np.zeros(len(hz.days))
        np.maximum.at(best, c.day[mask], c.paid[mask] / 60)
        for w in range(hz.n_weeks):
            days = sorted(best[list(hz.week_days(w))], reverse=True)[:k]
            most = min(sum(days), a.max_hours_per_week * hz.week_fraction(w))
            need = a.min_hours_per_week * hz.week_fraction(w)
            if need > most + 1e-6:
                _fail(f"agent {a.agent_id}: field 'min_hours_per_week' {a.min_hours_per_week} "
                      f"cannot fit availability in week {w + 1} (at most {most:g} h)")
    pool = problem.temporary
    if pool.min_hours_per_week > pool.max_hours_per_week:
        _fail(f"temporary pool: field 'min_hours_per_week' {pool.min_hours_per_week} above "
              f"max_hours_per_week {pool.max_hours_per_week}")
    if pool.min_hours_per_week > legal:
        _fail(f"temporary pool: field 'min_hours_per_week' {pool.min_hours_per_week} above "
              f"labour rule max_hours_per_week {legal}")


def check_problem(problem: RosterProblem) -> None:
    """Raise SchedulerInputError naming the first self-contradicting rule; None if consistent."""
    _check_horizon(problem)
    for name in ("permanent", "part_time", "temporary"):
        _check_policy(name, getattr(problem.shifts, name), problem)
    _check_agents(problem, Horizon.of(problem))
