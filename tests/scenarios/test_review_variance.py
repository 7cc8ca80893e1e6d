"""Plan frame of a run directory, volume and staffing variance, and the attribution on the
bundled actuals (issue 18 point 3, acceptance 1: parts sum to the miss to 1e-9)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scenarios.load import load_scenario
from scenarios.review.actuals import load_actuals
from scenarios.review.attribution import PARTS, attribute_miss
from scenarios.review.variance import (
    plan_frame,
    scheduled_heads,
    staffing_variance,
    volume_variance,
)
from scheduler.staffing import required_agents

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = load_scenario(ROOT / "data" / "sample" / "double11-2026.toml")


@dataclass(frozen=True)
class FakeActuals:
    intervals: pd.DataFrame
    interval_minutes: int = 60


def _write_run(run: Path, forecast: pd.DataFrame, scheduled: np.ndarray, events: str) -> Path:
    """A run directory with the files plan_frame reads (30-minute slots)."""
    run.mkdir()
    iso = forecast["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    forecast.assign(timestamp=iso).to_csv(run / "forecast.csv", index=False)
    pd.DataFrame(
        {"timestamp": iso, "required": scheduled, "scheduled": scheduled, "shortfall": 0.0,
         "surplus": 0.0}
    ).to_csv(run / "coverage.csv", index=False)
    (run / "events.csv").write_text(events, encoding="utf-8")
    summary = {"run": {"interval_minutes": 30, "timezone": "Asia/Shanghai"}}
    (run / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return run


def _small_run(tmp_path: Path) -> Path:
    stamps = pd.date_range("2026-11-11", periods=8, freq="30min")
    forecast = pd.DataFrame(
        {
            "timestamp": stamps,
            "volume": [100, 100, 50, 50, 10, 30, 200, 200],
            "lower_80": [80, 80, 40, 40, 5, 20, 150, 150],
            "upper_80": [120, 120, 60, 60, 15, 40, 250, 250],
        }
    )
    events = "event,phase,start,end\ndouble11,peak,2026-11-11T00:00,2026-11-11T01:59\n"
    return _write_run(tmp_path / "run", forecast, np.arange(8, dtype=float) + 1, events)


def test_plan_frame_hourly_sums_volume_and_averages_agents(tmp_path: Path) -> None:
    plan = plan_frame(_small_run(tmp_path), 60)
    assert list(plan["timestamp"].dt.hour) == [0, 1, 2, 3]
    assert list(plan["forecast_volume"]) == [200, 100, 40, 400]
    assert list(plan["lower_80"]) == [160, 80, 25, 300]
    assert list(plan["scheduled_agents"]) == [1.5, 3.5, 5.5, 7.5]
    assert list(plan["phase"]) == ["peak", "peak", "ordinary", "ordinary"]
    assert plan["scheduled_heads"].isna().all()  # no roster.csv


def test_plan_frame_splits_slots_for_finer_actuals(tmp_path: Path) -> None:
    plan = plan_frame(_small_run(tmp_path), 15)
    assert len(plan) == 16
    assert plan["forecast_volume"].sum() == pytest.approx(740)
    assert list(plan["forecast_volume"][:2]) == [50, 50]
    assert list(plan["scheduled_agents"][:3]) == [1, 1, 2]


def test_scheduled_heads_from_roster_with_a_break_after_midnight(tmp_path: Path) -> None:
    run = tmp_path / "r"
    run.mkdir()
    pd.DataFrame(
        {
            "agent_id": ["1", "2"],
            "shift_start": ["2026-11-10 22:00", "2026-11-11 00:00"],
            "shift_end": ["2026-11-11 03:00", "2026-11-11 02:00"],
            "breaks": ["00:30-01:30", ""],
        }
    ).to_csv(run / "roster.csv", index=False)
    slots = pd.Series(pd.date_range("2026-11-11", periods=6, freq="30min"))
    heads = scheduled_heads(run, slots, 30)
    np.testing.assert_allclose(heads, [2, 1, 1, 2, 1, 1])


def test_volume_variance_metrics(tmp_path: Path) -> None:
    plan = plan_frame(_small_run(tmp_path), 60)
    stamps = plan["timestamp"][:3]  # hour 03:00 missing from the actuals: left out, not zero
    actuals = FakeActuals(pd.DataFrame({"timestamp": stamps, "volume": [250.0, 90.0, 40.0]}))
    per, phases = volume_variance(plan, actuals)
    assert list(per["error"]) == [-50, 10, 0]
    assert list(per["inside_80"]) == [False, True, True]
    peak = phases.set_index("phase").loc["peak"]
    assert peak["wape"] == pytest.approx(60 / 340)
    assert peak["bias"] == pytest.approx(-40 / 340)
    assert peak["peak_hour_error"] == pytest.approx(-50 / 250)
    assert peak["inside_80_rate"] == pytest.approx(0.5)
    everything = phases.set_index("phase").loc["all"]
    assert everything["intervals"] == 3 and everything["actual"] == 380
    assert list(phases["phase"]) == ["peak", "ordinary", "all"]


def test_staffing_variance_gap_and_adherence(tmp_path: Path) -> None:
    plan = plan_frame(_small_run(tmp_path), 60)
    actuals = FakeActuals(
        pd.DataFrame({"timestamp": plan["timestamp"], "agents_logged_in": [1.5, 2.0, np.nan, 9.0]})
    )
    out = staffing_variance(plan, actuals)
    np.testing.assert_allclose(out["gap"], [0.0, -1.5, np.nan, 1.5])
    np.testing.assert_allclose(out["adherence"], [1.0, 2.0 / 3.5, np.nan, 1.2])


def test_attribution_sums_exactly_on_the_bundled_actuals(tmp_path: Path) -> None:
    """Acceptance 1: a small run over the bundled campaign; parts sum to the miss to 1e-9."""
    actuals = load_actuals(ROOT / "data" / "sample" / "actuals")
    hourly = actuals.intervals
    rng = np.random.default_rng(18)
    noise = rng.uniform(0.8, 1.1, 2 * len(hourly))
    per_slot = np.repeat(hourly["volume"].to_numpy() / 2, 2) * noise
    stamps = pd.Series(pd.date_range(hourly["timestamp"].iloc[0], periods=len(per_slot),
                                     freq="30min"))
    req = required_agents(pd.DataFrame({"timestamp": stamps, "volume": per_slot}),
                          SCENARIO.service, 30)
    scheduled = req["agents_required"].to_numpy(dtype=float) * rng.uniform(0.85, 1.0, len(req))
    forecast = pd.DataFrame({"timestamp": stamps, "volume": per_slot})
    events = (ROOT / "data" / "sample" / "events.csv").read_text(encoding="utf-8-sig")
    run = _write_run(tmp_path / "run", forecast, scheduled, events)
    plan = plan_frame(run, actuals.interval_minutes)
    result = attribute_miss(plan, actuals, SCENARIO.service, SCENARIO.service.three_minute_rate)
    ok = result[np.isfinite(result["miss"])]
    assert len(ok) >= 300
    assert (ok[list(PARTS)].sum(axis=1) - ok["miss"]).abs().max() <= 1e-9
    assert set(result["phase"]) >= {"peak", "main", "tail"}
    worst = result.loc[result["miss"].idxmax()]
    assert worst["miss"] > 0.3  # the bundled campaign collapses somewhere


def test_hindsight_plan_on_more_volume_needs_more(tiny, tmp_path: Path) -> None:
    from scenarios.pipeline import run_scenario
    from scenarios.review.hindsight import hindsight_plan
    from scheduler.roster.schema import SolverConfig

    run = tmp_path / "run"
    run_scenario(tiny["scenario"], run, solver=SolverConfig(time_limit_s=2, num_workers=1))
    plan = plan_frame(run, 60)
    hourly = pd.DataFrame(
        {"timestamp": plan["timestamp"], "volume": (1.3 * plan["forecast_volume"]).round()}
    ).iloc[:-3]  # the last 3 hours missing: the forecast fills them, counted
    actuals = FakeActuals(hourly)
    result = hindsight_plan(run, actuals, time_limit_s=2, seed=0)
    assert result["slots_from_forecast"] == 6
    assert result["scenario_file"] == str(tiny["scenario"]) and not result["scenario_changed"]
    assert result["required_agent_hours"] > result["plan_required_agent_hours"]
    assert result["plan_short_agent_hours_vs_actual"] > 0
    assert result["cost_cny"] > 0 and result["plan_cost_cny"] is not None
    assert (result["violations"], result["violated_rules"]) == (0, "")  # said, and legal here
    assert result["difference_cny"] == pytest.approx(
        result["cost_cny"] - result["plan_cost_cny"], abs=0.01
    )
    with pytest.raises(ValueError, match="time_limit_s"):
        hindsight_plan(run, actuals, time_limit_s=float("nan"), seed=0)
