"""Where peakplan may write, and writing a command's outputs as one unit.

Rules: never delete, rename or overwrite a file peakplan did not write; never write over an input.

- A run directory (``peakplan run``; a review likewise) goes only where nothing exists yet, into
  an empty directory, or over an earlier one of its kind, whose marker (:data:`RUN_MARKER`: JSON,
  ``files`` = name -> sha256 of every file written) accounts for every entry, unchanged. It is
  built in a hidden sibling ``.NAME.peakplan-staging-PID-XXXX``, marker last, and renamed into
  place; an earlier run is renamed to ``.NAME.peakplan-old-PID-XXXX`` and then only the files its
  marker lists are deleted.
- Single files (``forecast``, ``staff``; ``roster``'s three as one unit) go to temps and are
  renamed; an existing file is replaced only with ``--overwrite`` (restored if the unit fails).
- Directories of generated files (``sample-data``, marker :data:`SAMPLE_MARKER`) may hold other
  files, which are left alone; a file the generator did not write is never overwritten.

Every problem is an :class:`OutputPathError` (one line naming the path), raised before any work.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from scenarios.interrupts import raise_if_signalled
from scenarios.io import InputFileError, dir_mode, write_temp
from scenarios.io import process_umask as process_umask  # re-exported for callers and tests

RUN_MARKER = ".peakplan-run.json"
SAMPLE_MARKER = ".peakplan-sample-data.json"
_STAGING = ".peakplan-staging-"
_OLD = ".peakplan-old-"


class OutputPathError(InputFileError):
    """An output path peakplan must not (or cannot) write; one line naming the path."""


def _abs(path: str | Path) -> Path:
    """Absolute, ``..``-free path without resolving symlinks (so a link itself is seen)."""
    return Path(os.path.abspath(path))


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    with contextlib.suppress(PackageNotFoundError):
        return version("peakplan")
    return "unknown"  # pragma: no cover - a plain checkout


@contextlib.contextmanager
def deferred_signals(*, commit: bool = False) -> Iterator[None]:
    """Hold SIGINT/SIGTERM (delivered afterwards) so a rename sequence is never cut in half.

    The handlers are swapped for ones that only note the signal, and the noted signals are
    raised again once the previous handlers are back. (Blocking the signals in the main thread
    is not enough: the kernel then hands a process-directed signal to another thread -- numpy's
    BLAS pool, a HiGHS worker -- and Python still runs the handler in the main thread at once.)
    With ``commit`` (the block puts outputs in place), a signal the CLI noted earlier whose
    exception a finaliser swallowed is raised first: nothing is committed after a Ctrl-C
    (``scenarios.interrupts``). Clean-up blocks leave ``commit`` off.
    """
    if commit:
        raise_if_signalled()
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    previous = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    held = [signum for signum, handler in previous.items() if handler is not None]  # None: C's
    for signum in held:
        signal.signal(signum, lambda got, _frame: noted.append(got))
    try:
        yield
    finally:
        for signum in held:
            signal.signal(signum, previous[signum])
        for signum in dict.fromkeys(noted):
            signal.raise_signal(signum)  # the previous handler acts now


# ------------------------------------------------------------------------------------ checks


def check_not_input(out: Path, inputs: Iterable[str | Path | None]) -> None:
    """Refuse an output that is, contains or lies inside an input (symlinks resolved)."""
    out_real = Path(os.path.realpath(out))
    for given in inputs:
        if given is None:
            continue
        real = Path(os.path.realpath(given))
        same = out_real == real or (
            out.exists() and real.exists() and os.path.samefile(out_real, real)
        )
        if same:
            raise OutputPathError(f"{out}: is the input {given}; choose another output path")
        if real.is_relative_to(out_real):
            raise OutputPathError(
                f"{out}: contains the input {given}; choose an output path outside the inputs"
            )
        if out_real.is_relative_to(real):
            raise OutputPathError(f"{out}: lies inside the input {given}")


def _check_parent_writable(path: Path) -> None:
    """The nearest existing ancestor of ``path`` must be a directory we can create entries in."""
    parent = path.parent
    while not os.path.lexists(parent) and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputPathError(f"{path}: {parent} is not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputPathError(f"{path}: cannot create files in {parent} (permission denied)")


def read_marker(directory: Path, name: str) -> dict | None:
    """The marker ``directory/name`` as a dict with a ``files`` mapping, or None (absent/broken)."""
    path = directory / name
    if not path.is_file() or path.is_symlink():
        return None
    try:
        marker = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or not isinstance(marker.get("files"), dict | list):
        return None
    return marker


def _owned(directory: Path, rel: str, marker: Mapping | None) -> bool:
    """Whether ``directory/rel`` is a plain file the marker lists, with the bytes peakplan wrote."""
    if marker is None or not isinstance(marker.get("files"), dict):
        return False
    path = directory / rel
    expected = marker["files"].get(rel)
    if not isinstance(expected, str) or not path.is_file() or path.is_symlink():
        return False
    return hashlib.sha256(path.read_bytes()).hexdigest() == expected


def foreign_or_changed(
    directory: Path, names: Iterable[str], marker: Mapping | None
) -> str | None:
    """Why one of the existing ``names`` in ``directory`` is not peakplan's, or None if all are."""
    for rel in names:
        path = directory / rel
        if not os.path.lexists(path):
            continue
        listed = marker is not None and rel in marker.get("files", ())
        if not listed:
            return f"holds '{rel}', which peakplan did not write"
        if not _owned(directory, rel, marker):
            return f"'{rel}' was changed after peakplan wrote it"
    return None


