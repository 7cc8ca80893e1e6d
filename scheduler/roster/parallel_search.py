"""Iterated local search on several cores: short epochs in which forked copies of the search
run from the same incumbent with different seeds, the cheapest result seeding the next epoch.

The local search (``best_response.py``) is pure Python + compiled kernels on one core, so on a
2-core machine the second core would idle while it runs. A forked child inherits the search
state (no pickling of the model); only its result (cost in CNY and the (identity, column)
pairs) comes back through a pipe. Where ``fork`` is not available, or with one worker, the
search runs in this process alone.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time

from scheduler.roster.best_response import BestResponse

EPOCH_S = 8.0  # seconds between exchanges of the incumbent
SEED_STRIDE = 1000  # children's seeds: seed + SEED_STRIDE * (child + 1) + epoch


def _child(conn, br: BestResponse, chosen: list[tuple[int, int]], until: float,
           seed: int) -> None:
    out, _ = br.perturb_search(chosen, until, seed)
    br.load(out)
    conn.send((br.total(), out))
    conn.close()


def parallel_perturb(br: BestResponse, chosen: list[tuple[int, int]], until: float,
                     seed: int, workers: int) -> list[tuple[int, int]]:
    """``br.perturb_search`` until ``until`` (perf_counter s) on ``workers`` processes
    (capped by the machine's cores); returns the cheapest roster found (never worse than
    ``chosen`` at the search's prices)."""
    n_children = min(workers, os.cpu_count() or 1) - 1
    if n_children < 1 or "fork" not in mp.get_all_start_methods():
        return br.perturb_search(chosen, until, seed)[0]
    ctx = mp.get_context("fork")
    br.load(chosen)
    best, best_cost = chosen, br.total()
    epoch = 0
    while time.perf_counter() < until - 0.1:
        end = min(until, time.perf_counter() + EPOCH_S)
        pipes, procs = [], []
        for c in range(n_children):
            recv, send = ctx.Pipe(duplex=False)
            p = ctx.Process(target=_child, daemon=True,
                            args=(send, br, best, end, seed + SEED_STRIDE * (c + 1) + epoch))
            p.start()
            send.close()
            pipes.append(recv)
            procs.append(p)
        out, _ = br.perturb_search(best, end, seed + epoch)
        br.load(out)
        results = [(br.total(), out)]
        for recv, p in zip(pipes, procs, strict=True):
            if recv.poll(max(0.0, end - time.perf_counter()) + 2.0):
                try:
                    results.append(recv.recv())
                except EOFError:  # the child died: its epoch is lost, not the search
                    pass
            p.join(timeout=1.0)
            if p.is_alive():
                p.kill()
        cost, out = min(results, key=lambda r: r[0])
        if cost <= best_cost:
            best, best_cost = out, cost
        epoch += 1
    return best
