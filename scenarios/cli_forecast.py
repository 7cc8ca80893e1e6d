"""`peakplan forecast`: history and calendar in, a forecast CSV, a backtest or the learned event
effects (``--explain``) out; the calendar is checked against the horizon (``--strict-calendar``).
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from scenarios.cli_args import UsageError


def warn(source: str, warnings: list[str]) -> None:
    """Print each plausibility warning once: ``peakplan: warning: <file>: <text>``."""
    for text in dict.fromkeys(warnings):
        print(f"peakplan: warning: {source}: {text}", file=sys.stderr, flush=True)


def cmd_forecast(args: argparse.Namespace) -> int:
    import forecast
    from scenarios import file_output, io
    from scenarios.parse import check_timezone, local_flag
    from scenarios.pipeline import forecast_step, load_events, load_history
    from scenarios.plausibility import calendar_gaps, events_warnings

    inputs = [args.history, args.events]
    if args.out is not None:
        file_output.check_files([args.out], inputs, overwrite=args.overwrite)
    tz = check_timezone(args.timezone)
    for flag in ("start", "end", "train_end"):
        value = local_flag(getattr(args, flag), tz, "--" + flag.replace("_", "-"))
        setattr(args, flag, value)
    history = load_history(args.history, tz)
    events = load_events(args.events, tz)
    if args.events is not None:
        warn(args.events.name, events_warnings(events))
        if args.start is not None and args.end is not None and not args.backtest:
            warn(args.events.name, calendar_gaps(events, args.start, args.end, args.events.name,
                                                  args.strict_calendar))
    if args.train_end is not None:
        history = history[history["timestamp"] <= pd.Timestamp(args.train_end)]
    if args.backtest:
        table = forecast.backtest(
            history, events, args.backtest, args.horizon_days, levels=tuple(args.level)
        )
        print(forecast.cli_backtest_report(table))
        if args.out:
            file_output.write_files(
                {args.out: io.csv_bytes(table)}, inputs, overwrite=args.overwrite
            )
        return 0
    if args.explain:
        _explain(history, events)
        if args.start is None and args.end is None and args.out is None:
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
    file_output.write_files({args.out: io.csv_bytes(frame)}, inputs, overwrite=args.overwrite)
    print(f"forecast: {len(frame)} intervals -> {args.out}")
    return 0


def _explain(history: pd.DataFrame, events: pd.DataFrame | None) -> None:
    """Print the learned event effects (``forecast.explain``) of a fit on ``history``."""
    from forecast.explain import explain_events, explain_report
    from forecast.model import PromoGLM

    if events is None:
        print("explain: no --events calendar: the model has no event effects to show")
        return
    model = PromoGLM().fit(history["timestamp"], history["volume"], events)
    print(explain_report(explain_events(model, events, history["timestamp"])))
