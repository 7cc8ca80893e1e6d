"""`peakplan runs` (list the run directories under a folder with their key figures) and
`peakplan rerun` (plan a run again from its own directory and compare the summaries).

Only argparse is imported at start-up; the run store (scenarios.run_store) and the pipeline load
inside the commands.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

RUNS_HELP = """prints one line per run directory found at or below DIR (marker .peakplan-run.json
of kind run; hidden directories skipped), sorted by path:
  path, scenario name, variant, created_at, wages total (CNY), temp headcount, expected service
  level and 3-minute rate (the roster as scheduled), short agent-hours, solver gap, and a state:
  complete    every file as the run wrote it (sha256 in the marker)
  modified    a file differs from its marker sha256, is missing, or was added (said why)
  unreadable  the marker or summary.json does not validate (e.g. an older schema_version)
Reads only; never writes."""

RERUN_HELP = """re-plans RUN from its own directory: scenario.resolved.toml (variant and --set
applied, every default filled in; its data paths may lie outside RUN), the run's solver settings
from summary.json (seed, workers, time limit, deterministic, LP bound). Every input must still
have the sha256 summary.json `inputs` records, else a one-line error naming the file and nothing
is written. NEW is written like `peakplan run --out` (new, empty or an earlier run; never RUN).
Then prints `rerun: summary reproduced (N figures identical)` or each differing summary key
(dotted, old -> new), ignoring only run.created_at, solver.wall_time_s, scenario.file and
inputs.scenario.path, which cannot repeat. Exit 0 either way; 2 for bad input. A run reproduces
exactly with the same seed on one worker in deterministic mode (--deterministic)."""


def add_parsers(sub, raw: type[argparse.HelpFormatter]) -> None:
    """Add ``runs`` and ``rerun`` to the `peakplan` parser."""
    from scenarios.cli_args import _input_args

    p = sub.add_parser(
        "runs",
        help="list the run directories under a folder with their key figures",
        epilog=RUNS_HELP,
        formatter_class=raw,
    )
    p.add_argument("dir", nargs="?", default=Path("."), type=Path, metavar="DIR",
                   help="folder to search (default: the current directory)")

    p = sub.add_parser(
        "rerun",
        help="plan a run again from its directory and compare the summaries",
        epilog=RERUN_HELP,
        formatter_class=raw,
    )
    p.add_argument("run", type=Path, metavar="RUN", help="run directory (peakplan run)")
    p.add_argument("--out", required=True, type=Path, metavar="NEW", help="new run directory")
    p.add_argument("--quiet", action="store_true", help="do not print solver progress")
    _input_args(p, scenario=False)


def _cmd_runs(args: argparse.Namespace) -> int:
    from scenarios.run_store import format_runs, list_runs

    entries = list_runs(args.dir)
    if not entries:
        print(f"runs: no run directories at or below {args.dir}")
        return 0
    for line in format_runs(entries):
        print(line)
    return 0


def _shown(value: object) -> str:
    text = "absent" if value is None else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _cmd_rerun(args: argparse.Namespace) -> int:
    from scenarios.cli_commands import _log, _progress
    from scenarios.run_store import rerun
    from scenarios.violations import report_violations

    result = rerun(args.run, args.out, on_progress=_progress(args.quiet), log=_log)
    solver = result.outputs.summary["solver"]
    print(
        f"rerun: {args.run} -> {args.out} (seed {solver['random_seed']}, "
        f"{solver['num_workers']} worker(s), time limit {solver['time_limit_s']:g} s"
        f"{', deterministic' if solver['deterministic'] else ''})"
    )
    if not result.differing:
        print(f"rerun: summary reproduced ({result.compared} figures identical)")
    else:
        print(
            f"rerun: summary differs in {len(result.differing)} of {result.compared} figures:"
        )
        for key, old, new in result.differing:
            print(f"  {key}: {_shown(old)} -> {_shown(new)}")
    print(f"rerun: roster.csv {'identical' if result.roster_identical else 'differs'}")
    return report_violations(result.outputs.summary["validation"])


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "runs": _cmd_runs,
    "rerun": _cmd_rerun,
}
