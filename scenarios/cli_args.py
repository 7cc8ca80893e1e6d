"""The ``peakplan`` command line's arguments: every command's flags and help texts, and the
solver flags checked by the scenario's own schema (``SolverConfig``).

Only argparse and the standard library are imported here, so the parser is ready before the
heavy packages load; a wrong flag is one line ``peakplan: error: ...`` and exit 2, like bad input.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import NoReturn


class UsageError(ValueError):
    """A wrong combination of command-line options."""


class OneLineParser(argparse.ArgumentParser):
    """argparse whose usage errors are one line ``peakplan: error: ...`` and exit 2."""

    def error(self, message: str) -> NoReturn:
        print(f"peakplan: error: {self.prog}: {message}", file=sys.stderr)
        raise SystemExit(2)


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
  shift in CNY); with --hr-language zh the headers are Chinese (工号,姓名,员工类型,日期,上班时间,
  下班时间,休息时段,计薪工时,成本(元)) and so are the agent types. Beside it:
  X.xlsx        the same roster for Excel: IDs as text (003 stays 003), one sheet per week plus an
                agent x day grid of shift times, headers in the --hr-language
  coverage.csv  timestamp,required,scheduled,shortfall,surplus (agents per interval)
  unmet.csv     start,end,agent_hours_short,peak_agents_short,binding (periods of unmet demand)
The four files are written as one unit (temp files, then renamed; all or nothing). An existing
file is replaced only with --overwrite; an input is never written over; --out may not be called
coverage.csv or unmet.csv, nor lie in a run directory (use `peakplan run` to replace a run).
A roster the validator flags is still written; then exit 3 (`peakplan --help`, exit codes)."""

RUN_FILES = """writes into DIR: scenario.toml (as given), scenario.resolved.toml (variant and --set
applied, every default filled in), forecast.csv, events.csv, requirements.csv, roster.csv,
roster.xlsx (the roster for Excel, headers in the --hr-language; roster.csv keeps its English
columns), coverage.csv, unmet.csv, summary.json (input checksums, total cost by agent type,
headcount by type, hours short, expected service level, solver status/bound/gap, validator
result) and event_effects.csv (the learned uplift per event family x phase with its 80 %
interval, peak hour and past occurrences).
DIR must be new, empty, or an earlier run (its marker .peakplan-run.json lists the files the run
wrote, unchanged); anything else in DIR, or an input inside it, is an error before any work. The
run is built in a hidden sibling and swapped in only when every file has been written.
A roster the validator flags is still written; then exit 3 (`peakplan --help`, exit codes)."""


REVIEW_FILES = """writes into DIR: review.json, variance_intervals.csv, variance_phases.csv,
attribution.csv, breakdown_slots.csv, breakdown_types.csv, breakdown_agents.csv, findings.csv,
tracking.csv (UTF-8 with BOM; after/met filled by the next review's --previous),
events_suggested.csv (observed phase uplifts for the next plan), report.md and report.html
(self-contained, charts embedded), and tracking_previous.csv with --previous.
DIR must be new, empty or an earlier review; it is written as one unit like a run
(docs/review.md)."""

COMPARE_FILES = """prints one column per run, one row per figure, each exactly as in the run's
summary.json: cost by agent type (CNY), wages total, objective, temp headcount, paid hours by type,
expected service level overall / worst day / worst interval (the roster as scheduled), 3-minute
rate, shortfall agent-hours and its value (CNY), solver status and gap, deterministic,
validator violations and whether they were accepted (soft weekly minimums).
--out FILE.csv      the same table (figure,key,RUN...; UTF-8 with BOM for Excel)
--intervals FILE.csv per interval: timestamp, RUN scheduled, RUN shortfall for each run, then
                    RUN scheduled - FIRST, RUN shortfall - FIRST for each run after the first;
                    runs with different horizons are compared over the intervals they share.
Each RUN must be a complete `peakplan run` directory. An existing output file is replaced only
with --overwrite; an input is never written over."""

