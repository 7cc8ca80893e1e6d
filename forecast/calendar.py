"""Time grid helpers: history resolution, slot-of-week, open-hours inference, future grids.

Open-hours rule (documented contract): a slot of the week (e.g. "Tuesday 08:00" for hourly data)
is *open* when the history has a row in that slot in at least ``OPEN_SHARE`` (50 %) of the weeks
the history spans (first to last timestamp). Forecasts are produced only for open slots; closed
slots are omitted (or filled with zeros on request). Absent rows inside open slots (outages,
holidays) are simply missing from training, never read as zero demand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

OPEN_SHARE = 0.5
_EPOCH = pd.Timestamp("2000-01-03")  # a Monday 00:00
_WEEK = pd.Timedelta(days=7)


def resolution(ts: pd.Series) -> pd.Timedelta:
    """Most common positive step between consecutive timestamps (default 1 hour)."""
    d = pd.Series(ts.sort_values().unique()).diff().dropna()
    d = d[d > pd.Timedelta(0)]
    if d.empty:
        return pd.Timedelta(hours=1)
    step = d.mode().iloc[0]
    if _WEEK % step != pd.Timedelta(0):
        return pd.Timedelta(hours=1)
    return step


def slots_per_week(res: pd.Timedelta) -> int:
    return int(_WEEK / res)


def slot_of_week(ts: pd.Series | pd.DatetimeIndex, res: pd.Timedelta) -> np.ndarray:
    """Integer slot 0..(slots_per_week-1) counted from Monday 00:00."""
    off = (pd.DatetimeIndex(ts) - _EPOCH) // res
    return np.asarray(off, dtype=np.int64) % slots_per_week(res)


def open_slots(ts: pd.Series, res: pd.Timedelta) -> np.ndarray:
    """Boolean mask over slots of the week that count as open (see module docstring)."""
    n = slots_per_week(res)
    ts = pd.Series(pd.DatetimeIndex(ts))
    weeks = max(1.0, (ts.max() - ts.min() + res) / _WEEK)
    counts = np.bincount(slot_of_week(ts, res), minlength=n)
    return counts >= OPEN_SHARE * min(weeks, counts.max() if counts.max() > 0 else 1)


def future_grid(
    start: pd.Timestamp, end: pd.Timestamp, res: pd.Timedelta, is_open: np.ndarray | None
) -> pd.DatetimeIndex:
    """Timestamps aligned to ``res`` (from the epoch) with start <= t <= end, open slots only."""
    first = _EPOCH + -(-(pd.Timestamp(start) - _EPOCH) // res) * res
    grid = pd.date_range(first, pd.Timestamp(end), freq=res)
    if is_open is None or grid.empty:
        return grid
    return grid[is_open[slot_of_week(grid, res)]]
