"""Validation of history.csv and events.csv frames as read from CSV (all columns text).

Every problem raises :class:`ForecastInputError` with a one-line message naming the source, the
1-based CSV row (header = row 1, so frame index ``i`` is row ``i + 2``) and the field.

History: ``timestamp,volume[,queue]``; volume is inquiries per interval and may be fractional
(averaged or weighted counts), must be finite and >= 0. Absent rows mean "no data" (closed or
outage), never zero.

Events: ``event,phase,start,end[,uplift]``; ``start``/``end`` are inclusive local times. A date-only
``end`` (``2025-11-11``) means the whole day (up to 23:59:59). ``uplift`` is an optional
multiplier (>= 0) used only when the (event, phase) has no history to learn from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecast.errors import row_error

#: Gap between phases of one event family that starts a new occurrence (e.g. next year's).
OCCURRENCE_GAP = pd.Timedelta(days=60)


def _text(col: pd.Series) -> pd.Series:
    """Column as stripped strings ('' for missing)."""
    return col.astype("string").fillna("").str.strip()


def _require_columns(df: pd.DataFrame, source: str, cols: tuple[str, ...]) -> None:
    if not isinstance(df, pd.DataFrame):
        raise row_error(source, None, None, "expected a table")
    for c in cols:
        if c not in df.columns:
            raise row_error(source, 1, c, "missing column")
    if len(df) == 0:
        raise row_error(source, None, None, "no data rows")


def parse_times(col: pd.Series, source: str, field: str) -> pd.Series:
    """Parse a timestamp column (ISO-8601 text or datetime) to naive datetime64[ns]."""
    if pd.api.types.is_datetime64_any_dtype(col):
        out = col
    else:
        txt = _text(col)
        out = pd.to_datetime(txt.where(txt != ""), format="ISO8601", errors="coerce")
        bad = out.isna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raw = txt.iloc[i]
            msg = "missing value" if raw == "" else f"unparseable timestamp {raw!r}"
            raise row_error(source, i + 2, field, msg)
    if getattr(out.dt, "tz", None) is not None:
        out = out.dt.tz_localize(None)
    if out.isna().any():
        i = int(np.flatnonzero(out.isna().to_numpy())[0])
        raise row_error(source, i + 2, field, "missing value")
    return out.astype("datetime64[ns]")


def _parse_number(col: pd.Series, source: str, field: str, allow_missing: bool) -> pd.Series:
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        num = col.astype(float)
        raw = col.astype("string").fillna("")
        missing = col.isna()
    else:
        raw = _text(col)
        num = pd.to_numeric(raw.where(raw != ""), errors="coerce").astype(float)
        missing = raw == ""
    bad = num.isna() & ~(missing & allow_missing)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        msg = "missing value" if bool(missing.iloc[i]) else f"non-numeric value {raw.iloc[i]!r}"
        raise row_error(source, i + 2, field, msg)
    inf = ~np.isfinite(num.fillna(0.0))
    if inf.any():
        i = int(np.flatnonzero(inf.to_numpy())[0])
        raise row_error(source, i + 2, field, f"non-finite value {raw.iloc[i]!r}")
    neg = num < 0
    if neg.any():
        i = int(np.flatnonzero(neg.to_numpy())[0])
        raise row_error(source, i + 2, field, f"negative value {num.iloc[i]:g}")
    return num


def validate_history(df: pd.DataFrame, source: str) -> pd.DataFrame:
    """Validate and parse a history frame.

    Returns columns ``timestamp`` (datetime64, naive local), ``volume`` (float, inquiries per
    interval) and ``queue`` (str) if present, sorted by queue then timestamp, fresh index.
    Raises :class:`ForecastInputError` for a missing column, empty table, unparseable or
    duplicate timestamp (within one queue), missing/non-numeric/negative/non-finite volume or an
    empty queue name.
    """
    _require_columns(df, source, ("timestamp", "volume"))
    out = pd.DataFrame({"timestamp": parse_times(df["timestamp"], source, "timestamp")})
    out["volume"] = _parse_number(df["volume"], source, "volume", allow_missing=False).to_numpy()
    keys = ["timestamp"]
    if "queue" in df.columns:
        q = _text(df["queue"])
        if (q == "").any():
            i = int(np.flatnonzero((q == "").to_numpy())[0])
            raise row_error(source, i + 2, "queue", "missing value")
        out["queue"] = q.astype(str).to_numpy()
        keys = ["queue", "timestamp"]
    dup = out.duplicated(keys, keep="first")
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        first = out[keys].eq(out.loc[i, keys]).all(axis=1)
        j = int(np.flatnonzero(first.to_numpy())[0])
        ts = out["timestamp"].iloc[i].isoformat()
        where = f" in queue {out['queue'].iloc[i]!r}" if "queue" in out else ""
        raise row_error(
            source, i + 2, "timestamp", f"duplicate timestamp {ts}{where} (first at row {j + 2})"
        )
    cols = ["timestamp", "queue", "volume"] if "queue" in out else ["timestamp", "volume"]
    return out.sort_values(keys, kind="stable").reset_index(drop=True)[cols]


def _is_date_only(col: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(col):
        return pd.Series(False, index=col.index)
    return _text(col).str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).astype(bool)


def validate_events(df: pd.DataFrame, source: str) -> pd.DataFrame:
    """Validate and parse an events frame.

    Returns ``event,phase,start,end,uplift,occurrence,row``: ``uplift`` float (NaN = none),
    ``occurrence`` an integer id grouping the phases of one run of a family (phases less than
    60 days apart), ``row`` the CSV row. Raises :class:`ForecastInputError` for missing columns or
    values, unparseable times, ``end`` before ``start``, negative/non-numeric uplift and
    overlapping phases of one event occurrence.
    """
    _require_columns(df, source, ("event", "phase", "start", "end"))
    out = pd.DataFrame(index=df.index)
    for f in ("event", "phase"):
        t = _text(df[f])
        if (t == "").any():
            i = int(np.flatnonzero((t == "").to_numpy())[0])
            raise row_error(source, i + 2, f, "missing value")
        out[f] = t.astype(str).to_numpy()
    out["start"] = parse_times(df["start"], source, "start").to_numpy()
    end = parse_times(df["end"], source, "end")
    day_end = pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
    out["end"] = end.where(~_is_date_only(df["end"]), end + day_end).to_numpy()
    before = out["end"] < out["start"]
    if before.any():
        i = int(np.flatnonzero(before.to_numpy())[0])
        raise row_error(
            source, i + 2, "end",
            f"end {out['end'].iloc[i].isoformat()} is before start "
            f"{out['start'].iloc[i].isoformat()}",
        )
    if "uplift" in df.columns:
        out["uplift"] = _parse_number(df["uplift"], source, "uplift", allow_missing=True).to_numpy()
    else:
        out["uplift"] = np.nan
    out["row"] = np.arange(len(out)) + 2
    out = out.reset_index(drop=True).sort_values(["event", "start", "row"], kind="stable")
    # occurrence: a new one starts when a phase begins > OCCURRENCE_GAP after the family's
    # latest end so far
    prev_end = out.groupby("event")["end"].transform(lambda s: s.cummax().shift())
    new_occ = prev_end.isna() | (out["start"] - prev_end > OCCURRENCE_GAP)
    out["occurrence"] = new_occ.cumsum().astype(int) - 1
    # overlapping phases within one occurrence: start <= running max end of earlier phases
    overlap = out["start"] <= out.groupby("occurrence")["end"].transform(
        lambda s: s.cummax().shift()
    )
    if overlap.any():
        k = out.index[overlap.to_numpy()][0]
        r = out.loc[k]
        earlier = out[(out["occurrence"] == r["occurrence"]) & (out["end"] >= r["start"])]
        other = earlier[earlier["row"] != r["row"]].iloc[0]
        raise row_error(
            source, int(max(r["row"], other["row"])), "start",
            f"phase {r['phase']!r} of event {r['event']!r} overlaps phase {other['phase']!r} "
            f"(row {int(min(r['row'], other['row']))})",
        )
    cols = ["event", "phase", "start", "end", "uplift", "occurrence", "row"]
    return out.sort_values(["start", "row"], kind="stable").reset_index(drop=True)[cols]
