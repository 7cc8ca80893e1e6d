"""Calibration of the ordinary hours' predictive quantiles (probability integral transform).

The predictive distribution of an hour (:func:`forecast.model.quantiles`: a negative binomial
or gamma with mean ``mu`` and variance ``phi*mu + alpha*mu**2``) gets its mean and variance
right but not always its shape: real series have day-level shocks (weather, a news story) that
make errors heavy-tailed, so a moment-matched negative binomial is too wide in the middle (the
80 % interval covered 84 % of a real bank's and a bike-share scheme's own training hours) and
too narrow in the tails.

Fix, after the fit, on the ordinary (non-event) training hours only: their PIT values
``u = F(y)`` (randomised between ``F(y-1)`` and ``F(y)`` for counts, so a discrete distribution
gives uniform values when it is right) would be uniform under a calibrated model. The level
``q`` the model should use for a nominal quantile ``p`` is the empirical ``p``-quantile of ``u``
(Kuleshov, Fenner & Ermon 2018, "Accurate uncertainties for deep learning using calibrated
regression"). Event hours keep nominal levels: their training hours are fitted by their own
columns, so their in-sample PIT says nothing about the next occurrence (whose uncertainty comes
from the pooling and occurrence variances instead).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

#: nominal levels where the map is estimated (linear in between, identity at 0 and 1)
GRID = np.array([0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95,
                 0.975, 0.99, 0.995])
#: fewer ordinary training hours than this: no calibration (the empirical quantiles are noise)
MIN_HOURS = 500


def _distribution(mu: np.ndarray, var: np.ndarray, integer: bool):
    """Frozen scipy distribution matching mean and variance (see model.quantiles)."""
    if integer:
        od = var > mu * (1 + 1e-9)
        n = np.where(od, mu**2 / np.maximum(var - mu, 1e-12), 1.0)
        p = np.where(od, mu / var, 0.5)
        return od, stats.nbinom(n, p), stats.poisson(mu)
    return None, stats.gamma(mu**2 / var, scale=var / mu), None


def pit(y: np.ndarray, mu: np.ndarray, phi: np.ndarray, alpha: np.ndarray, integer: bool,
        seed: int = 0) -> np.ndarray:
    """Randomised PIT values of observations ``y`` (hours with ``mu > 0`` only)."""
    keep = mu > 0
    y, mu = np.asarray(y, float)[keep], np.asarray(mu, float)[keep]
    var = np.maximum(np.broadcast_to(phi, keep.shape)[keep] * mu
                     + np.broadcast_to(alpha, keep.shape)[keep] * mu**2, 1e-12)
    od, dist, poisson = _distribution(mu, var, integer)
    if not integer:
        return dist.cdf(y)
    hi = np.where(od, dist.cdf(y), poisson.cdf(y))
    lo = np.where(od, dist.cdf(y - 1), poisson.cdf(y - 1))
    v = np.random.default_rng(seed).random(len(y))
    return lo + v * (hi - lo)


def level_map(u: np.ndarray) -> np.ndarray | None:
    """Calibrated levels at :data:`GRID` from PIT values ``u`` (None: too few to calibrate)."""
    if len(u) < MIN_HOURS:
        return None
    return np.maximum.accumulate(np.quantile(u, GRID))


def calibrated(q: float, mapped: np.ndarray | None) -> float:
    """The level to use for nominal level ``q`` (``q`` itself without a map)."""
    if mapped is None:
        return float(q)
    return float(np.interp(q, np.r_[0.0, GRID, 1.0], np.r_[0.0, mapped, 1.0]))


def level_alpha(alpha: np.ndarray, alpha_occ: np.ndarray, q: float, dof: float) -> np.ndarray:
    """``alpha`` for the quantile at level ``q`` when its part ``alpha_occ`` is a log-level
    variance estimated from ``dof`` degrees of freedom.

    The next occurrence's level, with a variance estimated from a handful of past occurrences,
    is Student-t distributed (the predictive of a normal with unknown variance), not normal:
    from 2 degrees of freedom the 80 % interval is 1.47 times as wide as the normal one. That
    part of the variance is scaled by ``(t_dof(q) / z(q))**2`` so the moment-matched
    distribution reaches the t quantile at that level; ``dof`` infinite leaves it unchanged.
    """
    if not np.isfinite(dof) or dof <= 0 or abs(q - 0.5) < 1e-9:
        return alpha
    factor = (stats.t.ppf(q, dof) / stats.norm.ppf(q)) ** 2
    return alpha + (factor - 1.0) * np.asarray(alpha_occ, dtype=float)
