"""Unmet demand: runs of consecutive short slots and the rule or limit that binds there.

Reasons, first match wins (checked on the run's slots and start dates):
1. ``no permitted shift start covers this time`` - no shift of any type can be on duty then;
2. ``temporaries not available before <date> (lead_days N)`` - named agents all rostered on the
   date and the run is before the temps' lead time;
3. ``temporary pool exhausted (H of N hired)`` - every temp the pool allows is hired;
4. ``cheaper to leave short than to staff (shortfall penalty X CNY per agent-hour)`` - an idle
   named agent with weekly hours left could have covered it without breaking minimum rest or
   the consecutive-day limit against their other shifts;
5. ``<named>; no temporaries allowed`` (pool size 0) or ``<named>; a temporary (hire F CNY + H
   CNY/h) costs more than the shortfall it could remove (X CNY per agent-hour)``, where
   ``<named>`` is ``weekly hour limits of named agents`` (idle agents have no hours left) or
   ``all available named agents rostered``; when one more temporary would in fact pay for
   itself (its shortest shift, placed on the run's most short stretch, at first-day efficiency
   and at most one agent a slot, removes more penalty than it costs) the message says that
   temporaries were left unused by the solver within its time limit instead of blaming the
   price.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from scheduler.roster.instance.columns import Columns
from scheduler.roster.instance.horizon import Horizon
from scheduler.roster.instance.week_limits import agent_week_limits
from scheduler.roster.pricing.coverage import coverage_frame
from scheduler.roster.schema import RosterProblem, ShiftAssignment, UnmetDemand

EPS = 1e-6


def _runs(short: np.ndarray) -> list[tuple[int, int]]:
    """[start, stop) slot index pairs of consecutive slots with shortfall > EPS."""
    on = np.concatenate([[False], short > EPS, [False]])
    edges = np.flatnonzero(on[1:] != on[:-1])
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _rest_and_run_allow(
    spans: list[tuple[int, float, float]], day: int, c: Columns, rest_min: float, max_run: int
) -> np.ndarray:
    """Columns of ``day`` an agent could still take given their other shifts: minimum rest to
    the shifts before and after, and no run of working days longer than ``max_run``."""
    prev_end = max((e for d, _, e in spans if d < day), default=-np.inf)
    next_start = min((s for d, s, _ in spans if d > day), default=np.inf)
    worked = {d for d, _, _ in spans}
    before = next((k for k in range(1, max_run + 2) if day - k not in worked), max_run + 1) - 1
    after = next((k for k in range(1, max_run + 2) if day + k not in worked), max_run + 1) - 1
    if before + after + 1 > max_run:
        return np.zeros(c.start.shape, dtype=bool)
    return (c.start >= prev_end + rest_min) & (c.end + rest_min <= next_start)


@dataclass
class _Roster:
    """What every run's diagnosis reads from the roster, computed once: slots some shift of
    some type can cover, temps hired, (agent, date) worked, paid hours per (agent, week) and
    each agent's shifts as (date index, start, end minutes from the horizon start)."""

    coverable: np.ndarray
    hired: int
    working: set[tuple[str, date]]
    week_hours: dict[tuple[str, int], float]
    spans: dict[str, list[tuple[int, float, float]]]

    @classmethod
    def of(cls, problem: RosterProblem, hz: Horizon, rows: Sequence[ShiftAssignment],
           cols: dict[str, Columns]) -> _Roster:
        coverable = np.zeros(hz.n_slots, dtype=bool)
        for c in cols.values():
            coverable |= np.asarray(c.duty.sum(axis=1)).ravel() > 0
        week_hours: dict[tuple[str, int], float] = {}
        spans: dict[str, list[tuple[int, float, float]]] = {}
        t0 = problem.slot_starts[0]
        for r in rows:
            w = hz.week_of_day(hz.day_index(r.date))
            week_hours[(r.agent_id, w)] = week_hours.get((r.agent_id, w), 0.0) + r.paid_hours
            spans.setdefault(r.agent_id, []).append((
                hz.day_index(r.date),
                (r.shift_start - t0).total_seconds() / 60,
                (r.shift_end - t0).total_seconds() / 60,
            ))
        return cls(coverable, len({r.agent_id for r in rows if r.agent_type == "temporary"}),
                   {(r.agent_id, r.date) for r in rows}, week_hours, spans)


