"""Public entry point: :func:`forecast_volume`.

Output frame: ``timestamp[,queue],volume,lower_<L>,upper_<L>...`` — ``volume`` is the mean
forecast in inquiries per output interval, one lower/upper pair per requested level (central
prediction intervals, e.g. 80 % = 10th..90th percentile), all >= 0.

Resolution: output timestamps follow the history's resolution (hourly → hourly) unless
``interval_minutes`` asks for another:

* finer (e.g. 30 for hourly history): each hour's mean is split *evenly* over its k
  sub-intervals; the intervals are recomputed for the sub-interval mean with the same
  over-dispersion (the hour's demand shock is shared by its sub-intervals), so they are wider
  relative to the mean than the hour's, as real sub-interval counts are.
* coarser (e.g. 1440): means are summed; the variance assumes the hours' demand shocks are fully
  correlated within the output interval (conservative), so those intervals are approximate.

Closed hours: only open slots of the week are forecast (rule in :mod:`forecast.calendar`);
``closed_hours="zero"`` instead emits closed slots with volume and bounds 0.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from forecast.calendar import future_grid, slot_of_week
from forecast.calibration import level_alpha
from forecast.columns import DEFAULT_LEVELS, PREDICTIVE_COLUMNS, bound_columns
from forecast.errors import ForecastInputError
from forecast.model import PromoGLM, quantiles
from forecast.validate import validate_events, validate_history

_EPOCH = pd.Timestamp("2000-01-03")


def _as_history(history: pd.DataFrame) -> pd.DataFrame:
    if "timestamp" in history and pd.api.types.is_datetime64_any_dtype(history["timestamp"]):
        if pd.api.types.is_float_dtype(history.get("volume", pd.Series(dtype=object))):
            return history
    return validate_history(history, "history")


def _as_events(events: pd.DataFrame | None) -> pd.DataFrame | None:
    if events is None:
        return None
    if {"occurrence", "row"}.issubset(events.columns):
        return events
    return validate_events(events, "events")


def _end_of(end: pd.Timestamp | str) -> pd.Timestamp:
    """Inclusive end; a date-only string (``2026-11-14``) means the whole day."""
    if isinstance(end, str) and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", end):
        return pd.Timestamp(end.strip()) + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
    return pd.Timestamp(end)


def check_levels(levels: Sequence[float]) -> list[float]:
    """Interval levels in percent, each strictly between 0 and 100."""
    out = []
    for lv in levels:
        try:
            v = float(lv)
        except (TypeError, ValueError):
            raise ForecastInputError(f"level: not a number {lv!r}") from None
        if not 0 < v < 100:
            raise ForecastInputError(f"level: {lv!r} must be strictly between 0 and 100")
        out.append(v)
    return out


def _resample(pred: pd.DataFrame, res: pd.Timedelta, interval: pd.Timedelta) -> pd.DataFrame:
    """Change resolution of a ``timestamp,mu,phi,alpha`` frame (see module docstring)."""
    if interval == res:
        return pred
    if interval < res:
        if res % interval != pd.Timedelta(0):
            raise ForecastInputError(
                f"interval: {interval} does not divide the history resolution {res}"
            )
        k = int(res / interval)
        out = pred.loc[pred.index.repeat(k)].reset_index(drop=True)
        out["timestamp"] = out["timestamp"] + np.tile(np.arange(k), len(pred)) * interval
        out["mu"] = out["mu"] / k
        return out
    if interval % res != pd.Timedelta(0):
        raise ForecastInputError(
            f"interval: {interval} is not a multiple of the history resolution {res}"
        )
    g = _EPOCH + ((pred["timestamp"] - _EPOCH) // interval) * interval
    tmp = pred.assign(
        g=g.to_numpy(), pm=pred["phi"] * pred["mu"], sa=np.sqrt(pred["alpha"]) * pred["mu"],
        so=np.sqrt(pred["alpha_occ"]) * pred["mu"],
    )
    agg = tmp.groupby("g").agg(mu=("mu", "sum"), pm=("pm", "sum"), sa=("sa", "sum"),
                               so=("so", "sum"), event=("event", "max"))
    safe = agg["mu"].where(agg["mu"] > 0, 1.0)
    return pd.DataFrame(
        {
            "timestamp": agg.index,
            "mu": agg["mu"].to_numpy(),
            "phi": (agg["pm"] / safe).to_numpy(),
            "alpha": (agg["sa"] ** 2 / safe**2).to_numpy(),
            "event": agg["event"].to_numpy(dtype=bool),
            "alpha_occ": (agg["so"] ** 2 / safe**2).to_numpy(),
        }
    )


def predict_frame(
    model: PromoGLM, start: pd.Timestamp, end: pd.Timestamp, events: pd.DataFrame | None,
    levels: Sequence[float], interval_minutes: int | None = None, closed_hours: str = "omit",
    timestamps: pd.DatetimeIndex | None = None, predictive: bool = False,
) -> pd.DataFrame:
    """Forecast frame for a fitted model over [start, end] (or exactly ``timestamps``).

    ``predictive=True`` appends the predictive distribution's moments after the bounds (see
    :func:`predictive_columns`): ``var`` and ``var_level`` (inquiries² per output interval).
    """
    res = model.res
    if timestamps is not None:
        grid = pd.DatetimeIndex(timestamps)
        is_open = np.ones(len(grid), dtype=bool)
    else:
        all_slots = closed_hours == "zero"
        grid = future_grid(start, end, res, None if all_slots else model.open_mask)
        is_open = model.open_mask[slot_of_week(grid, res)]
    pred = model.predict(grid, events)
    pred.loc[~is_open, "mu"] = 0.0
    if interval_minutes is not None:
        pred = _resample(pred, res, pd.Timedelta(minutes=int(interval_minutes)))
    out = pd.DataFrame({"timestamp": pred["timestamp"].to_numpy(), "volume": pred["mu"]})
    mu, phi, alpha = (pred[c].to_numpy() for c in ("mu", "phi", "alpha"))
    event, occ = pred["event"].to_numpy(), pred["alpha_occ"].to_numpy()
    for lv in levels:
        q = (1 - lv / 100) / 2
        lower, upper = bound_columns([lv])
        for column, level in ((lower, q), (upper, 1 - q)):
            a = level_alpha(alpha, occ, level, model.occ_dof)
            out[column] = quantiles(mu, phi, a, model.levels(level, event), model.integer)
    if predictive:
        for column, values in predictive_columns(mu, phi, alpha).items():
            out[column] = values
    return out


def predictive_columns(mu: np.ndarray, phi: np.ndarray, alpha: np.ndarray) -> dict:
    """``var`` and ``var_level`` (inquiries² per interval) of the (resampled) predictive model.

    ``var = phi*mu + alpha*mu**2`` is the variance the quantile columns are computed from.
    ``var_level = alpha*mu**2`` is its multiplicative part (hour-level over-dispersion, the
    event occurrence's level and parameter uncertainty): a demand *level* error that
    :func:`_resample` already treats as shared by the sub-intervals of an hour (finer output) and
    as fully correlated within a coarser interval, so it is the part a simulation should share
    across intervals; ``var - var_level = phi*mu`` is the count noise, independent per interval.
    Both are 0 where ``mu`` is 0 (closed or zero-uplift intervals).
    """
    mu = np.asarray(mu, dtype=float)
    level = np.asarray(alpha, dtype=float) * mu**2
    var, var_level = PREDICTIVE_COLUMNS
    return {var: np.asarray(phi, dtype=float) * mu + level, var_level: level}


def forecast_volume(
    history: pd.DataFrame,
    events: pd.DataFrame | None,
    start: pd.Timestamp | str,
    end: pd.Timestamp | str,
    levels: Sequence[float] = DEFAULT_LEVELS,
    interval_minutes: int | None = None,
    closed_hours: str = "omit",
    predictive: bool = False,
) -> pd.DataFrame:
    """Forecast inquiries per interval for every timestamp in [start, end] (both inclusive;
    a date-only ``end`` string covers that whole day).

    ``predictive=True`` adds ``var`` and ``var_level`` after the bounds (see
    :func:`predictive_columns`; scenarios.risk simulates volume paths from them).

    ``history``: validated (or raw text) ``timestamp,volume[,queue]``; each queue is fitted
    separately. ``events``: validated (or raw) events frame, or None. Emits
    :class:`forecast.ForecastWarning` for a future event phase with no history and no uplift.
    Returns ``timestamp[,queue],volume,lower_<L>,upper_<L>`` sorted by queue then time.
    """
    return forecast_with_effects(history, events, start, end, levels, interval_minutes,
                                 predictive, closed_hours=closed_hours, explain=False)[0]


def _fit_and_predict(hist: pd.DataFrame, ev: pd.DataFrame | None, start: pd.Timestamp,
                     end: pd.Timestamp, lv: list[float], interval_minutes: int | None,
                     closed_hours: str, predictive: bool, explain: bool
                     ) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """One model per queue: the forecast frame and (``explain``) the learned event effects
    (``forecast.explain``; a ``queue`` column when the history has queues)."""
    from forecast.explain import explain_events

    queues = [None] if "queue" not in hist else list(dict.fromkeys(hist["queue"]))
    frames, effects = [], []
    for q in queues:
        part = hist if q is None else hist[hist["queue"] == q]
        model = PromoGLM().fit(part["timestamp"], part["volume"], ev)
        f = predict_frame(model, start, end, ev, lv, interval_minutes, closed_hours,
                          predictive=predictive)
        if q is not None:
            f.insert(1, "queue", q)
        frames.append(f)
        if explain and ev is not None:
            e = explain_events(model, ev, part["timestamp"])
            if q is not None:
                e.insert(0, "queue", q)
            effects.append(e)
    table = pd.concat(effects, ignore_index=True) if effects else None
    return pd.concat(frames, ignore_index=True), table


def forecast_with_effects(
    history: pd.DataFrame,
    events: pd.DataFrame | None,
    start: pd.Timestamp | str,
    end: pd.Timestamp | str,
    levels: Sequence[float] = DEFAULT_LEVELS,
    interval_minutes: int | None = None,
    predictive: bool = False,
    closed_hours: str = "omit",
    explain: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """:func:`forecast_volume` and, from the same fit (``explain``), the learned event effects
    per family x phase (:func:`forecast.explain.explain_events`; None without a calendar)."""
    hist, ev, lv = _as_history(history), _as_events(events), check_levels(levels)
    start, end = pd.Timestamp(start), _end_of(end)
    if end < start:
        raise ForecastInputError(f"end: {end.isoformat()} is before start {start.isoformat()}")
    if closed_hours not in ("omit", "zero"):
        raise ForecastInputError(f"closed_hours: {closed_hours!r} must be 'omit' or 'zero'")
    if interval_minutes is not None and int(interval_minutes) <= 0:
        raise ForecastInputError(f"interval: {interval_minutes!r} must be a positive number")
    return _fit_and_predict(hist, ev, start, end, lv, interval_minutes, closed_hours,
                            predictive, explain)
