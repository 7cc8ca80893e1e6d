"""Forecast vs actual volume and scheduled vs logged-in agents (issue 18 point 3).

``plan_frame`` reads a run directory (docs/contracts.md) and re-aggregates it to the actuals'
interval; ``volume_variance`` and ``staffing_variance`` compare it with the actuals. Units:
inquiries per interval, agents, shares 0–1. Error = forecast - actual (positive = over-forecast).

Notes on the plan's 80 % interval: the hourly bounds are the sums of the 30-minute bounds, exact
when the slots of an hour move together (comonotone) and otherwise somewhat wider than the hourly
quantiles; ``inside_80`` is therefore a slightly generous check.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from scenarios import io
from scenarios.parse import parse_forecast, parse_numeric, parse_timestamps

if TYPE_CHECKING:
    from scenarios.review.actuals import Actuals

ORDINARY = "ordinary"
PLAN_COLUMNS = (
    "timestamp", "forecast_volume", "lower_80", "upper_80", "scheduled_agents",
    "required_agents", "scheduled_heads", "phase",
)


def _run_meta(run_dir: Path) -> tuple[str, int]:
    """Time zone and interval (minutes) of a run from its summary.json (defaults if absent)."""
    path = run_dir / "summary.json"
    try:
        run = json.loads(path.read_text(encoding="utf-8")).get("run", {})
    except (OSError, ValueError) as exc:
        raise io.InputFileError(
            f"{path}: cannot read the run summary ({type(exc).__name__})"
        ) from None
    return str(run.get("timezone") or "Asia/Shanghai"), int(run.get("interval_minutes") or 30)


def _phases(run_dir: Path, stamps: pd.Series, tz: str) -> np.ndarray:
    """Promotion phase of each slot start from events.csv (first matching row), else ordinary."""
    phase = np.full(len(stamps), ORDINARY, dtype=object)
    path = run_dir / "events.csv"
    if not path.exists() or len(path.read_bytes().strip().splitlines()) <= 1:
        return phase  # no events, or the header alone (a run without promotions)
    events = io.read_csv(path, required=("phase", "start", "end"))
    start = parse_timestamps(events["start"], path.name, tz, "start").to_numpy()
    end = parse_timestamps(events["end"], path.name, tz, "end").to_numpy()
    t = stamps.to_numpy()[:, None]
    inside = (t >= start[None, :]) & (t <= end[None, :])
    hit = inside.any(axis=1)
    phase[hit] = events["phase"].astype(str).to_numpy()[inside.argmax(axis=1)[hit]]
    return phase


def _clock(day: pd.Series, text: pd.Series) -> pd.Series:
    return day + pd.to_timedelta(text.str.slice(0, 2).astype(int), unit="h") + pd.to_timedelta(
        text.str.slice(3, 5).astype(int), unit="m"
    )


def scheduled_heads(run_dir: Path, slots: pd.Series, interval_minutes: int) -> np.ndarray:
    """Agents (heads, not efficiency-weighted) on duty and not on break per slot, from the run's
    roster.csv (mean over the slot's minutes); NaN everywhere when there is no roster."""
    path = run_dir / "roster.csv"
    n = len(slots)
    if not path.exists() or n == 0:
        return np.full(n, np.nan)
    roster = io.read_csv(path, required=("shift_start", "shift_end", "breaks"))
    t0 = pd.Timestamp(slots.iloc[0])
    total = n * interval_minutes
    start = pd.to_datetime(roster["shift_start"], format="%Y-%m-%d %H:%M")
    end = pd.to_datetime(roster["shift_end"], format="%Y-%m-%d %H:%M")
    edges, weights = [start, end], [np.ones(len(roster)), -np.ones(len(roster))]
    breaks = roster["breaks"].fillna("").astype(str).str.split(";").explode()
    breaks = breaks[breaks.str.len() >= 11]
    if len(breaks):
        own_start = start.loc[breaks.index]
        day = own_start.dt.normalize()
        b0 = _clock(day, breaks.str.slice(0, 5))
        b0 = b0.where(b0 >= own_start, b0 + pd.Timedelta(days=1))  # after midnight
        b1 = _clock(b0.dt.normalize(), breaks.str.slice(6, 11))
        b1 = b1.where(b1 > b0, b1 + pd.Timedelta(days=1))
        edges += [b0, b1]
        weights += [-np.ones(len(b0)), np.ones(len(b1))]
    minutes = np.concatenate(
        [((pd.DatetimeIndex(e) - t0) // pd.Timedelta(minutes=1)).to_numpy() for e in edges]
    )
    diff = np.zeros(total + 1)
    np.add.at(diff, np.clip(minutes, 0, total), np.concatenate(weights))
    return np.cumsum(diff[:-1]).reshape(n, interval_minutes).mean(axis=1)


def _regrid(frame: pd.DataFrame, plan_minutes: int, interval_minutes: int) -> pd.DataFrame:
    """Plan slots to the actuals' interval: volumes summed, agents averaged, phase of the first
    slot; a finer actuals interval splits each slot's volume evenly."""
    sums = ["forecast_volume", "lower_80", "upper_80"]
    means = ["scheduled_agents", "required_agents", "scheduled_heads"]
    if interval_minutes < plan_minutes:
        if plan_minutes % interval_minutes:
            raise io.InputFileError(
                f"actuals interval {interval_minutes} min does not divide the plan's "
                f"{plan_minutes} min"
            )
        k = plan_minutes // interval_minutes
        out = frame.loc[frame.index.repeat(k)].reset_index(drop=True)
        offset = np.tile(np.arange(k) * interval_minutes, len(frame))
        out["timestamp"] = out["timestamp"] + pd.to_timedelta(offset, unit="m")
        out[sums] = out[sums] / k
        return out
    bucket = frame["timestamp"].dt.floor(f"{interval_minutes}min")
    grouped = frame.groupby(bucket, sort=True)
    out = grouped[sums].sum(min_count=1).join(grouped[means].mean()).join(grouped["phase"].first())
    return out.rename_axis("timestamp").reset_index()


def plan_frame(run_dir: Path, interval_minutes: int) -> pd.DataFrame:
    """The plan of a run directory at the actuals' interval (``interval_minutes``).

    Columns ``PLAN_COLUMNS``: forecast volume and 80 % bounds (inquiries, summed over the slots
    and queues of an interval; bounds NaN when the forecast has none), coverage ``scheduled``
    (agents on duty x efficiency) and ``required`` (agents, mean over the interval), heads on
    duty not on break from roster.csv (mean; NaN without a roster) and the promotion phase
    (events.csv, ``ordinary`` outside every phase).
    """
    run_dir = Path(run_dir)
    tz, plan_minutes = _run_meta(run_dir)
    raw = io.read_csv(run_dir / "forecast.csv", required=("timestamp", "volume"))
    fc = parse_forecast(raw, "forecast.csv", tz)
    bounds = [c for c in ("lower_80", "upper_80") if c in fc]
    fc = fc.groupby("timestamp", as_index=False)[["volume", *bounds]].sum()
    cov_raw = io.read_csv(run_dir / "coverage.csv", required=("timestamp", "required", "scheduled"))
    cov = parse_numeric(cov_raw, "coverage.csv", ["required", "scheduled"])
    cov["timestamp"] = parse_timestamps(cov_raw["timestamp"], "coverage.csv", tz).to_numpy()
    frame = cov[["timestamp", "scheduled", "required"]].merge(fc, on="timestamp", how="left")
    frame = frame.rename(
        columns={
            "volume": "forecast_volume",
            "scheduled": "scheduled_agents",
            "required": "required_agents",
        }
    )
    for column in ("lower_80", "upper_80"):
        if column not in frame:
            frame[column] = np.nan
    frame["forecast_volume"] = frame["forecast_volume"].fillna(0.0)
    frame = frame.sort_values("timestamp").reset_index(drop=True)
    frame["scheduled_heads"] = scheduled_heads(run_dir, frame["timestamp"], plan_minutes)
    frame["phase"] = _phases(run_dir, frame["timestamp"], tz)
    out = _regrid(frame, plan_minutes, interval_minutes)
    return out.loc[:, list(PLAN_COLUMNS)]


def _joined(plan: pd.DataFrame, actuals: Actuals) -> pd.DataFrame:
    acts = actuals.intervals.assign(timestamp=pd.to_datetime(actuals.intervals["timestamp"]))
    left = plan.assign(timestamp=pd.to_datetime(plan["timestamp"]))
    frame = left.merge(acts, on="timestamp", how="inner", suffixes=("", "_actual"))
    return frame.sort_values("timestamp").reset_index(drop=True)


def _phase_row(name: str, part: pd.DataFrame) -> dict:
    actual = float(part["actual"].sum())
    peak = part.loc[part["actual"].idxmax()] if len(part) else None
    bounded = part["inside_80"].dropna()
    return {
        "phase": name,
        "intervals": int(len(part)),
        "forecast": float(part["forecast"].sum()),
        "actual": actual,
        "wape": float(part["abs_error"].sum() / actual) if actual > 0 else np.nan,
        "bias": float(part["error"].sum() / actual) if actual > 0 else np.nan,
        "peak_timestamp": None if peak is None else peak["timestamp"],
        "peak_actual": np.nan if peak is None else float(peak["actual"]),
        "peak_forecast": np.nan if peak is None else float(peak["forecast"]),
        "peak_hour_error": (
            np.nan if peak is None or peak["actual"] <= 0
            else float(peak["error"] / peak["actual"])
        ),
        "inside_80_rate": float(bounded.astype(float).mean()) if len(bounded) else np.nan,
    }


def volume_variance(plan: pd.DataFrame, actuals: Actuals) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Forecast vs actual volume (all inquiries incl. the bot's) per interval and per phase.

    Per interval: ``timestamp, phase, forecast, actual, error`` (forecast - actual),
    ``abs_error, lower_80, upper_80, inside_80`` (actual within the 80 % bounds; NA without
    bounds). Per phase (in order of first appearance) and ``all``: ``phase, intervals, forecast,
    actual, wape`` (sum |error| / sum actual), ``bias`` (sum error / sum actual), the actual peak
    interval ``peak_timestamp, peak_actual, peak_forecast`` and ``peak_hour_error`` ((forecast -
    actual) / actual there), ``inside_80_rate`` (share 0–1). Intervals in only one of the two
    are left out (missing actuals are never read as zero).
    """
    frame = _joined(plan, actuals)
    actual = pd.to_numeric(frame["volume"], errors="coerce")
    frame = frame[actual.notna().to_numpy()].reset_index(drop=True)
    forecast = frame["forecast_volume"].astype(float)
    actual = pd.to_numeric(frame["volume"], errors="coerce").astype(float)
    lower = frame["lower_80"].astype(float) if "lower_80" in frame else np.nan
    upper = frame["upper_80"].astype(float) if "upper_80" in frame else np.nan
    inside = ((actual >= lower) & (actual <= upper)).astype("boolean")
    inside[~(np.isfinite(lower) & np.isfinite(upper))] = pd.NA
    per = pd.DataFrame(
        {
            "timestamp": frame["timestamp"],
            "phase": frame["phase"].fillna(ORDINARY).astype(str),
            "forecast": forecast,
            "actual": actual,
            "error": forecast - actual,
            "abs_error": (forecast - actual).abs(),
            "lower_80": lower,
            "upper_80": upper,
            "inside_80": inside,
        }
    )
    rows = [_phase_row(name, part) for name, part in per.groupby("phase", sort=False)]
    rows.append(_phase_row("all", per))
    return per, pd.DataFrame(rows)


def staffing_variance(plan: pd.DataFrame, actuals: Actuals) -> pd.DataFrame:
    """Scheduled vs logged-in agents per interval.

    ``scheduled``: heads on duty and not on break (plan ``scheduled_heads``; the
    efficiency-weighted ``scheduled_agents`` where the run has no roster heads), comparable with
    ``logged_in`` heads; ``scheduled_effective``: coverage ``scheduled`` (x efficiency);
    ``gap = logged_in - scheduled`` (agents, negative = absent); ``adherence = logged_in /
    scheduled`` (NaN where nothing was scheduled or the export has no logged-in count).
    """
    frame = _joined(plan, actuals)
    heads = frame["scheduled_heads"] if "scheduled_heads" in frame else np.nan
    effective = frame["scheduled_agents"].astype(float)
    scheduled = pd.Series(heads, index=frame.index, dtype=float).fillna(effective)
    logged = pd.to_numeric(frame.get("agents_logged_in"), errors="coerce").astype(float)
    return pd.DataFrame(
        {
            "timestamp": frame["timestamp"],
            "phase": frame["phase"].fillna(ORDINARY).astype(str),
            "scheduled": scheduled,
            "scheduled_effective": effective,
            "logged_in": logged,
            "gap": logged - scheduled,
            "adherence": logged / scheduled.where(scheduled > 0),
        }
    )
