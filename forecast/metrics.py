"""Forecast accuracy metrics (all on actual rows only; absent hours are not scored).

* WAPE = sum|F - A| / sum A (volume-weighted, robust to small intervals).
* bias = sum(F - A) / sum A (relative; +0.05 = forecast 5 % too high overall).
* coverage_<L> = share of actuals inside [lower_<L>, upper_<L>].
* peak-hour error = |F(t*) - A(t*)| / A(t*) at the hour t* of the largest actual.
"""

from __future__ import annotations

import numpy as np


def wape(actual: np.ndarray, forecast: np.ndarray) -> float:
    a, f = np.asarray(actual, float), np.asarray(forecast, float)
    total = a.sum()
    return float(np.abs(f - a).sum() / total) if total > 0 else float("nan")


def bias(actual: np.ndarray, forecast: np.ndarray) -> float:
    a, f = np.asarray(actual, float), np.asarray(forecast, float)
    total = a.sum()
    return float((f - a).sum() / total) if total > 0 else float("nan")


def coverage(actual: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    a = np.asarray(actual, float)
    if len(a) == 0:
        return float("nan")
    return float(np.mean((a >= np.asarray(lower)) & (a <= np.asarray(upper))))


def peak_error(actual: np.ndarray, forecast: np.ndarray) -> float:
    a, f = np.asarray(actual, float), np.asarray(forecast, float)
    if len(a) == 0 or a.max() <= 0:
        return float("nan")
    i = int(np.argmax(a))
    return float(abs(f[i] - a[i]) / a[i])
