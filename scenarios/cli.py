"""``peakplan`` command line: each pipeline step alone, or the whole run.

Errors in the input (missing column, negative volume, unknown scenario key, contradictory rules,
bad encoding, empty file) print one line naming the file, row and field, and exit with code 2
without writing any output. ``--debug`` shows the traceback of unexpected errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pandas as pd

EXIT_INPUT = 2
EXIT_INTERNAL = 1

FORECAST_COLUMNS = """output columns:
  timestamp    interval start, ISO-8601 local time (the history's resolution unless --interval)
  queue        only when the history has a queue column
  volume       mean forecast, inquiries per interval
  lower_80, upper_80  80 % prediction interval (one lower_L, upper_L pair per --level L;
                      default 80 and 95), never negative"""

STAFF_COLUMNS = """input: a forecast CSV with timestamp,volume (as written by `peakplan forecast`).
output columns:
  timestamp               interval start, ISO-8601 local time
  volume                  inquiries forecast in the interval (the column chosen by staff_to)
  volume_human            inquiries left for people after bot deflection
  agents_fractional       continuous requirement before rounding (sum this across queues)
  agents_required         agents to schedule on duty (integer, grossed up for shrinkage)
  expected_service_level  share of first responses within target_seconds at agents_required
  expected_asa_s          average first-response wait, seconds
  expected_abandon_rate   share of customers leaving before an answer (0 without patience)
  expected_three_min_rate share answered within 180 s (Taobao 3-minute response rate)
  expected_occupancy      share of productive agent time busy"""

ROSTER_COLUMNS = """output: the HR roster CSV (UTF-8 with BOM), one row per agent per working day:
  agent_id,agent_name,agent_type,date,shift_start,shift_end,breaks,paid_hours,cost_cny
  (shift times YYYY-MM-DD HH:MM local; breaks HH:MM-HH:MM;...; cost_cny = marginal cost of the
  shift in CNY), plus beside it:
  coverage.csv  timestamp,required,scheduled,shortfall,surplus (agents per interval)
  unmet.csv     start,end,agent_hours_short,peak_agents_short,binding (periods of unmet demand)"""

RUN_FILES = """writes into DIR: scenario.toml, forecast.csv, events.csv, requirements.csv,
roster.csv, coverage.csv, unmet.csv and summary.json (total cost by agent type, headcount by
type, hours short, expected service level, solver status/bound/gap, validator result).
The directory is replaced only when every file has been written."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="peakplan",
        description="Forecast, staff and roster e-commerce customer service for a promotion.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    raw = argparse.RawDescriptionHelpFormatter

    p = sub.add_parser(
        "forecast",
        help="forecast inquiry volume with prediction intervals",
        epilog=FORECAST_COLUMNS,
        formatter_class=raw,
        description="Fit on history (timestamp,volume[,queue]) plus an optional promotion "
        "calendar (event,phase,start,end[,uplift]) and forecast --start..--end inclusive.",
    )
    p.add_argument("--history", required=True, type=Path, help="history CSV")
    p.add_argument("--events", type=Path, help="promotion calendar CSV")
    p.add_argument("--start", type=datetime.fromisoformat, help="first interval (ISO local time)")
    p.add_argument("--end", type=datetime.fromisoformat, help="last interval, inclusive")
    p.add_argument("--out", type=Path, help="forecast CSV to write")
    p.add_argument("--level", type=int, nargs="+", default=[80, 95], help="interval levels, %%")
    p.add_argument("--interval", type=int, help="output interval minutes (default: history's)")
    p.add_argument("--train-end", type=datetime.fromisoformat, help="ignore history after this")
    p.add_argument(
        "--backtest",
        type=int,
        metavar="FOLDS",
        help="rolling-origin backtest with FOLDS cut-offs instead of a forecast",
    )
    p.add_argument("--horizon-days", type=int, default=14, help="days per backtest fold")

    p = sub.add_parser(
        "staff",
        help="agents required per interval for the service targets",
        epilog=STAFF_COLUMNS,
        formatter_class=raw,
    )
    p.add_argument("--forecast", required=True, type=Path, help="forecast CSV")
    p.add_argument("--scenario", required=True, type=Path, help="scenario TOML ([service])")
    p.add_argument("--out", required=True, type=Path, help="requirements CSV to write")
    p.add_argument(
        "--column",
        default=None,
        help="forecast column to staff for (default: the scenario's staff_to)",
    )

    p = sub.add_parser(
        "roster",
        help="minimum-cost named roster for the requirements (CP-SAT)",
        epilog=ROSTER_COLUMNS,
        formatter_class=raw,
    )
    p.add_argument(
        "--requirements",
        required=True,
        type=Path,
        help="CSV with timestamp,agents_required covering the campaign horizon",
    )
    p.add_argument("--scenario", required=True, type=Path, help="scenario TOML")
    p.add_argument("--out", required=True, type=Path, help="roster CSV to write")
    _solver_args(p)

    p = sub.add_parser(
        "run",
        help="the whole pipeline into one run directory",
        epilog=RUN_FILES,
        formatter_class=raw,
    )
    p.add_argument("scenario", type=Path, help="scenario TOML")
    p.add_argument("--out", required=True, type=Path, help="run directory")
    _solver_args(p)

    p = sub.add_parser("sample-data", help="regenerate the bundled sample data (seeded)")
    p.add_argument("--out", required=True, type=Path, help="directory to write")
    p.add_argument("--seed", type=int, default=2026)
    return parser


def _solver_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--time-limit", type=float, help="solver wall-time limit, seconds")
    p.add_argument("--seed", type=int, help="solver random seed")
    p.add_argument("--workers", type=int, help="solver worker threads")
    p.add_argument("--quiet", action="store_true", help="do not print solver progress")
    p.add_argument(
        "--lp-bound",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also compute the HiGHS LP lower bound and report the gap to it",
    )


def _solver_config(args: argparse.Namespace, scenario):
    update = {}
    if args.time_limit is not None:
        update["time_limit_s"] = args.time_limit
    if args.seed is not None:
        update["random_seed"] = args.seed
    if args.workers is not None:
        update["num_workers"] = args.workers
    if args.lp_bound is not None:
        update["lp_bound"] = args.lp_bound
    return scenario.solver.model_copy(update=update) if update else scenario.solver


def _progress(quiet: bool):
    if quiet:
        return None

    def report(elapsed: float, objective: float, bound: float) -> None:
        line = f"  {elapsed:7.1f} s  cost {objective:>12,.0f} CNY"
        if bound == bound and bound > 0:  # CP-SAT's bound; NaN or 0 when it has none yet
            gap = (objective - bound) / objective * 100 if objective else 0.0
            line += f"  CP-SAT bound {bound:>12,.0f}  gap {gap:5.1f} %"
        print(line, file=sys.stderr, flush=True)

    return report


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _cmd_forecast(args: argparse.Namespace) -> int:
    import forecast
    from scenarios import io
    from scenarios.pipeline import forecast_step, load_events, load_history

    history = load_history(args.history)
    events = load_events(args.events)
    if args.train_end is not None:
        history = history[history["timestamp"] <= pd.Timestamp(args.train_end)]
    if args.backtest:
        table = forecast.backtest(
            history, events, args.backtest, args.horizon_days, levels=tuple(args.level)
        )
        print(forecast.cli_backtest_report(table))
        if args.out:
            io.write_csv(table, args.out)
        return 0
    missing = [n for n in ("start", "end", "out") if getattr(args, n) is None]
    if missing:
        raise UsageError(f"forecast: --{missing[0]} is required unless --backtest is given")
    if args.end < args.start:
        raise UsageError(f"forecast: --end {args.end} is before --start {args.start}")
    frame = forecast_step(
        history,
        events,
        args.start,
        args.end,
        levels=tuple(args.level),
        interval_minutes=args.interval,
    )
    frame["timestamp"] = frame["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    io.write_csv(frame, args.out)
    print(f"forecast: {len(frame)} intervals -> {args.out}")
    return 0


def _cmd_staff(args: argparse.Namespace) -> int:
    from scenarios import io
    from scenarios.load import load_scenario
    from scenarios.pipeline import staffing_step, staffing_volume

    scenario = load_scenario(args.scenario)
    column = args.column or scenario.forecast.staff_to
    frame = io.read_csv(args.forecast, required=("timestamp", "volume"))
    name = args.forecast.name
    parsed = _parse_numeric(
        frame, name, [c for c in frame.columns if c not in ("timestamp", "queue")]
    )
    parsed["timestamp"] = _parse_timestamps(frame["timestamp"], name)
    volume = staffing_volume(parsed, column)
    requirements = staffing_step(volume, scenario.service, scenario.campaign.interval_minutes)
    requirements["timestamp"] = requirements["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    io.write_csv(requirements, args.out)
    print(
        f"staff: {len(requirements)} intervals, peak {requirements['agents_required'].max()} "
        f"agents -> {args.out}"
    )
    return 0


def _parse_timestamps(values: pd.Series, source: str) -> pd.Series:
    parsed = pd.to_datetime(values, errors="coerce", format="ISO8601")
    bad = parsed.isna()
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise UsageError(
            f"{source}: row {i + 2}, field 'timestamp': not a date-time ({values.iloc[i]!r})"
        )
    return parsed


def _parse_numeric(frame: pd.DataFrame, source: str, columns: list[str]) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = values.isna() | (values < 0)
        if bad.any():
            i = int(bad.to_numpy().argmax())
            raise UsageError(
                f"{source}: row {i + 2}, field '{column}': expected a number >= 0 "
                f"(got {frame[column].iloc[i]!r})"
            )
        out[column] = values.astype(float)
    return out


def _cmd_roster(args: argparse.Namespace) -> int:
    from scenarios import io
    from scenarios.agents import load_agents
    from scenarios.load import load_scenario
    from scenarios.pipeline import build_problem, roster_step

    scenario = load_scenario(args.scenario)
    frame = io.read_csv(args.requirements, required=("timestamp", "agents_required"))
    name = args.requirements.name
    requirements = _parse_numeric(
        frame[["timestamp", "agents_required"]], name, ["agents_required"]
    )
    requirements["timestamp"] = _parse_timestamps(frame["timestamp"], name)
    agents = load_agents(scenario.workforce.agents)
    problem = build_problem(requirements, scenario, agents)
    outcome = roster_step(problem, _solver_config(args, scenario), _progress(args.quiet))
    out = args.out
    coverage = outcome.coverage.copy()
    coverage["timestamp"] = pd.to_datetime(coverage["timestamp"]).dt.strftime("%Y-%m-%dT%H:%M:%S")
    io.write_csv(outcome.roster, out, for_people=True)
    io.write_csv(coverage, out.with_name("coverage.csv"))
    io.write_csv(outcome.unmet, out.with_name("unmet.csv"))
    _print_roster_result(outcome)
    print(f"roster: {len(outcome.roster)} shifts -> {out} (+ coverage.csv, unmet.csv)")
    return 0


def _print_roster_result(outcome) -> None:
    result, report = outcome.result, outcome.report
    print(
        f"solver: {result.status}, cost {report.total_cost_cny:,.0f} CNY, "
        f"{result.wall_time_s:.1f} s; validator: "
        f"{'ok' if report.ok else f'{len(report.violations)} violations'}"
    )
    bound, source, gap = outcome.bound_and_gap()
    if bound is not None:
        print(f"lower bound {bound:,.0f} CNY ({source}), gap {gap:.1%}")
    if not report.ok:
        from scenarios.pipeline import describe_violation

        for violation in report.violations[:10]:
            print(f"  violation: {describe_violation(violation)}", file=sys.stderr)
    if len(outcome.unmet):
        hours = outcome.unmet["agent_hours_short"].sum()
        print(
            f"warning: demand not met in {len(outcome.unmet)} periods "
            f"({hours:,.1f} agent-hours short); see unmet.csv",
            file=sys.stderr,
        )
        for row in outcome.unmet.head(5).itertuples():
            print(
                f"  {row.start} - {row.end}: {row.agent_hours_short} agent-hours short "
                f"({row.binding})",
                file=sys.stderr,
            )


def _cmd_run(args: argparse.Namespace) -> int:
    from scenarios.load import load_scenario
    from scenarios.pipeline import run_scenario

    scenario = load_scenario(args.scenario)
    outputs = run_scenario(
        args.scenario,
        args.out,
        solver=_solver_config(args, scenario),
        on_progress=_progress(args.quiet),
        log=_log,
    )
    s = outputs.summary
    print(f"run: {s['scenario']['name']}")
    print(
        f"  cost {s['cost_cny']['wages_total']:,.0f} CNY wages "
        f"(permanent overtime {s['cost_cny']['permanent']:,.0f}, part-time "
        f"{s['cost_cny']['part_time']:,.0f}, temporary {s['cost_cny']['temporary']:,.0f}); "
        f"headcount {s['headcount']}"
    )
    print(
        f"  short {s['hours']['short_agent_hours']:,.1f} agent-hours; expected service level "
        f"{s['service']['expected_service_level']} (target {s['service']['target_service_level']})"
    )
    print(
        f"  solver {s['solver']['status']} in {s['solver']['wall_time_s']} s; validator "
        f"{'ok' if s['validation']['ok'] else str(s['validation']['violations']) + ' violations'}"
    )
    if s["solver"]["best_bound_cny"] is not None:
        print(
            f"  objective {s['solver']['objective_cny']:,.0f} CNY, lower bound "
            f"{s['solver']['best_bound_cny']:,.0f} ({s['solver']['bound_source']}), "
            f"gap {s['solver']['gap']:.1%}"
        )
    if s["unmet_periods"]:
        print(
            f"warning: demand not met in {s['unmet_periods']} periods; see unmet.csv",
            file=sys.stderr,
        )
    print(f"outputs in {outputs.out_dir.resolve()}/")
    for key, name in outputs.files.items():
        print(f"  {key:<13}{outputs.out_dir / name}")
    return 0


def _cmd_sample_data(args: argparse.Namespace) -> int:
    from scenarios.sample_data import generate_sample_data

    paths = generate_sample_data(args.out, seed=args.seed)
    print(f"sample data: {len(paths)} files in {args.out}")
    return 0


COMMANDS = {
    "forecast": _cmd_forecast,
    "staff": _cmd_staff,
    "roster": _cmd_roster,
    "run": _cmd_run,
    "sample-data": _cmd_sample_data,
}


class UsageError(ValueError):
    """A wrong combination of command-line options."""


def _input_errors() -> tuple[type[BaseException], ...]:
    """Exception types that mean "the user's input is wrong" (exit 2, one line)."""
    from pydantic import ValidationError

    from forecast.errors import ForecastInputError
    from scenarios.io import InputFileError
    from scenarios.load import ScenarioError
    from scheduler.errors import SchedulerInputError

    return (
        InputFileError,
        ScenarioError,
        ForecastInputError,
        SchedulerInputError,
        UsageError,
        ValidationError,
        OSError,
    )


def _one_line(exc: BaseException) -> str:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg'].removeprefix('Value error, ')}"
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``peakplan`` console script; returns the exit code."""
    args = _parser().parse_args(argv)
    known = _input_errors()
    try:
        return COMMANDS[args.command](args)
    except known as exc:
        if args.debug:
            raise
        print(f"peakplan: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("peakplan: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, no traceback
        if args.debug:
            raise
        print(f"peakplan: internal error: {type(exc).__name__}: {_one_line(exc)}", file=sys.stderr)
        print("peakplan: rerun with --debug for the traceback", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
