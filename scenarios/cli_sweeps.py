"""``peakplan frontier``: one full run per value of a scenario field, the cost–service table and
chart (issue 19, points 4 and 6). Heavy packages are imported inside the command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

FRONTIER_FILES = """writes into DIR, as one unit (like a run directory):
  LABEL/          one complete run per value (LABEL = KEY=VALUE, e.g. service.service_level=0.8)
  frontier.csv    one row per value: label,param,value,wages_total_cny,objective_cny,
                  shortfall_penalty_cny,expected_service_level,expected_three_min_rate,
                  worst_interval_service_level,share_intervals_under_target,short_agent_hours,
                  temporary_headcount,gap,violations (every figure straight from that run's
                  summary.json), violated_rules (rule count per rule the validator flags,
                  "(accepted)" after soft weekly minimums), dominated (another value costs no
                  more and serves at least as well, one of the two strictly), dominated_by (the
                  cheapest such value's label), run (sub-folder)
  frontier.png, frontier.html  wages (CNY) against expected service level, dominated points
                  hollow grey and named in the legend, the service target dashed
  .peakplan-sweep.json  the marker: the files and runs written, by sha256
DIR must be new, empty or an earlier frontier (unchanged); every value is checked by the
scenario's schema before any run starts. Each run uses one solver worker; --deterministic (the
default here) gives the same rosters for the same seed on any load and either backend. The HiGHS
LP bound is off unless --lp-bound (it doubles each run's time; gap then uses CP-SAT's bound).
--backend ray runs each value as a Ray task: Ray's local cluster by default, --address for an
existing one (the scenario and data files must be at the same paths on every node); it needs
pip install 'peakplan[ray]'.
A value whose roster breaks a labour rule is marked in the table and named on stderr; the sweep
is written and the command exits 3 (weekly minimums accepted by the scenario: a warning, 0)."""


def add_parsers(sub, raw: type[argparse.HelpFormatter]) -> None:
    """Add this module's subcommands to the `peakplan` parser."""
    from scenarios.cli_args import _input_args

    p = sub.add_parser(
        "frontier",
        help="cost vs service over values of one scenario field (runs in parallel)",
        epilog=FRONTIER_FILES,
        formatter_class=raw,
    )
    p.add_argument("scenario", type=Path, help="scenario TOML")
    p.add_argument(
        "--param",
        required=True,
        metavar="KEY",
        help="dotted scenario field to vary, e.g. service.service_level, "
        "service.bot_deflection, workforce.temporary.max_headcount, forecast.volume_scale",
    )
    p.add_argument(
        "--values",
        required=True,
        metavar="V1,V2,...",
        help="comma-separated values (TOML, typed by the schema like --set)",
    )
    p.add_argument(
        "--out", required=True, type=Path, metavar="DIR", help="frontier directory to write"
    )
    _input_args(p)
    p.add_argument(
        "--backend",
        choices=("local", "ray"),
        default="local",
        help="local processes (default) or Ray tasks",
    )
    p.add_argument("--address", help="Ray cluster address (default: start a local Ray cluster)")
    p.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="runs at a time (default: the CPU cores this process may use)",
    )
    p.add_argument("--time-limit", type=float, help="solver wall-time limit per run, seconds")
    p.add_argument("--seed", type=int, help="solver random seed")
    p.add_argument(
        "--deterministic",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="solver stages stop on work counts, not the clock (default on: results do not "
        "depend on load or backend)",
    )
    p.add_argument(
        "--lp-bound",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also compute the HiGHS LP lower bound per run (default off for sweeps, whatever "
        "the scenario's [solver] says: it doubles each run's time; gap then uses CP-SAT's bound)",
    )
    p.add_argument("--quiet", action="store_true", help="do not print progress")


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_values(key: str, text: str) -> list[tuple[str, object]]:
    """``--values`` as (text, typed TOML value) pairs; a UsageError naming the flag."""
    from scenarios.cli_args import UsageError
    from scenarios.variants import OverrideError, parse_set

    parts = [part.strip() for part in text.split(",")]
    if not text.strip() or any(not part for part in parts):
        raise UsageError(f"--values: expected V1,V2,... without empty values (got '{text}')")
    pairs = []
    for part in parts:
        try:
            _key, value = parse_set(f"{key}={part}")
        except OverrideError:
            raise UsageError(f"--param: expected a dotted scenario key (got '{key}')") from None
        pairs.append((part, value))
    return pairs


def _check_values(args: argparse.Namespace, key: str, pairs, choice: dict) -> None:
    """Load the scenario with each value; the first bad one is one line naming --param KEY."""
    from scenarios.load import ScenarioError, load_scenario

    load_scenario(args.scenario, **choice)  # a bad --variant / --set first, as for `run`
    for text, value in pairs:
        try:
            load_scenario(
                args.scenario,
                variant=choice["variant"],
                overrides=(*choice["overrides"], (key, value)),
            )
        except ScenarioError as exc:
            message = str(exc).replace(f"--set {key}:", f"--param {key} (value {text}):")
            raise ScenarioError(message) from None


def _cmd_frontier(args: argparse.Namespace) -> int:
    from scenarios import io
    from scenarios.cli_args import UsageError, solver_config
    from scenarios.cli_commands import scenario_choice
    from scenarios.frontier import frontier_table
    from scenarios.frontier_chart import chart_files
    from scenarios.load import load_scenario
    from scenarios.sweep import SweepJob, run_sweep
    from scenarios.sweep_output import safe_label

    key = args.param.strip()
    choice = scenario_choice(args)
    if any(k == key for k, _v in choice["overrides"]):
        raise UsageError(f"--param {key}: also given with --set; give it once")
    pairs = parse_values(key, args.values)
    labels = [safe_label(f"{key}={text}") for text, _v in pairs]
    twice = next((t for (t, _v), lb in zip(pairs, labels, strict=True) if labels.count(lb) > 1),
                 None)
    if twice is not None:
        raise UsageError(f"--values: '{twice}' given twice")
    _check_values(args, key, pairs, choice)
    if args.lp_bound is None:
        args.lp_bound = False  # ~70 s per demo run, as long as the solve: opt in with --lp-bound
    config = solver_config(args, load_scenario(args.scenario, **choice))
    jobs = [SweepJob(label, ((key, value),)) for label, (_t, value) in
            zip(labels, pairs, strict=True)]
    tables = []

    def top_files(summaries: list[dict], run_dirs: list[Path]) -> dict[str, bytes]:
        table = frontier_table(key, [v for _t, v in pairs], labels, summaries)
        tables.append(table)
        targets = [(s.get("service") or {}).get("target_service_level") for s in summaries]
        return {"frontier.csv": io.csv_bytes(table), **chart_files(table, targets)}

    summaries = run_sweep(
        args.scenario,
        jobs,
        args.out,
        solver=config,
        variant=choice["variant"],
        base_overrides=choice["overrides"],
        backend=args.backend,
        address=args.address,
        max_parallel=args.jobs,
        log=(lambda _m: None) if args.quiet else _log,
        kind="frontier",
        top_files=top_files,
    )
    _print_table(tables[0])
    print(f"frontier: {len(jobs)} runs -> {args.out}/ (frontier.csv, frontier.png, frontier.html)")
    return report_sweep_violations(labels, summaries)


def report_sweep_violations(labels: list[str], summaries: list[dict]) -> int:
    """Name each run of a sweep whose roster the validator flags (scenarios.violations, each
    line naming the run's label); EXIT_VIOLATIONS when one of them is not accepted, else 0."""
    from scenarios.violations import report_violations

    codes = [
        report_violations(s["validation"], _log, where=label)
        for label, s in zip(labels, summaries, strict=True)
    ]
    return max(codes, default=0)


def _print_table(table) -> None:
    """The frontier table for people: one line per value."""
    shown = table[
        ["value", "wages_total_cny", "expected_service_level", "expected_three_min_rate",
         "short_agent_hours", "temporary_headcount", "gap", "violated_rules", "dominated_by"]
    ].copy()
    shown["dominated_by"] = shown["dominated_by"].fillna("")
    shown["gap"] = shown["gap"].map(lambda g: "n/a" if g is None or g != g else f"{g:.1%}")
    shown.columns = ["value", "wages CNY", "service", "3-min rate", "short h", "temps", "gap",
                     "violations", "dominated by"]
    print(shown.to_string(index=False))


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"frontier": _cmd_frontier}
