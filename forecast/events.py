"""Map validated event phases (see :func:`forecast.validate_events`) onto a timestamp index.

A timestamp ``t`` is in a phase when ``start <= t <= end`` (both inclusive). The *key* of a
phase is ``"<event>|<phase>"`` (family × phase, shared by every year's occurrence), which is what
the model learns and carries forward to future occurrences.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

HITS_COLUMNS = ["pos", "key", "hod", "progress", "since", "until", "long", "event_row"]


HOUR_NS = 3_600_000_000_000
#: phases at least this long get opening/closing-hour and progress terms
LONG_PHASE_NS = 2 * 24 * HOUR_NS


def phase_key(event: str, phase: str) -> str:
    return f"{event}|{phase}"


def event_hits(events: pd.DataFrame | None, ts: pd.DatetimeIndex) -> pd.DataFrame:
    """Long frame of (timestamp position, phase key) pairs for a *sorted* timestamp index.

    Columns: ``pos`` (index into ``ts``), ``key``, ``hod`` (hour of day 0..23), ``progress``
    (0 at phase start .. 1 at phase end), ``since``/``until`` (whole hours since the phase
    start / until its end), ``long`` (phase lasts >= 2 days), ``event_row`` (row label in
    ``events``).
    The loop runs over event rows (tens), not over hours.
    """
    if events is None or events.empty or len(ts) == 0:
        return pd.DataFrame({c: [] for c in HITS_COLUMNS}).astype(
            {"pos": int, "key": str, "hod": int, "progress": float, "since": int, "until": int,
             "long": bool, "event_row": int}
        )
    starts = pd.DatetimeIndex(events["start"]).as_unit("ns").asi8
    ends = pd.DatetimeIndex(events["end"]).as_unit("ns").asi8
    values = pd.DatetimeIndex(ts).as_unit("ns").asi8
    lo = np.searchsorted(values, starts, side="left")
    hi = np.searchsorted(values, ends, side="right")
    n = hi - lo
    if n.sum() == 0:
        return event_hits(None, ts)
    rep = np.repeat(np.arange(len(events)), n)
    pos = np.concatenate([np.arange(a, b) for a, b in zip(lo, hi, strict=True)])
    dur = np.maximum(ends - starts, 1).astype(float)
    progress = (values[pos] - starts[rep]) / dur[rep]
    keys = np.array(
        [phase_key(e, p) for e, p in zip(events["event"], events["phase"], strict=True)],
        dtype=object,
    )
    return pd.DataFrame(
        {
            "pos": pos,
            "key": keys[rep],
            "hod": pd.DatetimeIndex(ts)[pos].hour.to_numpy(),
            "progress": np.clip(progress, 0.0, 1.0),
            "since": (values[pos] - starts[rep]) // HOUR_NS,
            "until": (ends[rep] - values[pos]) // HOUR_NS,
            "long": (ends - starts)[rep] >= LONG_PHASE_NS,
            "event_row": np.asarray(events.index)[rep],
        }
    )


def in_event(events: pd.DataFrame | None, ts: pd.DatetimeIndex) -> np.ndarray:
    """Boolean mask: timestamp lies in any event phase."""
    mask = np.zeros(len(ts), dtype=bool)
    hits = event_hits(events, ts)
    mask[hits["pos"].to_numpy(dtype=int)] = True
    return mask
