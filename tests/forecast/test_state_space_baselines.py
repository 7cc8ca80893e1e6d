"""statsmodels baselines of the forecast benchmark (``forecast.baselines.ets_forecast`` and
``uc_forecast``): rows at the forecast timestamps only, ordered non-negative intervals, better
than a flat mean on a seeded series with a daily pattern, open hours respected."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from forecast_synth import make_series

from forecast.baselines import STATE_SPACE_WEEKS, ets_forecast, uc_forecast
from forecast.metrics import wape

BASELINES = [ets_forecast, uc_forecast]
COLUMNS = ["timestamp", "volume", "lower_80", "upper_80", "lower_95", "upper_95"]
CUT = pd.Timestamp("2025-02-09 23:00")  # five weeks of training, a Sunday night


def _check_intervals(f: pd.DataFrame) -> None:
    assert list(f.columns) == COLUMNS
    v = f[COLUMNS[1:]].to_numpy()
    assert np.isfinite(v).all() and (v >= 0).all()
    assert (f["lower_95"] <= f["lower_80"]).all()
    assert (f["lower_80"] <= f["volume"]).all() and (f["volume"] <= f["upper_80"]).all()
    assert (f["upper_80"] <= f["upper_95"]).all()
    assert (f["upper_95"] > f["lower_95"]).any()


@pytest.mark.parametrize("fn", BASELINES)
def test_round_the_clock_series_beats_a_flat_mean(fn):
    # six weeks hourly, Poisson around a daily × weekly profile (no day-level shocks: a local
    # level follows a shocked last day, which is the models' nature, not what is tested here)
    h = make_series(start="2025-01-06", end="2025-02-16 23:00", alpha=1e-4, seed=3)
    train, test = h[h["timestamp"] <= CUT], h[h["timestamp"] > CUT]
    f = fn(train, None, CUT + pd.Timedelta(hours=1), test["timestamp"].max())
    assert (f["timestamp"].to_numpy() == test["timestamp"].to_numpy()).all()
    _check_intervals(f)
    a = test["volume"].to_numpy()
    flat = np.full(len(a), train["volume"].mean())
    assert wape(a, f["volume"].to_numpy()) < 0.5 * wape(a, flat)


@pytest.mark.parametrize("fn", BASELINES)
def test_open_hours_only_series_gets_rows_only_in_open_hours(fn):
    h = make_series(start="2025-01-06", end="2025-02-16 23:00", alpha=1e-4, seed=4)
    ts = h["timestamp"].dt
    h = h[(ts.day_of_week < 5) & (ts.hour >= 8) & (ts.hour <= 17)]
    h = h[h["timestamp"].dt.normalize() != pd.Timestamp("2025-01-29")]  # a closed weekday
    cut = pd.Timestamp("2025-02-07 17:00")  # Friday's last open hour
    train, test = h[h["timestamp"] <= cut], h[h["timestamp"] > cut]
    start = pd.Timestamp("2025-02-10 09:00")  # not the next open slot: rows start here
    f = fn(train, None, start, pd.Timestamp("2025-02-16 23:00"))
    expected = test.loc[test["timestamp"] >= start, "timestamp"].to_numpy()
    assert (f["timestamp"].to_numpy() == expected).all()
    _check_intervals(f)


@pytest.mark.parametrize("fn", BASELINES)
def test_only_the_last_weeks_are_fitted(fn):
    # a level shift older than the window does not reach the forecast
    h = make_series(start="2024-09-02", end="2025-02-16 23:00", seed=5)
    old = h["timestamp"] <= CUT - pd.Timedelta(weeks=STATE_SPACE_WEEKS)
    shifted = h.assign(volume=np.where(old, h["volume"] * 10, h["volume"]))
    start, end = CUT + pd.Timedelta(hours=1), pd.Timestamp("2025-02-16 23:00")
    plain = fn(h[h["timestamp"] <= CUT], None, start, end)
    other = fn(shifted[shifted["timestamp"] <= CUT], None, start, end)
    pd.testing.assert_frame_equal(plain, other)
