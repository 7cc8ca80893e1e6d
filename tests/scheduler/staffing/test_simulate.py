"""Discrete-event simulator: agreement with closed forms, carry-over, determinism, edge cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scheduler.errors import SchedulerInputError
from scheduler.staffing import ServiceParams, evaluate_staffing, simulate_chat_queue


def _weighted(sim: pd.DataFrame, col: str) -> float:
    return float((sim[col] * sim.arrivals).sum() / sim.arrivals.sum())


def _closed(vol: float, agents: float, p: ServiceParams) -> pd.Series:
    frame = pd.DataFrame({"timestamp": [0], "volume": [vol]})
    return evaluate_staffing(frame, [agents], p, 30).iloc[0]


@pytest.mark.parametrize(
    "params",
    [
        ServiceParams(aht_seconds=240, service_level=0.8),
        ServiceParams(
            aht_seconds=300, service_level=0.8, concurrency=3, concurrency_aht_factor=0.2
        ),
        ServiceParams(aht_seconds=300, service_level=0.8, concurrency=2, patience_seconds=60),
    ],
)
def test_stationary_simulation_agrees_with_closed_form(params: ServiceParams) -> None:
    vol, agents, k = 400.0, 30.0 if params.concurrency == 1 else 22.0, 30
    sim = simulate_chat_queue(np.full(k, vol), np.full(k, agents), params, 30, seed=7).iloc[2:]
    ref = _closed(vol, agents, params)
    assert _weighted(sim, "service_level") == pytest.approx(ref.expected_service_level, abs=0.03)
    assert _weighted(sim, "three_min_rate") == pytest.approx(ref.expected_three_min_rate, abs=0.03)
    assert _weighted(sim, "abandon_rate") == pytest.approx(ref.expected_abandon_rate, abs=0.015)
    assert sim.occupancy.mean() == pytest.approx(ref.expected_occupancy, abs=0.03)


def test_same_seed_same_result_and_modes_agree_without_concurrency() -> None:
    p = ServiceParams(aht_seconds=200, service_level=0.8, patience_seconds=100)
    args = (np.full(6, 300.0), np.full(6, 30.0), p, 30)
    a = simulate_chat_queue(*args, seed=3)
    b = simulate_chat_queue(*args, seed=3)
    c = simulate_chat_queue(*args, seed=3, mode="load_dependent")
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)
    assert not a.equals(simulate_chat_queue(*args, seed=4))


def test_queue_carries_over_between_intervals() -> None:
    p = ServiceParams(aht_seconds=120, service_level=0.8)
    sim = simulate_chat_queue([200.0, 0.0, 0.0], [0.0, 20.0, 20.0], p, 30, seed=1)
    first = sim.iloc[0]
    assert first.arrivals > 150
    assert first.answered == first.arrivals  # served after the interval, not lost
    assert first.service_level < 0.05
    assert first.asa_s > 900  # waited at least until the staff arrived at 30 min on average
    assert np.isnan(sim.service_level.iloc[1])  # no arrivals


def test_no_staff_and_patience_means_everyone_leaves() -> None:
    p = ServiceParams(aht_seconds=120, service_level=0.8, patience_seconds=30)
    sim = simulate_chat_queue([100.0], [0.0], p, 30, seed=2)
    assert sim.abandon_rate.iloc[0] == 1.0
    assert sim.asa_s.iloc[0] == pytest.approx(30, rel=0.3)


def test_load_dependent_handle_time_helps_partly_loaded_agents() -> None:
    p = ServiceParams(aht_seconds=300, service_level=0.8, concurrency=3, concurrency_aht_factor=0.5)
    args = (np.full(12, 300.0), np.full(12, 20.0), p, 30)
    slot = simulate_chat_queue(*args, seed=5).iloc[2:]
    load = simulate_chat_queue(*args, seed=5, mode="load_dependent").iloc[2:]
    assert _weighted(load, "asa_s") < _weighted(slot, "asa_s")


def test_bad_inputs_raise() -> None:
    p = ServiceParams(aht_seconds=120, service_level=0.8)
    with pytest.raises(SchedulerInputError):
        simulate_chat_queue([1.0, 2.0], [1.0], p, 30)
    with pytest.raises(SchedulerInputError):
        simulate_chat_queue([-1.0], [1.0], p, 30)
    with pytest.raises(SchedulerInputError, match="mode"):
        simulate_chat_queue([1.0], [1.0], p, 30, mode="magic")
