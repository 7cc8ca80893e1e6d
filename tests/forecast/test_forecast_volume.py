"""forecast_volume: event effects, unknown events, closed hours, intervals, resolution, queues."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from forecast_synth import make_series

from forecast import ForecastInputError, ForecastWarning, forecast_volume, validate_events
from forecast.model import PromoGLM

PROMO = [("2025-03-10", "2025-03-12"), ("2025-09-10", "2025-09-12"), ("2026-03-10", "2026-03-12")]


def promo_events(phase_rows=PROMO, extra=()):
    rows = [("flash", "main", f"{a}T00:00", f"{b}T23:59") for a, b in phase_rows] + list(extra)
    return validate_events(pd.DataFrame(rows, columns=["event", "phase", "start", "end"]), "ev")


def promo_multiplier(ts: pd.DatetimeIndex) -> np.ndarray:
    """Known truth: x3 all day, x6 at 20:00, during each flash sale."""
    inside = np.zeros(len(ts), dtype=bool)
    for a, b in PROMO:
        inside |= (ts >= pd.Timestamp(a)) & (ts <= pd.Timestamp(b) + pd.Timedelta(hours=23))
    return np.where(inside, np.where(ts.hour == 20, 6.0, 3.0), 1.0)


@pytest.fixture(scope="module")
def promo_history():
    h = make_series(start="2025-01-01", end="2026-02-28 23:00", multiplier=promo_multiplier,
                    seed=3)
    return h


def test_known_event_effect_is_recovered_within_10_percent(promo_history):
    ev = promo_events()
    model = PromoGLM().fit(promo_history["timestamp"], promo_history["volume"], ev)
    ts = pd.date_range("2026-03-10", "2026-03-12 23:00", freq="h")  # a future occurrence
    ratio = model.predict(ts, ev)["mu"] / model.predict(ts, None)["mu"]
    at20 = ts.hour == 20
    assert ratio[~at20].mean() == pytest.approx(3.0, rel=0.10)
    assert ratio[at20].mean() == pytest.approx(6.0, rel=0.10)
    # through the public API: the phase is ~3x the same hours a week later
    f = forecast_volume(promo_history, ev, "2026-03-10", "2026-03-19 23:00")
    inside = f["timestamp"] <= "2026-03-12 23:00"
    later = f["timestamp"] >= "2026-03-17"
    assert f.loc[inside, "volume"].sum() / f.loc[later, "volume"].sum() == pytest.approx(
        3.0 * 1.02, rel=0.10
    )


def test_unknown_event_without_uplift_warns_and_has_no_effect(promo_history):
    ev = promo_events(extra=[("brand_day", "launch", "2026-03-20T00:00", "2026-03-20T23:59")])
    with pytest.warns(ForecastWarning, match=r"row \d+.*'brand_day'.*no uplift"):
        f = forecast_volume(promo_history, ev, "2026-03-20", "2026-03-20 23:00")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plain = forecast_volume(promo_history, promo_events(), "2026-03-20", "2026-03-20 23:00")
    assert np.allclose(f["volume"], plain["volume"])


def test_unknown_event_uses_uplift_and_zero_uplift_means_closed(promo_history):
    rows = pd.DataFrame(
        [("brand_day", "launch", "2026-03-20T00:00", "2026-03-20T23:59", "2.0"),
         ("warehouse_move", "closed", "2026-03-21T00:00", "2026-03-21T23:59", "0")],
        columns=["event", "phase", "start", "end", "uplift"],
    )
    ev = validate_events(rows, "ev")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f = forecast_volume(promo_history, ev, "2026-03-20", "2026-03-21 23:00")
    plain = forecast_volume(promo_history, None, "2026-03-20", "2026-03-21 23:00")
    day1 = f["timestamp"].dt.day == 20
    assert np.allclose(f.loc[day1, "volume"], 2.0 * plain.loc[day1, "volume"])
    assert (f.loc[~day1, ["volume", "upper_95"]] == 0).all().all()


def test_unseen_phase_of_known_family_borrows_scaled_effect_and_warns():
    # big: main x3 (2025-04, 2025-10) and warmup x1.5 (2025-09-30); small: main x1.5 (2025-06)
    def rows(fam, phase, a, b):
        return (fam, phase, f"{a}T00:00", f"{b}T23:59")

    raw = [rows("big", "main", "2025-04-01", "2025-04-02"),
           rows("big", "warmup", "2025-09-29", "2025-09-30"),
           rows("big", "main", "2025-10-01", "2025-10-02"),
           rows("small", "main", "2025-06-01", "2025-06-02"),
           rows("small", "warmup", "2025-12-08", "2025-12-09")]
    ev = validate_events(pd.DataFrame(raw, columns=["event", "phase", "start", "end"]), "ev")

    def truth(ts):
        m = np.ones(len(ts))
        for fam, phase, a, b in raw[:4]:
            inside = (ts >= pd.Timestamp(a)) & (ts <= pd.Timestamp(b))
            m[inside] = {"main": 3.0 if fam == "big" else 1.5, "warmup": 1.5}[phase]
        return m

    h = make_series(start="2025-01-01", end="2025-11-30 23:00", multiplier=truth, alpha=0.005,
                    seed=11)
    model = PromoGLM().fit(h["timestamp"], h["volume"], ev)
    ts = pd.date_range("2025-12-08", "2025-12-09 23:00", freq="h")
    with pytest.warns(ForecastWarning, match=r"'small' phase 'warmup'.*big\|warmup"):
        with_ev = model.predict(ts, ev)
    ratio = (with_ev["mu"] / model.predict(ts, None)["mu"]).mean()
    scale = np.log(1.5) / np.log(3.0)  # small's effects relative to big's
    assert ratio == pytest.approx(1.5**scale, rel=0.05)


def test_intervals_columns_nonnegative_ordered_and_calibrated():
    h = make_series(start="2024-01-01", end="2025-12-31 23:00", alpha=0.03, seed=5)
    train = h[h["timestamp"] < "2025-12-01"]
    test = h[h["timestamp"] >= "2025-12-01"]
    f = forecast_volume(train, None, "2025-12-01", "2025-12-31 23:00", levels=(80, 95))
    assert list(f.columns) == ["timestamp", "volume", "lower_80", "upper_80", "lower_95",
                               "upper_95"]
    assert (f[["volume", "lower_80", "upper_80", "lower_95", "upper_95"]] >= 0).all().all()
    assert (f["lower_95"] <= f["lower_80"]).all() and (f["lower_80"] <= f["upper_80"]).all()
    assert (f["upper_80"] <= f["upper_95"]).all()
    a = test["volume"].to_numpy()
    cov80 = np.mean((a >= f["lower_80"]) & (a <= f["upper_80"]))
    cov95 = np.mean((a >= f["lower_95"]) & (a <= f["upper_95"]))
    assert 0.70 <= cov80 <= 0.92
    assert cov95 >= 0.88
    # over-dispersion is honoured: wider than a Poisson interval would be
    width = (f["upper_80"] - f["lower_80"]) / np.sqrt(f["volume"])
    assert width.median() > 2 * 1.2816 * 1.3


def test_closed_hours_are_not_training_zeros_and_not_forecast():
    h = make_series(start="2025-01-06", end="2025-06-29 23:00", seed=7)
    ts = h["timestamp"]
    open_rows = (ts.dt.day_of_week < 5) & ts.dt.hour.between(7, 20)
    h = h[open_rows]
    f = forecast_volume(h, None, "2025-06-30", "2025-07-06 23:00")
    assert len(f) == 5 * 14
    assert f["timestamp"].dt.hour.between(7, 20).all()
    assert (f["timestamp"].dt.day_of_week < 5).all()
    # level not dragged towards zero by the closed hours
    truth = h[h["timestamp"] >= "2025-06-01"].groupby(h["timestamp"].dt.hour)["volume"].mean()
    fc = f.groupby(f["timestamp"].dt.hour)["volume"].mean()
    assert np.allclose(fc / truth, 1.0, atol=0.12)
    z = forecast_volume(h, None, "2025-06-30", "2025-07-06 23:00", closed_hours="zero")
    assert len(z) == 7 * 24
    assert (z.loc[~z["timestamp"].isin(f["timestamp"]), "volume"] == 0).all()


def test_inclusive_range_fractional_volume_and_interval_minutes():
    h = make_series(start="2025-01-01", end="2025-04-30 23:00", seed=9)
    h["volume"] = h["volume"] / 3.0  # averaged counts
    f = forecast_volume(h, None, "2025-05-01 00:00", "2025-05-02 23:00")
    assert f["timestamp"].iloc[0] == pd.Timestamp("2025-05-01 00:00")
    assert f["timestamp"].iloc[-1] == pd.Timestamp("2025-05-02 23:00")
    assert len(f) == 48
    assert not np.allclose(f["upper_80"], np.round(f["upper_80"]))  # continuous quantiles
    half = forecast_volume(h, None, "2025-05-01 00:00", "2025-05-02 23:00", interval_minutes=30)
    assert len(half) == 96
    assert half["timestamp"].iloc[1] == pd.Timestamp("2025-05-01 00:30")
    assert half["volume"].sum() == pytest.approx(f["volume"].sum())
    assert (half["upper_80"].to_numpy()[::2] >= f["volume"].to_numpy() / 2).all()
    rel_h = (f["upper_80"] - f["lower_80"]) / f["volume"]
    rel_half = (half["upper_80"] - half["lower_80"]) / half["volume"]
    assert rel_half.to_numpy()[::2].mean() > rel_h.mean()
    day = forecast_volume(h, None, "2025-05-01 00:00", "2025-05-02 23:00", interval_minutes=1440)
    assert len(day) == 2
    whole = forecast_volume(h, None, "2025-05-01", "2025-05-02")  # date-only end: whole day
    assert len(whole) == 48
    assert day["volume"].sum() == pytest.approx(f["volume"].sum())
    with pytest.raises(ForecastInputError, match="interval"):
        forecast_volume(h, None, "2025-05-01", "2025-05-02", interval_minutes=45)


def test_queues_are_forecast_separately():
    a = make_series(start="2025-01-01", end="2025-03-31 23:00", base=50, seed=1)
    b = make_series(start="2025-01-01", end="2025-03-31 23:00", base=10, seed=2)
    h = pd.concat([a.assign(queue="presale"), b.assign(queue="aftersale")], ignore_index=True)
    f = forecast_volume(h, None, "2025-04-01", "2025-04-01 23:00")
    assert list(f.columns[:3]) == ["timestamp", "queue", "volume"]
    tot = f.groupby("queue")["volume"].sum()
    assert tot["presale"] / tot["aftersale"] == pytest.approx(5.0, rel=0.15)


def test_bad_arguments():
    h = make_series(start="2025-01-01", end="2025-01-31 23:00")
    with pytest.raises(ForecastInputError, match="level"):
        forecast_volume(h, None, "2025-02-01", "2025-02-02", levels=(80, 100))
    with pytest.raises(ForecastInputError, match="before start"):
        forecast_volume(h, None, "2025-02-02", "2025-02-01")


def test_sparse_engine_matches_statsmodels_glm():
    h = make_series(start="2025-01-01", end="2025-02-28 23:00", seed=4)
    ev = promo_events([("2025-02-10", "2025-02-11")])
    a = PromoGLM(engine="sparse").fit(h["timestamp"], h["volume"], ev)
    b = PromoGLM(engine="statsmodels").fit(h["timestamp"], h["volume"], ev)
    assert np.allclose(a.params, b.params, atol=1e-6)
    ts = pd.date_range("2025-03-01", periods=48, freq="h")
    pa, pb = a.predict(ts, ev), b.predict(ts, ev)
    assert np.allclose(pa["mu"], pb["mu"], rtol=1e-6)
    assert np.allclose(pa["alpha"], pb["alpha"], rtol=1e-4)
