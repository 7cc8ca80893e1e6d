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

NAMES = ["slot:0", "ev:a|day:h00", "ev:a|day:h01", "ev:b|day:h00", "ev:b|day:h01",
         "ev:a|day:progress", "ev:c|peak:h00"]
PARAMS = np.array([3.0, 1.0, 1.0, 0.0, 0.0, 0.7, 0.8])


def test_two_peers_seen_once_meet_halfway():
    # deviations +1 / -1 around each other's effect: var 1, s2 = 0.5 -> tau2 0.5, w 0.5
    out, w = pool_effects(NAMES, PARAMS, {"a|day": 1, "b|day": 1, "c|peak": 1}, 0.5)
    assert w["a|day"] == pytest.approx(0.5) and w["b|day"] == pytest.approx(0.5)
    assert out[1:5] == pytest.approx([0.5, 0.5, 0.5, 0.5])
    assert out[0] == 3.0 and out[5] == 0.7  # not an hour effect: untouched


def test_many_occurrences_keep_their_own_effect():
    out, w = pool_effects(NAMES, PARAMS, {"a|day": 50, "b|day": 50, "c|peak": 50}, 0.5)
    assert w["a|day"] > 0.98
    assert out[1] == pytest.approx(1.0, abs=0.02)


def test_a_phase_without_peers_shrinks_toward_an_ordinary_day():
    # c|peak: deviation 0.8 from 0, tau2 = 0.64, s2 = 0.5 -> w = 0.64 / 1.14
    out, w = pool_effects(NAMES, PARAMS, {"a|day": 1, "b|day": 1, "c|peak": 1}, 0.5)
    assert w["c|peak"] == pytest.approx(0.64 / 1.14)
    assert 0 < out[6] < 0.8


def test_no_occurrence_noise_means_no_pooling():
    out, w = pool_effects(NAMES, PARAMS, {"a|day": 1}, 0.0)
    assert w == {} and (out == PARAMS).all()


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
        names = [n for n, u in zip(m.spec.names, m.used, strict=True) if u]
        levels = []  # the holiday's uplift on a whole day: volume-weighted over its hours
        for k in range(10):
            hour = {int(n[-2:]): m.params[i] for i, n in enumerate(names)
                    if n.startswith(f"ev:holiday{k}|day:h")}
            w = np.array([DAY[h] for h in hour])
            levels.append(np.log((w * np.exp(list(hour.values()))).sum() / w.sum()))
        errors[pool] = float(np.mean(np.abs(np.array(levels) - np.log(0.6))))
    assert errors[True] < 0.8 * errors[False], errors
    assert m.pool_weights and max(m.pool_weights.values()) < 1.0
