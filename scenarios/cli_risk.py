"""`peakplan risk`: staff to forecast quantiles, and show what each costs and how often it misses.

One full plan per ``--staff-to`` value runs through scenarios.sweep (``DIR/<staff_to>/``, one
solver worker each, local processes or Ray); then every roster as scheduled is evaluated on the
same simulated volume paths (scenarios.risk) and DIR gets risk.csv, risk.png and risk.html,
written in the same unit as the runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from scenarios.cli_args import UsageError, _input_args, _solver_args

RISK_FILES = """writes into DIR: one run directory per --staff-to value (DIR/mean/, DIR/upper_80/,
...; each a complete `peakplan run`), and
  risk.csv   one row per staff_to: wages_cny, objective_cny, temp_headcount, short_agent_hours,
             p_miss (share of simulated paths whose volume-weighted service level over the
             horizon is below service.service_level), p_any_day_miss, peak_day, p_peak_day_miss,
             p_three_min_miss, sl_p5, sl_p50, sl_p95, three_min_p50, expected_short_intervals,
             share_short_intervals, volume_mean, volume_p95, paths, risk_seed, level_scope,
             violations, violated_rules (the validator's verdict on that roster)
  risk.png, risk.html  cost against P(miss)
Volume paths are drawn from the forecast's predictive distribution (mean, variance and its shared
level part per interval; a level error shared by the whole campaign, or per day with
--level-scope day) and run through each roster as scheduled (Erlang A with chat concurrency).
The same --risk-seed gives every staffing choice the same paths. DIR must be new, empty or an
earlier `peakplan risk` directory; it is written as one unit. A roster that breaks a labour rule
is marked in risk.csv and named on stderr, and the command exits 3 (like `peakplan run`)."""

DEFAULT_STAFF_TO = "mean,upper_80,upper_95"
MAX_PATHS = 100_000


def add_parsers(sub, raw: type[argparse.HelpFormatter]) -> None:
    """Add ``risk`` to the `peakplan` parser."""
    p = sub.add_parser(
        "risk",
        help="staff to forecast quantiles: cost and chance of missing the target for each",
        epilog=RISK_FILES,
        formatter_class=raw,
    )
    p.add_argument("scenario", type=Path, help="scenario TOML")
    _input_args(p)
    p.add_argument("--out", required=True, type=Path, help="risk directory to write")
    p.add_argument(
        "--staff-to",
        default=DEFAULT_STAFF_TO,
        metavar="LIST",
        help=f"comma-separated staff_to values, 'mean' or 'upper_<level>' (default "
        f"{DEFAULT_STAFF_TO}); each level must be in the scenario's forecast.levels",
    )
    p.add_argument("--paths", type=int, default=1000, help="simulated volume paths (default 1000)")
    p.add_argument("--risk-seed", type=int, default=0, help="seed of the volume paths (default 0)")
    p.add_argument(
        "--level-scope",
        default="campaign",
        help="the forecast level error is shared by the whole 'campaign' (default) or drawn "
        "per 'day'",
    )
    p.add_argument("--backend", default="local", help="local (processes, default) or ray")
    p.add_argument("--address", help="Ray cluster address (default: a local Ray cluster)")
    p.add_argument("--jobs", type=int, help="runs at a time (default: usable cores)")
    _solver_args(p)


def parse_staff_to(text: str) -> list[str]:
    """``mean,upper_80`` -> ['mean', 'upper_80']; UsageError on an empty list or a repeat."""
    values = [v.strip() for v in str(text).split(",")]
    if not values or any(not v for v in values):
        raise UsageError(f"--staff-to: expected comma-separated values (got '{text}')")
    twice = next((v for v in values if values.count(v) > 1), None)
    if twice is not None:
        raise UsageError(f"--staff-to: '{twice}' given twice")
    return values


def check_risk_args(args: argparse.Namespace) -> None:
    """The simulation flags (UsageError naming the flag)."""
    from scenarios.risk import LEVEL_SCOPES

    if not 1 <= args.paths <= MAX_PATHS:
        raise UsageError(f"--paths: expected 1..{MAX_PATHS} (got {args.paths})")
    if args.risk_seed < 0:
        raise UsageError(f"--risk-seed: expected a number >= 0 (got {args.risk_seed})")
    if args.level_scope not in LEVEL_SCOPES:
        raise UsageError(
            f"--level-scope: expected one of {', '.join(LEVEL_SCOPES)} (got '{args.level_scope}')"
        )


def _cmd_risk(args: argparse.Namespace) -> int:
    import pandas as pd

    from scenarios import io
    from scenarios.cli_args import solver_config
    from scenarios.cli_commands import scenario_choice
    from scenarios.cli_sweeps import report_sweep_violations
    from scenarios.frontier import violated_rules
    from scenarios.load import ScenarioError, load_scenario
    from scenarios.risk import run_risk, scenario_forecast
    from scenarios.risk_chart import chart_files
    from scenarios.sweep import SweepJob, run_sweep

    check_risk_args(args)
    values = parse_staff_to(args.staff_to)
    choice = scenario_choice(args)
    scenario = load_scenario(args.scenario, **choice)
    for value in values:
        try:
            load_scenario(args.scenario, variant=choice["variant"],
                          overrides=(*choice["overrides"], ("forecast.staff_to", value)))
        except ScenarioError as exc:
            raise UsageError(f"--staff-to '{value}': {str(exc).splitlines()[0]}") from None
    config = solver_config(args, scenario)
    cache: dict[str, pd.DataFrame] = {}

    def fallback() -> pd.DataFrame:
        if "frame" not in cache:
            cache["frame"] = scenario_forecast(scenario)
        return cache["frame"]

    table: dict[str, pd.DataFrame] = {}

    def top_files(summaries: list[dict], run_dirs: list[Path]) -> dict[str, bytes]:
        rows = []
        for value, run_dir, summary in zip(values, run_dirs, summaries, strict=True):
            _log(f"risk: {value}: {args.paths} volume paths through the roster")
            figures = run_risk(run_dir, scenario.service, n_paths=args.paths,
                               seed=args.risk_seed, scope=args.level_scope, fallback=fallback)
            validation = summary["validation"]
            rows.append({"staff_to": value, **figures, "violations": validation["violations"],
                         "violated_rules": violated_rules(validation)})
        frame = pd.DataFrame(rows)
        table["risk"] = frame
        return {"risk.csv": io.csv_bytes(frame), **chart_files(frame)}

    summaries = run_sweep(
        args.scenario,
        [SweepJob(label=v, overrides=(("forecast.staff_to", v),)) for v in values],
        args.out,
        solver=config,
        variant=choice["variant"],
        base_overrides=choice["overrides"],
        backend=args.backend,
        address=args.address,
        max_parallel=args.jobs,
        log=_log,
        kind="risk",
        top_files=top_files,
    )
    _print_table(table["risk"], scenario.service)
    print(f"outputs in {Path(args.out).resolve()}/ (risk.csv, risk.png, risk.html, "
          f"{', '.join(v + '/' for v in values)})")
    return report_sweep_violations(values, summaries)


def _print_table(frame, service) -> None:
    def pct(value) -> str:
        return "n/a" if value is None or value != value else f"{value:6.1%}"

    target = "n/a" if service.service_level is None else f"{service.service_level:.0%}"
    print(f"risk: service-level target {target}; {int(frame['paths'].iloc[0])} volume paths, "
          f"level error per {frame['level_scope'].iloc[0]}")
    print(f"  {'staff_to':<10}{'wages CNY':>12}{'P(miss)':>9}{'P(day)':>9}{'P(peak)':>9}"
          f"{'SL p5':>8}{'SL p50':>8}{'short iv':>9}")
    for row in frame.to_dict("records"):
        print(f"  {row['staff_to']:<10}{row['wages_cny']:>12,.0f}{pct(row['p_miss']):>9}"
              f"{pct(row['p_any_day_miss']):>9}{pct(row['p_peak_day_miss']):>9}"
              f"{pct(row['sl_p5']):>8}{pct(row['sl_p50']):>8}"
              f"{row['expected_short_intervals'] or 0:>9.1f}"
              + (f"  violations: {row['violated_rules']}" if row.get("violations") else ""))


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"risk": _cmd_risk}
