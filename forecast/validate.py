"""Validation of history.csv and events.csv frames as read from CSV (all columns text).

Every problem raises :class:`ForecastInputError` with a one-line message naming the source, the
1-based CSV row (header = row 1, so frame index ``i`` is row ``i + 2``) and the field, saying what
is wrong without echoing the cell (the file may not be what the user thinks it is).

Timestamps are naive wall-clock time in the campaign's time zone (``tz``, default
Asia/Shanghai); values with a UTC offset are converted to it; years must lie in 2000..2100.

History: ``timestamp,volume[,queue]``; volume is inquiries per interval and may be fractional
(averaged or weighted counts), must be finite, >= 0 and <= MAX_VOLUME (1e7). Absent rows mean
"no data" (closed or outage), never zero.

Events: ``event,phase,start,end[,uplift]``; ``start``/``end`` are inclusive local times. A date-only
``end`` (``2025-11-11``) means the whole day (up to 23:59:59). ``uplift`` is an optional
multiplier (0..MAX_UPLIFT = 1e4) used only when the (event, phase) has no history to learn from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecast.columns import EVENTS_COLUMNS, HISTORY_COLUMNS, UPLIFT
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


#: Default campaign time zone (docs/contracts.md): naive timestamps are wall time there.
DEFAULT_TZ = "Asia/Shanghai"
#: Plausible years of any timestamp in an input file (inclusive).
YEAR_MIN, YEAR_MAX = 2000, 2100
#: Largest plausible volume, inquiries per interval (a whole country's Double 11 peak is less).
MAX_VOLUME = 1e7
#: Largest accepted event uplift multiplier (above it the number cannot be a multiplier).
MAX_UPLIFT = 1e4

# a time of day followed by a UTC offset: ...T10:00Z, ...10:00:00+08:00, ...10:00-0500
_OFFSET = r"\d{2}:\d{2}(?::\d{2}(?:\.\d*)?)?\s*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$"
_YEAR = r"^\s*(\d{4})"


def _first(mask: pd.Series | np.ndarray) -> int:
    """Position of the first True."""
    return int(np.flatnonzero(np.asarray(mask, dtype=bool))[0])


def _years_ok(stamps: pd.Series, source: str, field: str) -> None:
    year = stamps.dt.year
    bad = stamps.notna() & ((year < YEAR_MIN) | (year > YEAR_MAX))
    if bad.any():
        raise row_error(source, _first(bad) + 2, field, f"year outside {YEAR_MIN}..{YEAR_MAX}")


def parse_times(
    col: pd.Series, source: str, field: str, tz: str | None = DEFAULT_TZ
) -> pd.Series:
    """Parse a timestamp column (ISO-8601 text or datetime) to naive local datetime64[ns].

    Times without an offset are wall-clock time in ``tz`` and kept as they are. Times with a UTC
    offset (``Z``, ``+08:00``; different offsets allowed) are converted to ``tz`` (an IANA
    name, e.g. ``Asia/Shanghai``) and the offset dropped. A column mixing times with and
    without an offset, an unparseable or missing time, or a year outside
    ``YEAR_MIN..YEAR_MAX`` raises :class:`ForecastInputError` naming the row; cell values are
    never echoed.
    """
    zone = tz or DEFAULT_TZ
    if pd.api.types.is_datetime64_any_dtype(col):
        out = col
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_convert(zone).dt.tz_localize(None)
    else:
        txt = _text(col)
        aware = txt.str.contains(_OFFSET, regex=True).fillna(False).astype(bool)
        # a date without a time of day is a local date: it carries no offset either way
        filled = ((txt != "") & ~_is_date_only(txt)).to_numpy()
        if aware[filled].any() and not aware[filled].all():
            kinds = aware.to_numpy()[filled]
            most = kinds.sum() * 2 > len(kinds)  # the kind most rows have; the odd one is named
            i = int(np.flatnonzero(filled)[np.flatnonzero(kinds != most)[0]])
            what = "no UTC offset while most times have one" if most else (
                "a UTC offset while most times have none")
            raise row_error(
                source, i + 2, field,
                f"time with {what}; give every time an offset or none",
            )
        out = pd.to_datetime(txt.where((txt != "") & ~aware), format="ISO8601", errors="coerce")
        out = out.astype("datetime64[us]")  # [us]: a year 2300 still parses, then is rejected
        if aware.any():
            conv = pd.to_datetime(txt.where(aware), format="ISO8601", utc=True, errors="coerce")
            conv = conv.dt.tz_convert(zone).dt.tz_localize(None).astype(out.dtype)
            out = out.where(~aware, conv)
        bad = out.isna()
        if bad.any():
            i = _first(bad)
            raw = txt.iloc[i]
            year = pd.Series([raw]).str.extract(_YEAR)[0].iloc[0]
            if raw == "":
                msg = "missing value"
            elif isinstance(year, str) and not YEAR_MIN <= int(year) <= YEAR_MAX:
                msg = f"year outside {YEAR_MIN}..{YEAR_MAX}"
            else:
                msg = "not a date-time (ISO-8601 expected, e.g. 2026-11-11T00:00)"
            raise row_error(source, i + 2, field, msg)
    if out.isna().any():
        raise row_error(source, _first(out.isna()) + 2, field, "missing value")
    _years_ok(out, source, field)
    return out.astype("datetime64[ns]")


def parse_number(
    col: pd.Series, source: str, field: str, allow_missing: bool = False,
    upper: float | None = None,
) -> pd.Series:
    """Parse a numeric column to float: finite, >= 0 and (if given) <= ``upper``.

    Problems raise :class:`ForecastInputError` naming source, row and field and saying what is
    wrong (missing, not a number, infinite, negative, above the limit) without echoing the cell.
    """
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        num = col.astype(float)
        missing = col.isna()
        text_nan = pd.Series(False, index=col.index)
    else:
        raw = _text(col)
        num = pd.to_numeric(raw.where(raw != ""), errors="coerce").astype(float)
        missing = raw == ""
        text_nan = raw.str.lower().isin(["nan", "+nan", "-nan"])
    bad = (num.isna() & ~(missing & allow_missing)) | text_nan
    if bad.any():
        i = _first(bad)
        msg = "missing value" if bool(missing.iloc[i]) else "not a number"
        raise row_error(source, i + 2, field, msg)
    inf = np.isinf(num.fillna(0.0))
    if inf.any():
        raise row_error(source, _first(inf) + 2, field, "infinite value")
    neg = num < 0
    if neg.any():
        raise row_error(source, _first(neg) + 2, field, "negative value")
    if upper is not None:
        big = num > upper
        if big.any():
            msg = f"above the plausible maximum {upper:g}"
            raise row_error(source, _first(big) + 2, field, msg)
    return num


def validate_history(
    df: pd.DataFrame, source: str, tz: str | None = DEFAULT_TZ
) -> pd.DataFrame:
    """Validate and parse a history frame.

    Returns columns ``timestamp`` (datetime64, naive local), ``volume`` (float, inquiries per
    interval) and ``queue`` (str) if present, sorted by queue then timestamp, fresh index.
    Raises :class:`ForecastInputError` for a missing column, empty table, unparseable or
    duplicate timestamp (within one queue), missing/non-numeric/negative/non-finite volume or an
    empty queue name.
    """
    _require_columns(df, source, HISTORY_COLUMNS)
    out = pd.DataFrame({"timestamp": parse_times(df["timestamp"], source, "timestamp", tz)})
    out["volume"] = parse_number(df["volume"], source, "volume", upper=MAX_VOLUME).to_numpy()
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
        where = " within its queue" if "queue" in out else ""
        raise row_error(
            source, i + 2, "timestamp", f"duplicate timestamp{where} (first at row {j + 2})"
        )
    cols = ["timestamp", "queue", "volume"] if "queue" in out else ["timestamp", "volume"]
    return out.sort_values(keys, kind="stable").reset_index(drop=True)[cols]


def _is_date_only(col: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(col):
        return pd.Series(False, index=col.index)
    return _text(col).str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).astype(bool)


def _occurrences(ev: pd.DataFrame) -> np.ndarray:
    """Occurrence id per row of ``ev`` (sorted by event, start): a family's new occurrence starts
    when a phase begins more than ``OCCURRENCE_GAP`` after the family's latest end so far, or
    when a phase already seen in the current occurrence begins again (a bank's catch-up day after
    each holiday, weeks apart, is one occurrence per holiday, not one chain)."""
    ids = np.empty(len(ev), dtype=int)
    occ, fam, last_end, seen = -1, None, pd.NaT, set()
    for i, (event, phase, start, end) in enumerate(
        zip(ev["event"], ev["phase"], ev["start"], ev["end"], strict=True)
    ):
        if event != fam or start - last_end > OCCURRENCE_GAP or phase in seen:
            occ, fam, last_end, seen = occ + 1, event, end, set()
        seen.add(phase)
        last_end = max(last_end, end)
        ids[i] = occ
    return ids


def validate_events(
    df: pd.DataFrame, source: str, tz: str | None = DEFAULT_TZ
) -> pd.DataFrame:
    """Validate and parse an events frame.

    Returns ``event,phase,start,end,uplift,occurrence,row``: ``uplift`` float (NaN = none),
    ``occurrence`` an integer id grouping the phases of one run of a family (phases less than
    60 days apart, no phase twice), ``row`` the CSV row. Raises :class:`ForecastInputError` for
    missing columns or values, unparseable times, ``end`` before ``start``, negative/non-numeric
    uplift and overlapping phases of one event occurrence.
    """
    _require_columns(df, source, EVENTS_COLUMNS)
    out = pd.DataFrame(index=df.index)
    for f in ("event", "phase"):
        t = _text(df[f])
        if (t == "").any():
            i = int(np.flatnonzero((t == "").to_numpy())[0])
            raise row_error(source, i + 2, f, "missing value")
        out[f] = t.astype(str).to_numpy()
    out["start"] = parse_times(df["start"], source, "start", tz).to_numpy()
    end = parse_times(df["end"], source, "end", tz)
    day_end = pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
    out["end"] = end.where(~_is_date_only(df["end"]), end + day_end).to_numpy()
    before = out["end"] < out["start"]
    if before.any():
        i = int(np.flatnonzero(before.to_numpy())[0])
        raise row_error(
            source, i + 2, "end",
            "end is before start",
        )
    if "uplift" in df.columns:
        out["uplift"] = parse_number(
            df["uplift"], source, "uplift", allow_missing=True, upper=MAX_UPLIFT
        ).to_numpy()
    else:
        out["uplift"] = np.nan
    out["row"] = np.arange(len(out)) + 2
    out = out.reset_index(drop=True).sort_values(["event", "start", "row"], kind="stable")
    out["occurrence"] = _occurrences(out)
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
            "phase overlaps another phase of the same event occurrence "
            f"(row {int(min(r['row'], other['row']))})",
        )
    cols = [*EVENTS_COLUMNS, UPLIFT, "occurrence", "row"]
    return out.sort_values(["start", "row"], kind="stable").reset_index(drop=True)[cols]
