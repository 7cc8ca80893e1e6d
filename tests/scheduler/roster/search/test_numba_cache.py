"""numba's on-disk cache falls back to a writable temp folder (issue 17, point 8).

When neither the install folder's ``__pycache__`` nor ``$HOME/.cache`` can be written (a service
account, a read-only container), importing the compiled kernels used to fail with "cannot cache
function '_inbound'" and every verb exited 1. Root bypasses file modes, so the first two tests
make the default cache locations impossible to create (a regular file where the folder would be)
in a private copy of the packages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
PACKAGES = ("forecast", "scheduler", "scenarios")
KERNEL = ("import numpy as np; from scheduler.roster.search.tour_dp import group_min; "
          "print(group_min(np.array([2.0, 1.0]), np.array([0, 0]), 1)[0][0])")


def _copy_blocked(dst: Path) -> None:
    """The packages' sources under ``dst`` with every ``__pycache__`` a regular file."""
    for pkg in PACKAGES:
        for src in (ROOT / pkg).rglob("*.py"):
            out = dst / src.relative_to(ROOT)
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, out)
            (out.parent / "__pycache__").touch()


def _env(tmp: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NUMBA_", "XDG_", "PYTHON", "TMP", "TEMP"))}
    env.update(HOME=str(home), PYTHONPATH=str(tmp / "src"), PYTHONDONTWRITEBYTECODE="1",
               TMPDIR=str(tmp / "tmp"))
    return env


@pytest.fixture
def blocked(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    _copy_blocked(tmp_path / "src")
    home = tmp_path / "home"
    home.mkdir()
    (home / ".cache").touch()  # ~/.cache/numba cannot be created
    (tmp_path / "tmp").mkdir()
    return tmp_path, _env(tmp_path, home)


def test_kernel_compiles_and_caches_without_default_cache_locations(blocked):
    tmp, env = blocked
    run = subprocess.run([sys.executable, "-c", KERNEL], env=env, cwd=tmp, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "1.0"
    cached = list((tmp / "tmp").glob(f"peakplan-numba-{os.getuid()}/**/*.nbi"))
    assert cached, "the kernels were not cached in the temp fallback"
    # a second process reuses the cache (and still works)
    again = subprocess.run([sys.executable, "-c", KERNEL], env=env, cwd=tmp,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-2000:]


def test_cli_verb_reaches_its_own_checks_without_default_cache_locations(blocked):
    # every verb imports the pipeline (and the kernels) before reading its inputs: a missing
    # file must give the usual one-line error and exit 2, not exit 1 from numba
    tmp, env = blocked
    run = subprocess.run([sys.executable, "-m", "scenarios.cli", "roster", "--requirements",
                          "missing.csv", "--scenario", "missing.toml", "--out", "roster.csv"],
                         env=env, cwd=tmp, capture_output=True, text=True, timeout=300)
    assert "cannot cache" not in run.stderr
    assert run.returncode == 2, run.stderr[-2000:]
    assert run.stderr.startswith("peakplan: error:")


def test_fallback_folder_owned_by_someone_else_is_not_used(tmp_path, monkeypatch):
    from scheduler.roster.search import numba_cache

    monkeypatch.setattr(numba_cache.tempfile, "gettempdir", lambda: str(tmp_path))
    shared = tmp_path / f"peakplan-numba-{os.getuid()}"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)  # group/other-writable: anyone could plant cache files there
    chosen = numba_cache.private_temp_dir()
    assert chosen is not None and Path(chosen) != shared and os.access(chosen, os.W_OK)

