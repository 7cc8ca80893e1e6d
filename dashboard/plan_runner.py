"""Running ``scenarios.pipeline.run_scenario`` for the Plan page in a child process.

The dashboard never solves in its script thread: :func:`start_run` starts a ``spawn`` child that
calls ``run_scenario`` (the same function as ``peakplan run``) and sends plain dicts on a
``multiprocessing`` queue; the page calls :meth:`PlanRun.poll` on a timer. Messages:

- ``{"kind": "stage", "stage": "load"|"forecast"|"staffing"|"roster"|"warning", "message": str}``
  from the pipeline's ``log`` lines (``stage`` is the word before the first colon);
- ``{"kind": "progress", "solver_s": s, "objective_cny": CNY, "bound_cny": CNY | None}`` from
  ``on_progress`` (every improving roster; the bound is None while CP-SAT has none);
- ``{"kind": "done", "out_dir": str, "figures": {...}}`` once the run directory is in place;
- ``{"kind": "failed", "message": one line}`` (bad input, output refused, internal error);
- ``{"kind": "cancelled"}`` after SIGINT/SIGTERM.

:meth:`PlanRun.cancel` sends SIGINT (the pipeline stops the solve, writes nothing and removes its
staging directory, as on Ctrl-C) and kills the child if it is still alive after the grace time,
so the run stops within ``grace_s`` seconds. Only the pipeline marks a directory complete (its
marker is written last and the directory renamed into place), so a cancelled run leaves none.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import queue as queue_mod
import re
import signal
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from scenarios.io import one_line

#: Seconds between SIGINT and SIGKILL when cancelling (the issue asks for a stop within 2 s).
CANCEL_GRACE_S = 1.4
#: States of a run; the last three are final.
RUNNING, DONE, FAILED, CANCELLED = "running", "done", "failed", "cancelled"
#: Pipeline log words that name a stage (anything else is shown under the current stage).
STAGES = ("load", "forecast", "staffing", "roster", "warning")


def new_out_dir(root: str | Path, variant: str | None, now: datetime | None = None) -> Path:
    """A run directory ``root/out/plan-YYYYmmdd-HHMMSS-<variant>`` that does not exist yet
    (``-2``, ``-3`` ... appended when it does); ``variant`` None is written ``base``."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", variant or "base").strip("_-") or "variant"
    base = Path(root) / "out" / f"plan-{stamp}-{name}"
    path, n = base, 1
    while os.path.lexists(path):
        n += 1
        path = base.with_name(f"{base.name}-{n}")
    return path


def _figures(summary: dict) -> dict[str, Any]:
    """The headline figures of a summary.json dict (CNY, agent-hours, shares 0-1)."""
    cost, service = summary.get("cost_cny", {}), summary.get("service", {})
    return {
        "wages_cny": cost.get("wages_total"),
        "short_agent_hours": summary.get("hours", {}).get("short_agent_hours"),
        "expected_service_level": service.get("expected_service_level"),
        "status": summary.get("solver", {}).get("status"),
    }


