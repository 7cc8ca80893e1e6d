"""Service of a roster *as scheduled*, interval by interval (issue 18 point 2).

The requirement frame says what service the *required* agents would give; this module evaluates
the agents the roster actually puts on duty (coverage ``scheduled`` = agents on duty, not on
break, x efficiency) against the plan's forecast volume with ``scheduler.staffing.
evaluate_staffing`` (shrinkage, bot deflection, concurrency and patience of the scenario). A
14-day volume-weighted average hides the intervals where the roster collapses; the worst
interval, worst day and the share of intervals under target are reported next to it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scheduler.roster.schema import COVERAGE_COLUMNS as COVERAGE_COLUMNS  # for the dashboard
from scheduler.staffing import ServiceParams, evaluate_staffing

#: Columns appended to coverage.csv (shares 0–1, seconds).
SERVICE_COLUMNS = (
    "expected_service_level",
    "expected_three_min_rate",
    "expected_asa_s",
    "expected_abandon_rate",
)


def aligned_volume(requirements: pd.DataFrame, coverage: pd.DataFrame) -> np.ndarray:
    """Forecast inquiries per coverage row (requirements ``volume`` matched on ``timestamp``,
    summed over duplicates such as queues; 0 where the requirements have no row)."""
    stamps = pd.to_datetime(coverage["timestamp"])
    return (
        requirements.assign(timestamp=pd.to_datetime(requirements["timestamp"]))
        .groupby("timestamp")["volume"]
        .sum()
        .reindex(stamps)
        .fillna(0.0)
        .to_numpy(dtype=float)
    )


def coverage_with_service(
    requirements: pd.DataFrame,
    coverage: pd.DataFrame,
    service: ServiceParams,
    interval_minutes: int,
) -> pd.DataFrame:
    """``coverage`` plus ``SERVICE_COLUMNS`` for its ``scheduled`` agents (on duty x efficiency)
    against the requirements' forecast ``volume`` (inquiries per interval), matched on
    ``timestamp``; intervals without a forecast count as zero volume (service 1, ASA 0 s).
    Unstable queues without patience give SL 0 and ASA inf, as in evaluate_staffing."""
    volume = aligned_volume(requirements, coverage)
    frame = pd.DataFrame({"timestamp": pd.to_datetime(coverage["timestamp"]), "volume": volume})
    scheduled = coverage["scheduled"].to_numpy(dtype=float).clip(min=0.0)
    metrics = evaluate_staffing(frame, scheduled, service, interval_minutes, source="coverage")
    out = coverage.copy()
    for column in SERVICE_COLUMNS:
        out[column] = metrics[column].to_numpy(dtype=float)
    return out


def _round(value: float | None, digits: int = 4) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return round(float(value), digits)


def service_extremes(
    frame: pd.DataFrame, volume: np.ndarray, service: ServiceParams
) -> dict:
    """Worst interval, worst day and share of intervals under target of a coverage frame with
    ``SERVICE_COLUMNS`` (``volume`` = forecast inquiries per row, the weights).

    - ``worst_interval``: lowest expected service level among intervals with volume (ties: lower
      3-minute rate, then earlier) — {timestamp, expected_service_level, expected_three_min_rate}.
    - ``worst_day``: the calendar day with the lowest volume-weighted service level —
      {date, expected_service_level}.
    - ``share_intervals_under_target``: share (0–1) of intervals with volume whose service level
      is below ``service.service_level`` (None without that target);
      ``share_intervals_under_three_min_target`` the same for ``three_minute_rate``.
    """
    volume = np.asarray(volume, dtype=float)
    busy = frame.loc[volume > 0].assign(_volume=volume[volume > 0])
    out: dict = {
        "worst_interval": None,
        "worst_day": None,
        "share_intervals_under_target": None,
        "share_intervals_under_three_min_target": None,
    }
    if busy.empty:
        return out
    stamps = pd.to_datetime(busy["timestamp"])
    order = busy.assign(_t=stamps).sort_values(
        ["expected_service_level", "expected_three_min_rate", "_t"], kind="mergesort"
    )
    worst = order.iloc[0]
    out["worst_interval"] = {
        "timestamp": worst["_t"].isoformat(),
        "expected_service_level": _round(worst["expected_service_level"]),
        "expected_three_min_rate": _round(worst["expected_three_min_rate"]),
    }
    weighted = busy.assign(
        _date=stamps.dt.normalize(), _sl=busy["expected_service_level"] * busy["_volume"]
    ).groupby("_date")[["_sl", "_volume"]].sum()
    day_sl = weighted["_sl"] / weighted["_volume"]
    out["worst_day"] = {
        "date": day_sl.idxmin().strftime("%Y-%m-%d"),
        "expected_service_level": _round(day_sl.min()),
    }
    if service.service_level is not None:
        under = busy["expected_service_level"] < service.service_level
        out["share_intervals_under_target"] = _round(under.mean())
    if service.three_minute_rate is not None:
        under = busy["expected_three_min_rate"] < service.three_minute_rate
        out["share_intervals_under_three_min_target"] = _round(under.mean())
    return out
