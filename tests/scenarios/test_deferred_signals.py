"""``output.deferred_signals``: Ctrl-C / SIGTERM during a rename sequence act only after it.

The process has other threads (numpy's BLAS pool, HiGHS workers), so a signal blocked in the
main thread alone would still reach Python's handler at once; these tests keep a second thread
alive to make that case real."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator

import pytest

from scenarios.cli import main
from scenarios.output import deferred_signals


class Stopped(Exception):
    """What the test's own handler raises in place of KeyboardInterrupt (which stops pytest)."""


@pytest.fixture()
def other_thread() -> Iterator[None]:
    """A second thread that does not block any signal, as in a real peakplan process."""
    release = threading.Event()
    helper = threading.Thread(target=release.wait, daemon=True)
    helper.start()
    yield
    release.set()
    helper.join(5)


@pytest.fixture()
def handlers() -> Iterator[list[int]]:
    """SIGINT raises :class:`Stopped`, SIGTERM is counted; the old handlers come back after."""
    seen: list[int] = []

    def on_int(signum, _frame) -> None:
        seen.append(signum)
        raise Stopped()

    old = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    signal.signal(signal.SIGINT, on_int)
    signal.signal(signal.SIGTERM, lambda signum, _frame: seen.append(signum))
    yield seen
    for signum, handler in old.items():
        signal.signal(signum, handler)


def busy(seconds: float) -> None:
    """Run Python bytecode (where a pending handler would fire) for ``seconds``."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def test_ctrl_c_inside_waits_for_the_end_of_the_block(other_thread, handlers):
    steps = []
    with pytest.raises(Stopped):
        with deferred_signals():
            steps.append("first rename")
            os.kill(os.getpid(), signal.SIGINT)
            busy(0.2)
            time.sleep(0.05)
            steps.append("second rename")
    assert steps == ["first rename", "second rename"]
    assert handlers == [signal.SIGINT]


def test_sigterm_twice_reaches_the_previous_handler_once_after_the_block(other_thread, handlers):
    with deferred_signals():
        os.kill(os.getpid(), signal.SIGTERM)
        busy(0.1)
        os.kill(os.getpid(), signal.SIGTERM)
        busy(0.1)
        assert handlers == []
    assert handlers == [signal.SIGTERM]
    os.kill(os.getpid(), signal.SIGTERM)  # the previous handler is back
    busy(0.1)
    assert handlers == [signal.SIGTERM, signal.SIGTERM]


def test_no_signal_leaves_the_handlers_as_they_were(handlers):
    before = signal.getsignal(signal.SIGINT)
    with deferred_signals():
        pass
    assert signal.getsignal(signal.SIGINT) is before
    assert handlers == []


def test_interrupt_inside_compiled_code_is_one_line(monkeypatch, capsys, tmp_path):
    """Ctrl-C while a numba kernel runs comes back as a SystemError chained to the
    KeyboardInterrupt (found by the kill test): still one line, exit 130, not an internal error."""
    import scenarios.cli_commands as commands

    def compiled_kernel_interrupted(_args):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise SystemError("CPUDispatcher(move_values) returned a result with an exception "
                              "set") from exc

    monkeypatch.setitem(commands.COMMANDS, "sample-data", compiled_kernel_interrupted)
    code = main(["sample-data", "--out", str(tmp_path / "s")])
    err = capsys.readouterr().err
    assert code == 130
    assert err.strip() == "peakplan: interrupted"
