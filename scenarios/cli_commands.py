"""The ``peakplan`` commands: each pipeline step alone (forecast, staff, roster), the whole run,
and sample-data. Each takes the parsed arguments and returns the exit code; input problems are
raised as the one-line error types that ``scenarios.cli.main`` turns into exit 2.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from scenarios.cli_args import UsageError, solver_config
from scenarios.cli_forecast import cmd_forecast
from scenarios.cli_forecast import warn as _warn


@contextlib.contextmanager
def input_context(args: argparse.Namespace) -> Iterator[None]:
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


def scenario_choice(args: argparse.Namespace) -> dict:
    """``--variant`` and ``--set`` as ``load_scenario`` keyword arguments (scenarios.variants)."""
    from scenarios.variants import OverrideError, parse_set

    try:
        overrides = tuple(parse_set(text) for text in getattr(args, "overrides", None) or ())
    except OverrideError as exc:
        raise UsageError(str(exc)) from None
    return {"variant": getattr(args, "variant", None), "overrides": overrides}


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


def _cmd_staff(args: argparse.Namespace) -> int:
    from scenarios import file_output, io
    from scenarios.load import load_scenario
    from scenarios.parse import check_interval, parse_forecast
    from scenarios.pipeline import staffing_step, staffing_volume
    from scenarios.variants import scale_forecast

    inputs = [args.forecast, args.scenario]
    file_output.check_files([args.out], inputs, overwrite=args.overwrite)
    scenario = load_scenario(args.scenario, **scenario_choice(args))
    _warn_scenario(args.scenario, scenario, events=False)
    column = args.column or scenario.forecast.staff_to
    frame = io.read_csv(args.forecast, required=("timestamp", "volume"))
    parsed = parse_forecast(frame, args.forecast.name, scenario.campaign.timezone)
    minutes = scenario.campaign.interval_minutes
    check_interval(parsed["timestamp"], args.forecast.name, minutes,
                   f"write the forecast with `peakplan forecast --interval {minutes}`")
    volume = scale_forecast(staffing_volume(parsed, column), scenario.forecast.volume_scale)
    requirements = staffing_step(volume, scenario.service, scenario.campaign.interval_minutes)
    requirements["timestamp"] = requirements["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    file_output.write_files(
        {args.out: io.csv_bytes(requirements)}, inputs, overwrite=args.overwrite
    )
    print(
        f"staff: {len(requirements)} intervals, peak {requirements['agents_required'].max()} "
        f"agents -> {args.out}"
    )
    return 0


def _warn_scenario(path: Path, scenario, events: bool = True, strict_calendar: bool = False
                   ) -> None:
    """Warnings for implausible scenario values (and event uplifts and calendar gaps when
    ``events``; a calendar gap is an input error when ``strict_calendar``)."""
    from scenarios.plausibility import scenario_warnings

    for source, texts in scenario_warnings(path, scenario, events, strict_calendar).items():
        _warn(source, texts)


def _cmd_roster(args: argparse.Namespace) -> int:
    from scenarios import file_output, io
    from scenarios.agents import load_agents
    from scenarios.hr_export import hr_csv_bytes
    from scenarios.load import load_scenario
    from scenarios.parse import check_interval, parse_requirements
    from scenarios.pipeline import build_problem, roster_step
    from scenarios.roster_xlsx import roster_xlsx_bytes
    from scenarios.violations import report_violations, validation_section

    scenario = load_scenario(args.scenario, **scenario_choice(args))
    paths = file_output.roster_paths(args.out)
    inputs = [args.requirements, args.scenario, scenario.workforce.agents]
    file_output.check_files(paths, inputs, overwrite=args.overwrite)
    config = solver_config(args, scenario)
    _warn_scenario(args.scenario, scenario, events=False)
    frame = io.read_csv(args.requirements, required=("timestamp", "agents_required"))
    name = args.requirements.name
    requirements = parse_requirements(frame, name, scenario.campaign.timezone)
    check_interval(requirements["timestamp"], name, scenario.campaign.interval_minutes,
                   "compute the requirements from a forecast at the scenario's interval")
    agents = load_agents(scenario.workforce.agents)
    problem = build_problem(requirements, scenario, agents, source=name)
    outcome = roster_step(problem, config, _progress(args.quiet))
    out = args.out
    coverage = outcome.coverage.copy()
    coverage["timestamp"] = pd.to_datetime(coverage["timestamp"]).dt.strftime("%Y-%m-%dT%H:%M:%S")
    language = args.hr_language
    tables = (hr_csv_bytes(outcome.roster, language), io.csv_bytes(coverage))
    tables += (io.csv_bytes(outcome.unmet), roster_xlsx_bytes(outcome.roster, language))
    file_output.write_files(dict(zip(paths, tables, strict=True)), inputs, overwrite=args.overwrite)
    validation = validation_section(outcome.report, scenario.rules.soft_rules())
    _print_roster_result(outcome, validation)
    print(
        f"roster: {len(outcome.roster)} shifts -> {out} (+ {paths[-1].name}, coverage.csv, "
        "unmet.csv)"
    )
    return report_violations(validation)  # EXIT_VIOLATIONS after writing, for review


def _print_roster_result(outcome, validation: dict) -> None:
    from scenarios.run_summary import gap_parts
    from scenarios.violations import verdict

    result, report = outcome.result, outcome.report
    print(
        f"solver: {result.status}, cost {report.total_cost_cny:,.0f} CNY, "
        f"{result.wall_time_s:.1f} s; validator: {verdict(validation)}"
    )
    bound, source, gap = outcome.bound_and_gap()
    if bound is not None:
        print(f"lower bound {bound:,.0f} CNY ({source}), "
              f"{gap_words(gap, report.total_cost_cny, bound)}")
        made_of = gap_parts_words(gap_parts(outcome))
        if made_of:
            print(made_of)
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
    from scenarios.violations import report_violations

    scenario = load_scenario(args.scenario, **scenario_choice(args))
    check_run_output(args.scenario, args.out, scenario)
    config = solver_config(args, scenario)
    _warn_scenario(args.scenario, scenario, strict_calendar=args.strict_calendar)
    outputs = run_scenario(
        args.scenario,
        args.out,
        solver=config,
        on_progress=_progress(args.quiet),
        log=_log,
        hr_language=args.hr_language,
        **scenario_choice(args),
    )
    s = outputs.summary
    print_run_summary(s)
    if s["unmet_periods"]:
        print(
            f"warning: demand not met in {s['unmet_periods']} periods; see unmet.csv",
            file=sys.stderr,
        )
    print(f"outputs in {outputs.out_dir.resolve()}/")
    width = max(map(len, outputs.files), default=0) + 1
    for key, name in outputs.files.items():
        print(f"  {key:<{width}}{outputs.out_dir / name}")
    return report_violations(s["validation"])  # EXIT_VIOLATIONS after writing, for review


def print_run_summary(s: dict) -> None:
    """The run's summary.json said on the terminal: cost, service, solver and validator, the
    gap to the bound and what it is made of, which stages built the roster."""
    from scenarios.violations import verdict

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
    worst = s["service"].get("worst_interval")
    if worst:

        def pct(value: float | None) -> str:
            return "n/a" if value is None else f"{value:.1%}"

        print(
            f"  worst interval {str(worst['timestamp'])[:16].replace('T', ' ')}: expected service "
            f"level {pct(worst.get('expected_service_level'))}, 3-minute rate "
            f"{pct(worst.get('expected_three_min_rate'))}; "
            f"{pct(s['service'].get('share_intervals_under_target'))} of intervals under target"
        )
    print(
        f"  solver {s['solver']['status']} in {s['solver']['wall_time_s']} s; validator "
        f"{verdict(s['validation'])}"
    )
    if s["solver"]["best_bound_cny"] is not None:
        print(
            f"  objective {s['solver']['objective_cny']:,.0f} CNY, lower bound "
            f"{s['solver']['best_bound_cny']:,.0f} ({s['solver']['bound_source']}), "
            + gap_words(s["solver"]["gap"], s["solver"]["objective_cny"],
                        s["solver"]["best_bound_cny"])
        )
        made_of = gap_parts_words(s["solver"].get("gap_parts") or {})
        if made_of:
            print("  " + made_of)
    if s["solver"].get("stages"):
        print("  roster built by: " + "; ".join(
            f"{st['stage'].replace('_', ' ')} "
            f"{s['solver'].get('stage_seconds', {}).get(st['stage'], 0.0):.1f} s "
            + (f"-> {st['score_cny']:,.0f}" if i == 0 else f"{-st['improvement_cny']:+,.0f}")
            for i, st in enumerate(s["solver"]["stages"])) + " CNY" + _fairness_words(s))


def _fairness_words(s: dict) -> str:
    """Why the stage scores end above the objective: the search also prices night-shift
    fairness (summary ``solver.fairness_penalty_cny``), the validator's objective does not."""
    fair = float(s["solver"].get("fairness_penalty_cny") or 0.0)
    if fair < 0.5:
        return ""
    return (f" (search scores include the night-shift fairness penalty, {fair:,.0f} CNY in this "
            "roster; the objective above does not)")


