"""Rolling-origin backtest, metrics and baselines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from forecast_synth import make_series

from forecast import ForecastInputError, backtest, cli_backtest_report
from forecast.baselines import seasonal_naive
from forecast.metrics import bias, coverage, peak_error, wape


def test_metrics_known_values():
    a = np.array([10.0, 20.0, 30.0])
    f = np.array([12.0, 18.0, 30.0])
    assert wape(a, f) == pytest.approx(4 / 60)
    assert bias(a, f) == pytest.approx(0.0)
    assert bias(a, f + 6) == pytest.approx(18 / 60)
    assert coverage(a, a - 1, a + 1) == 1.0
    assert coverage(a, a + 1, a + 2) == 0.0
    assert peak_error(a, f) == 0.0
    assert peak_error(a, np.array([10.0, 20.0, 27.0])) == pytest.approx(0.1)


def test_seasonal_naive_repeats_last_observed_week():
    h = make_series(start="2025-01-06", end="2025-02-02 23:00", seed=1)
    h = h[h["timestamp"] != pd.Timestamp("2025-01-27 10:00")]  # outage in the last week
    ts = pd.date_range("2025-02-03", periods=24 * 14, freq="h")
    f = seasonal_naive(h, ts)
    s = h.set_index("timestamp")["volume"]
    assert f["volume"].iloc[0] == s[pd.Timestamp("2025-01-27 00:00")]
    assert f["volume"].iloc[24 * 7] == s[pd.Timestamp("2025-01-27 00:00")]
    assert f["volume"].iloc[10] == s[pd.Timestamp("2025-01-20 10:00")]  # a week further back


def test_backtest_folds_and_report():
    h = make_series(start="2025-01-01", end="2025-06-30 23:00", seed=2)
    bt = backtest(h, None, 3, horizon_days=7)
    assert list(bt["fold"]) == ["1", "2", "3", "all"]
    assert (bt["n"].iloc[:3] == 7 * 24).all()
    assert bt["n"].iloc[3] == 3 * 7 * 24
    assert pd.Timestamp(bt["cutoff"].iloc[2]) == pd.Timestamp("2025-06-23 23:00")
    assert (bt["wape"] < 0.25).all()
    assert bt["coverage_80"].between(0.5, 1.0).all()
    text = cli_backtest_report(bt)
    assert len(text.splitlines()) == 5
    assert "WAPE" in text.splitlines()[0] and "cov80" in text.splitlines()[0]
    # pooled WAPE is the volume-weighted mean of the folds
    w = (bt["wape"].iloc[:3] * bt["actual"].iloc[:3]).sum() / bt["actual"].iloc[:3].sum()
    assert bt["wape"].iloc[3] == pytest.approx(w)


def test_backtest_explicit_cutoffs_and_errors():
    h = make_series(start="2025-01-01", end="2025-03-31 23:00", seed=3)
    bt = backtest(h, None, ["2025-03-01 23:00"], horizon_days=3)
    assert bt["n"].iloc[0] == 72
    with pytest.raises(ForecastInputError, match="folds"):
        backtest(h, None, 0, horizon_days=3)
    with pytest.raises(ForecastInputError, match="no training or test data"):
        backtest(h, None, ["2026-01-01"], horizon_days=3)
