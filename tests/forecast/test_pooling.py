"""Partial pooling of event effects (``forecast.pooling``): a hand-made case, and on a seeded
series where ten holidays share one true effect but each was seen on one noisy day, pooled
effects land closer to the truth than the unpooled ones."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from forecast_synth import DAY, make_series

from forecast.pooling import pool_effects
from forecast.validate import validate_events

EFFECTS = {"a|day": {"h00": 1.0, "h01": 1.0}, "b|day": {"h00": 0.0, "h01": 0.0},
           "c|peak": {"h00": 0.8}}


def test_two_peers_seen_once_meet_halfway():
    # deviations +1 / -1 around each other's effect: var 1, s2 = 0.5 -> tau2 0.5, w 0.5
    out, w = pool_effects(EFFECTS, {"a|day": 1, "b|day": 1, "c|peak": 1}, 0.5)
    assert w["a|day"] == pytest.approx(0.5) and w["b|day"] == pytest.approx(0.5)
    assert [out[k][h] for k in ("a|day", "b|day") for h in ("h00", "h01")] == pytest.approx(
        [0.5, 0.5, 0.5, 0.5])
    assert EFFECTS["a|day"]["h00"] == 1.0  # the input is not modified


def test_many_occurrences_keep_their_own_effect():
    out, w = pool_effects(EFFECTS, {"a|day": 50, "b|day": 50, "c|peak": 50}, 0.5)
    assert w["a|day"] > 0.98
    assert out["a|day"]["h00"] == pytest.approx(1.0, abs=0.02)


def test_a_phase_without_peers_shrinks_toward_an_ordinary_day():
    # c|peak: deviation 0.8 from 0, tau2 = 0.64, s2 = 0.5 -> w = 0.64 / 1.14
    out, w = pool_effects(EFFECTS, {"a|day": 1, "b|day": 1, "c|peak": 1}, 0.5)
    assert w["c|peak"] == pytest.approx(0.64 / 1.14)
    assert 0 < out["c|peak"]["h00"] < 0.8


def test_no_occurrence_noise_means_no_pooling():
    out, w = pool_effects(EFFECTS, {"a|day": 1}, 0.0)
    assert w == {} and out == EFFECTS


def test_the_model_moves_its_spline_columns_to_the_pooled_effects():
    """A key fitted through the spline basis ends at the pooled hour effects (least squares)."""
    from forecast.model import PromoGLM

    events = validate_events(_holidays(), "events")
    hist = make_series(start="2024-01-01", end="2025-01-31 23:00", alpha=0.06, seed=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = PromoGLM(pool=False).fit(hist["timestamp"], hist["volume"], events)
        m = PromoGLM(pool=True).fit(hist["timestamp"], hist["volume"], events)
    assert "holiday0|day" in m.spec.spline_keys
    n_occ = {k: 1 for k in raw.hour_effects()}
    s2 = next(iter(m.key_var.values()))  # any key: s2 = key_var / (w + 1) for n = 1
    s2 /= m.pool_weights["holiday0|day"] + 1.0
    want, _ = pool_effects(raw.hour_effects(), n_occ, s2)
    got, before, want = (e["holiday0|day"] for e in (m.hour_effects(), raw.hour_effects(), want))
    err = np.mean([abs(got[h] - want[h]) for h in got])
    assert err < 0.25 * np.mean([abs(before[h] - want[h]) for h in got]), err


def _holidays() -> pd.DataFrame:
    days = pd.date_range("2024-03-04", periods=10, freq="29D")
    rows = [(f"holiday{k}", "day", f"{d:%Y-%m-%d}T00:00", f"{d:%Y-%m-%d}T23:00")
            for k, d in enumerate(days)]
    return pd.DataFrame(rows, columns=["event", "phase", "start", "end"])


def test_pooling_recovers_a_shared_holiday_effect_better_than_each_day_alone():
    from forecast.model import PromoGLM

    events = validate_events(_holidays(), "events")
    days = pd.DatetimeIndex(events["start"]).normalize()

    def half(ts: pd.DatetimeIndex) -> np.ndarray:  # every holiday: 0.6 x an ordinary day
        return np.where(ts.normalize().isin(days), 0.6, 1.0)

    hist = make_series(start="2024-01-01", end="2025-01-31 23:00", alpha=0.06, seed=5,
                       multiplier=half)
    errors = {}
    for pool in (False, True):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = PromoGLM(pool=pool).fit(hist["timestamp"], hist["volume"], events)
        effects = m.hour_effects()
        levels = []  # the holiday's uplift on a whole day: volume-weighted over its hours
        for k in range(10):
            hour = {int(f[1:]): e for f, e in effects[f"holiday{k}|day"].items()}
            w = np.array([DAY[h] for h in hour])
            levels.append(np.log((w * np.exp(list(hour.values()))).sum() / w.sum()))
        errors[pool] = float(np.mean(np.abs(np.array(levels) - np.log(0.6))))
    assert errors[True] < 0.8 * errors[False], errors
    assert m.pool_weights and max(m.pool_weights.values()) < 1.0
