"""Seeded synthetic hourly inquiry series with known promotion effects (test helper)."""

from __future__ import annotations

import numpy as np
import pandas as pd

# hour-of-day profile of an ordinary day: night trough, 10:00 and 21:00 peaks, lunch dip
DAY = np.array(
    [0.35, 0.2, 0.12, 0.08, 0.07, 0.08, 0.15, 0.35, 0.7, 1.0, 1.15, 1.1,
     0.9, 0.95, 1.05, 1.05, 1.0, 0.95, 0.9, 1.0, 1.2, 1.3, 1.1, 0.7]
)
WEEKDAY = np.array([1.1, 1.0, 1.0, 1.0, 1.05, 0.9, 0.85])


def double11_events(years: list[int]) -> pd.DataFrame:
    """Double 11 phases per year as validated-frame text columns."""
    rows = []
    for y in years:
        rows += [
            ("double11", "presale", f"{y}-10-24T20:00:00", f"{y}-10-31T23:00:00"),
            ("double11", "deposit_payment", f"{y}-11-01T00:00:00", f"{y}-11-03T23:00:00"),
            ("double11", "peak", f"{y}-11-11T00:00:00", f"{y}-11-11T01:00:00"),
            ("double11", "main", f"{y}-11-11T02:00:00", f"{y}-11-11T23:00:00"),
            ("double11", "tail", f"{y}-11-12T00:00:00", f"{y}-11-18T23:00:00"),
        ]
    return pd.DataFrame(rows, columns=["event", "phase", "start", "end"])


def phase_multiplier(ts: pd.DatetimeIndex, events: pd.DataFrame) -> np.ndarray:
    """True multiplicative effect of the synthetic Double 11 phases (with intraday shapes)."""
    mult = np.ones(len(ts))
    hod = ts.hour.to_numpy()
    shapes = {
        "presale": 2.0 * np.where(hod == 20, 3.0, np.where(hod == 21, 2.0, 1.0)),
        "deposit_payment": np.full(len(ts), 2.5),
        "peak": np.where(hod == 0, 9.0, 6.0),
        "main": 3.0 + 0 * hod,
        "tail": np.full(len(ts), 1.5),
    }
    for _, r in events.iterrows():
        inside = (ts >= pd.Timestamp(r["start"])) & (ts <= pd.Timestamp(r["end"]))
        mult = np.where(inside, shapes[r["phase"]], mult)
    return mult


def make_series(
    start: str = "2024-11-01", end: str = "2026-10-31 23:00", base: float = 60.0,
    events: pd.DataFrame | None = None, alpha: float = 0.02, seed: int = 0,
    multiplier=None,
) -> pd.DataFrame:
    """Hourly NB2 counts: weekly × daily profile, 12 %/yr growth, day-level shocks, events.

    ``events`` uses the Double 11 shapes of :func:`phase_multiplier`; ``multiplier`` is any
    ``f(ts) -> array`` of true multiplicative effects instead.
    """
    rng = np.random.default_rng(seed)
    ts = pd.date_range(start, end, freq="h")
    years = np.asarray((ts - ts[0]) / pd.Timedelta(days=365.25), dtype=float)
    mu = base * DAY[ts.hour] * WEEKDAY[ts.day_of_week] * np.exp(0.12 * years)
    mu *= 1 + 0.08 * np.cos(2 * np.pi * (ts.day_of_year.to_numpy() - 30) / 365.25)
    if events is not None:
        mu *= phase_multiplier(ts, events)
    if multiplier is not None:
        mu *= multiplier(ts)
    day = (ts.normalize() - ts[0].normalize()).days.to_numpy()
    shock = rng.gamma(1 / alpha, alpha, size=day.max() + 1)[day]
    y = rng.poisson(mu * shock)
    return pd.DataFrame({"timestamp": ts, "volume": y.astype(float)})
