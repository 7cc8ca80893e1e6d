"""Ctrl-C during a roster solve is an interrupt, never a roster from a search cut short.

CP-SAT's default ``catch_sigint_signal`` swallowed SIGINT and returned FEASIBLE; a ``peakplan
run`` interrupted during CP-SAT then wrote its roster with exit 0 (found by the kill test in CI).
"""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from ortools.sat.python import cp_model

from scheduler.roster.cpsat.interrupts import interrupt_behind, interrupts_unwrapped, solve_cpsat


def _hard_model() -> cp_model.CpModel:
    """A model CP-SAT keeps improving for far longer than the test waits."""
    m = cp_model.CpModel()
    xs = [m.new_int_var(0, 200, f"x{i}") for i in range(80)]
    for i in range(79):
        m.add(xs[i] + xs[i + 1] <= 200 + i % 7)
    m.add_all_different(xs)
    m.maximize(sum((i % 13 + 1) * x for i, x in enumerate(xs)))
    return m


def _sigint_after(seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    return timer


def test_sigint_during_cp_sat_raises_keyboard_interrupt_at_once():
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 20.0
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    timer = _sigint_after(0.5)
    started = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        solve_cpsat(solver, _hard_model())
    timer.join()
    assert time.perf_counter() - started < 5.0  # stopped, not run to the 20 s limit


def test_uninterrupted_solve_returns_the_status():
    m = cp_model.CpModel()
    x = m.new_int_var(0, 10, "x")
    m.maximize(x)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solve_cpsat(solver, m) == cp_model.OPTIMAL
    assert solver.value(x) == 10


def test_a_solve_outside_the_main_thread_still_works():
    m = cp_model.CpModel()
    x = m.new_int_var(0, 3, "x")
    m.minimize(x)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    out: list[int] = []
    worker = threading.Thread(target=lambda: out.append(solve_cpsat(solver, m)))
    worker.start()
    worker.join(30)
    assert out == [cp_model.OPTIMAL]


def test_interrupt_wrapped_by_compiled_code_is_unwrapped():
    ki = KeyboardInterrupt()
    try:
        raise SystemError("returned a result with an exception set") from ki
    except SystemError as exc:
        wrapped = exc
    assert interrupt_behind(wrapped) is ki
    with pytest.raises(KeyboardInterrupt):
        with interrupts_unwrapped():
            raise wrapped
    with pytest.raises(SystemError):  # a SystemError with no interrupt behind stays one
        with interrupts_unwrapped():
            raise SystemError("other")