EXIT_CODES = """exit codes:
  0    done
  1    internal error (--debug shows the traceback)
  2    bad input or flag: one line naming file, row and field; nothing written
  3    the roster breaks a labour rule of the independent validator: the outputs are written,
       stderr names each rule with its count and agents. With [rules] soft_weekly_minimums =
       true, missed weekly minimums alone are accepted (a warning, exit 0)
  130  Ctrl-C; 143 SIGTERM (nothing left behind)"""



def build_parser() -> argparse.ArgumentParser:
    """The ``peakplan`` parser: one subcommand per pipeline stage, the run store, the sweeps and
    ``sample-data`` (help texts and epilogs above)."""
    parser = OneLineParser(
        prog="peakplan",
        description="Forecast, staff and roster e-commerce customer service for a promotion.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    raw = argparse.RawDescriptionHelpFormatter
    for add in (_add_forecast, _add_staff, _add_roster, _add_run, _add_review, _add_compare):
        add(sub, raw)

    from scenarios import cli_risk, cli_store, cli_sweeps

    for module in (cli_store, cli_sweeps, cli_risk):
        module.add_parsers(sub, raw)

    p = sub.add_parser("sample-data", help="regenerate the bundled sample data (seeded)")
    p.add_argument("--out", required=True, type=Path, help="directory to write")
    p.add_argument("--seed", type=int, default=2026)
    return parser


def _add_forecast(sub: argparse._SubParsersAction, raw: type[argparse.HelpFormatter]) -> None:
    """``peakplan forecast``: history and calendar in, forecast CSV (or a backtest) out."""
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
    _strict_calendar_arg(p)
    p.add_argument(
        "--explain",
        action="store_true",
        help="print what the model learned per event family x phase: uplift with its 80 %% "
        "interval, peak hour, past occurrences (--start/--end/--out optional then)",
    )


def _strict_calendar_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--strict-calendar",
        action="store_true",
        help="an event family that ran in the same season in earlier years but has no row in "
        "the forecast horizon is an error (exit 2, nothing written) instead of a warning",
    )


def _add_staff(sub: argparse._SubParsersAction, raw: type[argparse.HelpFormatter]) -> None:
    """``peakplan staff``: forecast CSV and scenario in, requirements CSV out."""
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


def _add_roster(sub: argparse._SubParsersAction, raw: type[argparse.HelpFormatter]) -> None:
    """``peakplan roster``: requirements CSV and scenario in, HR roster (and its files) out."""
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
    _hr_language_arg(p, "the roster CSV's and X.xlsx's headers and agent types")
    _solver_args(p)


def _add_run(sub: argparse._SubParsersAction, raw: type[argparse.HelpFormatter]) -> None:
    """``peakplan run``: the whole pipeline into one run directory."""
    p = sub.add_parser(
        "run",
        help="the whole pipeline into one run directory",
        epilog=RUN_FILES,
        formatter_class=raw,
    )
    p.add_argument("scenario", type=Path, help="scenario TOML")
    _input_args(p)
    p.add_argument("--out", required=True, type=Path, help="run directory")
    _hr_language_arg(p, "roster.xlsx's headers and agent types (roster.csv stays English)")
    _solver_args(p)
    _strict_calendar_arg(p)


def _add_review(sub: argparse._SubParsersAction, raw: type[argparse.HelpFormatter]) -> None:
    """``peakplan review``: a run against its actuals, into a review directory."""
    p = sub.add_parser(
        "review",
        help="post-event review (复盘) of a run against what actually happened",
        epilog=REVIEW_FILES,
        formatter_class=raw,
    )
    p.add_argument("--run", required=True, type=Path, help="run directory (peakplan run)")
    p.add_argument(
        "--actuals",
        required=True,
        type=Path,
        help="folder with hourly.csv (or intervals.csv), question_types.csv, agents.csv",
    )
    p.add_argument("--out", required=True, type=Path, help="review directory to write")
    p.add_argument(
        "--previous",
        type=Path,
        help="a previous review directory (or its tracking.csv): fill its findings' after/met "
        "from these actuals (tracking_previous.csv)",
    )
    p.add_argument(
        "--hindsight",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="re-optimise the roster on the actual volume (default on)",
    )
    p.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="hindsight solver limit, seconds (default: the run's own, so the costs compare)",
    )
    p.add_argument("--seed", type=int, default=0, help="hindsight solver seed")
    _input_args(p, scenario=False)


