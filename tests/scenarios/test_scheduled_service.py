"""Service of the roster as scheduled, per interval (issue 18 point 2)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scenarios.load import load_scenario
from scenarios.scheduled_service import (
    SERVICE_COLUMNS,
    coverage_with_service,
    service_extremes,
)
from scheduler.roster.schema import SolverConfig
from scheduler.staffing import required_agents

ROOT = Path(__file__).resolve().parents[2]
SERVICE = load_scenario(ROOT / "data" / "sample" / "double11-2026.toml").service


def _requirements(days: int = 2, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    stamps = pd.date_range("2026-11-10", periods=days * 48, freq="30min")
    volume = rng.uniform(50, 800, len(stamps))
    return required_agents(pd.DataFrame({"timestamp": stamps, "volume": volume}), SERVICE, 30)


def _coverage(req: pd.DataFrame, scheduled: np.ndarray) -> pd.DataFrame:
    required = req["agents_required"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "timestamp": req["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S"),
            "required": required,
            "scheduled": scheduled,
            "shortfall": np.maximum(required - scheduled, 0),
            "surplus": np.maximum(scheduled - required, 0),
        }
    )


def test_scheduled_equal_to_required_reproduces_the_requirement_metrics() -> None:
    req = _requirements()
    cov = _coverage(req, req["agents_required"].to_numpy(dtype=float))
    out = coverage_with_service(req, cov, SERVICE, 30)
    assert list(out.columns[-4:]) == list(SERVICE_COLUMNS)
    for column in SERVICE_COLUMNS:
        np.testing.assert_allclose(out[column], req[column], rtol=0, atol=1e-12)


def test_rows_matched_on_timestamp_not_position() -> None:
    req = _requirements()
    cov = _coverage(req, req["agents_required"].to_numpy(dtype=float))
    shuffled = req.sample(frac=1.0, random_state=0)
    out = coverage_with_service(shuffled, cov, SERVICE, 30)
    np.testing.assert_allclose(out["expected_service_level"], req["expected_service_level"])


def test_short_interval_is_the_worst_and_counted_under_target() -> None:
    req = _requirements()
    scheduled = req["agents_required"].to_numpy(dtype=float)
    scheduled[60] *= 0.5  # one collapse on the second day
    scheduled[70] *= 0.9
    out = coverage_with_service(req, _coverage(req, scheduled), SERVICE, 30)
    extremes = service_extremes(out, req["volume"].to_numpy(), SERVICE)
    worst = extremes["worst_interval"]
    assert worst["timestamp"] == req["timestamp"][60].isoformat()
    assert worst["expected_service_level"] == pytest.approx(
        out["expected_service_level"][60], abs=1e-4
    )
    assert worst["expected_service_level"] < 0.5
    assert extremes["worst_day"]["date"] == "2026-11-11"
    under = (out["expected_service_level"] < SERVICE.service_level).sum()
    assert under >= 1
    assert extremes["share_intervals_under_target"] == pytest.approx(under / len(out), abs=1e-4)
    three = (out["expected_three_min_rate"] < SERVICE.three_minute_rate).mean()
    assert extremes["share_intervals_under_three_min_target"] == pytest.approx(three, abs=1e-4)


def test_no_volume_gives_no_extremes() -> None:
    req = _requirements(days=1)
    req["volume"] = 0.0
    cov = _coverage(req, np.zeros(len(req)))
    out = coverage_with_service(req, cov, SERVICE, 30)
    assert (out["expected_service_level"] == 1.0).all()
    extremes = service_extremes(out, req["volume"].to_numpy(), SERVICE)
    assert extremes["worst_interval"] is None and extremes["share_intervals_under_target"] is None


def test_run_writes_service_per_interval_and_worst_interval(tiny, tmp_path) -> None:
    from scenarios.pipeline import run_scenario

    out = tmp_path / "run"
    config = SolverConfig(time_limit_s=3, num_workers=1, random_seed=0)
    result = run_scenario(tiny["scenario"], out, solver=config)
    coverage = pd.read_csv(out / "coverage.csv")
    requirements = pd.read_csv(out / "requirements.csv")
    for column in SERVICE_COLUMNS:
        assert coverage[column].notna().all()
    service = json.loads((out / "summary.json").read_text(encoding="utf-8"))["service"]
    assert service == result.summary["service"]
    weights = requirements["volume"].to_numpy()
    average = (coverage["expected_service_level"] * weights).sum() / weights.sum()
    assert service["expected_service_level"] == pytest.approx(average, abs=1e-4)
    busy = coverage[weights > 0]
    worst = service["worst_interval"]
    assert worst["expected_service_level"] == pytest.approx(
        busy["expected_service_level"].min(), abs=1e-4
    )
    assert worst["timestamp"] in set(busy["timestamp"])
    assert service["worst_day"]["date"] in {"2026-10-27", "2026-10-28"}
    share = (busy["expected_service_level"] < service["target_service_level"]).mean()
    assert service["share_intervals_under_target"] == pytest.approx(share, abs=1e-4)
