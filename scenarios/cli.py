"""``peakplan`` command line: each pipeline step alone, or the whole run.

Errors in the input (missing column, negative volume, unknown scenario key, contradictory rules,
bad encoding, empty file) print one line naming the file, row and field, and exit with code 2
without writing any output. ``--debug`` shows the traceback of unexpected errors.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
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
  unmet.csv     start,end,agent_hours_short,peak_agents_short,binding (periods of unmet demand)
The three files are written as one unit (temp files, then renamed; all or nothing). An existing
file is replaced only with --overwrite; an input is never written over; --out may not be called
coverage.csv or unmet.csv, nor lie in a run directory (use `peakplan run` to replace a run)."""

RUN_FILES = """writes into DIR: scenario.toml, forecast.csv, events.csv, requirements.csv,
roster.csv, coverage.csv, unmet.csv and summary.json (total cost by agent type, headcount by
type, hours short, expected service level, solver status/bound/gap, validator result).
DIR must be new, empty, or an earlier run (its marker .peakplan-run.json lists the files the run
wrote, unchanged); anything else in DIR, or an input inside it, is an error before any work. The
run is built in a hidden sibling and swapped in only when every file has been written."""


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
    _input_args(p, scenario=False)
    p.add_argument("--events", type=Path, help="promotion calendar CSV")
    p.add_argument("--start", type=datetime.fromisoformat, help="first interval (ISO local time)")
    p.add_argument("--end", type=datetime.fromisoformat, help="last interval, inclusive")
    p.add_argument("--out", type=Path, help="forecast CSV to write")
    _overwrite_arg(p)
    p.add_argument("--level", type=int, nargs="+", default=[80, 95], help="interval levels, %%")
    p.add_argument("--interval", type=int, help="output interval minutes (default: history's)")
    p.add_argument("--train-end", type=datetime.fromisoformat, help="ignore history after this")
    p.add_argument(
        "--timezone",
        default="Asia/Shanghai",
        help="IANA zone of the local times (default Asia/Shanghai); times with a UTC offset "
        "(Z, +08:00) in the files and flags are converted to it",
    )
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
    _input_args(p)
    p.add_argument("--out", required=True, type=Path, help="requirements CSV to write")
    _overwrite_arg(p)
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
    _input_args(p)
    p.add_argument("--out", required=True, type=Path, help="roster CSV to write")
    _overwrite_arg(p)
    _solver_args(p)

    p = sub.add_parser(
        "run",
        help="the whole pipeline into one run directory",
        epilog=RUN_FILES,
        formatter_class=raw,
    )
    p.add_argument("scenario", type=Path, help="scenario TOML")
    _input_args(p)
    p.add_argument("--out", required=True, type=Path, help="run directory")
    _solver_args(p)

    p = sub.add_parser("sample-data", help="regenerate the bundled sample data (seeded)")
    p.add_argument("--out", required=True, type=Path, help="directory to write")
    p.add_argument("--seed", type=int, default=2026)
    return parser


def _overwrite_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--overwrite", action="store_true", help="replace existing output files (never an input)"
    )


def _input_args(p: argparse.ArgumentParser, *, scenario: bool = True) -> None:
    """``--encoding`` for every CSV the command reads; ``--allow-outside-paths`` with a scenario."""
    p.add_argument(
        "--encoding",
        metavar="big5|gbk|utf-8",
        help="encoding of the input CSV files (default: UTF-8, else GBK or Big5 when the bytes "
        "say which clearly; a file starting with the UTF-8 BOM is always UTF-8)",
    )
    if scenario:
        p.add_argument(
            "--allow-outside-paths",
            action="store_true",
            help="let the scenario's data paths lie outside its folder (only for a scenario "
            "you trust)",
        )


@contextlib.contextmanager
def _input_context(args: argparse.Namespace) -> Iterator[None]:
    """Apply ``--encoding`` and ``--allow-outside-paths`` to every read the command makes."""
    from scenarios.encodings import input_encoding, normalise_encoding
    from scenarios.load import outside_paths_allowed

    encoding = getattr(args, "encoding", None)
    if encoding is not None:
        try:
            encoding = normalise_encoding(encoding)
        except ValueError as exc:
            raise UsageError(f"--encoding: {exc}") from None
    with (
        input_encoding(encoding),
        outside_paths_allowed(getattr(args, "allow_outside_paths", False)),
    ):
        yield


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
    p.add_argument(
        "--deterministic",
        action="store_const",
        const=True,
        default=None,
        help="stop every solver stage on work counts, not the clock, on one worker: the same "
        "inputs and seed give the byte-identical roster on any load (wall time then only "
        "roughly the limit); also [solver] deterministic = true",
    )


#: Solver flag -> (argparse attribute, SolverConfig field).
SOLVER_FLAGS = {
    "--time-limit": ("time_limit", "time_limit_s"),
    "--seed": ("seed", "random_seed"),
    "--workers": ("workers", "num_workers"),
    "--lp-bound": ("lp_bound", "lp_bound"),
    "--deterministic": ("deterministic", "deterministic"),
}


