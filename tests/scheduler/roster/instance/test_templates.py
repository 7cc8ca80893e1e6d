"""Shift templates from a ShiftPolicy: starts, lengths, meal and short break placement."""

from __future__ import annotations

from datetime import time

import numpy as np

from scheduler.roster.instance.templates import build_templates, meal_offsets, start_times
from scheduler.roster.schema import LabourRules, ShiftPolicy


def test_start_window_crossing_midnight():
    pol = ShiftPolicy(paid_hours_min=4, paid_hours_max=4, earliest_start=time(22, 0),
                      latest_start=time(1, 0))
    assert start_times(pol) == [1320, 1350, 1380, 1410, 0, 30, 60]


def test_lengths_capped_by_max_hours_per_day_and_meal_required_above_threshold():
    pol = ShiftPolicy(paid_hours_min=6, paid_hours_max=10, meal_break_minutes=30,
                      meal_break_from_paid_hours=6)
    tpl = build_templates(pol, LabourRules(max_hours_per_day=8), 30)
    assert sorted({t.paid for t in tpl}) == [360, 420, 480]
    for t in tpl:
        meals = [b for b in t.breaks if not b[2]]
        assert (len(meals) == 1) == (t.paid > 360)
        assert t.span == t.paid + sum(b[1] for b in meals)


def test_meal_offsets_on_slot_boundaries_inside_window():
    pol = ShiftPolicy(paid_hours_min=8, paid_hours_max=8, meal_break_minutes=60,
                      meal_break_min_after_hours=3.25, meal_break_max_after_hours=5)
    assert meal_offsets(pol, 480, 30) == [210, 240, 270, 300]


def test_duty_minutes_remove_breaks():
    pol = ShiftPolicy(paid_hours_min=8, paid_hours_max=8, meal_break_minutes=60,
                      meal_break_min_after_hours=4, meal_break_max_after_hours=4,
                      short_break_minutes=15, short_break_every_hours=4)
    (t,) = {(x.paid, x.breaks): x for x in build_templates(pol, LabourRules(), 30)}.values()
    duty = t.duty_minutes(30)
    assert duty.sum() == 480 - 30  # 8 paid hours minus two paid 15-minute breaks
    assert np.count_nonzero(duty == 0) == 2  # the meal hour
    assert np.count_nonzero(duty == 15) == 2  # two half-covered slots
