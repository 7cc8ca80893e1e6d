"""Seeded instances and the two baselines of the roster benchmark."""

from __future__ import annotations

import os
from datetime import date, timedelta

import numpy as np
import pytest

from benchmarks.baselines import (
    REF_PYTHON,
    pyworkforce_min_required,
    pyworkforce_templates,
    staff_to_peak,
)
from benchmarks.lp_bound import build_and_solve
from benchmarks.roster_instances import make_instance, pyworkforce_variant
from scheduler.roster.checks.validator import roster_frame_from_assignments, validate_roster

MONDAY = date(2026, 11, 9)


def test_instances_are_seeded_and_sized():
    a, b, c = make_instance(40, 7, 0), make_instance(40, 7, 0), make_instance(40, 7, 1)
    assert a == b
    assert a.required != c.required
    assert len(a.slot_starts) == 7 * 48
    req = np.asarray(a.required)
    assert (req >= 0).all() and np.allclose(req, np.round(req))
    kinds = [x.agent_type for x in a.agents]
    assert kinds.count("permanent") == 30 and kinds.count("part_time") == 10
    peak_slot = a.slot_starts[int(np.argmax(req))]
    assert (peak_slot.month, peak_slot.day) == (11, 11)  # Double 11 peak inside the horizon


def test_staff_to_peak_is_a_valid_planner_roster():
    # from a Monday: the baseline's top-up cannot always reach the minimum of a 2-day week cut
    # by the horizon's start (a night shift blocks the next day); the solver can
    problem = make_instance(16, 7, 2, start=MONDAY)
    shifts = staff_to_peak(problem)
    rep = validate_roster(problem, roster_frame_from_assignments(shifts))
    assert rep.ok, rep.summary()
    assert {s.paid_hours for s in shifts} == {8.0}
    assert {s.shift_start.hour for s in shifts} <= {7, 15, 23}
    assert all(s.agent_type != "part_time" for s in shifts)
    earliest = problem.slot_starts[0] + timedelta(days=problem.temporary.lead_days)
    assert all(s.shift_start >= earliest for s in shifts if s.agent_type == "temporary")
    # Every permanent agent reaches the weekly minimum (top-up), none exceeds the maximum.
    assert rep.paid_hours_by_type["permanent"] >= 32 * 12


def test_pyworkforce_templates_are_single_day_and_inside_the_window():
    problem = pyworkforce_variant(10, 7, 0)
    tpl = pyworkforce_templates(problem)
    assert tpl and all(s + n <= 47 for s, n, _ in tpl.values())  # end by 23:30 (window 23:59)
    assert {h for _, _, h in tpl.values()} == {4.0, 5.0, 6.0, 7.0, 8.0}


def test_pyworkforce_variant_drops_the_rules_pyworkforce_cannot_express():
    problem = pyworkforce_variant(10, 7, 0)
    assert problem.rules.min_rest_hours == 0
    assert problem.rules.max_consecutive_days >= 7
    assert {a.agent_type for a in problem.agents} == {"part_time"}
    assert problem.temporary.max_headcount == 0


@pytest.mark.skipif(
    not REF_PYTHON.exists() and not os.environ.get("CI"),
    reason="needs make .venv-ref/.installed (CI installs it; there a missing one fails)",
)
def test_pyworkforce_matches_the_anonymous_lp_on_its_own_ground():
    problem = pyworkforce_variant(30, 7, 0)
    pw = pyworkforce_min_required(problem, time_limit_s=20.0)
    assert pw["status"] == "OPTIMAL"
    assert pw["shortfall_agent_hours"] == 0
    # one shift per agent and day: its busiest day must fit the headcount, or no named roster
    # could match it (at load 0.5 its Double 11 day took 56 shifts for 50 agents)
    assert 0 < pw["max_shifts_per_day"] <= len(problem.agents)
    lp = build_and_solve(problem)
    # The LP prices every roster pyworkforce can produce (plus shortfall), so it is below it.
    assert lp.lp_bound_cny <= pw["total_cost_cny"] + 1e-6
    assert pw["objective"] == pytest.approx(pw["wage_cost_cny"])  # integer costs = CNY wages