def _solver_config(args: argparse.Namespace, scenario):
    """The scenario's [solver] with the flags given, validated by the same schema (SolverConfig:
    finite, time limit in (0, 86400] s, workers 1..64); a bad flag is a UsageError naming it."""
    from pydantic import ValidationError

    from scenarios.parse import bound_message
    from scheduler.roster.schema import SolverConfig

    update = {
        field: getattr(args, attr)
        for attr, field in SOLVER_FLAGS.values()
        if getattr(args, attr, None) is not None
    }
    if not update:
        return scenario.solver
    try:
        return SolverConfig.model_validate({**scenario.solver.model_dump(), **update})
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        flag = next((f for f, (_a, name) in SOLVER_FLAGS.items() if name == field), field)
        raise UsageError(f"{flag}: {bound_message(first)}") from None


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
    from scenarios import io, output
    from scenarios.parse import check_timezone, local_flag
    from scenarios.pipeline import forecast_step, load_events, load_history
    from scenarios.plausibility import events_warnings

    inputs = [args.history, args.events]
    if args.out is not None:
        output.check_files([args.out], inputs, overwrite=args.overwrite)
    tz = check_timezone(args.timezone)
    for flag in ("start", "end", "train_end"):
        value = local_flag(getattr(args, flag), tz, "--" + flag.replace("_", "-"))
        setattr(args, flag, value)
    history = load_history(args.history, tz)
    events = load_events(args.events, tz)
    if args.events is not None:
        _warn(args.events.name, events_warnings(events))
    if args.train_end is not None:
        history = history[history["timestamp"] <= pd.Timestamp(args.train_end)]
    if args.backtest:
        table = forecast.backtest(
            history, events, args.backtest, args.horizon_days, levels=tuple(args.level)
        )
        print(forecast.cli_backtest_report(table))
        if args.out:
            output.write_files({args.out: io.csv_bytes(table)}, inputs, overwrite=args.overwrite)
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
        source=args.history.name,
    )
    frame["timestamp"] = frame["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    output.write_files({args.out: io.csv_bytes(frame)}, inputs, overwrite=args.overwrite)
    print(f"forecast: {len(frame)} intervals -> {args.out}")
    return 0


def _cmd_staff(args: argparse.Namespace) -> int:
    from scenarios import io, output
    from scenarios.load import load_scenario
    from scenarios.parse import parse_forecast
    from scenarios.pipeline import staffing_step, staffing_volume

    inputs = [args.forecast, args.scenario]
    output.check_files([args.out], inputs, overwrite=args.overwrite)
    scenario = load_scenario(args.scenario)
    _warn_scenario(args.scenario, scenario, events=False)
    column = args.column or scenario.forecast.staff_to
    frame = io.read_csv(args.forecast, required=("timestamp", "volume"))
    parsed = parse_forecast(frame, args.forecast.name, scenario.campaign.timezone)
    volume = staffing_volume(parsed, column)
    requirements = staffing_step(volume, scenario.service, scenario.campaign.interval_minutes)
    requirements["timestamp"] = requirements["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    output.write_files({args.out: io.csv_bytes(requirements)}, inputs, overwrite=args.overwrite)
    print(
        f"staff: {len(requirements)} intervals, peak {requirements['agents_required'].max()} "
        f"agents -> {args.out}"
    )
    return 0


def _warn(source: str, warnings: list[str]) -> None:
    """Print each plausibility warning once: ``peakplan: warning: <file>: <text>``."""
    for text in dict.fromkeys(warnings):
        print(f"peakplan: warning: {source}: {text}", file=sys.stderr, flush=True)


def _warn_scenario(path: Path, scenario, events: bool = True) -> None:
    """Warnings for implausible scenario values (and event uplifts when ``events``)."""
    from scenarios.plausibility import scenario_warnings

    for source, texts in scenario_warnings(path, scenario, events).items():
        _warn(source, texts)


def _cmd_roster(args: argparse.Namespace) -> int:
    from scenarios import io, output
    from scenarios.agents import load_agents
    from scenarios.load import load_scenario
    from scenarios.parse import parse_requirements
    from scenarios.pipeline import build_problem, roster_step

    scenario = load_scenario(args.scenario)
    paths = output.roster_paths(args.out)
    inputs = [args.requirements, args.scenario, scenario.workforce.agents]
    output.check_files(paths, inputs, overwrite=args.overwrite)
    config = _solver_config(args, scenario)
    _warn_scenario(args.scenario, scenario, events=False)
    frame = io.read_csv(args.requirements, required=("timestamp", "agents_required"))
    name = args.requirements.name
    requirements = parse_requirements(frame, name, scenario.campaign.timezone)
    agents = load_agents(scenario.workforce.agents)
    problem = build_problem(requirements, scenario, agents, source=name)
    outcome = roster_step(problem, config, _progress(args.quiet))
    out = args.out
    coverage = outcome.coverage.copy()
    coverage["timestamp"] = pd.to_datetime(coverage["timestamp"]).dt.strftime("%Y-%m-%dT%H:%M:%S")
    tables = (io.csv_bytes(outcome.roster, for_people=True), io.csv_bytes(coverage))
    tables += (io.csv_bytes(outcome.unmet),)
    output.write_files(dict(zip(paths, tables, strict=True)), inputs, overwrite=args.overwrite)
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
    from scenarios.pipeline import check_run_output, run_scenario

    scenario = load_scenario(args.scenario)
    check_run_output(args.scenario, args.out, scenario)
    config = _solver_config(args, scenario)
    _warn_scenario(args.scenario, scenario)
    outputs = run_scenario(
        args.scenario,
        args.out,
        solver=config,
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
    previous = _on_sigterm_interrupt()
    try:
        with _input_context(args):
            return COMMANDS[args.command](args)
    except Terminated:
        print("peakplan: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
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
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread like Ctrl-C so outputs are cleaned up the same way."""


def _on_sigterm_interrupt():
    """Make SIGTERM raise :class:`Terminated` (main thread only); returns the previous handler."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(_signum, _frame) -> None:
        raise Terminated()

    return signal.signal(signal.SIGTERM, handler)


if __name__ == "__main__":
    sys.exit(main())
