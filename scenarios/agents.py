"""Read the named team (``agents.csv``) into ``scheduler.roster.Agent`` models.

Columns (see docs/contracts.md): ``agent_id,name,agent_type,contract_hours_per_week,
min_hours_per_week,max_hours_per_week,hourly_cost_cny,available_weekdays,available_from,
available_to,days_off,efficiency``. Only the first six are required; the rest default to "any".
"""

from __future__ import annotations

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
    try:
        number = float(str(value).strip())
    except ValueError:
        raise _fail(source, index, field, f"not a number ({value!r})") from None
    if number != number or number < 0:
        raise _fail(source, index, field, f"must be a number >= 0 (got {value!r})")
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
        raise _fail(source, index, field, f"expected HH:MM (got {text!r})") from None


def _weekdays(value: object, source: str, index: int) -> tuple[int, ...]:
    if value is None or pd.isna(value) or not str(value).strip():
        return tuple(range(7))
    days = []
    for token in str(value).replace(";", ",").split(","):
        key = token.strip().lower()[:3]
        if key not in _WEEKDAYS:
            raise _fail(source, index, "available_weekdays", f"unknown weekday {token.strip()!r}")
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
            raise _fail(source, index, "days_off", f"expected YYYY-MM-DD (got {token!r})") from None
    return tuple(sorted(set(out)))


def agents_from_frame(frame: pd.DataFrame, source: str) -> list[Agent]:
    """Validate text columns row by row and build Agent models (errors name row and field)."""
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise InputFileError(f"{source}: row 1, missing column '{missing[0]}'")
    ids = frame["agent_id"].astype("string").str.strip()
    duplicated = ids.duplicated() & ids.notna()
    if duplicated.any():
        index = int(duplicated.idxmax())
        raise _fail(source, index, "agent_id", f"duplicate ID {ids[index]!r}")
    agents: list[Agent] = []
    for index, row in enumerate(frame.to_dict("records")):
        agent_id = row.get("agent_id")
        if agent_id is None or pd.isna(agent_id) or not str(agent_id).strip():
            raise _fail(source, index, "agent_id", "empty")
        kind = _TYPES.get(str(row.get("agent_type", "")).strip().lower())
        if kind is None:
            raise _fail(
                source,
                index,
                "agent_type",
                f"must be permanent or part_time (got {row.get('agent_type')!r})",
            )
        efficiency = row.get("efficiency")
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
        if efficiency is not None and not pd.isna(efficiency) and str(efficiency).strip():
            fields["efficiency"] = _number(efficiency, source, index, "efficiency")
        try:
            agents.append(Agent(**fields))
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            field = ".".join(str(p) for p in first["loc"]) or "row"
            message = first["msg"].removeprefix("Value error, ")
            raise _fail(source, index, field, message) from None
    return agents


def load_agents(path: str | Path) -> list[Agent]:
    """Read ``agents.csv`` (UTF-8 with or without BOM, or GBK) into Agent models."""
    path = Path(path)
    return agents_from_frame(read_csv(path, required=REQUIRED), path.name)
