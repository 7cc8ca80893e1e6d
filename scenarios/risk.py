"""Forecast risk of a roster as scheduled: simulate volume paths, count how often service misses.

Simulation model (units: inquiries per planning interval, agents, shares 0–1):

* The forecast frame carries, per interval, the predictive mean ``volume`` = mu, variance
  ``var`` and its shared *level* part ``var_level`` (forecast.api.predictive_columns).
  ``a = var_level / mu**2`` is the squared coefficient of variation of the level error and
  ``d = (var - var_level) / mu`` the dispersion of the remaining count noise.
* Level error: one multiplier per path and *scope* — the whole campaign (default) or each
  calendar day — ``M_t = G_t^{-1}(U)`` with ``G_t`` the gamma distribution of mean 1 and variance
  ``a_t`` and one uniform ``U`` shared by every interval of the scope (a comonotone copula: the
  whole level is high or low together, each interval with its own spread). Campaign scope is the
  default because the level error is mostly *occurrence* variance (this year's Double 11 is
  bigger or smaller as a whole) and parameter uncertainty (one estimated phase effect used for all
  its hours); both are campaign-wide. Day scope draws days independently (less risk on campaign
  totals, about the same on one day); benchmarks/results/risk.md reports both.
* Given ``M``, each interval is independent: mean ``mu*M``, variance ``d*mu*M`` — negative
  binomial (Poisson–gamma counts) for ``d > 1``, Poisson for ``d == 1``, gamma for ``0 < d < 1``,
  exactly ``mu*M`` for ``d == 0``. Hence per interval the mean is ``mu`` and the variance
  ``d*mu + a*mu**2 = var`` exactly; with ``U`` shared, ``Var(sum of a scope) = sum(d*mu) +
  (sum sqrt(var_level))**2`` when ``a`` is constant in the scope.
* Queues of one timestamp are summed: means and count-noise variances add, level parts are taken
  fully correlated (``(sum of sqrt(var_level))**2``, conservative).
* Service per path and interval: the roster's ``scheduled`` agents (on duty x efficiency, from
  coverage.csv) against the path's volume with the scenario's Erlang A/C with chat concurrency,
  shrinkage and bot deflection — the same formulas as scenarios.scheduled_service. Each interval
  is stationary (no backlog carried over), as there.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import special

from scenarios import io
from scheduler.staffing import ServiceParams, agent_metrics, human_volume, slot_load
from scheduler.staffing.concurrency import THREE_MINUTES_S

LEVEL_SCOPES = ("campaign", "day")
#: Path x interval cells evaluated at once (memory of the Erlang arrays stays ~100 MB).
CHUNK_CELLS = 400_000
PREDICTIVE_COLUMNS = ("var", "var_level")


@dataclass(frozen=True)
class Predictive:
    """Per-interval predictive moments on the roster's grid (length T arrays)."""

    timestamps: pd.DatetimeIndex
    mean: np.ndarray  # inquiries per interval
    var: np.ndarray  # inquiries², total predictive variance
    var_level: np.ndarray  # inquiries², shared level part (<= var)

    @property
    def day_index(self) -> np.ndarray:
        """Calendar day number (0..D-1) of each interval."""
        days = self.timestamps.normalize()
        return pd.factorize(days, sort=True)[0]


