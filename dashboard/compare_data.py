"""Data of the Compare page: runs side by side, per-interval differences and frontier points
(issue 19 point 7; no Streamlit here, the view caches :func:`load_comparison`).

Everything is read through :mod:`scenarios.compare` (the code behind ``peakplan compare``), so the
table shows the same figures as the CLI, each equal to the run's ``summary.json``. Dominance on the
cost–service plane comes from :func:`scenarios.frontier.mark_dominated`, the same rule as
``peakplan frontier``. Sweep directories (``peakplan frontier --out DIR``, marker
``.peakplan-sweep.json``) hold complete runs in their sub-folders; those runs are listed like any
other run.

Units: costs are CNY, service levels and 3-minute rates are shares 0–1 of inquiries, shortfall is
agent-hours (table) or agents short per interval (interval differences), scheduled is agents on
duty. Timestamps are naive local interval starts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.data import files_fingerprint
from scenarios.compare import (
    Intervals,
    Run,
    figure,
    interval_table,
    load_runs,
    run_table,
    shown,
)
from scenarios.frontier import FIGURE_KEYS, is_legal, mark_dominated
from scenarios.io import InputFileError, csv_bytes
from scenarios.output import RUN_MARKER, read_marker
from scenarios.sweep_output import SWEEP_MARKER

RUN_FILES: tuple[str, ...] = ("summary.json", "coverage.csv", RUN_MARKER)
"""Files whose modification times key the cache of a loaded comparison."""

MAX_DEPTH = 4
"""Run and sweep directories are looked for at most this many levels below the runs root."""

#: (column of the frontier points, dotted key in summary.json): the columns of frontier.csv
#: (``peakplan frontier``) and the service-level target.
POINT_FIGURES: tuple[tuple[str, str], ...] = (
    *FIGURE_KEYS,
    ("target_service_level", "service.target_service_level"),
)
COST = "wages_total_cny"
SERVICE = "expected_service_level"


# ------------------------------------------------------------------------------ discovery


def _find(root: Path, marker: str) -> list[Path]:
    """Directories holding ``marker``, 1..MAX_DEPTH levels below ``root`` (hidden ones — a run
    being staged or replaced — skipped), newest marker first."""
    if not root.is_dir():
        return []
    found: set[Path] = set()
    for depth in range(1, MAX_DEPTH + 1):
        for file in root.glob("/".join(["*"] * depth + [marker])):
            parts = file.parent.relative_to(root).parts
            if not any(p.startswith(".") for p in parts) and file.is_file():
                found.add(file.parent)
    return sorted(found, key=lambda p: ((p / marker).stat().st_mtime, str(p)), reverse=True)


def find_runs(root: str | Path) -> list[Path]:
    """Run directories (``summary.json``) below ``root``, sweeps' sub-runs included, newest
    first."""
    return _find(Path(root), "summary.json")


def find_sweeps(root: str | Path) -> list[Path]:
    """Sweep directories (``.peakplan-sweep.json``) below ``root``, newest first; ``root``
    itself first when it is a sweep (the folder typed is the frontier directory)."""
    root = Path(root)
    itself = [root] if (root / SWEEP_MARKER).is_file() else []
    return itself + _find(root, SWEEP_MARKER)


def sweep_runs(sweep: str | Path) -> list[Path]:
    """The runs directly inside ``sweep`` (sub-folders with ``summary.json``), in the order of
    the sweep marker's ``runs`` (the jobs' order), others after them by name."""
    base = Path(sweep)
    found = sorted(
        p.parent for p in base.glob("*/summary.json") if not p.parent.name.startswith(".")
    )
    listed = (read_marker(base, SWEEP_MARKER) or {}).get("runs")
    order = {str(label): i for i, label in enumerate(listed)} if isinstance(listed, dict) else {}
    return sorted(found, key=lambda p: (order.get(p.name, len(order)), p.name))


def default_selection(runs: list[Path], sweeps: list[Path]) -> list[Path]:
    """All runs of the newest sweep that has at least two, else the two newest runs."""
    for sweep in sweeps:
        inside = sweep_runs(sweep)
        if len(inside) >= 2:
            return inside
    return runs[:2]


def display_name(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` (``sweep/label``), else as given."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def comparison_fingerprint(paths: Iterable[str | Path]) -> tuple:
    """(path, (file, mtime)…) per run: a cache key that changes when any run is rewritten."""
    return tuple((str(p), files_fingerprint(p, RUN_FILES)) for p in paths)


# ------------------------------------------------------------------------------ loading


@dataclass(frozen=True)
class Comparison:
    """The selected runs that could be opened and what the page shows of them.

    ``problems``: (folder, one-line reason) of each run that could not be read; ``table``: the
    per-run figures of ``peakplan compare`` (None with no run); ``intervals``: per-interval
    differences (None with fewer than two runs or when a coverage.csv is unreadable, then
    ``intervals_problem`` says why); ``points``: one row per run on the cost–service plane."""

    runs: tuple[Run, ...]
    problems: tuple[tuple[str, str], ...]
    table: pd.DataFrame | None
    intervals: Intervals | None
    intervals_problem: str | None
    points: pd.DataFrame


def open_runs(
    paths: Iterable[str | Path], root: str | Path
) -> tuple[list[Run], list[tuple[str, str]]]:
    """Open each run with :func:`scenarios.compare.load_runs`; runs are named by their path
    relative to ``root``. Returns (runs, [(folder, one-line reason)] of those that failed)."""
    runs: list[Run] = []
    problems: list[tuple[str, str]] = []
    base = Path(root)
    for path in paths:
        name = display_name(Path(path), base)
        try:
            run = load_runs([Path(path)])[0]
        except (InputFileError, OSError, ValueError) as exc:
            problems.append((name, str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
            continue
        runs.append(replace(run, name=name))
    return runs, problems


def load_comparison(paths: Iterable[str | Path], root: str | Path) -> Comparison:
    """Everything the Compare page shows for the run directories ``paths`` (see
    :class:`Comparison`); unreadable runs are listed in ``problems``, never raised."""
    runs, problems = open_runs(paths, root)
    intervals, why = None, None
    if len(runs) >= 2:
        try:
            intervals = interval_table(runs)
        except (InputFileError, OSError) as exc:
            why = str(exc).splitlines()[0]
    return Comparison(
        runs=tuple(runs),
        problems=tuple(problems),
        table=run_table(runs) if runs else None,
        intervals=intervals,
        intervals_problem=why,
        points=frontier_points(runs),
    )


# ------------------------------------------------------------------------------ derived


def _number(value: object) -> float:
    """A summary figure as float; NaN for absent, text and bools."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return math.nan
    return float(value)


