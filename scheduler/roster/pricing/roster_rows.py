"""Turn any engine's roster (raw shifts of identities) into HR rows with per-shift costs; price it.

Per-row cost (``ShiftAssignment.cost_cny``), shared with the validator:
- part-time: paid hours x own hourly rate;
- temporary: paid hours x pool hourly rate, plus onboarding_cost_cny + training_hours x hourly on
  the temp's first shift row;
- permanent: overtime only. Within each week the agent's paid hours accumulate in shift order;
  hours beyond contract_hours_per_week (for a calendar week cut by the horizon: as in
  ``instance/week_limits.py``) are overtime, charged at
  hourly x overtime_premium to the shift(s) where the running total crosses it.
Objective = sum of row costs + shortfall penalty + overstaff penalty + night fairness term.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from scheduler.roster.instance.columns import Columns, is_night
from scheduler.roster.instance.horizon import Horizon
from scheduler.roster.instance.week_limits import agent_week_limits
from scheduler.roster.pricing.coverage import scheduled_agents
from scheduler.roster.schema import Break, RosterProblem, ShiftAssignment


@dataclass(frozen=True)
class RawShift:
    """A worked shift before pricing: identity key, type, column index."""

    key: str
    name: str
    agent_type: str
    col: int


def make_rows(problem: RosterProblem, hz: Horizon, cols: dict[str, Columns],
              shifts: Sequence[RawShift]) -> list[ShiftAssignment]:
    """Rows sorted by (agent, start) with costs per the module docstring."""
    by_id = {a.agent_id: a for a in problem.agents}
    pool, premium = problem.temporary, problem.costs.overtime_premium
    ordered = sorted(shifts, key=lambda s: (s.key, int(cols[s.agent_type].start[s.col])))
    rows: list[ShiftAssignment] = []
    week_paid: dict[tuple[str, int], float] = {}
    limits = {a.agent_id: agent_week_limits(problem, hz, a)
              for a in problem.agents if a.agent_type == "permanent"}
    seen_temp: set[str] = set()
    for s in ordered:
        c = cols[s.agent_type]
        j = s.col
        start = c.start_dt(hz, j)
        paid_h = int(c.paid[j]) / 60
        if s.agent_type == "part_time":
            cost = paid_h * by_id[s.key].hourly_cost_cny
        elif s.agent_type == "temporary":
            cost = paid_h * pool.hourly_cost_cny
            if s.key not in seen_temp:
                seen_temp.add(s.key)
                cost += pool.onboarding_cost_cny + pool.training_hours * pool.hourly_cost_cny
        else:
            a = by_id[s.key]
            w = hz.week_of_day(int(c.day[j]))
            contract = limits[a.agent_id][w].contract_h
            before = week_paid.get((s.key, w), 0.0)
            week_paid[(s.key, w)] = before + paid_h
            ot = max(0.0, before + paid_h - max(contract, before))
            cost = ot * a.hourly_cost_cny * premium
        rows.append(ShiftAssignment(
            agent_id=s.key, agent_name=s.name, agent_type=s.agent_type,  # type: ignore[arg-type]
            date=hz.days[int(c.day[j])], shift_start=start,
            shift_end=start + timedelta(minutes=int(c.end[j] - c.start[j])),
            breaks=tuple(Break(start=b0, end=b1, paid=p) for b0, b1, p in c.breaks_dt(hz, j)),
            paid_hours=paid_h, cost_cny=round(cost, 6),
        ))
    return rows


@dataclass(frozen=True)
class CostBreakdown:
    shifts_cny: float
    shortfall_penalty_cny: float
    overstaff_penalty_cny: float
    fairness_penalty_cny: float

    @property
    def total_cny(self) -> float:
        return (self.shifts_cny + self.shortfall_penalty_cny + self.overstaff_penalty_cny
                + self.fairness_penalty_cny)


def night_fairness_penalty(problem: RosterProblem, rows: Sequence[ShiftAssignment]) -> float:
    """fairness_weight x sum over permanent agents of max(0, nights - ceil(total / n_perm))."""
    perm = [a.agent_id for a in problem.agents if a.agent_type == "permanent"]
    if not perm or problem.costs.fairness_weight_cny == 0:
        return 0.0
    nights = dict.fromkeys(perm, 0)
    for r in rows:
        if r.agent_type == "permanent":
            tod = r.shift_start.hour * 60 + r.shift_start.minute
            span = int((r.shift_end - r.shift_start).total_seconds() // 60)
            nights[r.agent_id] += int(is_night(tod, span))
    share = math.ceil(sum(nights.values()) / len(perm))
    return problem.costs.fairness_weight_cny * sum(max(0, n - share) for n in nights.values())


def price_roster(problem: RosterProblem, rows: Sequence[ShiftAssignment]) -> CostBreakdown:
    """Objective terms of a roster (CNY), recomputed from the rows."""
    req = np.asarray(problem.required, dtype=float)
    sched = scheduled_agents(problem, rows)
    hours = problem.interval_minutes / 60
    short = float(np.clip(req - sched, 0, None).sum()) * hours
    over = float(np.clip(sched - req, 0, None).sum()) * hours
    c = problem.costs
    return CostBreakdown(
        shifts_cny=float(sum(r.cost_cny for r in rows)),
        shortfall_penalty_cny=short * c.shortfall_cost_per_agent_hour_cny,
        overstaff_penalty_cny=over * c.overstaff_cost_per_agent_hour_cny,
        fairness_penalty_cny=night_fairness_penalty(problem, rows),
    )


def min_hours_deficits(problem: RosterProblem, rows: Sequence[ShiftAssignment]) -> list[str]:
    """One message per named agent and week whose paid hours stay below the weekly minimum."""
    hz = Horizon.of(problem)
    paid: dict[tuple[str, int], float] = {}
    for r in rows:
        key = (r.agent_id, hz.week_of_day(hz.day_index(r.date)))
        paid[key] = paid.get(key, 0.0) + r.paid_hours
    out = []
    for a in problem.agents:
        for w, lim in enumerate(agent_week_limits(problem, hz, a)):
            need = lim.min_h
            got = paid.get((a.agent_id, w), 0.0)
            if got < need - 1e-6:
                out.append(f"agent {a.agent_id}: {hz.week_label(w)} has {got:g} h, below "
                           f"min_hours_per_week ({need:g} h) - no feasible shift found in time")
    return out
