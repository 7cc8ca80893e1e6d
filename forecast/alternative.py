"""Alternative statsmodels family for the benchmark: STL + ETS on the de-evented series.

Steps: (1) fit :class:`forecast.model.PromoGLM` only to get each hour's event multiplier;
(2) divide it out and take ``log1p`` of the de-evented volume on the *open-slot* grid (closed
slots dropped, so the season is the number of open slots per week, e.g. 168 or 70; outages
and closed days filled from the same slot a week earlier); (3) ``STLForecast(period=P,
model=ETSModel)`` with additive error and no trend (simple exponential smoothing; a damped
trend gave the same or worse); (4) back-transform and multiply the event effects back in.
80/95 % intervals from the ETS prediction intervals, back-transformed.
Not used by :func:`forecast.forecast_volume` — kept to show why the GLM was chosen.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.forecasting.stl import STLForecast

from forecast.calendar import future_grid
from forecast.model import PromoGLM


def _event_multiplier(model: PromoGLM, ts: pd.DatetimeIndex, events) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        full = model.predict(ts, events)["mu"].to_numpy()
        base = model.predict(ts, None)["mu"].to_numpy()
    return np.where(base > 0, full / np.maximum(base, 1e-12), 1.0)


def stl_ets_forecast(
    train: pd.DataFrame, events: pd.DataFrame | None, start: pd.Timestamp, end: pd.Timestamp,
    levels: Sequence[float] = (80, 95),
) -> pd.DataFrame:
    """Forecast frame ``timestamp,volume,lower_<L>,upper_<L>`` over open slots in [start, end]."""
    glm = PromoGLM().fit(train["timestamp"], train["volume"], events)
    res, open_mask = glm.res, glm.open_mask
    grid = future_grid(train["timestamp"].min(), train["timestamp"].max(), res, open_mask)
    s = train.set_index("timestamp")["volume"].reindex(grid)
    period = int(open_mask.sum())
    for _ in range(8):  # fill gaps from the same slot one week earlier (or later)
        if not s.isna().any():
            break
        s = s.fillna(s.shift(period)).fillna(s.shift(-period))
    s = s.interpolate(limit_direction="both")
    mult = _event_multiplier(glm, grid, events)
    mult = np.where(mult > 0, mult, 1.0)  # known closures: the filled value stays as is
    y = np.log1p(np.maximum(s.to_numpy() / mult, 0.0))
    future = future_grid(start, end, res, open_mask)
    future = future[future > grid[-1]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stlf = STLForecast(
            pd.Series(y), ETSModel, period=period,
            model_kwargs={"error": "add", "trend": None},
        )
        fit = stlf.fit(fit_kwargs={"disp": False})
        pred = fit.get_prediction(start=len(y), end=len(y) + len(future) - 1)
    fmult = _event_multiplier(glm, future, events)
    out = pd.DataFrame({"timestamp": future})
    out["volume"] = np.expm1(np.asarray(pred.predicted_mean)) * fmult
    for lv in levels:
        sf = pred.summary_frame(alpha=1 - lv / 100)
        tag = f"{lv:g}"
        out[f"lower_{tag}"] = np.maximum(np.expm1(sf["mean_ci_lower"].to_numpy()), 0.0) * fmult
        out[f"upper_{tag}"] = np.maximum(np.expm1(sf["mean_ci_upper"].to_numpy()), 0.0) * fmult
    out["volume"] = out["volume"].clip(lower=0.0)
    return out
