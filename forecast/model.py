"""Promotion-aware hourly count model: quasi-Poisson GLM + NB2-type predictive distribution.

Why this model (numbers in benchmarks/results/forecast.md):

* A Poisson GLM with log link (``statsmodels.api.GLM``, family ``Poisson``, Pearson-scaled
  covariance = quasi-Poisson), so fractional volumes (averaged/weighted counts) are accepted and
  parameter uncertainty is honest under over-dispersion. Design (:mod:`forecast.features`):
  time of day + weekend intraday shift + day of week, log-linear trend, annual Fourier terms
  (>= 0.9 year of data), and per event family × phase an hour-of-day profile (periodic cubic
  spline, plus spike hours) with opening/closing-hour and progress terms. Every
  effect is a multiplier, so a phase's uplift and intraday shape are learned jointly and carried
  to the next occurrence of the family.
* Fitting engine: statsmodels' own ``GLM(Poisson).fit(scale="X2")`` (its IRLS, from its own
  starting values) on the compact design, about 260 columns for two years of hourly data
  (:mod:`forecast.features`); ``self.res_`` holds the statsmodels results object and ``self.cov``
  its covariance. ``engine="sparse"`` runs the same IRLS on a sparse copy of the design
  (:func:`poisson_irls`, same estimates to 1e-6, checked in the tests and the benchmark): faster,
  kept for large designs and as a cross-check.
* Calibration (:mod:`forecast.calibration`): the ordinary hours' quantile levels are mapped
  through the empirical distribution of their training PIT values (heavy-tailed day shocks).
* Predictive distribution: variance ``phi*mu + (alpha + se_link**2) * mu**2``, ``phi`` and
  ``alpha`` fitted (non-negative least squares) to binned squared residuals — separately for
  event and ordinary hours — and ``se_link`` the standard error of the linear predictor
  (parameter uncertainty: large for a phase seen once). Quantiles from a negative binomial with
  that mean and variance for integer histories, a gamma for fractional ones; so intervals widen
  with over-dispersion, not just with sqrt(mu).
* Partial pooling (:mod:`forecast.pooling`, ``pool=True``): after the fit, each phase's hour
  effects are shrunk toward the other families' same phase (or an ordinary day) by how noisy
  one occurrence's level is (``occ_var``, else the day-level variance of ordinary days) and how
  many occurrences support them; the pooled level's error and, without ``occ_var``, the next
  occurrence's own deviation widen that phase's intervals (``key_var``).
* Alternatives benchmarked: STL + ETS on the de-evented open-hours series
  (:mod:`forecast.alternative`) was less accurate on every hold-out (it follows the last
  observed hour; on the bank series one short last hour pulls the whole month down) and several
  times slower; SARIMAX with a 168-hour season is far too slow to fit on two years of hours.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import optimize, sparse, stats
from scipy.sparse import linalg as sparse_linalg

from forecast.calendar import open_slots, resolution, slot_of_week
from forecast.calibration import calibrated, level_map, pit
from forecast.errors import ForecastInputError, ForecastWarning
from forecast.events import event_hits
from forecast.features import (
    DesignSpec,
    borrowable,
    design,
    family_scales,
    fit_spec,
    hour_effects,
    hour_map,
)
from forecast.pooling import pool_effects

MIN_EVENT_ROWS_FOR_OWN_DISPERSION = 100
#: Shortest training history, days (first to last timestamp, plus one interval). The design has
#: one column per open slot of the week plus a trend; with less than two weeks some hours of the
#: week are seen once or never (a slot seen in < 50 % of the weeks counts as closed, so the
#: forecast would silently be empty there) and no residual is left to estimate the dispersion.
MIN_HISTORY_DAYS = 14


def check_history_span(ts: pd.DatetimeIndex, res: pd.Timedelta, source: str = "history") -> None:
    """Raise :class:`ForecastInputError` when ``ts`` spans less than ``MIN_HISTORY_DAYS`` days."""
    span = (ts.max() - ts.min() + res) / pd.Timedelta(days=1) if len(ts) else 0.0
    if span < MIN_HISTORY_DAYS:
        raise ForecastInputError(
            f"{source}: only {span:.1f} days of history to train on; the model needs at least "
            f"{MIN_HISTORY_DAYS} days (every hour of the week seen twice)"
        )


def _dispersion(y: np.ndarray, mu: np.ndarray, bins: int = 20) -> tuple[float, float]:
    """Fit var(y) ~= phi*mu + alpha*mu**2 by NNLS on squared residuals binned by mu."""
    if len(y) < 10:
        return 1.0, 0.0
    order = np.argsort(mu)
    groups = np.array_split(order, min(bins, len(y) // 5))
    r2 = np.array([np.mean((y[g] - mu[g]) ** 2) for g in groups])
    m = np.array([np.mean(mu[g]) for g in groups])
    m2 = np.array([np.mean(mu[g] ** 2) for g in groups])
    w = 1.0 / np.maximum(m2, 1e-9)  # relative fit: each bin counts equally
    a = np.column_stack([m, m2]) * np.sqrt(w)[:, None]
    coef, _ = optimize.nnls(a, r2 * np.sqrt(w))
    phi, alpha = float(coef[0]), float(coef[1])
    if phi == 0.0 and alpha == 0.0:
        phi = 1.0
    return phi, alpha


def poisson_irls(
    x: np.ndarray, y: np.ndarray, beta: np.ndarray, maxiter: int = 50
) -> tuple[np.ndarray, sparse_linalg.SuperLU, float]:
    """Poisson GLM (log link) by IRLS on a sparse copy of ``x``.

    Returns (params, LU factor of X'WX at the optimum, Pearson scale). Same estimator as
    ``sm.GLM(y, x, family=sm.families.Poisson()).fit(scale="X2")``, whose covariance is
    scale × (X'WX)^-1 (quasi-Poisson). The design is mostly one-hot, so X'WX and its sparse LU
    (single-threaded SuperLU) take milliseconds, where statsmodels' dense Newton/IRLS on
    17.5k × 700 takes seconds — tens of seconds when multithreaded BLAS competes for two loaded
    cores. A 1e-8 ridge keeps collinear event columns solvable.
    """
    fam = sm.families.Poisson()
    xs = sparse.csr_matrix(x)
    xt = xs.T.tocsr()
    ridge = 1e-8 * sparse.identity(x.shape[1], format="csc")
    dev_old = np.inf

    def normal_matrix(mu: np.ndarray) -> sparse_linalg.SuperLU:
        return sparse_linalg.splu((xt @ xs.multiply(mu[:, None])).tocsc() + ridge)

    for _ in range(maxiter):
        eta = np.clip(xs @ beta, -30, 30)
        mu = fam.link.inverse(eta)
        beta = normal_matrix(mu).solve(xt @ (mu * eta + (y - mu)))
        mu = fam.link.inverse(np.clip(xs @ beta, -30, 30))
        dev = fam.deviance(y, mu)
        if abs(dev - dev_old) <= 1e-9 * (abs(dev) + 0.1):
            break
        dev_old = dev
    mu = fam.link.inverse(np.clip(xs @ beta, -30, 30))
    scale = float(np.sum((y - mu) ** 2 / fam.variance(mu)) / max(len(y) - x.shape[1], 1))
    return beta, normal_matrix(mu), scale


def _occurrence_variance(
    hits: pd.DataFrame, events: pd.DataFrame | None, y: np.ndarray, mu: np.ndarray,
    phi: float, alpha: float,
) -> tuple[float, float]:
    """Variance of a whole occurrence's log level around its phase's learned effect, and the
    degrees of freedom it was estimated from.

    Each year's Double 11 is bigger or smaller as a whole; a future occurrence carries that
    uncertainty for all its hours. Estimated from phases seen in >= 2 occurrences:
    r = log(sum y / sum mu) per (phase, occurrence), sum r^2 / (n_occ - 1) pooled, minus the
    hour-level noise of the sums; dof = sum (n_occ - 1). (0, inf) when no phase has two
    occurrences in training.
    """
    none = (0.0, float("inf"))
    if hits.empty or events is None or "occurrence" not in events:
        return none
    occ = events.loc[hits["event_row"].to_numpy(), "occurrence"].to_numpy()
    pos = hits["pos"].to_numpy(dtype=int)
    df = pd.DataFrame({"key": hits["key"].to_numpy(), "occ": occ, "y": y[pos], "mu": mu[pos],
                       "v": phi * mu[pos] + alpha * mu[pos] ** 2})
    g = df.groupby(["key", "occ"]).sum()
    g = g[(g["y"] > 0) & (g["mu"] > 0)]
    n_occ = g.groupby(level="key").size()
    multi = n_occ[n_occ >= 2].index
    if len(multi) == 0:
        return none
    g = g[g.index.get_level_values("key").isin(multi)]
    r2 = np.log(g["y"] / g["mu"]) ** 2
    noise = g["v"] / g["mu"] ** 2
    dof = float((n_occ[multi] - 1).sum())
    var = float(max(0.0, (r2.sum() - noise.sum() * dof / len(g)) / dof))
    return (var, dof) if var > 0 else none


def _day_variance(ts: pd.DatetimeIndex, y: np.ndarray, mu: np.ndarray, phi: float,
                  alpha: float) -> float:
    """Variance of a whole ordinary day's log level around the fit (weather, news: what one
    day of an event also carries), less the hour-level noise of the daily sums."""
    if len(y) == 0:
        return 0.0
    df = pd.DataFrame({"d": ts.normalize(), "y": y, "mu": mu, "v": phi * mu + alpha * mu**2})
    g = df.groupby("d").sum()
    g = g[(g["y"] > 0) & (g["mu"] > 0)]
    if len(g) < 10:
        return 0.0
    r = np.log(g["y"] / g["mu"])
    return float(max(0.0, r.var() - (g["v"] / g["mu"] ** 2).mean()))


class PromoGLM:
    """Fit on one queue's history; predict mean and quantiles for future timestamps."""

    def __init__(self, fourier_order: int = 3, maxiter: int = 50, engine: str = "statsmodels",
                 pool: bool = True):
        """``engine="statsmodels"`` (default) fits by ``sm.GLM(Poisson).fit(scale="X2")``
        (``self.res_`` holds its results object); ``"sparse"`` by :func:`poisson_irls` (the
        same estimates, faster)."""
        if engine not in ("sparse", "statsmodels"):
            raise ValueError(f"engine must be 'sparse' or 'statsmodels', got {engine!r}")
        self.fourier_order = fourier_order
        self.maxiter = maxiter
        self.engine = engine
        self.res_ = None
        self.spec: DesignSpec | None = None
        self.pool = pool  # partial pooling of event effects (forecast.pooling)
        self.pool_weights: dict[str, float] = {}
        self.key_var: dict[str, float] = {}  # extra log-level variance per pooled key
        self.occ_var = 0.0  # log-level variance of a whole occurrence (see predict)
        self.occ_dof = float("inf")  # degrees of freedom occ_var was estimated from

    # ------------------------------------------------------------------ fit
    def fit(self, ts: pd.Series, y: pd.Series, events: pd.DataFrame | None) -> PromoGLM:
        """``ts`` sorted naive timestamps, ``y`` volume (inquiries per interval)."""
        ts = pd.DatetimeIndex(ts)
        y = np.asarray(y, dtype=float)
        self.res = resolution(pd.Series(ts))
        check_history_span(ts, self.res)
        self.open_mask = open_slots(pd.Series(ts), self.res)
        keep = self.open_mask[slot_of_week(ts, self.res)]
        ts, y = ts[keep], y[keep]
        self.integer = bool(np.allclose(y, np.round(y)))
        self._ts = ts
        self.last_ts = ts[-1]
        self.spec, hits = fit_spec(ts, self.res, self.open_mask, events, self.fourier_order, y)
        x = design(self.spec, ts, hits)
        used = x.any(axis=0)
        used[self.spec.trend_col] = True
        self.used = used
        xu = x[:, used]
        self.cov = None
        if self.engine == "statsmodels":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                glm = sm.GLM(y, xu, family=sm.families.Poisson(), hasconst=False)
                self.res_ = glm.fit(scale="X2", maxiter=self.maxiter)
            self.params = np.asarray(self.res_.params)
            self.cov = np.nan_to_num(np.asarray(self.res_.cov_params()))
        else:
            start = np.zeros(xu.shape[1])
            start[: int(used[: self.spec.n_intercepts].sum())] = np.log(max(float(y.mean()), 1e-6))
            self.params, self._lu, self._scale = poisson_irls(xu, y, start, self.maxiter)
        names = [n for n, u in zip(self.spec.names, used, strict=True) if u]
        self.spec.family_scale = family_scales(self.spec, dict(zip(names, self.params,
                                                                   strict=True)))
        mu = np.exp(np.clip(sparse.csr_matrix(xu) @ self.params, -30, 30))
        ev = np.zeros(len(ts), dtype=bool)
        ev[hits["pos"].to_numpy(dtype=int)] = True
        self.disp_normal = _dispersion(y[~ev], mu[~ev]) if (~ev).sum() else (1.0, 0.0)
        if ev.sum() >= MIN_EVENT_ROWS_FOR_OWN_DISPERSION:
            self.disp_event = _dispersion(y[ev], mu[ev])
        else:
            self.disp_event = self.disp_normal
        self.q_map = None  # calibrated quantile levels of ordinary hours (forecast.calibration)
        if (~ev).sum():
            se2 = self.link_variance(xu[~ev])
            u = pit(y[~ev], mu[~ev], self.disp_normal[0], self.disp_normal[1] + se2, self.integer)
            self.q_map = level_map(u)
        self.occ_var, self.occ_dof = _occurrence_variance(hits, events, y, mu, *self.disp_event)
        if self.pool and not hits.empty:
            self._pool(names, hits, events, y, mu, ev)
        return self

    def _pool(self, names: list[str], hits: pd.DataFrame, events: pd.DataFrame, y: np.ndarray,
              mu: np.ndarray, ev: np.ndarray) -> None:
        """Partial pooling of the event hour effects (:mod:`forecast.pooling`). One
        occurrence's log-level variance: ``occ_var`` when some phase was seen twice, else the
        day-level variance of ordinary days, then divided by the days a phase lasts."""
        occ = events.loc[hits["event_row"].to_numpy(), "occurrence"].to_numpy()
        per_key = pd.DataFrame({"key": hits["key"].to_numpy(), "occ": occ})
        n_occ = per_key.groupby("key")["occ"].nunique()
        hours = per_key.groupby("key").size() / n_occ
        if self.occ_var > 0:
            s2, n_eff = self.occ_var, n_occ
        else:
            s2 = _day_variance(self._ts[~ev], y[~ev], mu[~ev], *self.disp_normal)
            n_eff = n_occ * np.maximum(1.0, hours / 24.0)
        pooled, self.pool_weights = pool_effects(self.hour_effects(), n_eff.to_dict(), s2)
        col_of = np.cumsum(self.used) - 1  # design column -> parameter index
        for key in self.pool_weights:
            seen, cols, m = hour_map(self.spec, key)
            idx = col_of[cols]
            gap = np.array([pooled[key][f] for f in seen]) - m @ self.params[idx]
            self.params[idx] += np.linalg.lstsq(m, gap, rcond=None)[0]
        # log-level variance a future occurrence adds on top of the fit's: the pooled level's
        # own error (w s2 / n) and, without a learned occ_var, that occurrence's deviation
        own = 0.0 if self.occ_var > 0 else 1.0
        self.key_var = {
            k: w * s2 / float(n_eff[k]) + own * s2 / max(1.0, float(hours[k]) / 24.0)
            for k, w in self.pool_weights.items()
        }

    def hour_effects(self) -> dict[str, dict[str, float]]:
        """Learned log effect per known key and hour of day it was seen (``hHH``)."""
        assert self.spec is not None, "fit first"
        names = [n for n, u in zip(self.spec.names, self.used, strict=True) if u]
        return hour_effects(self.spec, dict(zip(names, self.params, strict=True)))

    def link_variance(self, xu: np.ndarray) -> np.ndarray:
        """Variance of the linear predictor x'beta for design rows ``xu`` (used columns)."""
        if len(xu) == 0:
            return np.zeros(0)
        if self.cov is not None:
            return np.sum((xu @ self.cov) * xu, axis=1)
        return self._scale * np.sum(xu * self._lu.solve(np.ascontiguousarray(xu.T)).T, axis=1)

    # -------------------------------------------------------------- predict
    def predict(
        self, ts: pd.DatetimeIndex, events: pd.DataFrame | None, source: str = "events"
    ) -> pd.DataFrame:
        """Mean and variance per timestamp: columns ``timestamp,mu,phi,alpha,event,alpha_occ``
        (variance ``phi*mu + alpha*mu**2``; ``event``: the hour is in an event phase;
        ``alpha_occ``: the part of ``alpha`` that is the occurrence's log-level variance
        estimated from ``occ_dof`` degrees of freedom, see
        :func:`forecast.calibration.level_alpha`)."""
        assert self.spec is not None, "fit first"
        ts = pd.DatetimeIndex(ts)
        hits = event_hits(events, ts).drop_duplicates(["pos", "key"])
        offset = np.zeros(len(ts))
        zero = np.zeros(len(ts), dtype=bool)
        known = hits["key"].isin(self.spec.known_keys).to_numpy()
        unknown = hits[~known]
        use = known.copy()
        if not unknown.empty:
            up = events.loc[unknown["event_row"].to_numpy(), "uplift"].to_numpy(dtype=float)
            pos = unknown["pos"].to_numpy(dtype=int)
            has = ~np.isnan(up)
            np.add.at(offset, pos[has & (up > 0)], np.log(up[has & (up > 0)]))
            zero[pos[has & (up == 0)]] = True
            fams = {k.split("|", 1)[0] for k in self.spec.known_keys}
            can = np.array(
                [k.split("|", 1)[0] in fams and bool(borrowable(self.spec, k))
                 for k in unknown["key"]], dtype=bool,
            )
            use[np.flatnonzero(~known)[~has & can]] = True
            for _, r in unknown[~has].drop_duplicates("key").iterrows():
                e = events.loc[r["event_row"]]
                row = f"row {int(e['row'])}, " if "row" in e else ""
                what = f"{source}: {row}event {e['event']!r} phase {e['phase']!r} has no history"
                if can[unknown.index.get_loc(r.name)]:
                    src = ", ".join(
                        f"{k} ×{self.spec.family_scale.get((e['event'], k.split('|')[0]), 1):.2f}"
                        for k in borrowable(self.spec, r["key"])
                    )
                    msg = f"{what} and no uplift; using the same phase of {src}"
                else:
                    msg = f"{what} and no uplift; forecast without its effect"
                warnings.warn(msg, ForecastWarning, stacklevel=3)
        xu = design(self.spec, ts, hits[use])[:, self.used]
        eta = xu @ self.params
        se2 = self.link_variance(xu)
        mu = np.exp(np.clip(eta + offset, -30, 30))
        mu[zero] = 0.0
        in_ev = np.zeros(len(ts), dtype=bool)
        in_ev[hits["pos"].to_numpy(dtype=int)] = True
        phi = np.where(in_ev, self.disp_event[0], self.disp_normal[0])
        alpha = np.where(in_ev, self.disp_event[1] + self.occ_var, self.disp_normal[1]) + se2
        extra = np.zeros(len(ts))
        if self.key_var:
            kv = hits[use]["key"].map(self.key_var).fillna(0.0).to_numpy(dtype=float)
            np.maximum.at(extra, hits[use]["pos"].to_numpy(dtype=int), kv)
            alpha += extra
        # occ_var and the key_var built from it (both proportional to the estimated s2) carry
        # its estimation error; key_var built from ordinary days' variance (occ_var 0) does not
        alpha_occ = np.where(in_ev, self.occ_var, 0.0) + (extra if self.occ_var > 0 else 0.0)
        return pd.DataFrame({"timestamp": ts, "mu": mu, "phi": phi, "alpha": alpha,
                             "event": in_ev, "alpha_occ": alpha_occ})

    def levels(self, q: float, event: np.ndarray) -> np.ndarray:
        """Quantile level to use per row for nominal level ``q``: calibrated on ordinary hours
        (:mod:`forecast.calibration`), nominal on event hours."""
        return np.where(np.asarray(event, dtype=bool), q, calibrated(q, self.q_map))


def quantiles(
    mu: np.ndarray, phi: np.ndarray, alpha: np.ndarray, q: float | np.ndarray, integer: bool
) -> np.ndarray:
    """Quantile ``q`` of a distribution with mean ``mu`` and variance ``phi*mu + alpha*mu**2``.

    Integer data: negative binomial matched to mean/variance (Poisson when not over-dispersed).
    Fractional data: gamma matched to mean/variance. Always >= 0; mu == 0 gives 0.
    """
    mu = np.asarray(mu, dtype=float)
    var = np.maximum(phi * mu + alpha * mu**2, 1e-12)
    out = np.zeros_like(mu)
    pos = mu > 0
    m, v = mu[pos], var[pos]
    qs = np.broadcast_to(np.asarray(q, dtype=float), mu.shape)[pos]
    if integer:
        od = v > m * (1 + 1e-9)
        r = np.empty_like(m)
        r[od] = stats.nbinom.ppf(qs[od], m[od] ** 2 / (v[od] - m[od]), m[od] / v[od])
        r[~od] = stats.poisson.ppf(qs[~od], m[~od])
    else:
        r = stats.gamma.ppf(qs, m**2 / v, scale=v / m)
    out[pos] = np.nan_to_num(r, nan=0.0)
    return np.maximum(out, 0.0)
