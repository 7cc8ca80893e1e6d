"""Forecast risk (scenarios.risk, `peakplan risk`): the volume sampler, the roster's service on
simulated paths, and the command end to end on the tiny scenario."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scenarios.cli import main
from scenarios.io import InputFileError
from scenarios.risk import (
    Predictive,
    path_service,
    predictive_from_forecast,
    risk_figures,
    simulate_volume,
)
from scenarios.scheduled_service import coverage_with_service
from scheduler.staffing import ServiceParams, required_agents

SERVICE = ServiceParams(
    aht_seconds=240, concurrency=3, concurrency_aht_factor=0.25, target_seconds=30,
    service_level=0.8, three_minute_rate=0.95, patience_seconds=300, shrinkage=0.12,
    max_occupancy=0.85, bot_deflection=0.35,
)


def _grid(days: int = 2, minutes: int = 30) -> pd.DatetimeIndex:
    return pd.date_range("2026-11-10", periods=days * 1440 // minutes, freq=f"{minutes}min")


def _pred(mean, noise_ratio, level_cv2, stamps=None) -> Predictive:
    mean = np.asarray(mean, dtype=float)
    stamps = stamps if stamps is not None else _grid(1, 1440 // len(mean))
    level = np.asarray(level_cv2, dtype=float) * mean**2
    return Predictive(stamps, mean, np.asarray(noise_ratio) * mean + level, level)


def test_sampler_mean_and_variance_match_per_interval():
    mean = np.array([0.0, 0.4, 3.0, 20.0, 80.0, 300.0, 50.0, 5.0])
    ratio = np.array([2.0, 3.4, 1.0, 0.5, 0.0, 3.4, 8.0, 1.5])
    cv2 = np.array([0.0, 0.02, 0.1, 0.0, 0.05, 0.01, 0.2, 0.0])
    pred = _pred(mean, ratio, cv2)
    paths = simulate_volume(pred, 60000, np.random.default_rng(0))
    assert paths.shape == (60000, 8) and (paths >= 0).all()
    assert (paths[:, 0] == 0).all()
    se = np.sqrt(pred.var / 60000)
    assert np.all(np.abs(paths.mean(0) - mean) <= 4 * se + 1e-9)
    assert np.allclose(paths.var(0)[1:], pred.var[1:], rtol=0.05)
    # d >= 1 gives counts; under-dispersed noise (d < 1) is continuous
    assert np.allclose(paths[:, 2], np.round(paths[:, 2]))


@pytest.mark.parametrize("scope", ["campaign", "day"])
def test_paths_share_the_level_error(scope):
    stamps = _grid(3, 60)
    mean = np.tile(np.linspace(5, 120, 24), 3)
    pred = _pred(mean, np.full(72, 2.0), np.full(72, 0.04), stamps)
    totals = simulate_volume(pred, 40000, np.random.default_rng(1), scope).sum(axis=1)
    sd_level = np.sqrt(pred.var_level)
    if scope == "campaign":
        shared = sd_level.sum() ** 2
    else:
        shared = sum(sd_level[d * 24:(d + 1) * 24].sum() ** 2 for d in range(3))
    expected = (pred.var - pred.var_level).sum() + shared
    assert totals.var() == pytest.approx(expected, rel=0.05)
    independent = pred.var.sum()
    assert totals.var() > 2 * independent  # far from independent intervals
    assert totals.mean() == pytest.approx(mean.sum(), rel=0.01)


def test_path_service_is_the_scheduled_service_formula():
    stamps = _grid(1)
    volume = 40 + 30 * np.sin(np.arange(48) / 5) ** 2
    scheduled = np.linspace(2, 14, 48)
    sl, three = path_service(volume[None, :], scheduled, SERVICE, 30)
    requirements = pd.DataFrame({"timestamp": stamps, "volume": volume})
    coverage = pd.DataFrame({"timestamp": stamps, "scheduled": scheduled})
    ref = coverage_with_service(requirements, coverage, SERVICE, 30)
    assert np.allclose(sl[0], ref["expected_service_level"])
    assert np.allclose(three[0], ref["expected_three_min_rate"])


def test_huge_roster_never_misses_and_empty_roster_always_does():
    stamps = _grid(2)
    mean = np.full(96, 60.0)
    pred = _pred(mean, np.full(96, 3.0), np.full(96, 0.05), stamps)
    big = risk_figures(pred, np.full(96, 500.0), SERVICE, 30, n_paths=300, seed=2)
    assert big["p_miss"] == 0 and big["p_any_day_miss"] == 0 and big["p_peak_day_miss"] == 0
    assert big["expected_short_intervals"] == 0 and big["sl_p5"] == pytest.approx(1.0)
    none = risk_figures(pred, np.zeros(96), SERVICE, 30, n_paths=300, seed=2)
    assert none["p_miss"] == 1 and none["p_any_day_miss"] == 1 and none["p_peak_day_miss"] == 1
    assert none["expected_short_intervals"] == pytest.approx(96)
    # staffed exactly for the mean: misses on the paths above the mean only
    need = required_agents(pd.DataFrame({"timestamp": stamps, "volume": mean}), SERVICE, 30)
    exact = need["agents_fractional"].to_numpy()
    mid = risk_figures(pred, exact, SERVICE, 30, n_paths=300, seed=2)
    assert 0.2 < mid["p_miss"] < 0.8 and mid["sl_p5"] < 0.8 < mid["sl_p95"]
    assert risk_figures(pred, exact, SERVICE, 30, n_paths=300, seed=2) == mid


def test_predictive_from_forecast_sums_queues_and_checks_values():
    stamps = _grid(1, 720)
    frame = pd.DataFrame({
        "timestamp": list(stamps) * 2, "queue": ["a", "a", "b", "b"],
        "volume": [10.0, 20.0, 30.0, 0.0], "var": [14.0, 40.0, 75.0, 0.0],
        "var_level": [4.0, 16.0, 36.0, 0.0],
    })
    pred = predictive_from_forecast(frame, _grid(1, 360))
    assert np.allclose(pred.mean, [40, 0, 20, 0])
    assert np.allclose(pred.var_level, [64, 0, 16, 0])  # (2 + 6)**2: queues' levels together
    assert np.allclose(pred.var, [64 + 10 + 39, 0, 40, 0])
    with pytest.raises(InputFileError, match=r"forecast.csv: missing column 'var'"):
        predictive_from_forecast(frame.drop(columns="var"))
    bad = frame.assign(var_level=[4.0, 50.0, 36.0, 0.0])
    with pytest.raises(InputFileError, match=r"row 3, field 'var_level': larger than var"):
        predictive_from_forecast(bad)


def test_risk_command_end_to_end(tiny, capsys):
    out = tiny["dir"] / "risk"
    code = main([
        "risk", str(tiny["scenario"]), "--out", str(out), "--staff-to", "mean,upper_95",
        "--paths", "300", "--time-limit", "2", "--workers", "1", "--deterministic",
        "--no-lp-bound", "--jobs", "1", "--set", "workforce.temporary.lead_days=0",
        "--set", "workforce.temporary.max_headcount=30",
    ])
    assert code == 0, capsys.readouterr().err
    table = pd.read_csv(out / "risk.csv")
    assert list(table["staff_to"]) == ["mean", "upper_95"]
    for name in ("risk.png", "risk.html", "mean/summary.json", "upper_95/coverage.csv"):
        assert (out / name).is_file()
    assert (out / "risk.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    mean, upper = table.iloc[0], table.iloc[1]
    assert upper["wages_cny"] >= mean["wages_cny"]
    assert upper["p_miss"] <= mean["p_miss"]
    assert upper["p_any_day_miss"] <= mean["p_any_day_miss"]
    assert upper["sl_p50"] >= mean["sl_p50"]
    assert 0 <= mean["p_miss"] <= 1 and mean["paths"] == 300
    # the figures are the sampler's on the run's own roster and forecast
    import json

    summary = json.loads((out / "mean" / "summary.json").read_text(encoding="utf-8"))
    assert mean["wages_cny"] == summary["cost_cny"]["wages_total"]
    printed = capsys.readouterr().out
    assert "upper_95" in printed and "P(miss)" in printed


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--paths", "0"], "--paths"),
        (["--staff-to", "mean,mean"], "--staff-to: 'mean' given twice"),
        (["--staff-to", "upper_99"], "--staff-to 'upper_99'"),
        (["--staff-to", "p90"], "--staff-to 'p90'"),
        (["--level-scope", "week"], "--level-scope"),
        (["--set", "service.nope=1"], "service.nope"),
        (["--backend", "spark"], "--backend"),
        (["--risk-seed", "-1"], "--risk-seed"),
    ],
)
def test_bad_flags_one_line_exit_2_nothing_written(tiny, capsys, flags, message):
    out = tiny["dir"] / "risk"
    code = main(["risk", str(tiny["scenario"]), "--out", str(out), *flags])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and message in err
    assert not out.exists()
    assert not list(tiny["dir"].glob(".risk*"))
