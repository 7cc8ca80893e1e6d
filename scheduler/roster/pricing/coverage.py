"""``coverage_frame``: scheduled coverage per slot, recomputed from the roster rows alone.

Columns ``timestamp,required,scheduled,shortfall,surplus`` (agents). ``scheduled`` = sum over
agents on duty of efficiency x fraction of the slot not on break; temps (agent_type temporary)
use ``efficiency_ramp[k]`` on the k-th calendar day since their first shift in the roster.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from scheduler.roster.schema import COVERAGE_COLUMNS, RosterProblem, ShiftAssignment


def scheduled_agents(problem: RosterProblem, assignments: Iterable[ShiftAssignment]) -> np.ndarray:
    """Coverage per slot (agents x efficiency, breaks removed)."""
    rows = list(assignments)
    t0, it, n = problem.slot_starts[0], problem.interval_minutes, len(problem.slot_starts)
    eff_by_id = {a.agent_id: a.efficiency for a in problem.agents}
    first_day: dict[str, object] = {}
    for r in rows:
        if r.agent_type == "temporary":
            first_day[r.agent_id] = min(first_day.get(r.agent_id, r.date), r.date)
    ramp = problem.temporary.efficiency_ramp
    minutes = np.zeros(n * it)
    for r in rows:
        if r.agent_type == "temporary":
            k = (r.date - first_day[r.agent_id]).days
            eff = ramp[min(k, len(ramp) - 1)]
        else:
            eff = eff_by_id.get(r.agent_id, 1.0)
        s = int((r.shift_start - t0).total_seconds() // 60)
        e = int((r.shift_end - t0).total_seconds() // 60)
        on = np.zeros(n * it)
        on[max(s, 0):max(min(e, n * it), 0)] = eff
        for b in r.breaks:
            bs = int((b.start - t0).total_seconds() // 60)
            be = int((b.end - t0).total_seconds() // 60)
            on[max(bs, 0):max(min(be, n * it), 0)] = 0.0
        minutes += on
    return minutes.reshape(n, it).sum(axis=1) / it


def coverage_frame(problem: RosterProblem, assignments: Iterable[ShiftAssignment]) -> pd.DataFrame:
    """Per-slot frame ``timestamp,required,scheduled,shortfall,surplus`` (agents)."""
    req = np.asarray(problem.required, dtype=float)
    sched = scheduled_agents(problem, assignments)
    return pd.DataFrame(dict(zip(COVERAGE_COLUMNS, (
        pd.to_datetime(list(problem.slot_starts)), req, sched,
        np.clip(req - sched, 0.0, None), np.clip(sched - req, 0.0, None)), strict=True)))