def run_label(run: Run) -> str:
    """Short label of a point: the variant and ``--set`` overrides, else the folder name."""
    variant = figure(run.summary, "scenario.variant")
    overrides = figure(run.summary, "scenario.overrides")
    parts = [str(variant)] if variant else []
    if isinstance(overrides, dict):
        parts += [f"{k}={v}" for k, v in overrides.items()]
    return ", ".join(parts) or run.path.name


def frontier_points(runs: list[Run]) -> pd.DataFrame:
    """One row per run: ``run`` (name), ``label``, the :data:`POINT_FIGURES` (CNY, shares 0–1,
    agent-hours, headcount; NaN where the summary lacks one) and ``dominated`` /
    ``dominated_by`` (the dominating run's name, empty when not dominated) from
    :func:`scenarios.frontier.mark_dominated`, the rule of ``peakplan frontier``; a run without a
    cost or a service level neither dominates nor is dominated, one whose roster breaks a rule it
    did not accept never dominates."""
    frame = pd.DataFrame(
        {
            "run": pd.Series([r.name for r in runs], dtype=object),
            "label": pd.Series([run_label(r) for r in runs], dtype=object),
            **{
                col: pd.Series([_number(figure(r.summary, key)) for r in runs], dtype=float)
                for col, key in POINT_FIGURES
            },
        }
    )
    legal = np.array([is_legal((r.summary or {}).get("validation") or {}) for r in runs],
                     dtype=bool)
    frame = mark_dominated(frame, cost=COST, service=SERVICE, label="run", can_dominate=legal)
    frame["dominated"] = frame["dominated"].astype(bool)
    frame["dominated_by"] = frame["dominated_by"].fillna("").astype(str)
    return frame


def interval_differences(runs: list[Run], intervals: Intervals) -> pd.DataFrame:
    """Long frame of the per-interval differences: ``timestamp`` (naive local), ``run``,
    ``measure`` (``scheduled`` agents or ``shortfall`` agents), ``value`` (that run) and
    ``difference`` (that run minus the first run), for every run after the first."""
    table = intervals.table
    first = runs[0].name
    stamps = pd.to_datetime(table["timestamp"], format="ISO8601")
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)
    parts = []
    for run in runs[1:]:
        for measure in ("scheduled", "shortfall"):
            parts.append(
                pd.DataFrame(
                    {
                        "timestamp": stamps,
                        "run": run.name,
                        "measure": measure,
                        "value": table[f"{run.name} {measure}"].to_numpy(),
                        "difference": table[f"{run.name} {measure} - {first}"].to_numpy(),
                    }
                )
            )
    return pd.concat(parts, ignore_index=True)


def scheduled_by_run(runs: list[Run], intervals: Intervals) -> pd.DataFrame:
    """Long frame ``timestamp``, ``run``, ``scheduled`` (agents on duty) of every run."""
    table = intervals.table
    stamps = pd.to_datetime(table["timestamp"], format="ISO8601")
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)
    return pd.concat(
        [
            pd.DataFrame(
                {"timestamp": stamps, "run": r.name, "scheduled": table[f"{r.name} scheduled"]}
            )
            for r in runs
        ],
        ignore_index=True,
    )


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The per-run table with every run cell as text (:func:`shown`): one column may mix
    numbers, dates and text, which Arrow cannot hold as one type."""
    out = table.copy()
    for column in out.columns:
        if column not in ("figure", "key"):
            out[column] = [shown(v) for v in out[column]]
    return out


_FORMULA_PREFIXES = ("=", "+", "-", "@")


def download_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV for Excel: UTF-8 with BOM, text cells and column names starting with
    ``= + - @`` prefixed with ``'`` (:func:`scenarios.io.csv_bytes`)."""
    safe = frame.rename(
        columns={c: f"'{c}" for c in frame.columns if str(c).startswith(_FORMULA_PREFIXES)}
    )
    return csv_bytes(safe, for_people=True)
