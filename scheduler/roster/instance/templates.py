"""Shift templates generated from a ``ShiftPolicy`` (start time, length, break placement).

A template is day-independent: a start time of day, a paid length and the breaks inside it.
Rules encoded here (shared with the validator):

- Starts: every ``start_step_minutes`` from ``earliest_start`` to ``latest_start`` inclusive; the
  window crosses midnight when ``latest_start < earliest_start``.
- Paid lengths: ``paid_hours_min .. paid_hours_max`` in ``length_step_minutes`` steps, dropping
  lengths above ``LabourRules.max_hours_per_day``.
- ``meal_break_window``: when paid hours > ``meal_break_from_paid_hours`` and
  ``meal_break_minutes > 0`` an unpaid meal break is added; its start is any slot boundary between
  ``meal_break_min_after_hours`` and ``meal_break_max_after_hours`` after the shift start (each
  placement is its own template). Span = paid + meal minutes.
- Short breaks (paid): ``floor(paid / short_break_every_hours)`` breaks of
  ``short_break_minutes``; break ``b`` is placed at the middle of its block of paid time
  (``(b + 0.5) * every`` paid hours), converted to clock time (skipping the meal break) and rounded
  DOWN to a slot boundary; if it would overlap the meal break it moves to the meal break's end.
- An agent on any break does not cover demand: coverage of a slot is the fraction of the slot on
  duty and not on break.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import time

import numpy as np

from scheduler.roster.schema import LabourRules, ShiftPolicy


@dataclass(frozen=True)
class Template:
    """A shift shape. All offsets/lengths in minutes from the shift start."""

    start_tod: int  # minute of day of the start
    paid: int  # paid minutes
    span: int  # minutes from start to end
    breaks: tuple[tuple[int, int, bool], ...]  # (offset, minutes, paid)

    @property
    def meal_offset(self) -> int | None:
        for off, _, paid in self.breaks:
            if not paid:
                return off
        return None

    def duty_minutes(self, interval: int) -> np.ndarray:
        """On-duty (not on break) minutes in each slot from the shift start (start is aligned)."""
        n = math.ceil(self.span / interval)
        minute = np.zeros(n * interval, dtype=np.int64)
        minute[: self.span] = 1
        for off, length, _ in self.breaks:
            minute[off : off + length] = 0
        return minute.reshape(n, interval).sum(axis=1)


def _tod(t: time) -> int:
    return t.hour * 60 + t.minute


def start_times(policy: ShiftPolicy) -> list[int]:
    """Allowed start minutes of day, in order from ``earliest_start``."""
    first, last = _tod(policy.earliest_start), _tod(policy.latest_start)
    width = (last - first) % 1440
    return [(first + k) % 1440 for k in range(0, width + 1, policy.start_step_minutes)]


def paid_lengths(policy: ShiftPolicy, rules: LabourRules) -> list[int]:
    """Allowed paid minutes, capped by the per-shift legal maximum."""
    lo = round(policy.paid_hours_min * 60)
    hi = round(min(policy.paid_hours_max, rules.max_hours_per_day) * 60)
    return list(range(lo, hi + 1, policy.length_step_minutes))


def short_breaks(policy: ShiftPolicy, paid: int, meal: tuple[int, int] | None,
                 interval: int) -> list[tuple[int, int, bool]]:
    """Paid short breaks of one shift (see module docstring for the placement rule)."""
    if policy.short_break_minutes <= 0:
        return []
    every = round(policy.short_break_every_hours * 60)
    out = []
    for b in range(paid // every):
        p = int((b + 0.5) * every)
        clock = p + (meal[1] if meal and p >= meal[0] else 0)
        clock -= clock % interval
        if meal and clock < meal[0] + meal[1] and clock + policy.short_break_minutes > meal[0]:
            clock = meal[0] + meal[1]
        out.append((clock, policy.short_break_minutes, True))
    return out


def meal_offsets(policy: ShiftPolicy, paid: int, interval: int) -> list[int | None]:
    """``meal_break_window``: allowed meal break starts (minutes after start), [None] if none."""
    if policy.meal_break_minutes <= 0 or paid <= policy.meal_break_from_paid_hours * 60:
        return [None]
    lo = math.ceil(policy.meal_break_min_after_hours * 60 / interval) * interval
    hi = math.floor(policy.meal_break_max_after_hours * 60 / interval) * interval
    span = paid + policy.meal_break_minutes
    return [o for o in range(lo, hi + 1, interval) if o + policy.meal_break_minutes < span]


def build_templates(policy: ShiftPolicy, rules: LabourRules, interval: int) -> list[Template]:
    """Every template of one agent type (start x length x meal placement)."""
    out: list[Template] = []
    for paid in paid_lengths(policy, rules):
        for meal_off in meal_offsets(policy, paid, interval):
            meal = None if meal_off is None else (meal_off, policy.meal_break_minutes)
            span = paid + (meal[1] if meal else 0)
            breaks: list[tuple[int, int, bool]] = (
                [] if meal is None else [(meal[0], meal[1], False)])
            breaks += [b for b in short_breaks(policy, paid, meal, interval) if b[0] + b[1] <= span]
            brk = tuple(sorted(breaks))
            for s in start_times(policy):
                out.append(Template(s, paid, span, brk))
    return out