def _die_with_parent() -> None:
    """Ask Linux to SIGTERM this process when the dashboard server dies (best effort)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _child(
    scenario_path: str,
    out_dir: str,
    variant: str | None,
    overrides: Sequence[tuple[str, object]],
    messages: Any,
) -> None:
    """The child process: run the scenario, report on ``messages`` (a multiprocessing queue)."""

    def on_term(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt  # SIGTERM cleans up like Ctrl-C

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    _die_with_parent()
    try:
        messages.put({"kind": "stage", "stage": "load", "message": "load: scenario"})
        from scenarios.pipeline import run_scenario

        def log(message: str) -> None:
            word = message.split(":", 1)[0].strip()
            messages.put({"kind": "stage", "stage": word if word in STAGES else "", "message":
                          message})

        def on_progress(elapsed: float, objective: float, bound: float) -> None:
            usable = bound == bound and math.isfinite(bound) and bound > 0
            messages.put({"kind": "progress", "solver_s": float(elapsed),
                          "objective_cny": float(objective),
                          "bound_cny": float(bound) if usable else None})

        outputs = run_scenario(scenario_path, out_dir, on_progress=on_progress, log=log,
                               variant=variant, overrides=tuple(overrides))
        messages.put({"kind": "done", "out_dir": str(outputs.out_dir),
                      "figures": _figures(outputs.summary)})
    except KeyboardInterrupt:
        messages.put({"kind": "cancelled"})
    except BaseException as exc:  # noqa: BLE001 - reported to the page as one line
        from scheduler.roster import interrupt_behind

        if interrupt_behind(exc) is not None:  # a signal inside compiled code
            messages.put({"kind": "cancelled"})
        else:
            messages.put({"kind": "failed", "message": one_line(exc)})


@dataclass
class PlanRun:
    """One plan run in a child process, as the page sees it (kept in session state)."""

    scenario_path: Path
    out_dir: Path
    variant: str | None
    overrides: tuple[tuple[str, object], ...]
    process: Any
    messages: Any
    started: float = field(default_factory=time.monotonic)
    state: str = RUNNING
    stage: str = "load"
    log: list[str] = field(default_factory=list)
    progress: list[dict] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    finished: float | None = None
    time_limit_s: float | None = None  # the solve's limit, for the page's progress bar
    roster_started: float | None = None  # when the roster stage began (monotonic s)

    @property
    def elapsed_s(self) -> float:
        """Seconds since the start (until the end once finished)."""
        return (self.finished or time.monotonic()) - self.started

    @property
    def latest(self) -> dict | None:
        """The last progress message (objective and bound in CNY), or None before the solve."""
        return self.progress[-1] if self.progress else None

    def poll(self) -> list[dict]:
        """Read every waiting message and update the state; returns the messages read. A child
        that died without a final message is a failure (exit code in the message)."""
        got = self._waiting()
        for message in got:
            self._apply(message)
        if self.state == RUNNING and not self.process.is_alive():
            self.process.join(0.2)
            for message in self._drain(0.5):
                got.append(message)
                self._apply(message)
            if self.state == RUNNING:
                self._finish(FAILED, f"the planning process ended (exit code "
                             f"{self.process.exitcode}) without a result")
        return got

    def _drain(self, wait_s: float) -> list[dict]:
        got: list[dict] = []
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            try:
                got.append(self.messages.get(timeout=0.05))
            except (queue_mod.Empty, OSError, ValueError, EOFError):
                if got:
                    break
        return got

    def _apply(self, message: dict) -> None:
        kind = message.get("kind")
        if kind == "stage":
            self.log.append(str(message.get("message", "")))
            if message.get("stage") in STAGES and message["stage"] != "warning":
                self._stage(message["stage"])
        elif kind == "progress":
            self._stage("roster")
            self.progress.append(message)
        elif kind == "done":
            self.figures = dict(message.get("figures") or {})
            self.out_dir = Path(message.get("out_dir") or self.out_dir)
            self._finish(DONE)
        elif kind == "failed":
            self._finish(FAILED, str(message.get("message") or "failed"))
        elif kind == "cancelled":
            self._finish(CANCELLED)

    def _stage(self, stage: str) -> None:
        if stage == "roster" and self.roster_started is None:
            self.roster_started = time.monotonic()
        self.stage = stage

    @property
    def solve_share(self) -> float | None:
        """Share 0-1 of the solver time limit used since the roster stage began, or None
        before it (or without a known limit)."""
        if self.roster_started is None or not self.time_limit_s:
            return None
        return min(1.0, (time.monotonic() - self.roster_started) / self.time_limit_s)

    def _finish(self, state: str, error: str | None = None) -> None:
        if self.state == RUNNING:
            self.state, self.error, self.finished = state, error, time.monotonic()
            self.stage = state

    def cancel(self, grace_s: float = CANCEL_GRACE_S) -> float:
        """Stop the child: SIGINT, then SIGKILL if it is still alive after ``grace_s`` seconds
        (and any staging directory it left is removed). Returns the seconds it took. A run
        that had already finished keeps its result."""
        t0 = time.monotonic()
        if self.process.is_alive():
            os.kill(self.process.pid, signal.SIGINT)
            self.process.join(grace_s)
            if self.process.is_alive():
                self.process.kill()
                self.process.join(0.3)
                self._remove_staging()
        took = time.monotonic() - t0
        for message in self._waiting():
            self._apply(message)
        self._finish(CANCELLED)
        return took

    def _waiting(self) -> list[dict]:
        got: list[dict] = []
        while True:
            try:
                got.append(self.messages.get_nowait())
            except (queue_mod.Empty, OSError, ValueError, EOFError):
                return got

    def _remove_staging(self) -> None:
        """Staging directories of this child beside the run directory (a SIGKILL leaves them;
        named ``.NAME.peakplan-staging-PID-*`` by scenarios.output)."""
        from scenarios.output import remove_staging

        pattern = f".{self.out_dir.name}.peakplan-staging-{self.process.pid}-*"
        for leftover in self.out_dir.parent.glob(pattern):
            remove_staging(leftover)

    def close(self) -> None:
        """Release the queue and process handles of a finished run (again: nothing)."""
        try:
            if self.process.is_alive():
                return
            self.messages.close()
            self.process.close()
        except ValueError:  # closed already
            pass


def start_run(
    scenario_path: str | Path,
    out_dir: str | Path,
    *,
    variant: str | None = None,
    overrides: Sequence[tuple[str, object]] = (),
    time_limit_s: float | None = None,
) -> PlanRun:
    """Start ``run_scenario(scenario_path, out_dir, variant=, overrides=)`` in a ``spawn`` child
    process (solver settings from the scenario and ``solver.*`` overrides; ``time_limit_s``, the
    resulting solver limit, only sizes the page's progress bar). The child is not a
    daemon (the roster search forks helpers with several workers); it dies with the server."""
    ctx = mp.get_context("spawn")
    messages = ctx.Queue()
    args = (str(scenario_path), str(out_dir), variant, tuple(overrides), messages)
    process = ctx.Process(target=_child, args=args, name="peakplan-plan")
    process.start()
    return PlanRun(Path(scenario_path), Path(out_dir), variant, tuple(overrides), process,
                   messages, time_limit_s=time_limit_s)