def _reason(problem: RosterProblem, hz: Horizon, ro: _Roster, cols: dict[str, Columns],
            masks: dict[str, np.ndarray], a: int, b: int, short: np.ndarray) -> str:
    if not ro.coverable[a:b].any():
        return "no permitted shift start covers this time"
    pool = problem.temporary
    hired = ro.hired
    day_a = hz.days[0] + timedelta(days=hz.day_index(problem.slot_starts[a].date()))
    lead_date = hz.days[0] + timedelta(days=pool.lead_days)
    days_back = {day_a, day_a - timedelta(days=1)}
    idle, idle_with_hours = 0, 0
    rest = problem.rules.min_rest_hours * 60
    # columns of each type on duty somewhere in the run
    covers = {t: np.asarray(c.duty[a:b, :].sum(axis=0)).ravel() > 0 for t, c in cols.items()}
    rows_by_type = {"permanent": 0, "part_time": 0}
    for ag in problem.agents:
        k = rows_by_type[ag.agent_type]
        rows_by_type[ag.agent_type] += 1
        c, m = cols[ag.agent_type], masks[ag.agent_type][k]
        for d in days_back:
            di = hz.day_index(d)
            if not 0 <= di < len(hz.days) or (ag.agent_id, d) in ro.working:
                continue
            fits = m & covers[ag.agent_type] & (c.day == di) & _rest_and_run_allow(
                ro.spans.get(ag.agent_id, []), di, c, rest, problem.rules.max_consecutive_days
            )
            if fits.any():
                idle += 1
                w = hz.week_of_day(di)
                left = agent_week_limits(problem, hz, ag)[w].max_h \
                    - ro.week_hours.get((ag.agent_id, w), 0.0)
                if left + EPS >= float(c.paid[fits].min()) / 60:
                    idle_with_hours += 1
                break
    if problem.slot_starts[a] < problem.slot_starts[0] + timedelta(days=pool.lead_days) \
            and pool.max_headcount > 0 and idle_with_hours == 0:
        return f"temporaries not available before {lead_date:%Y-%m-%d} (lead_days {pool.lead_days})"
    if pool.max_headcount > 0 and hired >= pool.max_headcount:
        return f"temporary pool exhausted ({hired} of {pool.max_headcount} hired)"
    penalty = problem.costs.shortfall_cost_per_agent_hour_cny
    if idle_with_hours > 0:
        return f"cheaper to leave short than to staff (shortfall penalty {penalty:g} CNY per " \
               "agent-hour)"
    named = "weekly hour limits of named agents" if idle > 0 else \
        "all available named agents rostered"
    if pool.max_headcount == 0:
        return f"{named}; no temporaries allowed"
    fee = pool.onboarding_cost_cny + pool.training_hours * pool.hourly_cost_cny
    if temp_would_pay(problem, short, fee):
        return (f"{named}; {pool.max_headcount - hired} more temporaries were allowed "
                f"({hired} of {pool.max_headcount} hired) and one would pay for itself here: "
                "the solver found no roster using them within the time limit")
    return (f"{named}; a temporary (hire {fee:g} CNY + {pool.hourly_cost_cny:g} CNY/h) costs "
            f"more than the shortfall it could remove ({penalty:g} CNY per agent-hour)")


def temp_would_pay(problem: RosterProblem, short: np.ndarray, fee: float) -> bool:
    """Would one new temporary's shortest shift, at first-day efficiency, cost less than the
    shortfall penalty it could remove from a run whose slots are ``short`` agents short?

    One agent removes at most its efficiency from each slot's shortfall, and only on the
    ``paid_hours_min`` hours its shift is on duty: the run's best stretch of that length (the
    whole run when it is shorter). A run 2 agents short for one hour is 2 agent-hours short,
    but one temporary removes at most one agent-hour of it."""
    pool, policy = problem.temporary, problem.shifts.temporary
    slot_h = problem.interval_minutes / 60
    per_slot = np.minimum(np.clip(np.asarray(short, dtype=float), 0.0, None),
                          pool.efficiency_ramp[0]) * slot_h
    width = max(1, int(round(policy.paid_hours_min / slot_h)))
    sums = np.convolve(per_slot, np.ones(min(width, len(per_slot))), mode="valid")
    covered = float(sums.max(initial=0.0))
    cost = fee + policy.paid_hours_min * pool.hourly_cost_cny
    return covered * problem.costs.shortfall_cost_per_agent_hour_cny > cost


def unmet_runs(problem: RosterProblem, rows: Sequence[ShiftAssignment],
               cols: dict[str, Columns], masks: dict[str, np.ndarray],
               forced_reason: str | None = None) -> list[UnmetDemand]:
    """One ``UnmetDemand`` per run of short slots, with agent-hours short and the binding reason."""
    hz = Horizon.of(problem)
    frame = coverage_frame(problem, rows)
    ro: _Roster | None = None
    short = frame["shortfall"].to_numpy()
    hours = problem.interval_minutes / 60
    out = []
    for a, b in _runs(short):
        agent_hours = float(short[a:b].sum() * hours)
        if ro is None and forced_reason is None:
            ro = _Roster.of(problem, hz, rows, cols)
        out.append(UnmetDemand(
            start=problem.slot_starts[a],
            end=problem.slot_starts[b - 1] + timedelta(minutes=problem.interval_minutes),
            agent_hours_short=agent_hours,
            peak_agents_short=float(short[a:b].max()),
            binding=forced_reason or _reason(problem, hz, ro, cols, masks, a, b, short[a:b]),
        ))
    return out
