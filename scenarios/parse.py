"""Parsing of the CSVs the CLI reads between steps (forecast, requirements) and of time flags.

Every problem raises a one-line input error naming the file, the CSV row (header = row 1, so
frame index ``i`` is row ``i + 2``) and the field, saying what is wrong without echoing the cell.
Timestamps follow :func:`forecast.validate.parse_times`: naive values are wall-clock time in the
campaign's time zone, values with a UTC offset are converted to it, a mix is rejected.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from forecast.errors import row_error
from forecast.validate import MAX_VOLUME, YEAR_MAX, YEAR_MIN, parse_number, parse_times
from scenarios.io import InputFileError

#: Largest plausible requirement, agents on duty per interval.
MAX_AGENTS = 1e5


def parse_timestamps(
    values: pd.Series, source: str, tz: str, field: str = "timestamp"
) -> pd.Series:
    """Naive local datetime64[ns] in ``tz`` (IANA name); see the module docstring."""
    return parse_times(values, source, field, tz)


def parse_numeric(
    frame: pd.DataFrame, source: str, columns: Sequence[str], upper: float | None = None
) -> pd.DataFrame:
    """Copy of ``frame`` with ``columns`` as finite floats in ``0..upper``."""
    out = frame.copy()
    for column in columns:
        out[column] = parse_number(frame[column], source, column, upper=upper).to_numpy()
    return out


def reject_duplicates(frame: pd.DataFrame, source: str, keys: Sequence[str]) -> None:
    """Raise when two rows share the same ``keys`` (e.g. timestamp, or timestamp and queue)."""
    dup = frame.duplicated(list(keys), keep="first")
    if not dup.any():
        return
    i = int(np.flatnonzero(dup.to_numpy())[0])
    same = frame[list(keys)].eq(frame[list(keys)].iloc[i]).all(axis=1).to_numpy()
    j = int(np.flatnonzero(same)[0])
    within = " within its queue" if "queue" in keys else ""
    msg = f"duplicate timestamp{within} (first at row {j + 2})"
    raise row_error(source, i + 2, "timestamp", msg)


def parse_forecast(frame: pd.DataFrame, source: str, tz: str) -> pd.DataFrame:
    """A forecast CSV (``timestamp[,queue],volume,lower_*,upper_*``) for ``staff``: numbers in
    inquiries per interval (finite, 0..1e7), timestamps local, one row per timestamp (and
    queue, when there is a queue column)."""
    numeric = [c for c in frame.columns if c not in ("timestamp", "queue")]
    out = parse_numeric(frame, source, numeric, upper=MAX_VOLUME)
    out["timestamp"] = parse_timestamps(frame["timestamp"], source, tz)
    keys = ["timestamp", "queue"] if "queue" in frame.columns else ["timestamp"]
    if "queue" in frame.columns:
        out["queue"] = frame["queue"].astype("string").fillna("").str.strip()
    reject_duplicates(out, source, keys)
    return out


def parse_requirements(frame: pd.DataFrame, source: str, tz: str) -> pd.DataFrame:
    """A requirements CSV for ``roster``: ``timestamp`` local, ``agents_required`` a finite
    number of agents on duty in 0..1e5; duplicates are rejected by ``build_problem``."""
    out = parse_numeric(
        frame[["timestamp", "agents_required"]], source, ["agents_required"], upper=MAX_AGENTS
    )
    out["timestamp"] = parse_timestamps(frame["timestamp"], source, tz)
    return out


def check_timezone(tz: str, flag: str = "--timezone") -> str:
    """``tz`` if it is a known IANA zone, else an :class:`InputFileError` naming ``flag``."""
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        msg = f"{flag}: unknown time zone (an IANA name, e.g. Asia/Shanghai)"
        raise InputFileError(msg) from None
    return tz


def local_flag(value: datetime | None, tz: str, flag: str) -> datetime | None:
    """A date-time flag as naive local time in ``tz``: converted when it has a UTC offset;
    the year must be in 2000..2100."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        raise InputFileError(f"{flag}: year must be in {YEAR_MIN}..{YEAR_MAX}")
    return value


def bound_message(error: dict) -> str:
    """``must be > 0`` style text for one pydantic number error (the value is not echoed)."""
    ctx = error.get("ctx") or {}
    words = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<",
             "less_than_equal": "<="}
    kind = error["type"]
    if kind in words and ctx:
        limit = next(iter(ctx.values()))
        shown = f"{limit:g}" if isinstance(limit, float) else str(limit)
        return f"must be {words[kind]} {shown}"
    if kind == "finite_number":
        return "must be a finite number"
    return str(error["msg"]).removeprefix("Value error, ")


def check_interval(timestamps: pd.Series, source: str, interval_minutes: int, fix: str) -> None:
    """Reject a file whose timestamps step by another interval than the scenario plans in.

    ``timestamps``: the file's parsed local timestamps in file order (row 2 is the first data
    row). Every step between consecutive distinct timestamps must be a whole multiple of
    ``interval_minutes`` (gaps are allowed: closed hours) and the smallest must equal it;
    otherwise an :class:`InputFileError` names the first row where the step shows, e.g. an
    hourly forecast for a 30-minute plan, whose volumes would be read as per half hour (twice
    the load). ``fix``: what to do instead, appended to the message.
    """
    ts = pd.DatetimeIndex(timestamps)
    order = np.argsort(ts.asi8, kind="stable")
    values = ts.asi8[order]
    step = np.diff(values) // 60_000_000_000  # minutes (0 between queues of one timestamp)
    moving = np.flatnonzero(step > 0)
    if not len(moving):
        return
    bad = moving[(step[moving] % interval_minutes != 0)]
    smallest = int(step[moving].min())
    at = int(bad[0]) if len(bad) else (int(moving[step[moving].argmin()])
                                       if smallest != interval_minutes else -1)
    if at < 0:
        return
    row = int(order[at + 1]) + 2
    raise InputFileError(
        f"{source}: row {row}, field 'timestamp': rows are {int(step[at])} minutes apart but "
        f"the scenario plans {interval_minutes}-minute intervals ([campaign] interval_minutes); "
        f"{fix}"
    )
