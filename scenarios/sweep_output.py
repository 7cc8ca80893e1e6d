"""Where a sweep (``peakplan frontier``, ``peakplan risk``) may write, and writing it as one unit.

A sweep directory holds one complete run per job (``LABEL/``, each a run directory with its own
``.peakplan-run.json``) plus top-level files (``frontier.csv``...). Its marker
:data:`SWEEP_MARKER` (JSON) lists ``files`` (top-level name -> sha256), ``runs`` (label -> sha256
of that run's marker) and ``kind`` (``frontier``, ``risk``...). The rules of scenarios.output
apply: a sweep goes only where nothing exists yet, into an empty directory, or over an earlier
sweep of the same kind whose marker accounts for every entry, unchanged; it is built in a hidden
staging sibling, marker last, and swapped in; of the earlier sweep only what its marker lists
(unchanged) is deleted. It may never be, hold or lie inside an input.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path

from scenarios.io import write_temp
from scenarios.output import (
    _OLD,
    _STAGING,
    RUN_MARKER,
    OutputPathError,
    RunTarget,
    _abs,
    _check_parent_writable,
    _pid_alive,
    _remove_owned,
    check_not_input,
    deferred_signals,
    foreign_or_changed,
    marker_bytes,
    read_marker,
    swap_into_place,
)

SWEEP_MARKER = ".peakplan-sweep.json"
_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._=+,@-]{0,119}")


def check_label(label: str) -> str:
    """A job label is a safe folder name: letters, digits and ``._=+,@-``, not starting with a
    dot, at most 120 characters; returns it, else raises OutputPathError naming it."""
    if not isinstance(label, str) or not _LABEL.fullmatch(label):
        raise OutputPathError(
            f"sweep label '{label}': not a safe folder name (letters, digits, ._=+,@- only)"
        )
    return label


def safe_label(text: str) -> str:
    """``text`` made a safe folder name: other characters become ``_``, at most 120 long."""
    cleaned = re.sub(r"[^A-Za-z0-9._=+,@-]", "_", text).lstrip("._") or "run"
    return cleaned[:120]


def _run_unchanged(run: Path, expected_marker_sha: object) -> bool:
    """Whether ``run`` is a run directory whose marker is the one recorded and accounts for
    every entry, unchanged."""
    if run.is_symlink() or not run.is_dir():
        return False
    marker_path = run / RUN_MARKER
    marker = read_marker(run, RUN_MARKER)
    if marker is None or (marker.get("kind") or "run") != "run":
        return False
    if hashlib.sha256(marker_path.read_bytes()).hexdigest() != expected_marker_sha:
        return False
    rest = [e for e in os.listdir(run) if e != RUN_MARKER]
    return foreign_or_changed(run, rest, marker) is None


def _sweep_problem(path: Path, marker: Mapping, kind: str) -> str | None:
    """Why the existing sweep directory ``path`` may not be replaced, or None."""
    runs = marker.get("runs") if isinstance(marker.get("runs"), dict) else {}
    files = [e for e in sorted(os.listdir(path)) if e != SWEEP_MARKER]
    for entry in files:
        if entry in runs:
            if not _run_unchanged(path / entry, runs[entry]):
                return f"run '{entry}' was changed after peakplan wrote it"
            continue
        why = foreign_or_changed(path, [entry], marker)
        if why:
            return why
    found = marker.get("kind") or "sweep"
    if found != kind:
        return f"is a peakplan {found}, not a {kind}"
    return None


def check_sweep_dir(
    out: str | Path, inputs: Iterable[str | Path | None], kind: str = "frontier"
) -> RunTarget:
    """Check, without side effects, that a sweep of ``kind`` may be written at ``out``.

    Returns a RunTarget whose ``state`` is new, empty or sweep (an earlier, unchanged sweep of
    this kind, to be replaced). Raises OutputPathError (one line naming the path): a file, a
    symlink, an input (or a folder holding one), the current directory, anything else.
    """
    path = _abs(out)
    if path == path.parent:
        raise OutputPathError(f"{path}: is the file-system root; give a new directory")
    check_not_input(path, inputs)
    if Path.cwd().resolve().is_relative_to(Path(os.path.realpath(path))):
        raise OutputPathError(f"{path}: is (or holds) the current directory; give a new directory")
    if path.is_symlink():
        raise OutputPathError(f"{path}: is a symbolic link; give the directory itself")
    state = "new"
    if path.exists():
        if not path.is_dir():
            raise OutputPathError(f"{path}: is a file, not a directory; give a new directory")
        entries = sorted(os.listdir(path))
        state = "sweep" if entries else "empty"
        if entries:
            marker = read_marker(path, SWEEP_MARKER)
            if marker is None and read_marker(path, RUN_MARKER) is not None:
                raise OutputPathError(
                    f"{path}: is a peakplan run, not a {kind}; give a new directory"
                )
            if marker is None:
                raise OutputPathError(
                    f"{path}: holds files peakplan did not write ('{entries[0]}'); "
                    "give a new or empty directory"
                )
            why = _sweep_problem(path, marker, kind)
            if why:
                raise OutputPathError(f"{path}: {why}; give a new directory or move it away")
    _check_parent_writable(path)
    return RunTarget(path, state)


def _remove_sweep(directory: Path, marker_name: str | None) -> None:
    """Delete what peakplan wrote in ``directory`` and the directory if nothing else is left.

    With ``marker_name`` (an earlier sweep): the runs and files its marker lists, unchanged.
    Without (an unfinished staging directory): plain files, complete unchanged runs and run
    staging directories. Anything else is left in place.
    """
    marker = read_marker(directory, marker_name) if marker_name else None
    runs = marker.get("runs", {}) if marker else {}
    for entry in os.listdir(directory):
        path = directory / entry
        if entry == marker_name:
            continue
        if marker_name is not None:
            if entry in runs and _run_unchanged(path, runs[entry]):
                _remove_owned(path, RUN_MARKER)
            elif foreign_or_changed(directory, [entry], marker) is None:
                os.unlink(path)
        elif path.is_file() and not path.is_symlink():
            os.unlink(path)
        elif path.is_dir() and not path.is_symlink():
            _remove_owned(path, RUN_MARKER if (path / RUN_MARKER).exists() else None)
    if marker_name is not None and set(os.listdir(directory)) == {marker_name}:
        os.unlink(directory / marker_name)
    with contextlib.suppress(OSError):
        os.rmdir(directory)


def clean_leftovers(target: Path) -> None:
    """Remove staging / old sweep directories of ``target`` left by a killed peakplan."""
    if not target.parent.is_dir():
        return
    for tag, marker in ((_STAGING, None), (_OLD, SWEEP_MARKER)):
        prefix = f".{target.name}{tag}"
        for name in os.listdir(target.parent):
            entry, pid = target.parent / name, name[len(prefix):].split("-")[0]
            if not name.startswith(prefix) or not pid.isdigit() or not entry.is_dir():
                continue
            if _pid_alive(int(pid)):
                continue
            with contextlib.suppress(OSError):
                _remove_sweep(entry, marker)


def finish_sweep(
    staging: Path,
    out: str | Path,
    inputs: Iterable[str | Path | None],
    *,
    kind: str,
    labels: Iterable[str],
    top_files: Mapping[str, bytes],
    **info: object,
) -> RunTarget:
    """Write ``top_files`` and the sweep marker into ``staging`` (the runs are there already),
    re-check the target and swap the sweep into place; an earlier sweep is then removed."""
    labels = list(labels)
    for name, data in top_files.items():
        if name in labels or name.startswith(".") or "/" in name:
            raise OutputPathError(f"{staging / name}: clashes with a run folder of the sweep")
        os.replace(write_temp(staging / name, data), staging / name)
    runs = {
        label: hashlib.sha256((staging / label / RUN_MARKER).read_bytes()).hexdigest()
        for label in labels
    }
    created = datetime.now().astimezone().isoformat(timespec="seconds")
    marker = marker_bytes(dict(top_files), created_at=created, kind=kind, runs=runs, **info)
    os.replace(write_temp(staging / SWEEP_MARKER, marker), staging / SWEEP_MARKER)
    with deferred_signals(commit=True):
        target = check_sweep_dir(out, inputs, kind)
        return swap_into_place(
            staging, target, "sweep", lambda old: _remove_sweep(old, SWEEP_MARKER)
        )
