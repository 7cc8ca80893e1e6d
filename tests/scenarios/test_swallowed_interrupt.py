"""A Ctrl-C whose KeyboardInterrupt a finaliser swallows still stops ``peakplan run``.

Python runs a signal handler at the next bytecode boundary; inside an object's ``__del__`` the
exception it raises is dropped (reported through ``sys.unraisablehook`` as "Exception ignored";
seen in CI inside llvmlite's ctypes callback while numba compiled). The test makes that happen
for certain: while the run writes ``summary.json`` (before the outputs are swapped into place)
an object is collected whose ``__del__`` raises SIGINT. The command must still exit 130 with
one line and no traceback, and leave no run behind (scenarios.interrupts)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import pathlib, signal, sys
import scenarios.io as io
from scenarios.cli import main

real = io.write_json


class Finaliser:
    def __del__(self):
        pathlib.Path(sys.argv[-1]).write_text("ran", encoding="utf-8")
        signal.raise_signal(signal.SIGINT)  # the handler runs here; its exception is dropped


def write_json(*args, **kwargs):
    Finaliser()  # collected at once
    return real(*args, **kwargs)


io.write_json = write_json
sys.exit(main(sys.argv[1:-1]))
"""


def test_an_interrupt_dropped_in_a_finaliser_still_stops_the_run(tiny, tmp_path_factory):
    out = tiny["dir"] / "out"
    before = {p.name for p in tiny["dir"].iterdir()}
    ran = tmp_path_factory.mktemp("marker") / "finaliser-ran"
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, "run", str(tiny["scenario"]), "--out", str(out),
         "--quiet", "--time-limit", "1", "--workers", "1", str(ran)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert ran.read_text(encoding="utf-8") == "ran"  # the premise: SIGINT inside a finaliser
    assert proc.returncode == 130, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines[-1] == "peakplan: interrupted"
    assert not any(x.startswith(("Traceback", "  File", "Exception ignored")) for x in lines)
    assert {p.name for p in tiny["dir"].iterdir()} == before  # no run, no staging directory


def test_a_reported_interrupt_does_not_block_later_commits_in_the_process(tmp_path):
    """After ``main`` has reported a signal its handlers noted, nothing of it is left: a later
    commit in the same process (a test, the dashboard) goes ahead."""
    from scenarios import interrupts
    from scenarios.output import deferred_signals

    original = sys.unraisablehook
    restore = interrupts.install()
    assert restore is not None
    assert sys.unraisablehook is not original  # dropped interrupts are reported by main
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
    assert sys.unraisablehook is original  # Python's own "Exception ignored" report is back
    with deferred_signals(commit=True):
        (tmp_path / "done").write_text("ok", encoding="utf-8")
    assert (tmp_path / "done").read_text(encoding="utf-8") == "ok"