def _cmd_review(args: argparse.Namespace) -> int:
    from scenarios.review.run_review import run_review

    limit = args.time_limit
    if limit is not None and not (limit == limit and 0 < limit <= 86_400):
        raise UsageError("--time-limit: must be a number of seconds in (0, 86400]")
    outputs = run_review(
        args.run,
        args.actuals,
        args.out,
        previous=args.previous,
        hindsight=args.hindsight,
        time_limit_s=limit,
        seed=args.seed,
        log=_log,
    )
    r = outputs.review
    t = r["totals"]
    print(f"review: {r['event']['scenario']}")
    print(
        f"  3-minute rate {t['three_min_rate']:.1%} (target {t['target_three_min_rate']:.0%}); "
        f"{t['lost_inquiries']:,.0f} inquiries lost, {t['lost_cny']:,.0f} CNY"
    )
    for slot in r["worst_slots"]:
        print(f"  worst slot {slot['label']}: {slot['three_min_rate']:.1%}")
    if r["worst_question_types"]:
        top = r["worst_question_types"][0]
        print(f"  slowest question type {top['question_type']} (+{top['response_miss_s']:.0f} s)")
    if r["slowest_agents"]:
        ids = ", ".join(a["agent_id"] for a in r["slowest_agents"])
        print(f"  slowest agents {ids}")
    hind = r.get("hindsight") or {}
    if hind.get("violations"):
        print(f"warning: the hindsight roster breaks rules ({hind['violated_rules']}); its cost "
              "is not a fair yardstick for the plan", file=sys.stderr)
    print(f"  {r['findings']} findings; outputs in {outputs.out_dir.resolve()}/")
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from scenarios import compare, file_output, io

    if len(args.runs) < 2:
        raise UsageError("compare: give at least two run directories")
    targets = [p for p in (args.out, args.intervals) if p is not None]
    checked = file_output.check_files(targets, args.runs, overwrite=args.overwrite)
    if len(set(checked)) < len(checked):
        raise UsageError("compare: --out and --intervals must be different files")
    runs = compare.load_runs(args.runs)
    table = compare.run_table(runs)
    print(compare.format_table(table))
    files = {}
    if args.out is not None:
        files[args.out] = io.csv_bytes(table, for_people=True)
    if args.intervals is not None:
        intervals = compare.interval_table(runs)
        if intervals.note:
            print(f"peakplan: note: {intervals.note}", file=sys.stderr)
        files[args.intervals] = io.csv_bytes(intervals.table, for_people=True)
    if files:
        file_output.write_files(files, args.runs, overwrite=args.overwrite)
        for path in files:
            print(f"compare: -> {path}")
    return 0


