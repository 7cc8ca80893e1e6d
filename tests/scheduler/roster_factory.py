"""Factory of synthetic RosterProblems: N agents, D days, a CS-like demand with a midnight peak."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np

from scheduler.roster.schema import (
    Agent,
    CostParams,
    LabourRules,
    RosterProblem,
    ShiftPolicies,
    ShiftPolicy,
    TemporaryPool,
)

START = date(2026, 11, 2)  # a Monday; Double 11 (Wednesday) is day 9


def cs_day_profile(interval: int = 30) -> np.ndarray:
    """Relative demand per slot of a CS day: quiet night, daytime plateau, evening peak."""
    h = np.arange(0, 24, interval / 60)
    day = np.exp(-0.5 * ((h - 14) / 4.5) ** 2)
    evening = 0.6 * np.exp(-0.5 * ((h - 21.5) / 1.5) ** 2)
    return 0.15 + day + evening


def demand(days: int, scale: float, interval: int = 30, peak_day: int | None = 9,
           seed: int = 0) -> np.ndarray:
    """Agents required per slot over ``days`` days; a 00:00-02:00 surge on ``peak_day``."""
    rng = np.random.default_rng(seed)
    prof = cs_day_profile(interval)
    out = []
    for d in range(days):
        f = 1.0 + 0.05 * rng.standard_normal(prof.size)
        if peak_day is not None and abs(d - peak_day) <= 1:
            f *= 1.6 if d == peak_day else 1.25
        out.append(prof * f)
    req = np.concatenate(out) * scale
    if peak_day is not None and peak_day < days:
        k = peak_day * (1440 // interval)
        req[k : k + 120 // interval] = scale * 1.8
    return np.round(req)


def policies(short_breaks: bool = False) -> ShiftPolicies:
    sb = {"short_break_minutes": 15, "short_break_every_hours": 4.0} if short_breaks else {}
    return ShiftPolicies(
        permanent=ShiftPolicy(paid_hours_min=8, paid_hours_max=9, meal_break_minutes=60,
                              meal_break_min_after_hours=3, meal_break_max_after_hours=5,
                              meal_break_from_paid_hours=6, **sb),
        part_time=ShiftPolicy(paid_hours_min=4, paid_hours_max=6, meal_break_minutes=0),
        temporary=ShiftPolicy(paid_hours_min=6, paid_hours_max=10, meal_break_minutes=30,
                              meal_break_min_after_hours=3, meal_break_max_after_hours=5,
                              meal_break_from_paid_hours=6, **sb),
    )


def make_problem(n_perm: int = 4, n_part: int = 2, days: int = 2, temp_max: int = 2,
                 scale: float | None = None, peak_day: int | None = None, seed: int = 0,
                 **overrides) -> RosterProblem:
    """A problem with ``n_perm`` permanent (40 h contract), ``n_part`` part-time agents."""
    interval = 30
    t0 = datetime.combine(START, time(0, 0))
    n_slots = days * 1440 // interval
    scale = scale if scale is not None else 0.25 * (n_perm + 0.5 * n_part + 0.5 * temp_max)
    req = demand(days, scale, interval, peak_day, seed)
    frac = min(days, 7) / 7
    agents = [Agent(agent_id=f"P{k:03d}", name=f"Perm {k}", agent_type="permanent",
                    contract_hours_per_week=40, min_hours_per_week=40 if days >= 7 else 0,
                    max_hours_per_week=48, hourly_cost_cny=45.0) for k in range(n_perm)]
    for k in range(n_part):
        win = {"available_from": time(17, 0), "available_to": time(2, 0)} if k % 2 else {}
        agents.append(Agent(agent_id=f"T{k:03d}", name=f"Part {k}", agent_type="part_time",
                            contract_hours_per_week=0, min_hours_per_week=12 * frac,
                            max_hours_per_week=30, hourly_cost_cny=35.0, **win))
    kw = {
        "slot_starts": tuple(t0 + timedelta(minutes=interval * k) for k in range(n_slots)),
        "interval_minutes": interval,
        "required": tuple(float(r) for r in req),
        "agents": tuple(agents),
        "temporary": TemporaryPool(max_headcount=temp_max, hourly_cost_cny=40.0,
                                   onboarding_cost_cny=300.0, training_hours=8.0, lead_days=0,
                                   efficiency_ramp=(0.7, 0.85, 1.0), max_hours_per_week=48),
        "shifts": policies(),
        "rules": LabourRules(),
        "costs": CostParams(shortfall_cost_per_agent_hour_cny=200.0),
    }
    kw.update(overrides)
    return RosterProblem(**kw)
