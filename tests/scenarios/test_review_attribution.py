"""Attribution of the 3-minute-rate miss (issue 18 point 4, acceptance 1 and 2).

Synthetic actuals are produced by the same staffing maths (scheduler.staffing.evaluate_staffing),
so the model residual ``other`` is ~0 and each injected cause must carry the miss.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scenarios.load import load_scenario
from scenarios.review.attribution import (
    PARTS,
    attribute_miss,
    attribution_totals,
    three_min_rate,
)
from scheduler.staffing import ServiceParams, evaluate_staffing, required_agents

ROOT = Path(__file__).resolve().parents[2]
SERVICE = load_scenario(ROOT / "data" / "sample" / "double11-2026.toml").service
TARGET = float(SERVICE.three_minute_rate)


@dataclass(frozen=True)
class FakeActuals:
    """Stand-in with the fields of scenarios.review.actuals.Actuals that attribution reads."""

    intervals: pd.DataFrame
    interval_minutes: int = 60
    question_types: pd.DataFrame = field(default_factory=pd.DataFrame)
    agents: pd.DataFrame = field(default_factory=pd.DataFrame)
    missing_intervals: tuple = ()
    source: str = "synthetic"


def _plan(hours: int = 48, seed: int = 1) -> pd.DataFrame:
    """Hourly plan staffed exactly to the targets (fractional requirement, agents on duty)."""
    rng = np.random.default_rng(seed)
    stamps = pd.date_range("2026-11-10", periods=hours, freq="h")
    volume = rng.uniform(200, 3000, hours)
    req = required_agents(pd.DataFrame({"timestamp": stamps, "volume": volume}), SERVICE, 60)
    return pd.DataFrame(
        {
            "timestamp": stamps,
            "forecast_volume": volume,
            "scheduled_agents": req["agents_fractional"].to_numpy(),
            "phase": "peak",
        }
    )


def _actuals(
    plan: pd.DataFrame,
    volume: np.ndarray,
    agents: np.ndarray,
    service: ServiceParams = SERVICE,
    handle_s: float = np.nan,
) -> FakeActuals:
    frame = pd.DataFrame({"timestamp": plan["timestamp"], "volume": volume})
    rate = evaluate_staffing(frame, agents, service, 60)["expected_three_min_rate"].to_numpy()
    frame["handled_by_bot"] = np.nan
    frame["handle_s"] = handle_s
    frame["agents_logged_in"] = agents
    frame["three_min_rate"] = rate
    return FakeActuals(frame)


def _check_sum(result: pd.DataFrame) -> None:
    ok = np.isfinite(result["miss"].to_numpy())
    total = result.loc[ok, list(PARTS)].sum(axis=1).to_numpy()
    assert np.max(np.abs(total - result.loc[ok, "miss"].to_numpy())) <= 1e-9


def _share(result: pd.DataFrame, part: str) -> float:
    missed = result[result["miss"] > 0.01]
    assert len(missed) >= len(result) // 2, "the injected cause should make most hours miss"
    return float(missed[part].sum() / missed["miss"].sum())


def test_predicted_matches_evaluate_staffing() -> None:
    plan = _plan()
    frame = pd.DataFrame({"timestamp": plan["timestamp"], "volume": plan["forecast_volume"]})
    expected = evaluate_staffing(frame, plan["scheduled_agents"], SERVICE, 60)
    vh = plan["forecast_volume"].to_numpy() * (1 - SERVICE.effective_deflection)
    agents = plan["scheduled_agents"].to_numpy() * (1 - SERVICE.shrinkage)
    handle = np.full(len(plan), SERVICE.chat_handle_seconds)
    got = three_min_rate(vh, agents, handle, SERVICE, 60)
    np.testing.assert_allclose(got, expected["expected_three_min_rate"], rtol=0, atol=1e-12)


def test_only_volume_wrong_goes_to_volume() -> None:
    plan = _plan()
    actuals = _actuals(plan, 1.3 * plan["forecast_volume"], plan["scheduled_agents"])
    result = attribute_miss(plan, actuals, SERVICE, TARGET)
    _check_sum(result)
    assert _share(result, "volume") >= 0.9
    assert np.abs(result[["handle_time", "execution", "other"]].to_numpy()).max() < 1e-9


def test_only_absence_goes_to_execution() -> None:
    plan = _plan(seed=2)
    present = 0.8 * plan["scheduled_agents"].to_numpy()
    actuals = _actuals(plan, plan["forecast_volume"], present)
    result = attribute_miss(plan, actuals, SERVICE, TARGET)
    _check_sum(result)
    assert _share(result, "execution") >= 0.9
    assert np.abs(result[["volume", "handle_time", "other"]].to_numpy()).max() < 1e-9


def test_only_handle_time_goes_to_handle_time() -> None:
    plan = _plan(seed=3)
    slow = SERVICE.model_copy(update={"aht_seconds": SERVICE.aht_seconds * 1.3})
    actuals = _actuals(
        plan, plan["forecast_volume"], plan["scheduled_agents"], slow, slow.chat_handle_seconds
    )
    result = attribute_miss(plan, actuals, SERVICE, TARGET)
    _check_sum(result)
    assert _share(result, "handle_time") >= 0.9
    assert np.abs(result[["volume", "execution", "other"]].to_numpy()).max() < 1e-9


def test_logged_in_heads_converted_with_plan_efficiency() -> None:
    """Heads logged in = heads scheduled gives no execution part when efficiency < 1."""
    plan = _plan(seed=4)
    plan["scheduled_heads"] = plan["scheduled_agents"] / 0.8
    actuals = _actuals(plan, plan["forecast_volume"], plan["scheduled_agents"])
    actuals.intervals["agents_logged_in"] = plan["scheduled_heads"].to_numpy()
    result = attribute_miss(plan, actuals, SERVICE, TARGET)
    assert np.abs(result["execution"].to_numpy()).max() < 1e-9
    assert np.abs(result["other"].to_numpy()).max() < 1e-9


@pytest.mark.parametrize("order", ["shapley", "sequential"])
@pytest.mark.parametrize("seed", range(12))
def test_parts_sum_exactly_on_random_data(seed: int, order: str) -> None:
    rng = np.random.default_rng(100 + seed)
    plan = _plan(hours=72, seed=seed)
    n = len(plan)
    frame = pd.DataFrame(
        {
            "timestamp": plan["timestamp"],
            "volume": plan["forecast_volume"] * rng.uniform(0.5, 1.8, n),
            "handled_by_bot": np.where(rng.random(n) < 0.5, np.nan, rng.uniform(0, 300, n)),
            "handle_s": np.where(rng.random(n) < 0.3, np.nan, rng.uniform(150, 600, n)),
            "agents_logged_in": np.where(
                rng.random(n) < 0.2, np.nan, plan["scheduled_agents"] * rng.uniform(0.3, 1.3, n)
            ),
            "three_min_rate": np.where(rng.random(n) < 0.1, np.nan, rng.uniform(0, 1, n)),
        }
    )
    plan = plan.sample(frac=0.9, random_state=seed)  # some intervals in only one of the two
    result = attribute_miss(plan, FakeActuals(frame), SERVICE, TARGET, order=order)
    assert len(result) == len(plan)
    _check_sum(result)
    assert result["miss"].isna().sum() == frame.set_index("timestamp").loc[
        result["timestamp"], "three_min_rate"
    ].isna().sum()
    ok = result[np.isfinite(result["miss"])]
    np.testing.assert_allclose(
        ok["lost_inquiries"], ok[[f"lost_{p}" for p in PARTS]].sum(axis=1), atol=1e-6
    )


def test_shapley_and_sequential_agree_on_the_total() -> None:
    plan = _plan(seed=5)
    actuals = _actuals(plan, 1.2 * plan["forecast_volume"], 0.85 * plan["scheduled_agents"])
    a = attribute_miss(plan, actuals, SERVICE, TARGET)
    b = attribute_miss(plan, actuals, SERVICE, TARGET, order="sequential")
    middle = ["volume", "handle_time", "execution"]
    np.testing.assert_allclose(a[middle].sum(axis=1), b[middle].sum(axis=1), atol=1e-12)
    assert not np.allclose(a["volume"], b["volume"])  # the interaction is shared differently


def test_totals_share_of_miss() -> None:
    plan = _plan()
    actuals = _actuals(plan, 1.3 * plan["forecast_volume"], plan["scheduled_agents"])
    totals = attribution_totals(attribute_miss(plan, actuals, SERVICE, TARGET))
    assert totals["intervals"] == len(plan)
    assert sum(totals["lost_by_part"].values()) == pytest.approx(totals["lost_inquiries"])
    assert totals["share_of_miss"]["volume"] >= 0.9
    assert totals["lost_inquiries"] > 0


def test_bad_order_refused() -> None:
    plan = _plan(hours=3)
    actuals = _actuals(plan, plan["forecast_volume"], plan["scheduled_agents"])
    with pytest.raises(ValueError, match="order"):
        attribute_miss(plan, actuals, SERVICE, TARGET, order="random")  # type: ignore[arg-type]
