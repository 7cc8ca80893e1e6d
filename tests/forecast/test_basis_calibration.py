"""Compact design bases (forecast.basis) and the PIT calibration of ordinary-hour quantiles
(forecast.calibration), on hand-made cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecast.basis import periodic_spline, week_block, week_layout
from forecast.calendar import open_slots
from forecast.calibration import calibrated, level_map, pit
from forecast.model import quantiles


def test_periodic_spline_is_a_partition_of_unity_and_wraps_midnight():
    b = periodic_spline(np.arange(24), df=8)
    assert b.shape == (24, 8)
    assert np.allclose(b.sum(axis=1), 1.0) and (b >= 0).all()
    # basis 0 peaks at 00:00 and is symmetric around it (23:00 == 01:00)
    assert b[:, 0].argmax() == 0 and b[23, 0] == pytest.approx(b[1, 0])


def test_week_layout_columns_are_identifiable_and_cover_open_slots():
    ts = pd.date_range("2025-01-06", periods=24 * 7 * 3, freq="h")  # Mon..Sun, 3 weeks
    ts = ts[(ts.hour >= 8) & (ts.hour < 20)]
    res = pd.Timedelta(hours=1)
    layout = week_layout(open_slots(pd.Series(ts), res), res)
    assert len(layout.tod) == 12 and len(layout.weekend_tod) == 12
    assert list(layout.dow) == [1, 2, 3, 4, 6]  # Monday and Saturday are the references
    x = week_block(layout, ts, res)
    assert np.linalg.matrix_rank(x) == x.shape[1]
    assert (x[:, : len(layout.tod)].sum(axis=1) == 1).all()  # one intercept per row


def test_weekday_only_series_has_no_weekend_columns():
    ts = pd.date_range("2025-01-06", periods=24 * 7 * 3, freq="h")
    ts = ts[ts.day_of_week < 5]
    res = pd.Timedelta(hours=1)
    layout = week_layout(open_slots(pd.Series(ts), res), res)
    assert len(layout.weekend_tod) == 0 and list(layout.dow) == [1, 2, 3, 4]


def test_a_right_model_keeps_nominal_levels():
    rng = np.random.default_rng(0)
    mu = rng.uniform(20, 200, 20_000)
    y = rng.poisson(mu)
    mapped = level_map(pit(y, mu, np.ones_like(mu), np.zeros_like(mu), integer=True))
    assert calibrated(0.1, mapped) == pytest.approx(0.1, abs=0.01)
    assert calibrated(0.9, mapped) == pytest.approx(0.9, abs=0.01)


def test_heavy_tailed_errors_narrow_the_80_interval_to_its_coverage():
    # day shocks: a mixture of mostly calm and some wild hours, same variance as the model's
    rng = np.random.default_rng(1)
    mu = np.full(20_000, 100.0)
    wild = rng.random(len(mu)) < 0.1
    level = np.where(wild, rng.lognormal(0, 0.5, len(mu)), rng.lognormal(0, 0.05, len(mu)))
    y = rng.poisson(mu * level)
    var = y.var()
    alpha = (var - mu[0]) / mu[0] ** 2
    mapped = level_map(pit(y, mu, 1.0, alpha, integer=True))
    assert calibrated(0.1, mapped) > 0.12 and calibrated(0.9, mapped) < 0.88  # narrower 80 %

    def cover(lo: float, hi: float) -> float:
        a = quantiles(mu, 1.0, alpha, lo, integer=True)
        b = quantiles(mu, 1.0, alpha, hi, integer=True)
        return float(((y >= a) & (y <= b)).mean())

    assert cover(0.1, 0.9) > 0.83  # the moment-matched interval over-covers
    assert cover(calibrated(0.1, mapped), calibrated(0.9, mapped)) == pytest.approx(0.8, abs=0.02)


def test_too_few_hours_are_not_calibrated():
    assert level_map(np.linspace(0, 1, 100)) is None
    assert calibrated(0.1, None) == 0.1
