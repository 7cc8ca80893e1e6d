"""``peakplan compare``: two or more run directories side by side (issue 19, point 3).

- :func:`load_runs` opens each directory: it must be a complete peakplan run (marker
  ``.peakplan-run.json`` of kind ``run``, ``summary.json`` and ``coverage.csv`` listed in it and
  unchanged); anything else is a one-line :class:`~scenarios.io.InputFileError` naming the
  directory.
- :func:`run_table` is the per-run table: one row per figure (cost by agent type, temp headcount,
  paid hours, service as scheduled, shortfall, solver gap...), one column per run. Every value is
  taken from that run's ``summary.json`` unchanged (the ``key`` column names where), the
  validator's violations included: a run whose roster breaks a rule is marked, not averaged in.
- :func:`interval_table` is the per-interval difference from each run's ``coverage.csv``:
  scheduled and shortfall per run, and each run minus the first, over the intervals all runs share.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from scenarios.io import InputFileError, read_csv
from scenarios.output import check_run_files
from scenarios.summary_model import SCHEMA_VERSION, parse_summary

#: (row label, dotted key in summary.json) of the per-run table, in display order.
FIGURES: tuple[tuple[str, str], ...] = (
    ("scenario", "scenario.name"),
    ("horizon start", "run.horizon_start"),
    ("horizon end", "run.horizon_end"),
    ("cost permanent overtime, CNY", "cost_cny.permanent"),
    ("cost part-time, CNY", "cost_cny.part_time"),
    ("cost temporary, CNY", "cost_cny.temporary"),
    ("wages total, CNY", "cost_cny.wages_total"),
    ("objective, CNY", "cost_cny.objective_total"),
    ("temp headcount", "headcount.temporary"),
    ("paid hours permanent", "hours.paid_permanent"),
    ("paid hours part-time", "hours.paid_part_time"),
    ("paid hours temporary", "hours.paid_temporary"),
    ("service level (target)", "service.target_service_level"),
    ("service level overall", "service.expected_service_level"),
    ("worst day", "service.worst_day.date"),
    ("worst day service level", "service.worst_day.expected_service_level"),
    ("worst interval", "service.worst_interval.timestamp"),
    ("worst interval service level", "service.worst_interval.expected_service_level"),
    ("worst interval 3-minute rate", "service.worst_interval.expected_three_min_rate"),
    ("3-minute rate", "service.expected_three_min_rate"),
    ("shortfall, agent-hours", "hours.short_agent_hours"),
    ("shortfall value, CNY", "cost_cny.shortfall_penalty"),
    ("solver status", "solver.status"),
    ("solver gap", "solver.gap"),
    ("deterministic", "solver.deterministic"),
    ("validator violations", "validation.violations"),
    ("violations accepted (soft rules)", "validation.accepted"),
)


@dataclass(frozen=True)
class Run:
    """One opened run directory: ``name`` (its directory name, made unique), its summary."""

    name: str
    path: Path
    summary: dict


def _open_run(path: Path) -> Run:
    check_run_files(path, ("summary.json", "coverage.csv"), "compare")
    source = path / "summary.json"
    try:
        summary = json.loads(source.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise InputFileError(f"{source}: not readable JSON ({exc})") from None
    version = summary.get("schema_version") if isinstance(summary, dict) else None
    if version == SCHEMA_VERSION:  # typed by the model the pipeline writes with
        try:
            summary = parse_summary(source.read_bytes().removeprefix(b"\xef\xbb\xbf"),
                                    str(source)).as_dict()
        except ValueError as exc:
            raise InputFileError(str(exc)) from None
    elif version != 1:  # runs of the first release: the figures compare reads are the same
        raise InputFileError(f"{source}: not a summary of schema_version 1 or {SCHEMA_VERSION}")
    return Run(path.name, path, summary)


def load_runs(paths: list[Path]) -> list[Run]:
    """Open every run directory (one-line InputFileError for the first that is not a run); runs
    of the same directory name get `` (2)``, `` (3)``... appended."""
    runs, seen = [], {}
    for path in paths:
        run = _open_run(Path(path))
        count = seen[run.name] = seen.get(run.name, 0) + 1
        if count > 1:
            run = Run(f"{run.name} ({count})", run.path, run.summary)
        runs.append(run)
    return runs


def figure(summary: dict, key: str) -> object:
    """The value at dotted ``key`` in ``summary`` unchanged; None when absent."""
    value: object = summary
    for part in key.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def run_table(runs: list[Run]) -> pd.DataFrame:
    """Figures as rows (``figure``, ``key``), runs as columns; values exactly as in summary.json."""
    table = pd.DataFrame(
        {"figure": [label for label, _ in FIGURES], "key": [key for _, key in FIGURES]}
    )
    for run in runs:
        table[run.name] = pd.Series([figure(run.summary, key) for _, key in FIGURES], dtype=object)
    return table


def shown(value: object) -> str:
    """A table cell as text, exactly as the printed table shows it (floats by ``repr``, so
    equal to summary.json's value; None and NaN as ``n/a``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def format_table(table: pd.DataFrame) -> str:
    """The per-run table as aligned text for a terminal (labels left, one column per run)."""
    runs = [c for c in table.columns if c not in ("figure", "key")]
    cells = [[shown(v) for v in table[run]] for run in runs]
    label_width = max(len("figure"), *(len(s) for s in table["figure"]))
    widths = [max(len(run), *(len(s) for s in col)) for run, col in zip(runs, cells, strict=True)]
    heads = (run.rjust(w) for run, w in zip(runs, widths, strict=True))
    lines = ["  ".join(["figure".ljust(label_width), *heads])]
    for i, label in enumerate(table["figure"]):
        values = (col[i].rjust(w) for col, w in zip(cells, widths, strict=True))
        lines.append("  ".join([label.ljust(label_width), *values]).rstrip())
    return "\n".join(lines)


def _coverage(run: Run) -> pd.DataFrame:
    path = run.path / "coverage.csv"
    frame = read_csv(path, required=("timestamp", "scheduled", "shortfall"), encoding="utf-8")
    out = pd.DataFrame({"timestamp": frame["timestamp"]})
    for column in ("scheduled", "shortfall"):
        values = pd.to_numeric(frame[column], errors="coerce")
        if values.isna().any():
            row = int(values.isna().to_numpy().argmax()) + 2
            raise InputFileError(f"{path}: row {row}: {column} is not a number")
        out[f"{run.name} {column}"] = values
    if out["timestamp"].duplicated().any():
        raise InputFileError(f"{path}: duplicate timestamps")
    return out


@dataclass(frozen=True)
class Intervals:
    """Per-interval differences and a note when the runs' horizons differ (else None)."""

    table: pd.DataFrame
    note: str | None


def interval_table(runs: list[Run]) -> Intervals:
    """``timestamp``, per run ``NAME scheduled`` and ``NAME shortfall``, then for every run after
    the first ``NAME scheduled - FIRST`` and ``NAME shortfall - FIRST`` (rounded to 4 decimals),
    over the intervals every run has (inner join on the timestamp, in time order)."""
    frames = [_coverage(run) for run in runs]
    merged = frames[0]
    for frame in frames[1:]:
        merged = merged.merge(frame, on="timestamp", how="inner")
    merged = merged.sort_values("timestamp", kind="stable").reset_index(drop=True)
    first = runs[0].name
    for run in runs[1:]:
        for column in ("scheduled", "shortfall"):
            diff = merged[f"{run.name} {column}"] - merged[f"{first} {column}"]
            merged[f"{run.name} {column} - {first}"] = diff.round(4)
    note = None
    sizes = [len(f) for f in frames]
    minutes = {figure(r.summary, "run.interval_minutes") for r in runs}
    if len(minutes) > 1:
        note = "the runs' interval lengths differ; only timestamps they share are compared"
    if len(merged) != max(sizes) or len(set(sizes)) > 1:
        span = (
            f"{merged['timestamp'].iloc[0]} to {merged['timestamp'].iloc[-1]}"
            if len(merged)
            else "none"
        )
        note = (
            f"the runs' horizons differ: the interval table covers the {len(merged)} intervals "
            f"they share ({span}) of {', '.join(str(s) for s in sizes)}"
        )
    return Intervals(merged, note)
