"""The run store: the run directories under a folder (``peakplan runs``) and re-planning one from
its own directory (``peakplan rerun``); layout in docs/contracts.md "Run directory".

- :func:`list_runs` finds every run directory below a folder (marker ``.peakplan-run.json`` of
  kind ``run``; hidden staging / old directories skipped), sorted by path, each with its
  summary.json figures and a state: ``complete``, ``modified`` (a file differs from the sha256
  its marker lists, is missing, or was added) or ``unreadable`` (marker or summary.json does not
  validate). It never writes.
- :func:`open_run` opens a run for ``rerun``: its ``scenario.resolved.toml`` (data paths outside
  the run's folder are allowed: it is peakplan's own file), its summary.json, and every input
  checked against the sha256 in summary.json ``inputs``; a changed or missing input is a one-line
  :class:`~scenarios.io.InputFileError` naming the file.
- :func:`rerun` plans it again with the run's own solver settings into a new run directory (same
  output safety as ``run``) and compares the two summaries key by key, ignoring only
  :data:`IGNORED_KEYS`, which cannot repeat.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scenarios.io import InputFileError
from scenarios.output import RUN_MARKER, check_run_files, foreign_or_changed, read_marker
from scenarios.summary_model import RunSummary, read_summary

if TYPE_CHECKING:
    from scenarios.run_writer import RunOutputs
    from scenarios.schema import Scenario
    from scheduler.roster.schema import SolverConfig

#: Summary keys (dotted) a rerun cannot repeat, left out of the comparison: when the run was
#: made, how long the solver ran, which scenario path was given, and where the scenario bytes
#: were read from (the original file for ``run``, the run's own copy for ``rerun``).
IGNORED_KEYS = ("run.created_at", "solver.wall_time_s", "solver.stage_seconds", "scenario.file",
                "inputs.scenario.path")

#: Files ``rerun`` reads from the run directory (each must be listed in its marker, unchanged).
RERUN_FILES = ("summary.json", "scenario.toml", "scenario.resolved.toml")


# ------------------------------------------------------------------------------------ listing


@dataclass(frozen=True)
class RunEntry:
    """One run directory: ``state`` complete / modified / unreadable, its summary (None when
    unreadable) and ``note`` (why it is not complete)."""

    path: Path
    state: str
    summary: RunSummary | None
    note: str = ""


def find_runs(root: str | Path) -> list[Path]:
    """Directories at or below ``root`` holding a run marker (kind ``run``, or a marker too
    broken to say), sorted by path; hidden directories and symlinks are not entered."""
    root = Path(root)
    if not root.is_dir():
        raise InputFileError(f"{root}: not a directory")
    found = []
    for here, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if RUN_MARKER not in files:
            continue
        directory = Path(here)
        marker = read_marker(directory, RUN_MARKER)
        if marker is None or (marker.get("kind") or "run") == "run":
            found.append(directory)
    return sorted(found, key=lambda p: p.parts)


def _changed(directory: Path, marker: dict) -> str | None:
    """Why the files of ``directory`` differ from its marker, or None."""
    listed = marker.get("files")
    if not isinstance(listed, dict):
        return "marker lists no sha256"
    for name in sorted(listed):
        if not (directory / name).is_file():
            return f"'{name}' is missing"
    entries = sorted(e for e in os.listdir(directory) if e != RUN_MARKER)
    return foreign_or_changed(directory, entries, marker)


def inspect_run(directory: Path) -> RunEntry:
    """State and summary of one run directory (reads, never writes)."""
    marker = read_marker(directory, RUN_MARKER)
    if marker is None:
        return RunEntry(directory, "unreadable", None, f"{RUN_MARKER} is not a peakplan marker")
    try:
        summary = read_summary(directory / "summary.json")
    except ValueError as exc:
        return RunEntry(directory, "unreadable", None, str(exc).replace(f"{directory}/", ""))
    why = _changed(directory, marker)
    return RunEntry(directory, "modified" if why else "complete", summary, why or "")


def list_runs(root: str | Path) -> list[RunEntry]:
    """:func:`inspect_run` of every :func:`find_runs` directory."""
    return [inspect_run(path) for path in find_runs(root)]


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


RUNS_HEADER = (
    "path", "scenario", "variant", "created_at", "wages_cny", "temps", "service_level",
    "3min_rate", "short_agent_h", "gap", "state",
)


def run_row(entry: RunEntry) -> tuple[str, ...]:
    """The figures ``peakplan runs`` prints for one run (text, ``-`` where there is none)."""
    s = entry.summary
    state = entry.state + (f" ({entry.note})" if entry.note else "")
    if s is None:
        return (str(entry.path), *("-",) * 9, state)
    if not s.validation.ok:  # never quiet: the state says the roster breaks rules
        accepted = " accepted" if s.validation.accepted else ""
        state += f", {s.validation.violations} violations{accepted}"
    return (
        str(entry.path),
        s.scenario.name,
        s.scenario.variant or "-",
        s.run.created_at,
        f"{s.cost_cny.wages_total:,.0f}",
        str(s.headcount.temporary),
        _pct(s.service.expected_service_level),
        _pct(s.service.expected_three_min_rate),
        f"{s.hours.short_agent_hours:,.1f}",
        _pct(s.solver.gap),
        state,
    )


def format_runs(entries: list[RunEntry]) -> list[str]:
    """A header and one aligned line per run."""
    rows = [RUNS_HEADER, *(run_row(e) for e in entries)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(RUNS_HEADER) - 1)]
    return [
        "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]])
        for row in rows
    ]


# -------------------------------------------------------------------------------------- rerun


@dataclass(frozen=True)
class StoredRun:
    """A run opened for ``rerun``: its summary, resolved scenario and solver settings."""

    path: Path
    summary: RunSummary
    scenario: Scenario
    solver: SolverConfig


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_inputs(run_dir: Path, summary: RunSummary, scenario: Scenario) -> None:
    """Every input of the run (the scenario as its copy ``scenario.toml``, and the data files
    the resolved scenario names) must be where summary.json ``inputs`` says, with that sha256.

    Raises:
        InputFileError: ``PATH changed since the run (sha256 differs)``, ``PATH is missing since
            the run``, or summary.json and scenario.resolved.toml disagree.
    """
    from scenarios.run_summary import input_files

    files = input_files(run_dir / "scenario.toml", scenario)
    recorded = summary.inputs
    source = run_dir / "summary.json"
    for role in sorted(set(files) | set(recorded)):
        if role not in files or role not in recorded:
            raise InputFileError(
                f"{source}: field 'inputs.{role}' does not match scenario.resolved.toml"
            )
        path, record = files[role], recorded[role]
        if role != "scenario" and str(path.absolute()) != record.path:
            raise InputFileError(
                f"{source}: field 'inputs.{role}.path' does not match scenario.resolved.toml"
            )
        if not path.is_file():
            raise InputFileError(f"{path} is missing since the run")
        if _sha256(path) != record.sha256:
            raise InputFileError(f"{path} changed since the run (sha256 differs)")


def open_run(run_dir: str | Path) -> StoredRun:
    """Open a complete run for :func:`rerun`: its files unchanged (marker), summary.json valid,
    ``scenario.resolved.toml`` loaded (paths outside the run's folder allowed), every input
    unchanged (:func:`check_inputs`), and the solver settings the run used (summary.json
    ``solver``: seed, workers, time limit, deterministic, LP bound; the rest from the resolved
    ``[solver]``). Raises one-line InputFileError / ScenarioError."""
    from scenarios.load import load_scenario
    from scenarios.run_summary import requested_deterministic
    from scheduler.roster.schema import SolverConfig

    run_dir = Path(run_dir)
    check_run_files(run_dir, RERUN_FILES, "rerun")
    try:
        summary = read_summary(run_dir / "summary.json")
    except ValueError as exc:
        raise InputFileError(str(exc)) from None
    scenario = load_scenario(run_dir / "scenario.resolved.toml", allow_outside_paths=True)
    check_inputs(run_dir, summary, scenario)
    used = summary.solver
    solver = SolverConfig.model_validate(
        {
            **scenario.solver.model_dump(),
            "random_seed": used.random_seed,
            "num_workers": used.num_workers,
            "time_limit_s": used.time_limit_s,
            "deterministic": requested_deterministic(used.model_dump()),
            "lp_bound": used.lp_bound,
        }
    )
    return StoredRun(run_dir, summary, scenario, solver)


def flatten(value: object, prefix: str = "") -> dict[str, object]:
    """Nested dicts as ``{dotted.key: leaf}``; lists, empty dicts and None are leaves."""
    if isinstance(value, dict) and value:
        out: dict[str, object] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}{key}."))
        return out
    return {prefix.removesuffix("."): value}


def differences(
    old: dict, new: dict, ignore: tuple[str, ...] = IGNORED_KEYS
) -> tuple[list[tuple[str, object, object]], int]:
    """Keys (dotted) whose values differ between two summaries, with the old and new value
    (absent = None), and how many keys were compared; ``ignore`` keys (and the keys under
    them) are left out."""
    a, b = flatten(old), flatten(new)
    keys = sorted(k for k in set(a) | set(b)
                  if k not in ignore and not k.startswith(tuple(f"{i}." for i in ignore)))
    diff = [(k, a.get(k), b.get(k)) for k in keys if k not in a or k not in b or a[k] != b[k]]
    return diff, len(keys)


@dataclass(frozen=True)
class RerunResult:
    """A rerun: the new run, the differing summary keys (key, old, new), how many keys were
    compared, and whether roster.csv is byte for byte the old one."""

    outputs: RunOutputs
    differing: list[tuple[str, object, object]]
    compared: int
    roster_identical: bool


def rerun(
    run_dir: str | Path,
    out_dir: str | Path,
    *,
    on_progress: Callable[[float, float, float], None] | None = None,
    log: Callable[[str], None] = lambda _msg: None,
) -> RerunResult:
    """Plan the run in ``run_dir`` again into ``out_dir`` (checked like ``run``'s output before
    any work, and never the old run, inside it or holding it) and compare the summaries.

    The new run records the old one's ``scenario`` section (file, variant, overrides), so it is
    what the original run would have been; its ``scenario.toml`` is the old run's copy."""
    from scenarios.run_writer import write_run

    stored = open_run(run_dir)
    old = stored.summary
    outputs = write_run(
        stored.scenario,
        stored.path / "scenario.toml",
        out_dir,
        solver=stored.solver,
        on_progress=on_progress,
        log=log,
        variant=old.scenario.variant,
        overrides=tuple(old.scenario.overrides.items()),
        scenario_file=old.scenario.file,
        guard=[stored.path],
    )
    differing, compared = differences(old.model_dump(mode="json"), outputs.summary)
    roster = (stored.path / "roster.csv", Path(out_dir) / "roster.csv")
    same = roster[0].is_file() and roster[0].read_bytes() == roster[1].read_bytes()
    return RerunResult(outputs, differing, compared, same)
