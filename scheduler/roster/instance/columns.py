"""Shift columns: every template placed on every horizon date, with its slot coverage.

A column is one possible shift of one agent type on one date. Its coverage row is the on-duty
minutes (not on break) per horizon slot; minutes after the horizon end are dropped (a shift may
end after the last slot). Starts outside the horizon or not on a slot boundary are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

import numpy as np
from scipy import sparse

from scheduler.roster.instance.horizon import Horizon
from scheduler.roster.instance.templates import Template, build_templates
from scheduler.roster.schema import AgentType, RosterProblem

NIGHT_END_MINUTE = 360  # a "night" shift overlaps 00:00-06:00 local on some date


@dataclass(frozen=True)
class Columns:
    """All columns of one agent type. Arrays are aligned, one entry per column."""

    agent_type: AgentType
    templates: tuple[Template, ...]
    tmpl: np.ndarray  # template index
    day: np.ndarray  # horizon day index of the start date
    start: np.ndarray  # start minute from horizon start
    end: np.ndarray  # end minute (start + span)
    paid: np.ndarray  # paid minutes
    night: np.ndarray  # bool: overlaps 00:00-06:00
    duty: sparse.csc_matrix  # (n_slots x n_cols) on-duty minutes per slot

    @property
    def size(self) -> int:
        return len(self.tmpl)

    @cached_property
    def paid_range(self) -> tuple[float, float]:
        """Shortest and longest paid minutes of any column (computed once)."""
        return float(self.paid.min()), float(self.paid.max())

    def start_dt(self, hz: Horizon, j: int) -> datetime:
        return hz.at(int(self.start[j]))

    def breaks_dt(self, hz: Horizon, j: int) -> list[tuple[datetime, datetime, bool]]:
        s = self.start_dt(hz, j)
        return [(s + timedelta(minutes=o), s + timedelta(minutes=o + m), p)
                for o, m, p in self.templates[int(self.tmpl[j])].breaks]


def is_night(start_tod: int, span: int) -> bool:
    """True when [start, start + span) overlaps 00:00-06:00 of any date."""
    return any(start_tod < k * 1440 + NIGHT_END_MINUTE and start_tod + span > k * 1440
               for k in range(0, 3))


def build_columns(problem: RosterProblem, agent_type: AgentType, hz: Horizon) -> Columns:
    policy = getattr(problem.shifts, agent_type)
    templates = tuple(build_templates(policy, problem.rules, hz.interval))
    duty_rows = [t.duty_minutes(hz.interval) for t in templates]
    tmpl, day, start = [], [], []
    for d_idx, d in enumerate(hz.days):
        base = hz.minute(datetime.combine(d, datetime.min.time()))
        for k, t in enumerate(templates):
            s = base + t.start_tod
            if 0 <= s < hz.end_minute and s % hz.interval == 0:
                tmpl.append(k)
                day.append(d_idx)
                start.append(s)
    tmpl_a = np.asarray(tmpl, dtype=np.int64)
    start_a = np.asarray(start, dtype=np.int64)
    spans = np.asarray([t.span for t in templates], dtype=np.int64)
    paids = np.asarray([t.paid for t in templates], dtype=np.int64)
    nights = np.asarray([is_night(t.start_tod, t.span) for t in templates], dtype=bool)
    rows, cols, vals = [], [], []
    for j, (k, s) in enumerate(zip(tmpl_a, start_a, strict=True)):
        dm = duty_rows[k]
        first = s // hz.interval
        n = min(len(dm), hz.n_slots - first)
        rows.append(np.arange(first, first + n))
        cols.append(np.full(n, j))
        vals.append(dm[:n])
    if tmpl:
        duty = sparse.csc_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
            shape=(hz.n_slots, len(tmpl)),
        )
    else:
        duty = sparse.csc_matrix((hz.n_slots, 0), dtype=np.int64)
    duty.eliminate_zeros()
    return Columns(
        agent_type=agent_type,
        templates=templates,
        tmpl=tmpl_a,
        day=np.asarray(day, dtype=np.int64),
        start=start_a,
        end=start_a + spans[tmpl_a] if tmpl else start_a,
        paid=paids[tmpl_a] if tmpl else start_a,
        night=nights[tmpl_a] if tmpl else np.zeros(0, dtype=bool),
        duty=duty,
    )
