"""Read what actually happened in a campaign from a shop back-end's export (the review's input).

A folder holds ``hourly.csv`` (or ``intervals.csv``: hourly or 30-minute rows), and optionally
``question_types.csv`` and ``agents.csv``; an absent optional file gives an empty frame.
Files are decoded by :func:`scenarios.io.read_csv` (UTF-8, UTF-8-BOM, GBK or Big5), headers are
mapped through :mod:`scenarios.review.headers` (Chinese or English; see ``docs/actuals.md``).

Values: counts are finite and >= 0, rates are shares 0–1 written ``0.95`` or ``95%``, seconds
are >= 0 (a trailing ``秒``/``s`` is allowed), CSAT is 1–5; ``1,234`` thousands separators are
accepted. Empty cells are NaN in optional columns and an error in required ones. Timestamps
follow :func:`forecast.validate.parse_times`: naive = local wall time in ``tz``, UTC offsets
are converted, a mix is refused.

Every problem is one :class:`~scenarios.io.InputFileError` line naming the file, the CSV row
(header = row 1, frame index ``i`` is row ``i + 2``) and the field as the file names it, never
echoing a cell. Refused: a missing column, a duplicate key (timestamp; timestamp and question
type; date and agent), negative or non-finite numbers, a rate outside 0–1, a time off the
half-hour grid, a whole day without rows inside the file's span (the export is incomplete).
Single intervals missing inside the span are reported in :attr:`Actuals.missing_intervals`,
never filled with zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from forecast.errors import ForecastInputError
from forecast.validate import DEFAULT_TZ, MAX_VOLUME, parse_number, parse_times
from scenarios.io import InputFileError, read_csv
from scenarios.review.headers import COLUMNS, FIELDS, match_headers

__all__ = ["Actuals", "load_actuals", "INTERVAL_FILES"]

#: Accepted names of the interval file (exactly one must exist).
INTERVAL_FILES = ("hourly.csv", "intervals.csv")
_UPPER = {"count": MAX_VOLUME, "seconds": 86_400.0, "agents": 1e5, "hours": 24.0, "rate": 1.0,
          "score": 5.0}
_HOUR_RE = r"^\s*(\d{1,2})(?::(\d{2}))?\s*(?:点|時|时)?\s*(?:[-~–—至].*)?$"


@dataclass(frozen=True, eq=False)
class Actuals:
    """What happened: per interval, per question type and per agent (see docs/contracts.md).

    ``intervals``: timestamp (naive local), volume, handled_by_bot (counts), handle_s,
    first_response_s, avg_response_s (seconds), three_min_rate (share 0–1), timeout_chats,
    abandoned_chats (counts), agents_logged_in (agents), fcr (share), csat (1–5), conversion
    (share); floats, NaN where the export lacks a column. ``question_types``: timestamp,
    question_type, volume, first_response_s, avg_response_s, bot_resolved_share, timeout_chats,
    fcr, csat, conversion. ``agents``: date (midnight), agent_id (str), handled_chats,
    avg_response_s, csat, hours. ``interval_minutes``: 60 or 30. ``missing_intervals``: interval
    starts absent inside the span. ``source``: the folder's name.
    """

    intervals: pd.DataFrame
    question_types: pd.DataFrame
    agents: pd.DataFrame
    interval_minutes: int
    missing_intervals: tuple
    source: str


def _fail(source: str, row: int, field: str, message: str) -> InputFileError:
    """``source: row N, field 'F': message`` (row = CSV row, header = 1; F as the file names it)."""
    return InputFileError(f"{source}: row {row}, field '{field}': {message}")


def _first(mask: np.ndarray | pd.Series) -> int:
    return int(np.flatnonzero(np.asarray(mask, dtype=bool))[0])


def _numbers(col: pd.Series, source: str, header: str, kind: str, required: bool) -> np.ndarray:
    """Parse one numeric column of text to float (see the module docstring for the rules)."""
    txt = col.astype("string").fillna("").str.strip().str.replace("％", "%", regex=False)
    pct = txt.str.endswith("%").to_numpy(dtype=bool)
    if pct.any() and kind != "rate":
        raise _fail(source, _first(pct) + 2, header, "not a number")
    body = txt.str.removesuffix("%").str.strip()
    if kind == "seconds":
        body = body.str.replace(r"\s*(?:秒|s|S)$", "", regex=True)
    grouped = body.str.fullmatch(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?").fillna(False).astype(bool)
    body = body.where(~grouped, body.str.replace(",", "", regex=False))
    # "96.37%" -> "96.37e-2": parsed exactly like "0.9637" (no rounding from a division)
    body = body.where(~pct | (body == ""), body + "e-2")
    try:
        num = parse_number(body, source, header, allow_missing=not required).to_numpy()
    except ForecastInputError as exc:
        raise InputFileError(str(exc)) from None
    if kind == "score":
        bad = (num < 1.0) | (num > 5.0)
        if bad.any():
            raise _fail(source, _first(bad) + 2, header, "CSAT outside 1–5")
    elif kind == "rate":
        bad = num > 1.0
        if bad.any():
            raise _fail(source, _first(bad) + 2, header,
                        "rate outside 0–1 (write a share as 0.95 or 95%)")
    elif (num > _UPPER[kind]).any():
        row = _first(num > _UPPER[kind]) + 2
        raise _fail(source, row, header, f"above the plausible maximum {_UPPER[kind]:g}")
    return num.astype(float)


def _text(col: pd.Series, source: str, header: str) -> pd.Series:
    txt = col.astype("string").fillna("").str.strip()
    if (txt == "").any():
        raise _fail(source, _first(txt == "") + 2, header, "missing value")
    return txt.astype(str)


def _times(frame: pd.DataFrame, cols: dict[str, str], source: str, tz: str) -> pd.Series:
    """``timestamp`` (or ``date`` + ``hour``) as naive local datetime64[ns]."""
    day_field = "timestamp" if "timestamp" in cols else "date"
    header = cols[day_field]
    try:
        stamps = parse_times(frame[header], source, header, tz)
    except ForecastInputError as exc:
        raise InputFileError(str(exc)) from None
    if "hour" not in cols:
        return stamps
    parts = frame[cols["hour"]].astype("string").fillna("").str.extract(_HOUR_RE)
    hour = pd.to_numeric(parts[0], errors="coerce")
    minute = pd.to_numeric(parts[1], errors="coerce").fillna(0)
    bad = (hour.isna() | (hour > 23) | (minute > 59)).to_numpy()
    if bad.any():
        raise _fail(source, _first(bad) + 2, cols["hour"],
                    "not an hour of day (0–23, 00:00 or 00:00-01:00 expected)")
    return stamps.dt.normalize() + pd.to_timedelta(hour * 60 + minute, unit="min")


def _read(path: Path, kind: str, tz: str, label: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """One actuals file as a frame of ``COLUMNS[kind]`` in file order (index ``i`` = CSV row
    ``i + 2``) and the mapping field -> the file's header."""
    source = f"{label}/{path.name}"
    try:
        raw = read_csv(path)
    except InputFileError as exc:
        raise InputFileError(str(exc).replace(path.name, source, 1)) from None
    cols, clashes = match_headers(raw.columns, kind)
    if clashes:
        raise _fail(source, 1, clashes[0],
                    "two columns map to this field (see docs/actuals.md); keep one")
    if kind == "intervals" and "timestamp" not in cols and {"date", "hour"} <= set(cols):
        cols["timestamp"] = cols.pop("date")
    for f in FIELDS[kind]:
        if f.required and f.name not in cols:
            accepted = ", ".join(dict.fromkeys((f.name, *f.aliases)))
            raise _fail(source, 1, f.name, f"missing column (accepted headers: {accepted})")
    out = pd.DataFrame(index=raw.index)
    for f in FIELDS[kind]:
        if f.name in ("date", "hour") and kind != "agents":
            continue
        if f.kind in ("time", "date"):
            out[f.name] = _times(raw, cols, source, tz).to_numpy()
            if f.kind == "date":
                out[f.name] = out[f.name].dt.normalize()
        elif f.name not in cols:
            out[f.name] = np.nan
        elif f.kind == "text":
            out[f.name] = _text(raw[cols[f.name]], source, cols[f.name])
        else:
            out[f.name] = _numbers(raw[cols[f.name]], source, cols[f.name], f.kind, f.required)
    out = out[list(COLUMNS[kind])]
    keys = {"intervals": ["timestamp"], "question_types": ["timestamp", "question_type"],
            "agents": ["date", "agent_id"]}[kind]
    _reject_duplicates(out, source, keys, cols)
    time_col = keys[0]
    _whole_days(out[time_col], source, cols.get(time_col, time_col))
    return out, cols