def check_run_files(path: Path, names: Sequence[str], action: str) -> dict:
    """The marker of ``path``, a run directory (marker of kind ``run``) that lists ``names``
    unchanged; otherwise InputFileError, one line ending ``cannot ACTION it``."""
    if not path.is_dir():
        raise InputFileError(f"{path}: not a directory; give a peakplan run directory")
    marker = read_marker(path, RUN_MARKER)
    if marker is None:
        raise InputFileError(f"{path}: not a peakplan run directory (no {RUN_MARKER})")
    kind = marker.get("kind") or "run"
    if kind != "run":
        raise InputFileError(f"{path}: is a peakplan {kind}, not a run; cannot {action} it")
    for name in names:
        if name not in marker["files"] or not (path / name).is_file():
            raise InputFileError(f"{path}: has no {name} (an unfinished run, or one written "
                                 f"by an older peakplan?); cannot {action} it")
    why = foreign_or_changed(path, list(names), marker)
    if why:
        raise InputFileError(f"{path}: {why}; cannot {action} it")
    return marker


@dataclass(frozen=True)
class RunTarget:
    """A checked run directory: ``path`` absolute; ``state`` new, empty or run (earlier run)."""

    path: Path
    state: str


def check_run_dir(out: str | Path, inputs: Iterable[str | Path | None], kind: str = "run"
                  ) -> RunTarget:
    """Check, without side effects, that a run (or another ``kind``, e.g. a review) may be
    written at ``out``; an earlier peakplan directory is replaced only by one of its kind.
    Raises OutputPathError: a file, a symlink, an input (or a folder holding one), the current
    directory, anything but an unchanged earlier run of that kind, no permission."""
    path = _abs(out)
    if path == path.parent:
        raise OutputPathError(f"{path}: is the file-system root; give a new directory for the run")
    check_not_input(path, inputs)
    if Path.cwd().resolve().is_relative_to(Path(os.path.realpath(path))):
        raise OutputPathError(
            f"{path}: is (or holds) the current directory; give a new directory for the run"
        )
    if path.is_symlink():
        raise OutputPathError(f"{path}: is a symbolic link; give the run directory itself")
    state = "new"
    if path.exists():
        if not path.is_dir():
            raise OutputPathError(f"{path}: is a file, not a directory; give a new directory")
        entries = sorted(os.listdir(path))
        state = "run" if entries else "empty"
        if entries:
            marker = read_marker(path, RUN_MARKER)
            if marker is None:
                raise OutputPathError(
                    f"{path}: holds files peakplan did not write ('{entries[0]}'); "
                    "give a new or empty directory"
                )
            why = foreign_or_changed(path, [e for e in entries if e != RUN_MARKER], marker)
            if why:
                raise OutputPathError(f"{path}: {why}; give a new directory or move the file away")
            found = marker.get("kind") or "run"
            if found != kind:
                raise OutputPathError(
                    f"{path}: is a peakplan {found}, not a {kind}; give a new directory"
                )
    _check_parent_writable(path)
    return RunTarget(path, state)


