"""Compact bases of the count GLM's design (:mod:`forecast.features`).

* :func:`periodic_spline`: a periodic cubic B-spline over the hour of day, ``df`` basis
  functions with knots every ``24 / df`` hours. The functions sum to 1 at every hour, so a
  phase's coefficients carry its level and its intraday shape together; a phase's hour-of-day
  uplift is then ``df`` numbers instead of 24 (``SPLINE_DF``).
* :class:`WeekLayout`: the ordinary weekly pattern as time-of-day intercepts (one per open slot
  of the day) + a weekend intraday profile (time of day × weekend, where both weekdays and
  weekend days are open) + day-of-week levels (each weekday and weekend day against the first
  open day of its group), about 53 columns for hourly data instead of 168 slot-of-week ones. The
  columns are identifiable by construction (no column is a sum of others), so the fit does not
  lean on a ridge or a pseudo-inverse.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecast.calendar import slot_of_week, slots_per_week

#: basis functions per phase hour-of-day profile (knots every 4 hours); a phase seen on at most
#: this many hours of the day keeps one column per hour instead
SPLINE_DF = 8
WEEKEND = (5, 6)  # Saturday, Sunday (Monday = 0)


def _cubic_bspline(u: np.ndarray) -> np.ndarray:
    """Cardinal cubic B-spline on [0, 4) (0 outside)."""
    u = np.asarray(u, dtype=float)
    out = np.zeros_like(u)
    a = (u >= 0) & (u < 1)
    b = (u >= 1) & (u < 2)
    c = (u >= 2) & (u < 3)
    d = (u >= 3) & (u < 4)
    out[a] = u[a] ** 3 / 6
    out[b] = (-3 * u[b] ** 3 + 12 * u[b] ** 2 - 12 * u[b] + 4) / 6
    out[c] = (3 * u[c] ** 3 - 24 * u[c] ** 2 + 60 * u[c] - 44) / 6
    out[d] = (4 - u[d]) ** 3 / 6
    return out


def periodic_spline(hours: np.ndarray, df: int = SPLINE_DF) -> np.ndarray:
    """Basis values, shape ``(len(hours), df)``, of a periodic cubic B-spline on [0, 24) h.

    Basis ``k`` peaks at hour ``24 k / df``; every row sums to 1 (partition of unity).
    """
    if df < 4:
        raise ValueError("a periodic cubic spline needs at least 4 basis functions")
    step = 24.0 / df
    u = (np.asarray(hours, dtype=float)[:, None] / step - np.arange(df)[None, :] + 2.0) % df
    return _cubic_bspline(u)


@dataclass
class WeekLayout:
    """Columns of the ordinary weekly pattern, learned from the open slots of the week.

    ``day_slots``: slots per day (0 when a day is not a whole number of slots: then one column
    per open slot of the week, the plain slot-of-week one-hot); ``tod``: time-of-day slots with
    an intercept; ``weekend_tod``: time-of-day slots with a weekend shift; ``dow``: days of the
    week (0 = Monday) with a level column.
    """

    day_slots: int
    tod: np.ndarray
    weekend_tod: np.ndarray
    dow: np.ndarray

    @property
    def names(self) -> list[str]:
        return ([f"tod:{k}" for k in self.tod] + [f"weekend:{k}" for k in self.weekend_tod]
                + [f"dow:{d}" for d in self.dow])

    @property
    def size(self) -> int:
        return len(self.tod) + len(self.weekend_tod) + len(self.dow)


def week_layout(open_mask: np.ndarray, res: pd.Timedelta) -> WeekLayout:
    """The weekly columns for a history whose open slots of the week are ``open_mask``."""
    day = pd.Timedelta(days=1)
    if day % res != pd.Timedelta(0):
        empty = np.zeros(0, dtype=np.int64)
        return WeekLayout(0, np.flatnonzero(open_mask), empty, empty)
    per_day = int(day / res)
    grid = np.asarray(open_mask, dtype=bool).reshape(7, per_day)
    open_days = np.flatnonzero(grid.any(axis=1))
    wkend = np.isin(open_days, WEEKEND)
    groups = [g for g in (open_days[~wkend], open_days[wkend]) if len(g)]
    tod = np.flatnonzero(grid.any(axis=0))
    weekend_tod = np.zeros(0, dtype=np.int64)
    if len(groups) == 2:  # a weekend profile is identifiable where both groups are open
        weekend_tod = np.flatnonzero(grid[groups[0]].any(axis=0) & grid[groups[1]].any(axis=0))
    dow = np.array([d for g in groups for d in g[1:]], dtype=np.int64)
    return WeekLayout(per_day, tod, weekend_tod, dow)


def week_block(layout: WeekLayout, ts: pd.DatetimeIndex, res: pd.Timedelta) -> np.ndarray:
    """0/1 columns of ``layout`` for timestamps ``ts`` (rows in closed slots stay 0)."""
    slot = slot_of_week(ts, res)
    x = np.zeros((len(ts), layout.size))
    rows = np.arange(len(ts))
    if layout.day_slots == 0:
        lookup = np.full(slots_per_week(res), -1, dtype=np.int64)
        lookup[layout.tod] = np.arange(len(layout.tod))
        ok = lookup[slot] >= 0
        x[rows[ok], lookup[slot][ok]] = 1.0
        return x
    tod, dow = slot % layout.day_slots, slot // layout.day_slots
    offset = 0
    for ids, mask in ((layout.tod, np.ones(len(ts), dtype=bool)),
                      (layout.weekend_tod, np.isin(dow, WEEKEND))):
        lookup = np.full(layout.day_slots, -1, dtype=np.int64)
        lookup[ids] = offset + np.arange(len(ids))
        col = lookup[tod]
        ok = mask & (col >= 0)
        x[rows[ok], col[ok]] = 1.0
        offset += len(ids)
    lookup = np.full(7, -1, dtype=np.int64)
    lookup[layout.dow] = offset + np.arange(len(layout.dow))
    col = lookup[dow]
    ok = col >= 0
    x[rows[ok], col[ok]] = 1.0
    return x