def _reject_duplicates(out: pd.DataFrame, source: str, keys: list[str], cols: dict) -> None:
    dup = out.duplicated(keys, keep="first").to_numpy()
    if not dup.any():
        return
    i = _first(dup)
    j = _first(out[keys].eq(out[keys].iloc[i]).all(axis=1))
    what = {"timestamp": "timestamp", "question_type": "timestamp and question type",
            "agent_id": "date and agent"}[keys[-1]]
    raise _fail(source, i + 2, cols.get(keys[-1], keys[-1]),
                f"duplicate {what} (first at row {j + 2})")


def _whole_days(stamps: pd.Series, source: str, header: str) -> None:
    """Refuse a day without any row between the first and the last day of the file."""
    days = stamps.dt.normalize()
    span = pd.date_range(days.min(), days.max(), freq="D")
    absent = span.difference(pd.DatetimeIndex(days.unique()))
    if len(absent):
        gap = absent[0]
        after = stamps.where(stamps > gap)
        row = int(after.idxmin()) + 2
        raise _fail(source, row, header,
                    f"no rows for {gap:%Y-%m-%d}: a whole day is missing inside the export's "
                    "span (incomplete export?)")


def _grid(stamps: pd.Series, source: str, header: str) -> tuple[int, tuple]:
    """Interval length (60 or 30 minutes) and the interval starts absent inside the span."""
    off = ((stamps.dt.minute % 30 != 0) | (stamps.dt.second != 0)
           | (stamps.dt.microsecond != 0)).to_numpy()
    if off.any():
        raise _fail(source, _first(off) + 2, header,
                    "time not on the hour or half hour (hourly or 30-minute rows expected)")
    minutes = 30 if (stamps.dt.minute == 30).any() else 60
    full = pd.date_range(stamps.min(), stamps.max(), freq=f"{minutes}min")
    missing = full.difference(pd.DatetimeIndex(stamps))
    return minutes, tuple(pd.Timestamp(t) for t in missing)


