"""Read the named team (``agents.csv``) into ``scheduler.roster.Agent`` models.

Columns (see docs/contracts.md): ``agent_id,name,agent_type,contract_hours_per_week,
min_hours_per_week,max_hours_per_week,hourly_cost_cny,available_weekdays,available_from,
available_to,days_off,efficiency,hours_before_horizon``. Only the first seven are required; the
rest default to "any" (``hours_before_horizon``: paid hours already worked in the calendar week
the plan starts in, before its first day; empty = prorated).

Error messages name the file, the CSV row (header = 1) and the field, and say what is wrong
("not a number", "negative", "infinite", ...) without echoing the cell: an agents file may hold
personal data, and a scenario from someone else may point at a file that is no agents file.
"""

from __future__ import annotations

import math
from datetime import date, time
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from scenarios.io import InputFileError, read_csv
from scheduler.roster.schema import Agent

REQUIRED = (
    "agent_id",
    "name",
    "agent_type",
    "contract_hours_per_week",
    "min_hours_per_week",
    "max_hours_per_week",
    "hourly_cost_cny",
)
_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_TYPES = {"permanent": "permanent", "part_time": "part_time", "part-time": "part_time"}


def _fail(source: str, index: int, field: str, message: str) -> InputFileError:
    return InputFileError(f"{source}: row {index + 2}, field '{field}': {message}")


def _number(value: object, source: str, index: int, field: str) -> float:
    if value is None or pd.isna(value) or not str(value).strip():
        raise _fail(source, index, field, "empty")
    try:
        number = float(str(value).strip())
    except ValueError:
        raise _fail(source, index, field, "not a number") from None
    if math.isnan(number):
        raise _fail(source, index, field, "not a number (NaN)")
    if math.isinf(number):
        raise _fail(source, index, field, "infinite")
    if number < 0:
        raise _fail(source, index, field, "negative")
    return number


def _clock(value: object, source: str, index: int, field: str) -> time | None:
    if value is None or pd.isna(value) or not str(value).strip():
        return None
    text = str(value).strip()
    if text in ("24:00", "24:00:00"):
        return time(0, 0)
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise _fail(source, index, field, "not a time, expected HH:MM") from None


def _weekdays(value: object, source: str, index: int) -> tuple[int, ...]:
    if value is None or pd.isna(value) or not str(value).strip():
        return tuple(range(7))
    days = []
    for token in str(value).replace(";", ",").split(","):
        key = token.strip().lower()[:3]
        if key not in _WEEKDAYS:
            raise _fail(source, index, "available_weekdays", "unknown weekday, expected Mon..Sun")
        days.append(_WEEKDAYS[key])
    return tuple(sorted(set(days)))


def _dates(value: object, source: str, index: int) -> tuple[date, ...]:
    if value is None or pd.isna(value) or not str(value).strip():
        return ()
    out = []
    for token in str(value).split(";"):
        try:
            out.append(date.fromisoformat(token.strip()))
        except ValueError:
            raise _fail(source, index, "days_off", "not a date, expected YYYY-MM-DD") from None
    return tuple(sorted(set(out)))


def agents_from_frame(frame: pd.DataFrame, source: str) -> list[Agent]:
    """Validate text columns row by row and build Agent models (errors name row and field)."""
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise InputFileError(f"{source}: row 1, missing column '{missing[0]}'")
    ids = frame["agent_id"].astype("string").str.strip()
    duplicated = ids.duplicated() & ids.notna()
    if duplicated.any():
        index = int(duplicated.to_numpy().argmax())
        first = int((ids == ids.iloc[index]).fillna(False).to_numpy(dtype=bool).argmax())
        raise _fail(source, index, "agent_id", f"duplicate of row {first + 2}")
    agents: list[Agent] = []
    for index, row in enumerate(frame.to_dict("records")):
        agent_id = row.get("agent_id")
        if agent_id is None or pd.isna(agent_id) or not str(agent_id).strip():
            raise _fail(source, index, "agent_id", "empty")
        kind = _TYPES.get(str(row.get("agent_type", "")).strip().lower())
        if kind is None:
            raise _fail(source, index, "agent_type", "must be permanent or part_time")
        fields = {
            "agent_id": str(agent_id).strip(),
            "name": str(row.get("name") or "").strip() or str(agent_id).strip(),
            "agent_type": kind,
            "available_weekdays": _weekdays(row.get("available_weekdays"), source, index),
            "available_from": _clock(row.get("available_from"), source, index, "available_from"),
            "available_to": _clock(row.get("available_to"), source, index, "available_to"),
            "days_off": _dates(row.get("days_off"), source, index),
        }
        for field in REQUIRED[3:]:
            fields[field] = _number(row.get(field), source, index, field)
        for field in ("efficiency", "hours_before_horizon"):
            value = row.get(field)
            if value is not None and not pd.isna(value) and str(value).strip():
                fields[field] = _number(value, source, index, field)
        if fields["min_hours_per_week"] > fields["max_hours_per_week"]:
            raise _fail(
                source,
                index,
                "min_hours_per_week",
                "min_hours_per_week is greater than max_hours_per_week",
            )
        try:
            agents.append(Agent(**fields))
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            field = ".".join(str(p) for p in first["loc"]) or "row"
            # pydantic's own messages ("Input should be greater than 0") name no value; a
            # model validator's message might, so it is not passed on.
            message = first["msg"] if first["type"] != "value_error" else "invalid value"
            raise _fail(source, index, field, message) from None
    return agents


def load_agents(path: str | Path) -> list[Agent]:
    """Read ``agents.csv`` (UTF-8 with or without BOM, GBK or Big5) into Agent models."""
    path = Path(path)
    return agents_from_frame(read_csv(path, required=REQUIRED), path.name)
