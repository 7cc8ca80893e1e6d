"""The next occurrence's level when its variance was estimated from a few past occurrences:
Student-t quantiles (``forecast.calibration.level_alpha``), and the model carrying the degrees of
freedom from its fit into the event hours' intervals only."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from forecast_synth import make_series
from scipy import stats

from forecast.api import predict_frame
from forecast.calibration import level_alpha
from forecast.model import PromoGLM
from forecast.validate import validate_events


@pytest.mark.parametrize("dof", [1.0, 2.0, 5.0, 30.0])
def test_the_inflated_variance_reaches_the_t_quantile(dof):
    s2, q = 0.04, 0.9
    a = level_alpha(np.full(1, s2), np.full(1, s2), q, dof)  # alpha includes it
    assert stats.norm.ppf(q) * np.sqrt(a[0]) == pytest.approx(stats.t.ppf(q, dof) * np.sqrt(s2))


def test_infinite_dof_or_the_median_leave_alpha_alone():
    alpha, occ = np.array([0.05, 0.01]), np.array([0.03, 0.0])
    assert level_alpha(alpha, occ, 0.9, float("inf")) is alpha
    assert level_alpha(alpha, occ, 0.5, 2.0) is alpha
    assert level_alpha(alpha, occ, 0.9, 2.0)[1] == 0.01  # no occurrence part: unchanged


def test_three_past_occurrences_give_a_calibrated_interval_for_the_fourth():
    """Log levels of a family's occurrences ~ N(m, sigma); from three of them (variance on 2
    degrees of freedom) the 80 % interval for the fourth covers ~80 % with the t quantile and
    clearly less with the normal one."""
    rng = np.random.default_rng(11)
    past = rng.normal(0.0, 0.15, size=(20000, 3))
    nxt = rng.normal(0.0, 0.15, size=20000)
    s2 = past.var(axis=1, ddof=1) * (1 + 1 / 3)  # own deviation + error of the mean
    z = stats.norm.ppf(0.9)
    for dof, want in ((2.0, (0.785, 0.815)), (float("inf"), (0.0, 0.75))):
        half = z * np.sqrt(level_alpha(s2, s2, 0.9, dof))
        cover = float(np.mean(np.abs(nxt - past.mean(axis=1)) <= half))
        assert want[0] <= cover <= want[1], (dof, cover)


def _sales() -> pd.DataFrame:
    days = ["2024-02-14", "2024-05-20", "2024-08-26", "2024-12-02"]
    rows = [("sale", "day", f"{d}T00:00", f"{d}T23:00") for d in days]
    return pd.DataFrame(rows, columns=["event", "phase", "start", "end"])


def test_the_model_widens_event_hours_by_its_occurrence_dof_only():
    events = validate_events(_sales(), "events")
    level = dict(zip(pd.DatetimeIndex(events["start"]).normalize(), [1.5, 2.3, 1.7, 1.0],
                     strict=True))

    def uplift(ts: pd.DatetimeIndex) -> np.ndarray:
        return ts.normalize().map(lambda d: level.get(d, 1.0)).to_numpy(dtype=float)

    hist = make_series(start="2023-11-01", end="2024-11-30 23:00", alpha=0.01, seed=3,
                       multiplier=uplift)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = PromoGLM().fit(hist["timestamp"], hist["volume"], events)
        assert m.occ_var > 0 and m.occ_dof == 2.0  # three occurrences of one phase
        wide = predict_frame(m, "2024-12-01", "2024-12-02 23:00", events, (80.0,))
        m.occ_dof = float("inf")
        narrow = predict_frame(m, "2024-12-01", "2024-12-02 23:00", events, (80.0,))
    sale = pd.DatetimeIndex(wide["timestamp"]).normalize() == pd.Timestamp("2024-12-02")
    width = (wide["upper_80"] - wide["lower_80"]).to_numpy()
    width0 = (narrow["upper_80"] - narrow["lower_80"]).to_numpy()
    assert (width[~sale] == width0[~sale]).all()
    busy = sale & (wide["volume"].to_numpy() > 20)
    assert (width[busy] > width0[busy]).all()
    assert np.mean(width[busy] / width0[busy]) > 1.15
    assert np.allclose(wide["volume"], narrow["volume"])
