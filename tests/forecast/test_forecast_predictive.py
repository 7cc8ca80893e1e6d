"""Predictive columns (var, var_level) of the forecast frame, their resampling, and the
scenarios.risk sampler calibrated against the frame's own interval bounds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from forecast_synth import make_series

from forecast import forecast_volume
from forecast.model import PromoGLM, quantiles
from scenarios.risk import predictive_from_forecast, simulate_volume


@pytest.fixture(scope="module")
def history() -> pd.DataFrame:
    return make_series(start="2025-01-01", end="2025-04-30 23:00", alpha=0.03, seed=9)


def test_predictive_columns_only_on_request_and_consistent(history):
    plain = forecast_volume(history, None, "2025-05-01", "2025-05-03")
    assert "var" not in plain.columns and "var_level" not in plain.columns
    f = forecast_volume(history, None, "2025-05-01", "2025-05-03", predictive=True)
    assert list(f.columns)[-2:] == ["var", "var_level"]
    assert np.allclose(f["volume"], plain["volume"])
    assert (f["var_level"] >= 0).all() and (f["var"] >= f["var_level"]).all()
    # over-dispersed counts: more variance than Poisson, level share grows with the mean
    assert (f["var"] > f["volume"]).all()
    model = PromoGLM().fit(history["timestamp"], history["volume"], None)
    pred = model.predict(pd.DatetimeIndex(f["timestamp"]), None)
    expected = pred["phi"] * pred["mu"] + pred["alpha"] * pred["mu"] ** 2
    assert np.allclose(f["var"], expected) and np.allclose(f["var_level"],
                                                          pred["alpha"] * pred["mu"] ** 2)


def test_resampled_moments_follow_the_resampling_rule(history):
    hour = forecast_volume(history, None, "2025-05-01", "2025-05-02", predictive=True)
    half = forecast_volume(history, None, "2025-05-01", "2025-05-02", interval_minutes=30,
                           predictive=True)
    day = forecast_volume(history, None, "2025-05-01", "2025-05-02", interval_minutes=1440,
                          predictive=True)
    noise_h = (hour["var"] - hour["var_level"]).to_numpy()
    # finer: the hour's mean split evenly, count noise split, the level error shared by halves
    assert np.allclose((half["var"] - half["var_level"]).to_numpy().reshape(-1, 2).sum(1),
                       noise_h)
    assert np.allclose(np.sqrt(half["var_level"]).to_numpy().reshape(-1, 2).sum(1),
                       np.sqrt(hour["var_level"]))
    # coarser: count noise adds, level errors fully correlated within the day
    days = hour["timestamp"].dt.normalize()
    assert np.allclose(day["var"] - day["var_level"], pd.Series(noise_h).groupby(days).sum())
    level = np.sqrt(hour["var_level"]).groupby(days).sum() ** 2
    assert np.allclose(day["var_level"], level)


@pytest.mark.parametrize("scope", ["campaign", "day"])
def test_sampler_quantiles_match_the_frame_bounds(history, scope):
    f = forecast_volume(history, None, "2025-05-01", "2025-05-02", interval_minutes=30,
                        predictive=True)
    pred = predictive_from_forecast(f)
    paths = simulate_volume(pred, 20000, np.random.default_rng(3), scope)
    sd = np.sqrt(pred.var)
    mu = f["volume"].to_numpy()
    phi = (f["var"] - f["var_level"]).to_numpy() / mu
    alpha = f["var_level"].to_numpy() / mu**2
    # the frame's bounds are the moment-matched NB's at PIT-calibrated levels on ordinary hours
    # (forecast.calibration); the sampler draws the moment-matched distribution itself
    nominal = {q: quantiles(mu, phi, alpha, q, integer=True) for q in (0.1, 0.9, 0.025, 0.975)}
    for column, q in (("lower_80", 0.10), ("upper_80", 0.90), ("lower_95", 0.025),
                      ("upper_95", 0.975)):
        got = np.quantile(paths, q, axis=0)
        # the NB quantiles vs the sampler's gamma-mixed NB with the same two moments
        assert np.abs(got - nominal[q]).max() <= 0.15 * sd.max() + 1
        assert np.median(np.abs(got - nominal[q]) / sd) <= 0.1
        # calibration moves a bound by a fraction of a standard deviation, not more
        assert np.median(np.abs(f[column].to_numpy() - nominal[q]) / sd) <= 0.5
    inside = (paths >= nominal[0.1]) & (paths <= nominal[0.9])
    assert 0.78 <= inside.mean() <= 0.86
