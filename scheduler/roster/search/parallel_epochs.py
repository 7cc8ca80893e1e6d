"""Iterated local search and day MIPs on several cores: short epochs in which forked copies of
the search run from the same incumbent, the cheapest result seeding the next epoch.

The local search (``best_response.py``) is pure Python + compiled kernels on one core, so on a
2-core machine the second core would idle while it runs. A forked child inherits the search
state (no pickling of the model); only its result (cost in CNY and the (identity, column)
pairs) comes back through a pipe.

From the second epoch on, the parent process spends its epochs on the day neighbourhood
(``day_mip.py``: all shifts of one date re-optimised jointly by a MIP) while the children kick;
once ``n_days`` dates in a row save nothing it kicks too. (The first epoch kicks everywhere: the
day MIPs find little on the constructive roster.) Where ``fork`` is not available, or with one
worker, the same epochs run in this process alone.

Signals: children ignore SIGINT (Ctrl-C reaches the whole process group; the parent handles it
and stops them), die with the parent (Linux ``PR_SET_PDEATHSIG``, else a parent-pid check), and
the parent kills and joins every child it started before it returns or raises.
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import random
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from scheduler.cores import usable_cores
from scheduler.roster.search.day_mip import DayMip

if TYPE_CHECKING:
    from scheduler.roster.search.best_response import BestResponse

EPOCH_S = 8.0  # seconds between exchanges of the incumbent
DAY_MIP_S = 4.0  # time limit of one date's MIP (s)
DAY_MIP_MIN_S = 0.5  # no date's MIP is started with less time than this left in the epoch
SEED_STRIDE = 1000  # children's seeds: seed + SEED_STRIDE * (child + 1) + epoch

Pairs = list[tuple[int, int]]


class _Days:
    """The dates to re-optimise, in seeded random passes; ``stale`` counts dates tried since
    the last saving (a whole pass without one retires the day neighbourhood)."""

    def __init__(self, br: BestResponse, seed: int) -> None:
        self.dm, self.n = DayMip(br), len(br.inst.hz.days)
        self.rng = random.Random(seed)
        self.queue: list[int] = []
        self.stale = 0

    @property
    def active(self) -> bool:
        return self.stale < self.n

    def run(self, end: float) -> None:
        """Day MIPs on the incumbent of the search until ``end`` (perf_counter s)."""
        while self.active and end - time.perf_counter() >= DAY_MIP_MIN_S:
            if not self.queue:
                self.queue = self.rng.sample(range(self.n), self.n)
            left = end - time.perf_counter()
            saved = self.dm.improve_day(self.queue.pop(), min(DAY_MIP_S, left))
            self.stale = 0 if saved > 0 else self.stale + 1


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent(parent: int) -> None:
    """In a forked child: ignore Ctrl-C (the parent handles it), die silently on SIGTERM, get
    SIGKILL when the parent
    dies (Linux), and exit now if it already has (the fork raced its death)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the CLI's clean-stop handler
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the epoch deadline still ends the child
            pass
    if os.getppid() != parent:
        os._exit(1)


@contextmanager
def _sigint_blocked() -> Iterator[None]:
    """Hold Ctrl-C back while forking, so a child never sees it before it ignores it."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _stop(procs: list) -> None:
    """Kill and join children still running (a child that finished is only joined)."""
    for p in procs:
        if p.is_alive():
            p.kill()
    for p in procs:
        p.join(timeout=5.0)


def _child(conn, br: BestResponse, chosen: Pairs, until: float, seed: int,
           parent: int) -> None:
    _die_with_parent(parent)
    out, _ = br.perturb_search(chosen, until, seed)
    br.load(out)
    conn.send((br.total(), out))
    conn.close()


def _parent_step(br: BestResponse, best: Pairs, end: float, seed: int,
                 days: _Days | None) -> tuple[float, Pairs]:
    """The parent's share of an epoch: day MIPs while they save, else kicks."""
    if days is not None and days.active:
        br.load(best)
        days.run(end)
        return br.total(), br.pairs()
    out, _ = br.perturb_search(best, end, seed)
    br.load(out)
    return br.total(), out


def child_processes(workers: int) -> int:
    """Children to fork next to this process for ``workers`` workers: capped by the cores this
    process may use (:func:`scheduler.cores.usable_cores`), 0 where ``fork`` is missing."""
    if "fork" not in mp.get_all_start_methods():
        return 0
    return max(0, min(workers, usable_cores()) - 1)


def parallel_perturb(br: BestResponse, chosen: Pairs, until: float, seed: int, workers: int,
                     days: bool = True) -> Pairs:
    """Kicks (and, with ``days``, the day neighbourhood) until ``until`` (perf_counter s) on
    ``workers`` processes (capped by the cores this process may use); returns the cheapest
    roster found (never worse than ``chosen`` at the search's prices)."""
    n_children = child_processes(workers)
    ctx = mp.get_context("fork") if n_children else None
    day_search = _Days(br, seed) if days else None
    br.load(chosen)
    best, best_cost = chosen, br.total()
    epoch = 0
    while time.perf_counter() < until - 0.1:
        end = min(until, time.perf_counter() + EPOCH_S)
        pipes, procs = [], []
        try:
            for c in range(n_children):
                recv, send = ctx.Pipe(duplex=False)  # type: ignore[union-attr]
                p = ctx.Process(  # type: ignore[union-attr]
                    target=_child, daemon=True,
                    args=(send, br, best, end, seed + SEED_STRIDE * (c + 1) + epoch,
                          os.getpid()))
                with _sigint_blocked():
                    p.start()
                procs.append(p)
                send.close()
                pipes.append(recv)
            # alone, the process alternates epochs of both; with children it starts on day
            # MIPs from the second epoch
            use_days = day_search if epoch >= 1 and (n_children or epoch % 2) else None
            results = [_parent_step(br, best, end, seed + epoch, use_days)]
            for recv, p in zip(pipes, procs, strict=True):
                if recv.poll(max(0.0, end - time.perf_counter()) + 2.0):
                    try:
                        results.append(recv.recv())
                    except EOFError:  # the child died: its epoch is lost, not the search
                        pass
                p.join(timeout=1.0)
        finally:
            _stop(procs)
            for recv in pipes:
                recv.close()
        cost, out = min(results, key=lambda r: r[0])
        if cost <= best_cost:
            best, best_cost = out, cost
        epoch += 1
    return best