def _add_compare(sub: argparse._SubParsersAction, raw: type[argparse.HelpFormatter]) -> None:
    """``peakplan compare``: two or more runs side by side."""
    p = sub.add_parser(
        "compare",
        help="two or more runs side by side: cost, service, shortfall, per-interval differences",
        epilog=COMPARE_FILES,
        formatter_class=raw,
    )
    p.add_argument("runs", nargs="+", type=Path, metavar="RUN", help="run directories (2 or more)")
    p.add_argument("--out", type=Path, metavar="FILE.csv", help="write the per-run table (CSV)")
    p.add_argument(
        "--intervals",
        type=Path,
        metavar="FILE.csv",
        help="write the per-interval differences (CSV)",
    )
    _overwrite_arg(p)


def _overwrite_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--overwrite", action="store_true", help="replace existing output files (never an input)"
    )


def _hr_language_arg(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "--hr-language",
        choices=("en", "zh"),
        default="en",
        help=f"language of {what}: en (default, the documented columns) or zh (Chinese)",
    )


def _input_args(p: argparse.ArgumentParser, *, scenario: bool = True) -> None:
    """``--encoding`` for every CSV the command reads; ``--variant``, ``--set`` and
    ``--allow-outside-paths`` with a scenario."""
    p.add_argument(
        "--encoding",
        metavar="big5|gbk|utf-8",
        help="encoding of the input CSV files (default: UTF-8, else GBK or Big5 when the bytes "
        "say which clearly; a file starting with the UTF-8 BOM is always UTF-8)",
    )
    if scenario:
        p.add_argument(
            "--variant",
            metavar="NAME",
            help="apply the scenario's [variants.NAME] table (fields replaced)",
        )
        p.add_argument(
            "--set",
            dest="overrides",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="replace one scenario field after the variant, e.g. --set "
            "service.bot_deflection=0.45 (dotted key, TOML value; repeatable)",
        )
        p.add_argument(
            "--allow-outside-paths",
            action="store_true",
            help="let the scenario's data paths lie outside its folder (only for a scenario "
            "you trust)",
        )


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


#: Solver flag -> SolverConfig field; the argparse attribute is the flag's own dest
#: (``--time-limit`` -> ``time_limit``).
SOLVER_FLAGS = {"--time-limit": "time_limit_s", "--seed": "random_seed", "--workers": "num_workers",
                "--lp-bound": "lp_bound", "--deterministic": "deterministic"}  # fmt: skip


def _dest(flag: str) -> str:
    """argparse's attribute name of a long ``flag``."""
    return flag.removeprefix("--").replace("-", "_")


def solver_config(args: argparse.Namespace, scenario):
    """The scenario's [solver] with the flags given, validated by the same schema (SolverConfig:
    finite, time limit in (0, 86400] s, workers 1..64); a bad flag is a UsageError naming it."""
    from pydantic import ValidationError

    from scenarios.parse import bound_message
    from scheduler.roster.schema import SolverConfig

    update = {
        field: getattr(args, _dest(flag))
        for flag, field in SOLVER_FLAGS.items()
        if getattr(args, _dest(flag), None) is not None
    }
    if not update:
        return scenario.solver
    try:
        return SolverConfig.model_validate({**scenario.solver.model_dump(), **update})
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        flag = next((f for f, name in SOLVER_FLAGS.items() if name == field), field)
        raise UsageError(f"{flag}: {bound_message(first)}") from None
