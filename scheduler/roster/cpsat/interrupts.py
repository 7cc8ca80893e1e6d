"""Ctrl-C and SIGTERM during a roster solve reach the caller as ``KeyboardInterrupt``.

CP-SAT's default ``catch_sigint_signal=True`` swallows SIGINT: the search stops "as if a time
limit was reached" and ``solve`` returns FEASIBLE, so an interrupted ``peakplan run`` would
finish and write a roster from a cut-short search with exit 0. Here CP-SAT never handles the
signal; in the main thread the solve runs in a helper thread while the main thread waits, so
Python's own handler raises ``KeyboardInterrupt`` (or the CLI's SIGTERM exception) at once; the
search is then stopped (``stop_search``), joined, and the exception re-raised.

A signal that arrives while a numba kernel runs surfaces as ``SystemError: ... returned a result
with an exception set`` chained to the ``KeyboardInterrupt``; :func:`interrupts_unwrapped` hands
the caller the interrupt itself.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from ortools.sat.python import cp_model

POLL_S = 0.05  # seconds between checks for a pending signal while CP-SAT runs


def solve_cpsat(solver: cp_model.CpSolver, model: cp_model.CpModel,
                callback: cp_model.CpSolverSolutionCallback | None = None) -> int:
    """``solver.solve(model, callback)`` that a signal interrupts instead of truncating."""
    solver.parameters.catch_sigint_signal = False
    if threading.current_thread() is not threading.main_thread():
        return solver.solve(model, callback)  # signals are the main thread's business
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["status"] = solver.solve(model, callback)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller below
            box["error"] = exc

    worker = threading.Thread(target=target, name="cp-sat", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(POLL_S)
    except BaseException:
        solver.stop_search()
        worker.join()
        raise
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["status"]  # type: ignore[return-value]


def interrupt_behind(exc: BaseException) -> KeyboardInterrupt | None:
    """The ``KeyboardInterrupt`` (or subclass) in ``exc``'s cause/context chain, if any."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return cause
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return None


@contextlib.contextmanager
def interrupts_unwrapped() -> Iterator[None]:
    """Re-raise a signal that compiled code wrapped in a ``SystemError`` as the interrupt."""
    try:
        yield
    except SystemError as exc:
        signalled = interrupt_behind(exc)
        if signalled is None:
            raise
        raise signalled from None