def _cmd_sample_data(args: argparse.Namespace) -> int:
    from scenarios.samples.generate import generate_sample_data

    paths = generate_sample_data(args.out, seed=args.seed)
    print(f"sample data: {len(paths)} files in {args.out}")
    return 0


COMMANDS = {
    "forecast": cmd_forecast,
    "staff": _cmd_staff,
    "roster": _cmd_roster,
    "run": _cmd_run,
    "review": _cmd_review,
    "compare": _cmd_compare,
    "sample-data": _cmd_sample_data,
}


def _more_commands() -> None:
    from scenarios import cli_risk, cli_store, cli_sweeps

    for module in (cli_store, cli_sweeps, cli_risk):
        COMMANDS.update(module.COMMANDS)


_more_commands()


def gap_words(gap: float, cost_cny: float, bound_cny: float) -> str:
    """The gap said so a planner can read it: in CNY first (a large share of a small cost, e.g.
    a plan whose only cost is a few hundred CNY of overstaffing, is still a small amount), then
    in both conventions: the solver's (cost - bound) / cost, and how far the cost can at most be
    above the optimum, (cost - bound) / bound (the benchmarks' figure)."""
    over = (cost_cny - bound_cny) / bound_cny if bound_cny > 0 else float("nan")
    above = f"; cost at most {over:.1%} above the optimum" if over == over else ""
    amount = f"{max(0.0, cost_cny - bound_cny):,.0f} CNY, " if bound_cny > 0 else ""
    return f"gap {amount}{gap:.1%} of the cost{above}"


PART_WORDS = {"permanent_overtime": "permanent overtime", "part_time": "part-time",
              "temporary": "temporaries", "shortfall": "shortfall", "overstaff": "overstaff"}


def gap_parts_words(parts: dict[str, dict]) -> str | None:
    """What the gap is made of (summary.json ``solver.gap_parts``: roster minus the LP bound's
    solution per cost category, CNY), largest first; categories within 1 CNY of the bound's are
    left out. A negative part is a category where the roster spends less than the bound's
    solution does (paid for by another). None without parts (no LP bound) or when all are 0."""
    from scenarios.summary_model import ranked_gap_parts

    items = ranked_gap_parts({k: float(v["gap_cny"]) for k, v in parts.items()})
    if not items:
        return None
    said = ", ".join(f"{PART_WORDS.get(k, k)} {v:+,.0f}" for k, v in items)
    return f"gap by cost category (roster − LP bound's solution): {said} CNY"
