"""Single output files (``forecast``, ``staff``, ``compare --out``; ``roster``'s four files as
one unit): checked before any work, written to temps beside them and renamed into place all or
nothing; an existing file is replaced only with ``--overwrite``, an input never.

Directories (runs, reviews, sweeps, sample data) are scenarios.output's.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from scenarios.io import write_temp
from scenarios.output import (
    _OLD,
    RUN_MARKER,
    OutputPathError,
    _abs,
    _check_parent_writable,
    _hidden_sibling,
    check_not_input,
    deferred_signals,
    read_marker,
)


def check_files(
    paths: Iterable[str | Path], inputs: Iterable[str | Path | None], *, overwrite: bool
) -> list[Path]:
    """Check single output files: never an input, never inside a run directory, an existing
    file only with ``overwrite``. Returns the absolute paths."""
    inputs = list(inputs)
    checked = []
    for given in paths:
        path = _abs(given)
        check_not_input(path, inputs)
        if path.is_dir():
            raise OutputPathError(f"{path}: is a directory; give a file name")
        if read_marker(path.parent, RUN_MARKER) is not None:
            raise OutputPathError(
                f"{path}: {path.parent} is a peakplan run directory; "
                "use `peakplan run` to replace a run"
            )
        if os.path.lexists(path) and not overwrite:
            raise OutputPathError(f"{path}: already exists; pass --overwrite to replace it")
        _check_parent_writable(path)
        checked.append(path)
    return checked


ROSTER_COMPANIONS = ("coverage.csv", "unmet.csv")


def roster_paths(out: str | Path) -> list[Path]:
    """``roster --out X.csv`` writes X.csv, coverage.csv, unmet.csv and the workbook X.xlsx
    beside it (one unit), in that order."""
    path = _abs(out)
    if path.name.casefold() in ROSTER_COMPANIONS:
        raise OutputPathError(
            f"{path}: the roster cannot be called {path.name}; roster writes coverage.csv and "
            "unmet.csv beside it"
        )
    if path.suffix.casefold() == ".xlsx":
        raise OutputPathError(
            f"{path}: give the roster CSV's name (X.csv); roster writes X.xlsx beside it"
        )
    workbook = path.with_suffix(".xlsx") if path.suffix else path.with_name(path.name + ".xlsx")
    return [path, *(path.with_name(name) for name in ROSTER_COMPANIONS), workbook]


def write_unit(files: Mapping[Path, bytes], *, overwrite: bool) -> None:
    """Write every file to a temp beside it, then rename them all into place; if one rename
    fails, remove the new files and restore the old ones (all or nothing)."""
    temps: dict[Path, Path] = {}
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            temps[path] = write_temp(path, data)
        backups: dict[Path, Path] = {}
        installed: list[Path] = []
        with deferred_signals(commit=True):
            try:
                for path, tmp in temps.items():
                    if os.path.lexists(path):
                        if not overwrite:
                            raise OutputPathError(
                                f"{path}: already exists; pass --overwrite to replace it"
                            )
                        backups[path] = _hidden_sibling(path, _OLD)
                        try:
                            os.link(path, backups[path], follow_symlinks=False)
                        except OSError:
                            os.rename(path, backups[path])
                    os.replace(tmp, path)
                    installed.append(path)
            except BaseException:
                for path in installed:
                    with contextlib.suppress(OSError):
                        os.unlink(path)
                for path, backup in backups.items():
                    if path in installed or not os.path.lexists(path):
                        os.replace(backup, path)
                    else:  # a hard link to the file still in place
                        os.unlink(backup)
                raise
            for backup in backups.values():
                with contextlib.suppress(OSError):
                    os.unlink(backup)
    finally:
        for tmp in temps.values():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


def write_files(
    files: Mapping[str | Path, bytes], inputs: Iterable[str | Path | None], *, overwrite: bool
) -> list[Path]:
    """Re-check (:func:`check_files`) and write ``files`` as one unit; returns their paths."""
    paths = check_files(list(files), inputs, overwrite=overwrite)
    write_unit(dict(zip(paths, files.values(), strict=True)), overwrite=overwrite)
    return paths
