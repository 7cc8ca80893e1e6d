"""Forked search children and signals (issue 17, point 9).

Ctrl-C (SIGINT to the whole foreground process group) must not print a traceback from a forked
child; after ``kill -9`` of the parent its children must die too; and the parent must not leave
children running when its search is interrupted. Real signals on a problem big enough that the
search forks (two workers).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from scheduler.cores import usable_cores

ROOT = Path(__file__).resolve().parents[4]
HERE = Path(__file__).resolve().parents[2]  # tests/scheduler: the shared helpers

pytestmark = pytest.mark.skipif(
    "fork" not in mp.get_all_start_methods() or usable_cores() < 2,
    reason="the parallel search forks only with fork and at least two cores",
)

# prints "FORKED <pids>" once the parallel search has started its children, then keeps solving
SCRIPT = textwrap.dedent(f"""
    import multiprocessing as mp, sys
    sys.path[:0] = [{str(ROOT)!r}, {str(HERE)!r}]
    from roster_factory import make_problem
    from scheduler.roster.search import parallel_epochs as parallel_search
    from scheduler.roster.schema import SolverConfig
    from scheduler.roster.solve import solve_roster

    step = parallel_search._parent_step
    said = []

    def spy(*args, **kw):
        if not said:
            said.append(1)
            print("FORKED", *[p.pid for p in mp.active_children()], flush=True)
        return step(*args, **kw)

    parallel_search._parent_step = spy
    problem = make_problem(n_perm=12, n_part=6, days=7, temp_max=4, peak_day=3)
    try:
        solve_roster(problem, SolverConfig(time_limit_s=120, num_workers=2, random_seed=0))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr, flush=True)
        sys.exit(130)
""")


def _start() -> tuple[subprocess.Popen, list[int]]:
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    line = proc.stdout.readline()  # blocks until the children exist (or the script died)
    if not line.startswith("FORKED"):
        proc.kill()
        pytest.fail(f"search did not fork: {line!r} {proc.stderr.read()[-2000:]}")
    pids = [int(x) for x in line.split()[1:]]
    assert pids, "no child process"
    return proc, pids


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper counts as dead)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def _wait_dead(pids: list[int], seconds: float) -> list[int]:
    end = time.monotonic() + seconds
    while time.monotonic() < end and any(_alive(p) for p in pids):
        time.sleep(0.05)
    return [p for p in pids if _alive(p)]


def test_children_die_with_the_parent_on_kill_9():
    proc, pids = _start()
    try:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        assert _wait_dead(pids, 3.0) == [], "a forked child outlived its killed parent"
    finally:
        for p in pids:
            if _alive(p):
                os.kill(p, signal.SIGKILL)


def test_ctrl_c_gives_no_child_traceback_and_leaves_no_child():
    proc, pids = _start()
    try:
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal does: the whole process group
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 130, err[-2000:]
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, err[-2000:]
        assert err.strip() == "interrupted"
        assert _wait_dead(pids, 3.0) == []
    finally:
        if proc.poll() is None:
            proc.kill()
        for p in pids:
            if _alive(p):
                os.kill(p, signal.SIGKILL)


def test_interrupted_search_joins_its_children(monkeypatch):
    from roster_factory import make_problem

    from scheduler.roster.search import parallel_epochs as parallel_search
    from scheduler.roster.search.best_response import BestResponse
    from scheduler.roster.solve import constructive_roster, prepare_instance

    inst, _, sel = prepare_instance(make_problem(n_perm=6, n_part=2, days=3, temp_max=2))
    br = BestResponse(inst)
    start = constructive_roster(inst, sel)
    seen: list[list[int]] = []

    def interrupt(*args, **kw):
        seen.append([p.pid for p in mp.active_children()])
        raise KeyboardInterrupt

    monkeypatch.setattr(parallel_search, "_parent_step", interrupt)
    with pytest.raises(KeyboardInterrupt):
        parallel_search.parallel_perturb(br, start, time.perf_counter() + 30, 0, 2)
    assert seen and seen[0], "the search did not fork"
    assert mp.active_children() == []
    assert _wait_dead(seen[0], 1.0) == []
