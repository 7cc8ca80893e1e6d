"""Ctrl-C and SIGTERM in the command line: raised as exceptions, and never lost.

Python runs a signal handler in the main thread at the next bytecode boundary. When that boundary
lies inside a finaliser -- an object's ``__del__``, a weakref callback, a generator the garbage
collector closes -- the ``KeyboardInterrupt`` the handler raises is printed as "Exception
ignored" and dropped, and the command carries on as if nothing happened: a Ctrl-C during a
``peakplan run`` then ended with exit 0 and the new run swapped in (seen once in about forty
interrupted test runs). So the CLI's handlers also note the signal here, and

- every commit of outputs (``scenarios.output.deferred_signals``) first calls
  :func:`raise_if_signalled`, so a noted signal aborts before anything is swapped into place;
- ``peakplan``'s ``main`` reports a noted signal (exit 130 or 143) even when the command
  returned normally;
- while the handlers are installed, Python's "Exception ignored" report of such a dropped
  interrupt (``sys.unraisablehook``) is silent, so the user still sees one line; after an
  interrupted command (``restore(final=True)``) every such report is, since what an interrupt
  left half-built may fail in its finaliser during the shutdown that follows.

Seen live: Ctrl-C landed in llvmlite's object-cache ctypes callback while numba compiled a
kernel ("Exception ignored on calling ctypes callback function ... KeyboardInterrupt").

Outside the CLI (the dashboard, tests calling the pipeline) nothing is noted and these are no-ops.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable

_noted: list[int] = []  # signals the CLI's handlers received in this command


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread like Ctrl-C so outputs are cleaned up the same way."""


def _exception(signum: int) -> KeyboardInterrupt:
    return Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


def _handler(signum: int, _frame: object) -> None:
    _noted.append(signum)
    raise _exception(signum)


def _silent(_unraisable: object) -> None:
    """``sys.unraisablehook`` for the shutdown of an interrupted command: reports nothing."""


def install() -> Callable[[bool], None] | None:
    """Install the noting SIGINT/SIGTERM handlers (main thread only) and forget earlier noted
    signals; returns ``restore(final)``, which puts the previous handlers back (with ``final``
    SIGINT gets the default action instead: the process is about to exit), or None off the main
    thread (where Python allows no handlers)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    _noted.clear()
    previous = {s: signal.signal(s, _handler) for s in (signal.SIGINT, signal.SIGTERM)}
    hook = sys.unraisablehook

    def quiet_interrupts(unraisable) -> None:  # type: ignore[no-untyped-def]
        if not (_noted and isinstance(unraisable.exc_value, KeyboardInterrupt)):
            hook(unraisable)

    sys.unraisablehook = quiet_interrupts

    def restore(final: bool = False) -> None:
        if final:  # first, so no later Ctrl-C becomes a KeyboardInterrupt in shutdown
            previous[signal.SIGINT] = signal.SIG_DFL
        for s in (signal.SIGINT, signal.SIGTERM):
            signal.signal(s, previous[s] if previous[s] is not None else signal.SIG_DFL)
        # an interrupted command's process exits next: an object whose construction the
        # interrupt cut short may fail in its finaliser after the one line was printed
        # (llvmlite's pass manager: "Exception ignored ... no attribute '_as_parameter_'")
        sys.unraisablehook = _silent if final and _noted else hook
        _noted.clear()  # reported by main: later commits in this process go ahead

    return restore


def signalled() -> int | None:
    """The first signal the CLI's handlers received in this command, or None."""
    return _noted[0] if _noted else None


def raise_if_signalled() -> None:
    """Raise the interrupt a finaliser may have swallowed (no-op when none was received)."""
    if _noted:
        raise _exception(_noted[0])
