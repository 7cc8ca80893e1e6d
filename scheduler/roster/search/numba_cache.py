"""Where numba keeps its on-disk cache of compiled kernels (``@njit(cache=True)``).

numba looks for a writable ``__pycache__`` next to the source, then ``$HOME/.cache/numba`` (or
``NUMBA_CACHE_DIR`` when set) and raises "cannot cache function ..." at import time when none is
writable: a service account or a read-only container. ``cache_enabled`` (called before the
kernels are decorated) keeps numba's defaults when one of them is writable and otherwise points
numba at a private folder under the system temp folder, ``peakplan-numba-<uid>`` (created 0700;
reused only if it belongs to this user and nobody else can write to it, else a fresh private
folder for this process). If no folder at all can be written, caching is turned off (the kernels
are then compiled on each start, a few seconds) instead of failing.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import numba
from numba.misc.appdirs import AppDirs

_CHOSEN: bool | None = None  # result of the first call (the choice holds for the process)


def _writable(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is (or can be made) a folder this process can create files in."""
    try:
        os.makedirs(path, exist_ok=True)
        tempfile.TemporaryFile(dir=path).close()
    except OSError:
        return False
    return True


def _uid() -> str:
    getuid = getattr(os, "getuid", None)
    return str(getuid()) if getuid is not None else os.environ.get("USERNAME", "user")


def _private(path: str) -> bool:
    """``path`` is a real folder owned by this user that no one else can write to."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode) or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    getuid = getattr(os, "getuid", None)
    return getuid is None or st.st_uid == getuid()


def private_temp_dir() -> str | None:
    """A writable cache folder under the temp folder that only this user can write to: the
    shared ``peakplan-numba-<uid>`` when it is safe, else a fresh ``mkdtemp`` folder; None when
    the temp folder is not writable either."""
    shared = os.path.join(tempfile.gettempdir(), f"peakplan-numba-{_uid()}")
    try:
        os.mkdir(shared, 0o700)
    except FileExistsError:
        pass
    except OSError:
        shared = ""
    if shared and _private(shared) and _writable(shared):
        return shared
    try:
        return tempfile.mkdtemp(prefix="peakplan-numba-")
    except OSError:
        return None


def _defaults_writable(source_dir: Path) -> bool:
    configured = numba.config.CACHE_DIR
    if configured and _writable(configured):
        return True
    if _writable(source_dir / "__pycache__"):
        return True
    return _writable(AppDirs(appname="numba", appauthor=False).user_cache_dir)


def cache_enabled(source_file: str) -> bool:
    """Make sure numba can cache the kernels of ``source_file`` (see the module docstring);
    returns the ``cache=`` value to decorate them with."""
    global _CHOSEN
    if _CHOSEN is not None:
        return _CHOSEN
    if _defaults_writable(Path(source_file).resolve().parent):
        _CHOSEN = True
        return True
    folder = private_temp_dir()
    if folder is None:
        _CHOSEN = False
        return False
    numba.config.CACHE_DIR = folder
    os.environ["NUMBA_CACHE_DIR"] = folder  # child processes and numba config reloads agree
    _CHOSEN = True
    return True
