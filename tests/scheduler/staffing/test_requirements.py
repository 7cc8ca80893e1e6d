"""required_agents / evaluate_staffing: minimality, rounding, levers, edge cases, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scheduler.errors import SchedulerInputError
from scheduler.staffing import (
    OUTPUT_COLUMNS,
    ServiceParams,
    agent_metrics,
    evaluate_staffing,
    required_agents,
    slot_load,
)
from scheduler.staffing.concurrency import meets_targets


def _frame(volumes) -> pd.DataFrame:
    v = np.asarray(volumes, dtype=float)
    ts = pd.date_range("2026-11-11", periods=v.size, freq="30min")
    return pd.DataFrame({"timestamp": ts, "volume": v})


BASIC = ServiceParams(aht_seconds=180, service_level=0.8, target_seconds=20, shrinkage=0.3)


def test_known_example_matches_pyworkforce_figures() -> None:
    # pyworkforce ErlangC(100, aht=3, asa=20/60, interval=30, shrinkage=0.3): raw 14, positions 20.
    p = BASIC.model_copy(update={"max_occupancy": 0.85})
    out = required_agents(_frame([100]), p, 30)
    row = out.iloc[0]
    assert row.agents_required == 20
    assert row.expected_service_level == pytest.approx(0.88835, abs=1e-5)
    assert row.expected_occupancy == pytest.approx(10 / 14, abs=1e-12)
    assert 13 / 0.7 < row.agents_fractional <= 14 / 0.7
    assert list(out.columns[2:]) == list(OUTPUT_COLUMNS)


def test_zero_volume_gives_zero_agents() -> None:
    out = required_agents(_frame([0.0, 0.0, 40.0]), BASIC, 30)
    assert out.agents_required.tolist()[:2] == [0, 0]
    assert out.agents_fractional.tolist()[:2] == [0.0, 0.0]
    assert out.expected_service_level.iloc[0] == 1.0
    assert out.agents_required.iloc[2] > 0


@pytest.mark.parametrize(
    "params",
    [
        BASIC,
        ServiceParams(aht_seconds=300, three_minute_rate=0.95, concurrency=3,
                      concurrency_aht_factor=0.3),
        ServiceParams(aht_seconds=300, max_asa_seconds=15, concurrency=2),
        ServiceParams(aht_seconds=300, patience_seconds=90, max_abandon_rate=0.03),
        ServiceParams(aht_seconds=240, service_level=0.9, target_seconds=30,
                      patience_seconds=60, concurrency=4, concurrency_aht_factor=0.2),
    ],
)
def test_requirement_is_the_smallest_integer_meeting_targets(params: ServiceParams) -> None:
    vols = np.array([3.0, 37.5, 120.0, 800.0, 4000.0])
    out = required_agents(_frame(vols), params, 30)
    load = slot_load(vols * (1 - params.effective_deflection), params, 30)
    n = np.ceil(out.agents_required.to_numpy() * (1 - params.shrinkage) - 1e-9)
    # productive integer requirement N*: the grossed-up count meets, N*-1 does not.
    n_star = np.array([
        next(k for k in range(0, 5000) if meets_targets(agent_metrics(k, ld, params), params))
        for ld in load
    ])
    assert np.all(n >= n_star)
    np.testing.assert_array_equal(
        out.agents_required, np.ceil(n_star / (1 - params.shrinkage) - 1e-9).astype(int)
    )
    frac = out.agents_fractional.to_numpy() * (1 - params.shrinkage)
    assert np.all((frac > n_star - 1) & (frac <= n_star + 1e-9))
    assert meets_targets(agent_metrics(frac + 1e-4, load, params), params).all()
    assert not meets_targets(agent_metrics(frac - 1e-3, load, params), params).any()


def test_fractional_requirement_aggregates_without_overstaffing() -> None:
    out = required_agents(_frame(np.full(8, 37.0)), BASIC, 30)
    assert out.agents_fractional.sum() < out.agents_required.sum() - 1


def test_levers_move_the_requirement_the_right_way() -> None:
    vol = _frame([600.0])
    base = ServiceParams(aht_seconds=300, service_level=0.8, concurrency=1)
    req = lambda **kw: required_agents(vol, base.model_copy(update=kw), 30).agents_required[0]  # noqa: E731
    n0 = req()
    assert req(concurrency=3) < n0
    assert req(concurrency=3, concurrency_aht_factor=1.0) > req(concurrency=3)
    assert req(bot_deflection=0.4) < n0
    assert req(shrinkage=0.3) > n0
    assert req(max_occupancy=0.7) > n0
    assert req(patience_seconds=60) <= n0
    assert req(service_level=0.95) > n0


def test_overload_does_not_overflow_or_loop() -> None:
    p = ServiceParams(aht_seconds=600, service_level=0.95, target_seconds=10)
    out = required_agents(_frame([1e6]), p, 15)
    load = 1e6 / 900 * 600
    assert out.agents_required.iloc[0] > load
    assert np.isfinite(out.expected_asa_s.iloc[0])
    low = evaluate_staffing(_frame([1e6]), [10], p, 15)
    assert low.expected_service_level.iloc[0] == 0.0
    assert low.expected_asa_s.iloc[0] == np.inf
    pa = p.model_copy(update={"patience_seconds": 120})
    la = evaluate_staffing(_frame([1e6]), [10], pa, 15)
    assert la.expected_abandon_rate.iloc[0] == pytest.approx(1.0, abs=1e-3)


def test_reverse_calculation_matches_forward() -> None:
    p = ServiceParams(aht_seconds=300, concurrency=3, concurrency_aht_factor=0.2,
                      service_level=0.8, three_minute_rate=0.95, patience_seconds=120,
                      shrinkage=0.25)
    vol = _frame([50.0, 300.0, 1200.0])
    fwd = required_agents(vol, p, 30)
    rev = evaluate_staffing(vol, fwd.agents_required, p, 30)
    cols = ["expected_service_level", "expected_asa_s", "expected_abandon_rate",
            "expected_three_min_rate", "expected_occupancy"]
    np.testing.assert_allclose(rev[cols].to_numpy(), fwd[cols].to_numpy(), rtol=1e-12)
    assert (rev.expected_service_level >= 0.8).all()
    assert (rev.expected_three_min_rate >= 0.95).all()
    less = evaluate_staffing(vol, fwd.agents_required - 2, p, 30)
    assert (less.expected_service_level < rev.expected_service_level).all()


def test_fractional_scheduled_agents_interpolate() -> None:
    vol = _frame([200.0] * 3)
    out = evaluate_staffing(vol, [31.0, 31.5, 32.0], BASIC, 30)  # 20 Erlangs, 70 % productive
    sl = out.expected_service_level.to_numpy()
    assert sl[0] < sl[1] < sl[2]


def test_bad_volume_row_is_named() -> None:
    vol = _frame([10.0, 20.0, -3.0])
    with pytest.raises(SchedulerInputError, match=r"^forecast\.csv: row 4, field 'volume'"):
        required_agents(vol, BASIC, 30, source="forecast.csv")
    with pytest.raises(SchedulerInputError, match="missing column 'volume'"):
        required_agents(vol.drop(columns="volume"), BASIC, 30)
    with pytest.raises(SchedulerInputError, match="scheduled_agents"):
        evaluate_staffing(_frame([1.0, 2.0]), [1.0], BASIC, 30)
    with pytest.raises(SchedulerInputError, match="interval_minutes"):
        required_agents(_frame([1.0]), BASIC, 0)
    with pytest.raises(SchedulerInputError) as err:
        required_agents(vol, BASIC, 30)
    assert "\n" not in str(err.value)


def test_empty_frame_and_large_systems() -> None:
    empty = required_agents(_frame([]), BASIC, 30)
    assert list(empty.columns[2:]) == list(OUTPUT_COLUMNS) and len(empty) == 0
    p = ServiceParams(aht_seconds=300, service_level=0.9, target_seconds=20, patience_seconds=60)
    out = required_agents(_frame([60_000.0]), p, 60)  # 5,000 Erlangs
    row = out.iloc[0]
    assert 5000 * 0.9 < row.agents_required < 5000 * 1.05
    assert row.expected_service_level >= 0.9
    assert np.isfinite(row[list(OUTPUT_COLUMNS)].astype(float)).all()


def test_shrinkage_gross_up_has_no_float_overshoot() -> None:
    p0 = BASIC.model_copy(update={"shrinkage": 0.0})
    vols = np.arange(100.0, 200.0)
    raw = required_agents(_frame(vols), p0, 30).agents_required.to_numpy()
    vol = vols[np.flatnonzero(raw == 21)[0]]
    # 21 / (1 - 0.3) is 30.000000000000004 in floating point; 30 x 0.7 = 21 agents suffice.
    assert required_agents(_frame([vol]), BASIC, 30).agents_required.iloc[0] == 30
