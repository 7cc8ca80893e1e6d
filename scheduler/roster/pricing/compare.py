"""Pricing rosters the way the result reports them: rows from (identity, column) pairs, their
cost breakdown (``extract.price_roster``) and a score that adds the model's penalty for weekly
minimum hours not reached. Used to compare candidate rosters inside ``solve_roster``. CNY.
"""

from __future__ import annotations

from typing import NamedTuple

from scheduler.roster.instance.horizon import Horizon
from scheduler.roster.instance.instance import MIN_HOURS_PENALTY_CNY, Instance
from scheduler.roster.instance.week_limits import agent_week_limits
from scheduler.roster.pricing.roster_rows import CostBreakdown, RawShift, make_rows, price_roster
from scheduler.roster.schema import RosterProblem, ShiftAssignment


def raw_shifts(inst: Instance, chosen: list[tuple[int, int]]) -> list[RawShift]:
    """Name the worked shifts; temps TEMP-001... in identity (= first-shift) order."""
    out = sorted(chosen)
    temp_order = sorted({i for i, _ in out if inst.ids[i].agent_type == "temporary"})
    temp_name = {i: f"TEMP-{k + 1:03d}" for k, i in enumerate(temp_order)}
    shifts = []
    for i, j in out:
        ident = inst.ids[i]
        if ident.agent is not None:
            shifts.append(RawShift(ident.key, ident.agent.name, ident.agent_type, j))
        else:
            shifts.append(RawShift(temp_name[i], temp_name[i], "temporary", j))
    return shifts


def score(problem: RosterProblem, rows: list, total_cny: float) -> float:
    """Objective plus the model's penalty for weekly minimum hours not reached."""
    hz = Horizon.of(problem)
    paid: dict[tuple[str, int], float] = {}
    for r in rows:
        key = (r.agent_id, hz.week_of_day(hz.day_index(r.date)))
        paid[key] = paid.get(key, 0.0) + r.paid_hours
    missing = sum(max(0.0, lim.min_h - paid.get((a.agent_id, w), 0.0))
                  for a in problem.agents
                  for w, lim in enumerate(agent_week_limits(problem, hz, a)))
    return total_cny + MIN_HOURS_PENALTY_CNY * missing


class Priced(NamedTuple):
    """A roster's rows, its cost breakdown and its score (CNY, cost + weekly-minimum penalty)."""

    rows: list[ShiftAssignment]
    price: CostBreakdown
    score: float


def priced(inst: Instance, chosen: list[tuple[int, int]]) -> Priced:
    rows = make_rows(inst.problem, inst.hz, inst.cols, raw_shifts(inst, chosen))
    price = price_roster(inst.problem, rows)
    return Priced(rows, price, score(inst.problem, rows, price.total_cny))


def better(inst: Instance, a: list[tuple[int, int]], b: list[tuple[int, int]],
            a_priced: Priced | None = None, b_priced: Priced | None = None
            ) -> tuple[list[tuple[int, int]], Priced]:
    """The cheaper of two rosters at full roster prices (``a`` on ties) and its pricing
    (``a_priced``, ``b_priced``: theirs, when already known)."""
    pa, pb = a_priced or priced(inst, a), b_priced or priced(inst, b)
    return (b, pb) if pb.score < pa.score - 1e-6 else (a, pa)
