"""Read a ``peakplan run`` output directory into typed pandas frames (no Streamlit here).

The run directory contract is in ``docs/contracts.md``. Everything in this module is a pure
function of the files on disk so it can be unit-tested without Streamlit; the views cache
:func:`load_run` with ``st.cache_data``.

Units: volumes are inquiries per interval, agents are agents on duty, costs are CNY, hours are
paid (agent-)hours. Timestamps are naive local wall-clock times (interval starts).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from forecast.columns import EVENTS_COLUMNS, FORECAST_COLUMNS, UPLIFT
from scenarios.hr_export import UNMET_COLUMNS
from scenarios.scheduled_service import COVERAGE_COLUMNS, SERVICE_COLUMNS
from scenarios.summary_model import RunSummary, parse_summary
from scheduler.roster.schema import ROSTER_COLUMNS
from scheduler.staffing.requirements import OUTPUT_COLUMNS as REQUIREMENT_OUTPUTS

REQUIRED_FILES: tuple[str, ...] = ("summary.json", "forecast.csv", "coverage.csv", "roster.csv")
"""Files without which the dashboard cannot show anything useful."""

OPTIONAL_FILES: tuple[str, ...] = ("events.csv", "requirements.csv", "unmet.csv")
"""Files the runner always writes; if absent the page that needs them says so."""

#: The learned event effects (``forecast.explain``; runs before issue 23 lack the file).
EFFECTS_FILE = "event_effects.csv"
EFFECTS_COLUMNS = ("family", "phase", "occurrences", "uplift", "uplift_lo_80", "uplift_hi_80",
                   "peak_hour")

#: Columns the dashboard needs in requirements.csv (the rest of the frame is optional here).
REQUIREMENTS_COLUMNS = ("timestamp", "agents_required", "expected_service_level")

AGENT_TYPES = ("permanent", "part_time", "temporary")
"""Display order of agent types (others found in the data are appended)."""


class RunDirError(ValueError):
    """A run directory is missing, incomplete or has a malformed file. ``str()`` is one line."""


@dataclass(frozen=True)
class RunData:
    """Everything the dashboard shows for one run. Frames follow ``docs/contracts.md``."""

    path: Path
    summary: dict[str, Any]  # summary.json as validated by RunSummary (model_dump, mode json)
    forecast: pd.DataFrame
    events: pd.DataFrame
    requirements: pd.DataFrame | None
    coverage: pd.DataFrame
    roster: pd.DataFrame
    unmet: pd.DataFrame
    roster_bytes: bytes = field(repr=False)
    missing_optional: tuple[str, ...] = ()
    model: RunSummary | None = field(default=None, repr=False)
    event_effects: pd.DataFrame | None = None  # EFFECTS_FILE; None when the run has none

    @property
    def interval_minutes(self) -> int:
        """Planning interval length in minutes (summary.json ``run.interval_minutes``)."""
        if self.model is not None:
            return self.model.run.interval_minutes
        return RunSummary.model_validate(self.summary).run.interval_minutes


def files_fingerprint(path: str | Path, names: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    """(file name, mtime) of ``names`` present in ``path``: a cache key that changes when the
    directory is rewritten."""
    base = Path(path)
    return tuple((name, (base / name).stat().st_mtime) for name in names if (base / name).is_file())


def run_fingerprint(path: str | Path) -> tuple[tuple[str, float], ...]:
    """(file name, mtime) of the contract files present in ``path``: a cache key that changes
    when the run is rewritten."""
    return files_fingerprint(path, REQUIRED_FILES + OPTIONAL_FILES + (EFFECTS_FILE,))


def find_dirs(root: str | Path, marker: str) -> list[Path]:
    """Directories holding ``marker`` directly or one level below ``root``, newest first; hidden
    directories (a run or review being staged or replaced) are skipped."""
    base = Path(root)
    if not base.is_dir():
        return []
    found = [p.parent for p in base.glob(f"*/{marker}")] + [
        p.parent for p in base.glob(f"*/*/{marker}")
    ]
    found = [p for p in found if not any(x.startswith(".") for x in p.relative_to(base).parts)]
    return sorted(set(found), key=lambda p: (p / marker).stat().st_mtime, reverse=True)


def list_runs(root: str | Path) -> list[Path]:
    """Run directories (containing ``summary.json``) directly or one level below ``root``,
    newest first; hidden directories (a run being staged or replaced) are skipped."""
    return find_dirs(root, "summary.json")


def load_run(path: str | Path) -> RunData:
    """Load and validate a run directory.

    Raises :class:`RunDirError` naming the directory and every missing required file, or the
    file, row and field of the first malformed value.
    """
    base = Path(path)
    if not base.exists():
        raise RunDirError(f"{base}: run directory does not exist")
    if not base.is_dir():
        raise RunDirError(f"{base}: not a directory")
    missing = [name for name in REQUIRED_FILES if not (base / name).is_file()]
    if missing:
        names = ", ".join(missing)
        raise RunDirError(f"{base}: missing {names} (expected a `peakplan run` output)")
    missing_optional = tuple(name for name in OPTIONAL_FILES if not (base / name).is_file())

    model = read_run_summary(base / "summary.json")
    forecast = _read_frame(base / "forecast.csv", FORECAST_COLUMNS, ("timestamp",))
    coverage = _read_frame(base / "coverage.csv", COVERAGE_COLUMNS, ("timestamp",))
    events = (
        _read_frame(base / "events.csv", EVENTS_COLUMNS, ("start", "end"))
        if "events.csv" not in missing_optional
        else _empty(EVENTS_COLUMNS, ("start", "end"))
    )
    requirements = (
        _read_frame(base / "requirements.csv", REQUIREMENTS_COLUMNS, ("timestamp",))
        if "requirements.csv" not in missing_optional
        else None
    )
    unmet = (
        _read_frame(base / "unmet.csv", UNMET_COLUMNS, ("start", "end"))
        if "unmet.csv" not in missing_optional
        else _empty(UNMET_COLUMNS, ("start", "end"))
    )
    roster_bytes = (base / "roster.csv").read_bytes()
    roster = _read_roster(base / "roster.csv")
    effects_file = base / EFFECTS_FILE
    effects = _read_frame(effects_file, EFFECTS_COLUMNS, ()) if effects_file.is_file() else None
    if effects is not None and effects.empty:
        effects = None
    return RunData(
        path=base,
        summary=model.model_dump(mode="json"),
        forecast=forecast,
        events=events,
        requirements=requirements,
        coverage=coverage,
        roster=roster,
        unmet=unmet,
        roster_bytes=roster_bytes,
        missing_optional=missing_optional,
        model=model,
        event_effects=effects,
    )


def read_run_summary(file: Path) -> RunSummary:
    """A run's summary.json validated by the pipeline's own model (schema_version 2, exactly
    the keys peakplan writes); :class:`RunDirError`, one line naming the file and the first bad
    field, when it does not validate (older schema_version included)."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise RunDirError(f"{file.name}: cannot read ({why})") from None
    try:
        return parse_summary(data.removeprefix(b"\xef\xbb\xbf"), file.name)
    except ValueError as exc:
        raise RunDirError(str(exc)) from None


