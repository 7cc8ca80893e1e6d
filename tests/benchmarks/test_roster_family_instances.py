"""The roster benchmark's instance family: seeded, covering, load-scaled, valid and solvable."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest

from benchmarks.roster_bench import run_cpsat
from benchmarks.roster_family import gap_pct, parse_sizes, summarise
from benchmarks.roster_family_instances import (
    AVAILABILITY,
    SHAPES,
    FamilySpec,
    achieved_load,
    build_problem,
    family,
)
from scheduler.roster.instance.preflight import check_problem
from scheduler.roster.schema import RosterProblem

SIZES = [(10, 7), (40, 14), (30, 28)]


def test_family_is_deterministic_per_seed():
    assert family(50, 14, 8, seed=3) == family(50, 14, 8, seed=3)
    assert family(50, 14, 8, seed=3) != family(50, 14, 8, seed=4)
    spec = family(20, 7, 1, seed=5)[0]
    assert build_problem(spec) == build_problem(spec)


@pytest.mark.parametrize("seed", range(5))
def test_every_shape_and_availability_pattern_is_covered(seed):
    specs = family(20, 14, 4, seed)
    assert {s.shape for s in specs} == set(SHAPES)
    assert {s.availability for s in specs} == set(AVAILABILITY)


def test_dimensions_vary_over_a_family():
    specs = family(20, 28, 40, seed=0)
    assert len({s.start_weekday for s in specs}) == 7
    assert len({s.midnight_rush for s in specs}) > 2 and 0.0 in {s.midnight_rush for s in specs}
    assert len({s.mix for s in specs}) > 4
    assert len({s.peak_day for s in specs}) > 10
    assert all(0.6 <= s.load <= 1.0 for s in specs)
    assert family(20, 7, 10, 0, weekdays=(0, 3))[0].start_weekday in (0, 3)


@pytest.mark.parametrize(("n", "d"), SIZES)
def test_load_scaling_hits_the_requested_load(n, d):
    for spec in family(n, d, 6, seed=1):
        assert achieved_load(build_problem(spec)) == pytest.approx(spec.load, rel=0.02)


@pytest.mark.parametrize(("n", "d"), SIZES)
def test_every_built_problem_validates(n, d):
    for spec in family(n, d, 6, seed=2):
        p = build_problem(spec)
        assert RosterProblem.model_validate(p.model_dump()) == p
        assert len(p.required) == 48 * d and len(p.agents) == n
        assert p.slot_starts[0].weekday() == spec.start_weekday
        assert len({a.agent_id for a in p.agents}) == n
        assert sum(a.agent_type == "permanent" for a in p.agents) == round(spec.mix[0] * n)
        days = {t.date() for t in p.slot_starts}
        assert all(x in days for a in p.agents for x in a.days_off)


@pytest.mark.parametrize("availability", AVAILABILITY)
def test_leave_keeps_weekly_minimums_reachable(availability):
    """Monday starts (no cut weeks): leave never makes a permanent's minimum impossible."""
    for spec in family(60, 14, 4, seed=7, weekdays=(0,)):
        check_problem(build_problem(dataclasses.replace(spec, availability=availability)))


def test_peak_day_and_midnight_rush():
    spec = dataclasses.replace(family(40, 14, 1, seed=0)[0], midnight_rush=2.5,
                               peak_day_fraction=0.5)
    req = np.asarray(build_problem(spec).required).reshape(14, 48)
    assert int(req.sum(axis=1).argmax()) == spec.peak_day == 7
    assert req[7, :4].max() > 1.5 * req[7, 4:].max()
    calm = build_problem(dataclasses.replace(spec, midnight_rush=0.0))
    assert np.asarray(calm.required).reshape(14, 48)[7, :4].max() < req[7, :4].max()


def test_tiny_instance_solves_without_violations():
    spec = FamilySpec(shape="two_peaks", n_agents=10, n_days=7, peak_day_fraction=0.5,
                      midnight_rush=1.5, load=0.8, mix=(0.7, 0.3), availability="mixed_windows",
                      start_weekday=3, seed=0)
    out = run_cpsat(build_problem(spec), SimpleNamespace(time_limit=5.0, workers=1, seed=0))
    assert "cost" in out, out
    assert out["violations"] == 0, out["rules"]


def test_report_helpers():
    assert parse_sizes("200x14, 50X28") == [(200, 14), (50, 28)]
    assert gap_pct(102.0, 100.0) == pytest.approx(2.0) and gap_pct(None, 100.0) is None
    rows = [
        {"gap": 1.0, "cp": {"wall": 55.0, "violations": 0}},
        {"gap": 3.0, "cp": {"wall": 59.0, "violations": 2}},
        {"gap": None, "cp": {"status": "error: X"}},
    ]
    s = summarise(rows, 60.0)
    assert (s["runs"], s["solved"], s["median_gap"], s["worst_gap"]) == (3, 2, 2.0, 3.0)
    assert s["max_violations"] == 2 and s["max_wall_ratio"] == pytest.approx(59 / 60)
