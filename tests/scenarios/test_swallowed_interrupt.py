"""A Ctrl-C whose KeyboardInterrupt a finaliser swallows still stops ``peakplan run``.

Python runs a signal handler at the next bytecode boundary; inside an object's ``__del__`` the
exception it raises is printed as "Exception ignored" and dropped. The test makes that happen for
certain: while the run writes ``summary.json`` (before the outputs are swapped into place) an
object is collected whose ``__del__`` raises SIGINT. The command must still exit 130 with one
line and leave no run behind (scenarios.interrupts)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import signal, sys
import scenarios.io as io
from scenarios.cli import main

real = io.write_json


class Finaliser:
    def __del__(self):
        signal.raise_signal(signal.SIGINT)  # the handler runs here; its exception is dropped


def write_json(*args, **kwargs):
    Finaliser()  # collected at once
    return real(*args, **kwargs)


io.write_json = write_json
sys.exit(main(sys.argv[1:]))
"""


def test_an_interrupt_dropped_in_a_finaliser_still_stops_the_run(tiny):
    out = tiny["dir"] / "out"
    before = {p.name for p in tiny["dir"].iterdir()}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, "run", str(tiny["scenario"]), "--out", str(out),
         "--quiet", "--time-limit", "1", "--workers", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert "Exception ignored" in proc.stderr  # the premise: Python dropped the interrupt
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == "peakplan: interrupted"
    assert {p.name for p in tiny["dir"].iterdir()} == before  # no run, no staging directory


def test_a_reported_interrupt_does_not_block_later_commits_in_the_process(tmp_path):
    """After ``main`` has reported a signal its handlers noted, nothing of it is left: a later
    commit in the same process (a test, the dashboard) goes ahead."""
    from scenarios import interrupts
    from scenarios.output import deferred_signals

    restore = interrupts.install()
    assert restore is not None
    try:
        signal.raise_signal(signal.SIGINT)
    except KeyboardInterrupt:
        pass
    assert interrupts.signalled() == signal.SIGINT
    with pytest.raises(KeyboardInterrupt):
        with deferred_signals(commit=True):
            pass
    restore()
    assert interrupts.signalled() is None
    with deferred_signals(commit=True):
        (tmp_path / "done").write_text("ok", encoding="utf-8")
    assert (tmp_path / "done").read_text(encoding="utf-8") == "ok"