def _read_summary(file: Path, error: type[ValueError] = RunDirError) -> dict[str, Any]:
    """A JSON object file (review.json; a run's summary.json goes through
    :func:`read_run_summary`); ``error`` is raised, one line, if not."""
    try:
        data = json.loads(file.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise error(f"{file.name}: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise error(f"{file.name}: top level must be an object")
    return data


def _read_csv(file: Path, dtype: dict[str, type] | None = None) -> pd.DataFrame:
    try:
        return pd.read_csv(file, encoding="utf-8-sig", dtype=dtype)
    except UnicodeDecodeError:
        return pd.read_csv(file, encoding="gb18030", dtype=dtype)
    except pd.errors.EmptyDataError:
        raise RunDirError(f"{file.name}: file is empty (no header)") from None
    except pd.errors.ParserError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "parse error"
        raise RunDirError(f"{file.name}: {first}") from None


def _read_frame(file: Path, columns: tuple[str, ...], time_cols: tuple[str, ...]) -> pd.DataFrame:
    frame = _read_csv(file)
    _check_columns(frame, columns, file.name)
    for col in time_cols:
        frame[col] = parse_local_times(frame[col], file.name, col)
    numeric = [c for c in frame.columns if c in _NUMERIC]
    for col in numeric:
        frame[col] = _to_number(frame[col], file.name, col)
    return frame


#: Columns of forecast, requirements, coverage, unmet and events files that must be numbers.
_NUMERIC = frozenset(
    {*FORECAST_COLUMNS, *REQUIREMENT_OUTPUTS, *COVERAGE_COLUMNS, *SERVICE_COLUMNS,
     *UNMET_COLUMNS, UPLIFT, *EFFECTS_COLUMNS[2:], "hours", "pooled",
     *(f"shape_h{h:02d}" for h in range(24))}
) - {"timestamp", "start", "end", "binding"}


def _read_roster(file: Path) -> pd.DataFrame:
    frame = _read_csv(file, dtype={"agent_id": str, "agent_name": str, "breaks": str})
    _check_columns(frame, ROSTER_COLUMNS, file.name)
    frame["date"] = parse_local_times(frame["date"], file.name, "date").dt.date
    for col in ("shift_start", "shift_end"):
        frame[col] = parse_local_times(frame[col], file.name, col)
    for col in ("paid_hours", "cost_cny"):
        frame[col] = _to_number(frame[col], file.name, col)
    frame["breaks"] = frame["breaks"].fillna("")
    return frame


def _check_columns(frame: pd.DataFrame, columns: tuple[str, ...], source: str) -> None:
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        names = ", ".join(f"'{c}'" for c in absent)
        raise RunDirError(f"{source}: missing column(s) {names}")


def _empty(columns: tuple[str, ...], time_cols: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
    for col in time_cols:
        frame[col] = pd.Series(dtype="datetime64[ns]")
    return frame


def parse_local_times(values: pd.Series, source: str, field_name: str) -> pd.Series:
    """Parse ISO-8601 local times to naive ``datetime64``; an offset, if any, is dropped
    (the wall-clock time is kept). Raises :class:`RunDirError` naming the first bad row and the
    field (never echoing the cell, which may hold personal data)."""
    parsed = pd.to_datetime(values, format="ISO8601", errors="coerce")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    bad = parsed.isna() & values.notna()
    if values.isna().any():
        bad = bad | values.isna()
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise RunDirError(f"{source}: row {i + 2}, field '{field_name}': not a valid timestamp")
    return parsed


def _to_number(values: pd.Series, source: str, field_name: str) -> pd.Series:
    parsed = pd.to_numeric(values, errors="coerce")
    bad = parsed.isna() & values.notna()
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise RunDirError(f"{source}: row {i + 2}, field '{field_name}': not a number")
    return parsed