def predictive_from_forecast(
    forecast: pd.DataFrame, timestamps: pd.DatetimeIndex | None = None,
    source: str = "forecast.csv",
) -> Predictive:
    """Moments per timestamp from a forecast frame with ``timestamp,volume,var,var_level``
    (optionally ``queue``; queues summed as in the module docstring), reindexed to
    ``timestamps`` with 0 where the forecast has no row (closed intervals).

    Raises:
        scenarios.io.InputFileError: missing column, or a value that is not finite, negative, or
            ``var_level > var`` (one line naming ``source``, row and field).
    """
    for column in ("timestamp", "volume", *PREDICTIVE_COLUMNS):
        if column not in forecast.columns:
            hint = " (made before forecast risk; rerun the plan)" if column in (
                PREDICTIVE_COLUMNS) else ""
            raise io.InputFileError(f"{source}: missing column '{column}'{hint}")
    values = {}
    for column in ("volume", *PREDICTIVE_COLUMNS):
        v = pd.to_numeric(forecast[column], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(v) | (v < 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise io.InputFileError(
                f"{source}: row {i + 2}, field '{column}': not a finite number >= 0"
            )
        values[column] = v
    over = values["var_level"] > values["var"] * (1 + 1e-9) + 1e-12
    if over.any():
        i = int(np.flatnonzero(over)[0])
        raise io.InputFileError(f"{source}: row {i + 2}, field 'var_level': larger than var")
    frame = pd.DataFrame({
        "timestamp": pd.to_datetime(forecast["timestamp"]).to_numpy(),
        "mean": values["volume"],
        "noise": values["var"] - values["var_level"],
        "sd_level": np.sqrt(values["var_level"]),
    }).groupby("timestamp").sum()
    if timestamps is not None:
        frame = frame.reindex(pd.DatetimeIndex(timestamps), fill_value=0.0)
    return Predictive(
        timestamps=pd.DatetimeIndex(frame.index),
        mean=frame["mean"].to_numpy(),
        var=(frame["noise"] + frame["sd_level"] ** 2).to_numpy(),
        var_level=(frame["sd_level"] ** 2).to_numpy(),
    )


def level_multipliers(
    pred: Predictive, n_paths: int, rng: np.random.Generator, scope: str = "campaign"
) -> np.ndarray:
    """Level multiplier per path and interval (N x T, mean 1, variance ``var_level/mean**2``),
    one shared uniform per path (``campaign``) or per path and day (``day``)."""
    if scope not in LEVEL_SCOPES:
        raise ValueError(f"level scope must be one of {LEVEL_SCOPES}, got {scope!r}")
    safe = np.where(pred.mean > 0, pred.mean, 1.0)
    a = np.where(pred.mean > 0, pred.var_level / safe**2, 0.0)
    if scope == "campaign":
        u = np.broadcast_to(rng.random((n_paths, 1)), (n_paths, len(a)))
    else:
        u = rng.random((n_paths, int(pred.day_index.max(initial=-1)) + 1))[:, pred.day_index]
    shared = a > 1e-12
    out = np.ones((n_paths, len(a)))
    k = 1.0 / a[shared]
    out[:, shared] = special.gammaincinv(k, u[:, shared]) / k
    return out


def simulate_volume(
    pred: Predictive, n_paths: int, rng: np.random.Generator, scope: str = "campaign"
) -> np.ndarray:
    """``n_paths`` volume paths (N x T, inquiries per interval) from the predictive
    distribution (model in the module docstring); per interval mean ``pred.mean`` and variance
    ``pred.var``."""
    if n_paths < 1:
        raise ValueError("n_paths must be >= 1")
    level = pred.mean * level_multipliers(pred, n_paths, rng, scope)
    safe = np.where(pred.mean > 0, pred.mean, 1.0)
    d = np.where(pred.mean > 0, (pred.var - pred.var_level) / safe, 0.0)
    d = np.broadcast_to(d, level.shape)
    out = level.copy()  # d == 0: no count noise
    nb = d > 1.0 + 1e-9
    rate = level.copy()
    rate[nb] = rng.gamma(level[nb] / (d[nb] - 1.0), d[nb] - 1.0)  # Poisson-gamma = NB
    counts = nb | (np.abs(d - 1.0) <= 1e-9)
    out[counts] = rng.poisson(rate[counts])
    under = (d > 1e-12) & ~counts
    out[under] = rng.gamma(level[under] / d[under], d[under])
    return out


def path_service(
    volume: np.ndarray, scheduled: np.ndarray, service: ServiceParams, interval_minutes: int
) -> tuple[np.ndarray, np.ndarray]:
    """Service level within ``service.target_seconds`` and 3-minute rate (shares, N x T) of
    ``scheduled`` agents (on duty x efficiency, length T) for each volume path (N x T,
    inquiries per interval); shrinkage and bot deflection applied as in evaluate_staffing.
    Evaluated in chunks of paths (:data:`CHUNK_CELLS`)."""
    volume = np.atleast_2d(np.asarray(volume, dtype=float))
    productive = np.clip(np.asarray(scheduled, dtype=float), 0.0, None) * (1 - service.shrinkage)
    sl = np.empty_like(volume)
    three = np.empty_like(volume)
    step = max(1, CHUNK_CELLS // max(volume.shape[1], 1))
    for lo in range(0, volume.shape[0], step):
        part = volume[lo:lo + step]
        load = slot_load(human_volume(part, service), service, interval_minutes)
        m = agent_metrics(np.broadcast_to(productive, part.shape), load, service)
        sl[lo:lo + step] = m.service_level[float(service.target_seconds)]
        three[lo:lo + step] = m.service_level[THREE_MINUTES_S]
    return sl, three


def _weighted(values: np.ndarray, weights: np.ndarray, groups: np.ndarray | None = None):
    """Volume-weighted mean per path (N) or per path and group (N x G); 1 where no volume."""
    if groups is None:
        num, den = (values * weights).sum(axis=1), weights.sum(axis=1)
    else:
        onehot = np.eye(int(groups.max()) + 1)[groups]  # T x G
        num, den = (values * weights) @ onehot, weights @ onehot
    return np.where(den > 0, num / np.where(den > 0, den, 1.0), 1.0)


def _quantile(values: np.ndarray, q: float) -> float:
    return round(float(np.quantile(values, q)), 4)


def risk_figures(
    pred: Predictive, scheduled: np.ndarray, service: ServiceParams, interval_minutes: int, *,
    n_paths: int = 1000, seed: int = 0, scope: str = "campaign",
) -> dict:
    """Campaign-level outcomes of a roster over ``n_paths`` simulated volume paths.

    Per path: volume-weighted service level and 3-minute rate over the horizon and per day
    (weights = the path's volume), intervals with volume under the service-level target. Returns
    shares 0–1 and counts: ``p_miss`` (horizon service level < ``service.service_level``),
    ``p_any_day_miss``, ``p_peak_day_miss`` (the day with the highest mean forecast),
    ``p_three_min_miss`` (horizon 3-minute rate < ``three_minute_rate``), ``sl_p5/p50/p95``,
    ``three_min_p50``, ``expected_short_intervals`` (mean count per path) and
    ``share_short_intervals``. Probabilities are None without the matching target. The same
    ``seed`` gives the same volume paths for every roster on the same grid (paired comparison).
    """
    rng = np.random.default_rng(seed)
    volume = simulate_volume(pred, n_paths, rng, scope)
    sl, three = path_service(volume, scheduled, service, interval_minutes)
    days = pred.day_index
    sl_path = _weighted(sl, volume)
    three_path = _weighted(three, volume)
    sl_day = _weighted(sl, volume, days)
    day_mean = np.bincount(days, weights=pred.mean)
    peak = int(np.argmax(day_mean)) if day_mean.size else 0
    target, three_target = service.service_level, service.three_minute_rate
    busy = volume > 0

    def prob(hit: np.ndarray) -> float:
        return round(float(np.mean(hit)), 4)

    short = (busy & (sl < target)).sum(axis=1) if target is not None else None
    return {
        "paths": n_paths,
        "risk_seed": seed,
        "level_scope": scope,
        "volume_mean": round(float(pred.mean.sum()), 1),
        "volume_p95": _quantile(volume.sum(axis=1), 0.95),
        "p_miss": None if target is None else prob(sl_path < target),
        "p_any_day_miss": None if target is None else prob((sl_day < target).any(axis=1)),
        "peak_day": pd.Timestamp(pred.timestamps.normalize().unique().sort_values()[peak])
        .strftime("%Y-%m-%d") if day_mean.size else None,
        "p_peak_day_miss": None if target is None else prob(sl_day[:, peak] < target),
        "p_three_min_miss": None if three_target is None else prob(three_path < three_target),
        "sl_p5": _quantile(sl_path, 0.05),
        "sl_p50": _quantile(sl_path, 0.50),
        "sl_p95": _quantile(sl_path, 0.95),
        "three_min_p50": _quantile(three_path, 0.50),
        "expected_short_intervals": None if short is None else round(float(short.mean()), 2),
        "share_short_intervals": None if short is None else round(
            float(short.sum() / max(busy.sum(), 1)), 4),
    }


def run_risk(
    run_dir: str | Path, service: ServiceParams, *, n_paths: int = 1000, seed: int = 0,
    scope: str = "campaign", fallback: Callable[[], pd.DataFrame] | None = None,
) -> dict:
    """:func:`risk_figures` of a run directory's roster (coverage.csv ``scheduled``) against its
    forecast.csv moments, plus the plan's cost from summary.json: ``wages_cny`` and
    ``objective_cny`` (CNY), ``temp_headcount`` and ``short_agent_hours`` (agent-hours the
    roster leaves unmet against its own requirement). A forecast.csv without ``var``/
    ``var_level`` (a run made before they were written) uses ``fallback()`` (e.g.
    :func:`scenario_forecast`) after checking that it has the run's volume."""
    run_dir = Path(run_dir)
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    coverage = io.read_csv(run_dir / "coverage.csv", required=("timestamp", "scheduled"))
    stamps = pd.DatetimeIndex(pd.to_datetime(coverage["timestamp"]))
    source = f"{run_dir.name}/forecast.csv"
    forecast = io.read_csv(run_dir / "forecast.csv", required=("timestamp", "volume"))
    if fallback is not None and not set(PREDICTIVE_COLUMNS).issubset(forecast.columns):
        frame = fallback()
        check_same_forecast(forecast, frame, source)
        forecast = frame
    pred = predictive_from_forecast(forecast, stamps, source)
    scheduled = pd.to_numeric(coverage["scheduled"], errors="coerce").to_numpy(dtype=float)
    if not np.isfinite(scheduled).all():
        i = int(np.flatnonzero(~np.isfinite(scheduled))[0])
        raise io.InputFileError(f"coverage.csv: row {i + 2}, field 'scheduled': not a number")
    interval = int(summary["run"]["interval_minutes"])
    figures = risk_figures(pred, scheduled, service, interval, n_paths=n_paths, seed=seed,
                           scope=scope)
    return {
        "wages_cny": summary["cost_cny"]["wages_total"],
        "objective_cny": summary["cost_cny"]["objective_total"],
        "temp_headcount": summary["headcount"]["temporary"],
        "short_agent_hours": summary["hours"]["short_agent_hours"],
        **figures,
    }


def scenario_forecast(scenario) -> pd.DataFrame:
    """The plan's forecast frame *with* ``var`` and ``var_level``, computed as
    scenarios.pipeline.prepare_plan does (same history, events, training cut-off, interval;
    ``volume_scale`` applied: volume and bounds x scale, variances x scale²) — for runs whose
    forecast.csv lacks the predictive columns. Deterministic: the same ``volume`` as the run."""
    import warnings

    import forecast as fc_api
    from scenarios import pipeline

    tz = scenario.campaign.timezone
    history = pipeline.load_history(scenario.forecast.history, tz)
    events = pipeline.load_events(scenario.forecast.events, tz)
    slots = scenario.campaign.slot_starts()
    train_end = scenario.forecast.train_end or pipeline._default_train_end(scenario, history)
    history = pipeline.training_history(history, train_end, scenario.forecast.history.name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = fc_api.forecast_volume(
            history, events, pd.Timestamp(slots[0]), pd.Timestamp(slots[-1]),
            levels=scenario.forecast.levels, interval_minutes=scenario.campaign.interval_minutes,
            predictive=True,
        )
    scale = float(scenario.forecast.volume_scale)
    for column in frame.columns:
        if column == "volume" or str(column).startswith(("lower_", "upper_")):
            frame[column] = frame[column] * scale
        elif column in PREDICTIVE_COLUMNS:
            frame[column] = frame[column] * scale**2
    return frame


def check_same_forecast(run_forecast: pd.DataFrame, frame: pd.DataFrame, source: str) -> None:
    """Raise InputFileError unless ``frame`` forecasts the same total volume per timestamp as the
    run's forecast.csv (within 1e-6 relative): the moments belong to the plan's forecast."""
    def per_stamp(f: pd.DataFrame) -> pd.Series:
        volume = pd.to_numeric(f["volume"], errors="coerce")
        return volume.groupby(pd.to_datetime(f["timestamp"]).to_numpy()).sum()

    a, b = per_stamp(run_forecast), per_stamp(frame)
    b = b.reindex(a.index)
    if len(a) != len(b) or not np.allclose(a.to_numpy(), b.to_numpy(), rtol=1e-6, atol=1e-6):
        raise io.InputFileError(
            f"{source}: its volume differs from the scenario's forecast now (data changed "
            "since the run?); rerun the plan"
        )
