"""Learning loop: the event's observed phase uplifts as a suggested events.csv for the next plan.

Method (per promotion phase row of the run's events.csv, over the actuals intervals inside it):

- ``baseline``: for each interval, the plan's mean forecast at the same clock time on the
  *reference days* (scenarios/review/breakdowns.py: ordinary days, else the quietest days of the
  horizon) — what the plan expected without the phase; ``B`` = its sum over the phase;
- ``F``, ``A``: forecast and actual volume in the phase (inquiries);
- ``planned_uplift`` = the events.csv ``uplift`` when given, else ``F / B`` (the plan's implied
  multiplier); ``observed_uplift = planned_uplift × A / F`` (= ``A / B`` when implied).

The suggested file keeps the run's rows (event, phase, this event's start/end: shift the dates to
the next occurrence) and puts the observed uplift in ``uplift`` (blank for a phase the actuals do
not reach). peakplan's forecast uses ``uplift`` for a family it has never seen; for a family in
the history, appending the actuals to history.csv teaches the model the same thing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecast.columns import EVENTS_COLUMNS, UPLIFT
from scenarios import io
from scenarios.parse import parse_timestamps

SUGGESTED_COLUMNS = [*EVENTS_COLUMNS, UPLIFT]


def _baseline(per: pd.DataFrame, reference: pd.DatetimeIndex) -> pd.Series:
    """Mean forecast on the reference days at each interval's clock time (inquiries)."""
    clock = per["timestamp"].dt.strftime("%H:%M")
    is_ref = per["timestamp"].dt.normalize().isin(reference)
    profile = per.loc[is_ref].groupby(clock[is_ref])["forecast"].mean()
    return clock.map(profile).astype(float)


def observed_uplifts(events: pd.DataFrame, per: pd.DataFrame,
                     reference: pd.DatetimeIndex) -> pd.DataFrame:
    """Per events row: ``event, phase, start, end, intervals, observed_share`` (share of the
    phase's intervals with actuals), ``forecast, actual, baseline`` (inquiries), ``ratio``
    (actual / forecast), ``planned_uplift, observed_uplift`` (module docstring)."""
    baseline = _baseline(per, reference)
    step = per["timestamp"].diff().median() if len(per) > 1 else pd.Timedelta(hours=1)
    rows = []
    for ev in events.itertuples(index=False):
        inside = ((per["timestamp"] >= ev.start) & (per["timestamp"] <= ev.end)).to_numpy()
        span = max(int((ev.end - ev.start) / step) + 1, 1)
        f = float(per.loc[inside, "forecast"].sum())
        a = float(per.loc[inside, "actual"].sum())
        b = float(baseline[inside].sum())
        given = getattr(ev, "uplift", np.nan)
        planned = float(given) if given == given and given is not None else (
            f / b if b > 0 else np.nan)
        ratio = a / f if f > 0 else np.nan
        rows.append({
            "event": ev.event, "phase": ev.phase, "start": f"{ev.start:%Y-%m-%dT%H:%M}",
            "end": f"{ev.end:%Y-%m-%dT%H:%M}", "intervals": int(inside.sum()),
            "observed_share": min(1.0, inside.sum() / span), "forecast": f, "actual": a,
            "baseline": b, "ratio": ratio, "planned_uplift": planned,
            "observed_uplift": planned * ratio if inside.any() else np.nan,
        })
    return pd.DataFrame(rows)


def read_run_events(run_dir, tz: str) -> pd.DataFrame:
    """The run's events.csv (``event, phase, start, end[, uplift]``) with parsed times."""
    path = run_dir / "events.csv"
    if not path.exists():
        return pd.DataFrame(columns=SUGGESTED_COLUMNS)
    raw = io.read_csv(path, required=EVENTS_COLUMNS) \
        if path.stat().st_size > 0 else pd.DataFrame()
    if raw.empty:
        return pd.DataFrame(columns=SUGGESTED_COLUMNS)
    frame = raw[["event", "phase"]].astype(str).copy()
    frame["start"] = parse_timestamps(raw["start"], path.name, tz, "start").to_numpy()
    frame["end"] = parse_timestamps(raw["end"], path.name, tz, "end").to_numpy()
    frame["uplift"] = pd.to_numeric(raw.get("uplift"), errors="coerce") if "uplift" in raw \
        else np.nan
    return frame


def suggested_events(uplifts: pd.DataFrame) -> pd.DataFrame:
    """events.csv rows for the next plan (:data:`SUGGESTED_COLUMNS`, uplift rounded to 0.01)."""
    if uplifts.empty:
        return pd.DataFrame(columns=SUGGESTED_COLUMNS)
    out = uplifts[list(EVENTS_COLUMNS)].copy()
    out["uplift"] = uplifts["observed_uplift"].round(2)
    return out