def check_generated_dir(out: str | Path, names: Iterable[str], marker_name: str) -> Path:
    """Check that generated ``names`` (and the marker) may be written under ``out``: each one is
    absent or was written there by peakplan, unchanged. Other files in ``out`` are left alone."""
    path = _abs(out)
    if os.path.lexists(path) and not path.is_dir():
        raise OutputPathError(f"{path}: is a file, not a directory")
    marker = read_marker(path, marker_name) if path.is_dir() else None
    why = foreign_or_changed(path, list(names), marker)
    if why is None and marker is None and os.path.lexists(path / marker_name):
        why = f"holds '{marker_name}', which is not peakplan's"
    if why:
        raise OutputPathError(f"{path}: {why}; move it away or choose another directory")
    _check_parent_writable(path / "x")
    return path


def marker_bytes(contents: Mapping[str, bytes], **info: object) -> bytes:
    """A marker listing files (relative path -> bytes written) by their sha256."""
    files = {rel: hashlib.sha256(contents[rel]).hexdigest() for rel in sorted(contents)}
    body = {"written_by": "peakplan", "peakplan_version": _version(), **info, "files": files}
    return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------------- writing


def _hidden_sibling(path: Path, tag: str) -> Path:
    return path.with_name(f".{path.name}{tag}{os.getpid()}-{os.urandom(4).hex()}")


def _remove_owned(directory: Path, marker_name: str | None) -> None:
    """Delete ``directory`` if everything in it is peakplan's: with ``marker_name``, the files the
    marker lists (unchanged) and the marker; without, the files of an unfinished staging
    directory (plain files only). Anything else leaves the directory in place."""
    entries = os.listdir(directory)
    if marker_name is not None:
        marker = read_marker(directory, marker_name)
        rest = [e for e in entries if e != marker_name]
        if marker is None or foreign_or_changed(directory, rest, marker):
            return
    elif any(not (directory / e).is_file() or (directory / e).is_symlink() for e in entries):
        return
    for entry in entries:
        os.unlink(directory / entry)
    os.rmdir(directory)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        pass
    return True


def _clean_leftovers(target: Path) -> None:
    """Remove staging / old directories of ``target`` left by a killed peakplan (dead PID)."""
    for tag, marker in ((_STAGING, None), (_OLD, RUN_MARKER)):
        prefix = f".{target.name}{tag}"
        for name in os.listdir(target.parent):
            entry, pid = target.parent / name, name[len(prefix):].split("-")[0]
            if not name.startswith(prefix) or not pid.isdigit() or not entry.is_dir():
                continue
            if _pid_alive(int(pid)):
                continue
            with contextlib.suppress(OSError):
                _remove_owned(entry, marker)


def make_staging(target: RunTarget) -> Path:
    """Create the hidden staging directory beside the run directory (mode per umask)."""
    target.path.parent.mkdir(parents=True, exist_ok=True)
    _clean_leftovers(target.path)
    prefix = f".{target.path.name}{_STAGING}{os.getpid()}-"
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=target.path.parent))
    os.chmod(staging, dir_mode())
    return staging


def remove_staging(staging: Path) -> None:
    """Delete a staging directory this process made (nothing else)."""
    if _STAGING in staging.name:
        with deferred_signals():
            shutil.rmtree(staging, ignore_errors=True)


def finish_run(
    staging: Path, out: str | Path, inputs: Iterable[str | Path | None], **info: object
) -> RunTarget:
    """Write the marker into ``staging``, re-check the target and swap the run into place."""
    staged = {p.name: p.read_bytes() for p in staging.iterdir() if not p.name.startswith(".")}
    created = datetime.now().astimezone().isoformat(timespec="seconds")
    marker = marker_bytes(staged, created_at=created, **info)
    tmp = write_temp(staging / RUN_MARKER, marker)
    os.replace(tmp, staging / RUN_MARKER)
    with deferred_signals(commit=True):
        target = check_run_dir(out, inputs, str(info.get("kind") or "run"))
        return swap_into_place(staging, target, "run", lambda old: _remove_owned(old, RUN_MARKER))


def swap_into_place(
    staging: Path, target: RunTarget, replaces: str, remove_old: Callable[[Path], None]
) -> RunTarget:
    """Rename ``staging`` to ``target.path`` (call with signals deferred). An earlier output
    there (``target.state == replaces``) is moved aside first, put back if the rename fails, and
    then handed to ``remove_old`` (which deletes only what peakplan wrote)."""
    if target.state != replaces:
        os.rename(staging, target.path)  # atomic; replaces an empty directory only
        return target
    old = _hidden_sibling(target.path, _OLD)
    os.rename(target.path, old)
    try:
        os.rename(staging, target.path)
    except BaseException:
        os.rename(old, target.path)
        raise
    with contextlib.suppress(OSError):
        remove_old(old)
    return target