def _empty(kind: str) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=float) for c in COLUMNS[kind]})
    for c in ("timestamp", "date"):
        if c in frame:
            frame[c] = pd.Series(dtype="datetime64[ns]")
    for c in ("question_type", "agent_id"):
        if c in frame:
            frame[c] = pd.Series(dtype=str)
    return frame


def load_actuals(folder: str | Path, tz: str = DEFAULT_TZ) -> Actuals:
    """Load an actuals folder (see the module docstring); ``tz`` is the campaign's IANA zone.

    Raises:
        InputFileError: one line naming file, row and field (never a cell's value).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputFileError(f"{folder}: actuals folder not found")
    label = folder.name or str(folder)
    present = [n for n in INTERVAL_FILES if (folder / n).is_file()]
    if not present:
        raise InputFileError(f"{label}: no {' or '.join(INTERVAL_FILES)} in the actuals folder")
    if len(present) > 1:
        raise InputFileError(f"{label}: both {' and '.join(present)}; keep one")
    intervals, cols = _read(folder / present[0], "intervals", tz, label)
    minutes, missing = _grid(intervals["timestamp"], f"{label}/{present[0]}", cols["timestamp"])
    frames = {"question_types": _empty("question_types"), "agents": _empty("agents")}
    for kind in frames:
        path = folder / f"{kind}.csv"
        if path.is_file():
            frames[kind] = _read(path, kind, tz, label)[0]
    intervals = intervals.sort_values("timestamp", kind="stable").reset_index(drop=True)
    types = frames["question_types"].sort_values(["timestamp", "question_type"], kind="stable")
    agents = frames["agents"].sort_values(["date", "agent_id"], kind="stable")
    return Actuals(intervals=intervals, question_types=types.reset_index(drop=True),
                   agents=agents.reset_index(drop=True), interval_minutes=minutes,
                   missing_intervals=missing, source=label)
