"""``peakplan review``: a run directory and an actuals folder in, a review directory out.

The review directory is written like a run (scenarios/output.py): checked before any work (new,
empty, or an earlier *review*; never an input or inside one), built in a hidden staging sibling,
marker ``.peakplan-run.json`` (``kind: review``) last, swapped into place; Ctrl-C or an error
leaves nothing. Files: see docs/review.md.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from scenarios import io, output
from scenarios.review import breakdowns as bd
from scenarios.review import learning, tracking
from scenarios.review.findings import Context, build_findings
from scenarios.review.report import build_report

if TYPE_CHECKING:
    from scenarios.review.actuals import Actuals

FILES = {
    "review": "review.json",
    "variance_intervals": "variance_intervals.csv",
    "variance_phases": "variance_phases.csv",
    "attribution": "attribution.csv",
    "breakdown_slots": "breakdown_slots.csv",
    "breakdown_types": "breakdown_types.csv",
    "breakdown_agents": "breakdown_agents.csv",
    "findings": "findings.csv",
    "tracking": "tracking.csv",
    "events_suggested": "events_suggested.csv",
    "report_md": "report.md",
    "report_html": "report.html",
}
RUN_FILES = ("summary.json", "scenario.toml", "forecast.csv", "coverage.csv")


@dataclass
class ReviewOutputs:
    out_dir: Path
    review: dict
    files: dict[str, str] = field(default_factory=dict)


def _check_inputs(run_dir: Path, actuals_dir: Path, previous: Path | None) -> Path | None:
    for name in RUN_FILES:
        if not (run_dir / name).is_file():
            raise io.InputFileError(f"{run_dir}: not a peakplan run directory (no {name})")
    if not actuals_dir.is_dir():
        raise io.InputFileError(f"{actuals_dir}: actuals folder not found")
    if previous is None:
        return None
    path = tracking.previous_tracking_path(previous)
    if not path.is_file():
        raise io.InputFileError(f"{previous}: no tracking.csv of a previous review")
    return path


def check_review_output(out: str | Path, inputs: list) -> output.RunTarget:
    """Like a run directory, and an existing peakplan directory must be a review."""
    return output.check_run_dir(out, inputs, kind="review")


def scenario_sections(run_dir: Path):
    """ServiceParams, Costs, campaign name and time zone from the run's scenario.toml copy."""
    from pydantic import ValidationError

    from scenarios import variants
    from scenarios.schema import Costs
    from scheduler.staffing import ServiceParams

    path = run_dir / "scenario.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        data, _origin = variants.resolve(data, **variants.run_choice(run_dir))  # as planned
        service = ServiceParams.model_validate(data.get("service", {}))
        costs = Costs.model_validate(data.get("costs", {}))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValidationError,
            variants.OverrideError) as exc:
        raise io.InputFileError(f"{path}: not a valid scenario ({type(exc).__name__})") from None
    campaign = data.get("campaign", {})
    return service, costs, str(campaign.get("name", run_dir.name)), str(
        campaign.get("timezone", "Asia/Shanghai"))


def value_per_inquiry(service, costs) -> float:
    """CNY of one answered inquiry: AOV × conversion × margin, else shortfall price per
    agent-hour / chats one agent-hour answers."""
    from scenarios.pipeline import answered_per_agent_hour

    value = costs.value_per_answered_inquiry_cny()
    if value is None:
        value = costs.shortfall_cost_per_agent_hour_cny / answered_per_agent_hour(service)
    return float(value)


def _with_phase(frame: pd.DataFrame, plan: pd.DataFrame) -> pd.DataFrame:
    """Add the plan's phase to a frame with ``timestamp`` (the plan interval containing it)."""
    if frame.empty:
        return frame.assign(phase=pd.Series(dtype=object))
    keys = plan[["timestamp", "phase"]].sort_values("timestamp")
    left = frame.reset_index().sort_values("timestamp")
    out = pd.merge_asof(left, keys, on="timestamp", direction="backward")
    out["phase"] = out["phase"].fillna("ordinary")
    return out.sort_values("index").drop(columns="index").reset_index(drop=True)


def measures_of(actuals, plan: pd.DataFrame, staff: pd.DataFrame) -> tracking.Measures:
    """What this review measured, for evaluating acceptance specs."""
    intervals = actuals.intervals.merge(
        plan[["timestamp", "phase", "forecast_volume"]], on="timestamp", how="left")
    intervals = intervals.rename(columns={"forecast_volume": "forecast"})
    intervals["phase"] = intervals["phase"].fillna("ordinary")
    intervals = intervals.merge(staff[["timestamp", "scheduled", "logged_in"]], on="timestamp",
                                how="left")
    return tracking.Measures(intervals, _with_phase(actuals.question_types, plan), actuals.agents)


def interval_table(attribution: pd.DataFrame) -> pd.DataFrame:
    """Attribution as the breakdowns' interval table: ``volume`` = human inquiries,
    ``lost_inquiries`` ≥ 0 (an interval above target lost none), the part ``volume`` renamed
    ``volume_error``."""
    own_lost = [c for c in attribution.columns if c.startswith("lost_")]
    table = attribution.drop(columns=own_lost).rename(columns={"volume": "volume_error"})
    table["volume"] = table["human_volume"]
    table["lost_inquiries"] = attribution["lost_inquiries"].clip(lower=0)  # met: none lost
    return table[np.isfinite(table["actual"].to_numpy(dtype=float))].reset_index(drop=True)


def _round(frame: pd.DataFrame, digits: int = 4) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(digits)
        elif pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%dT%H:%M:%S")
    return out


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float | np.floating):
        return None if not math.isfinite(value) else round(float(value), 6)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def run_time_limit(run_dir: Path, default: float = 60.0) -> float:
    """The solver time limit the run was made with (summary.json), seconds."""
    try:
        summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
        limit = float(summary["solver"]["time_limit_s"])
    except (OSError, ValueError, KeyError, TypeError):
        return default
    return limit if 0 < limit <= 86_400 else default


def _check_overlap(plan: pd.DataFrame, actuals, run_dir: Path) -> None:
    """The actuals must cover some of the run's horizon (else the review compares nothing)."""
    acts = pd.DatetimeIndex(actuals.intervals["timestamp"])
    plan_ts = pd.DatetimeIndex(plan["timestamp"])
    if not len(acts.intersection(plan_ts)):
        raise io.InputFileError(
            f"{actuals.source}: actuals {acts.min():%Y-%m-%d}..{acts.max():%Y-%m-%d} do not "
            f"overlap the run {run_dir.name} ({plan_ts.min():%Y-%m-%d}..{plan_ts.max():%Y-%m-%d})"
        )


def compute_review(run_dir: Path, actuals_dir: Path, previous: Path | None, *,
                   hindsight: bool, time_limit_s: float | None, seed: int,
                   log: Callable[[str], None]) -> tuple[dict, dict[str, pd.DataFrame], dict]:
    """Every table of the review (name -> frame), review.json and the report's inputs."""
    from scenarios.review.actuals import load_actuals
    from scenarios.review.attribution import attribute_miss, attribution_totals
    from scenarios.review.variance import plan_frame, staffing_variance, volume_variance

    service, costs, name, tz = scenario_sections(run_dir)
    previous_frame = tracking.read_tracking(previous) if previous is not None else None
    actuals = load_actuals(actuals_dir, tz)
    plan = plan_frame(run_dir, actuals.interval_minutes)
    _check_overlap(plan, actuals, run_dir)
    log(f"review: {len(actuals.intervals)} actuals intervals of {actuals.interval_minutes} min")
    per, phases = volume_variance(plan, actuals)
    staff = staffing_variance(plan, actuals)
    target = service.three_minute_rate if service.three_minute_rate is not None else 0.95
    attribution = attribute_miss(plan, actuals, service, target)
    table = interval_table(attribution)
    reference = bd.reference_days(per.rename(columns={"actual": "volume"}))
    slots, types, agents = _breakdowns(run_dir, actuals, table, reference)
    phase_table = bd.phase_breakdown(table)
    measures = measures_of(actuals, plan, staff)
    review_date = (actuals.intervals["timestamp"].max().normalize() + timedelta(days=1)).date()
    value = value_per_inquiry(service, costs)
    ctx = Context(target, value, service.chat_handle_seconds, review_date)
    findings = build_findings(table, slots, types, agents, measures, ctx)
    tables = {
        "variance_intervals": per.merge(staff.drop(columns="phase"), on="timestamp", how="left"),
        "variance_phases": phases.merge(phase_table, on="phase", how="left",
                                        suffixes=("", "_service")),
        "attribution": attribution, "breakdown_slots": slots, "breakdown_types": types,
        "breakdown_agents": agents, "findings": findings,
        "tracking": tracking.tracking_table(findings),
    }
    uplifts = learning.observed_uplifts(learning.read_run_events(run_dir, tz), per, reference)
    tables["events_suggested"] = learning.suggested_events(uplifts)
    if previous_frame is not None:
        tables["tracking_previous"] = tracking.evaluate_tracking(previous_frame, measures)
    hind = _hindsight(run_dir, actuals, time_limit_s, seed, log) if hindsight else None
    review = {
        "schema_version": 1,
        "event": {"scenario": name, "events": sorted(set(uplifts.get("event", []))),
                  "review_date": review_date.isoformat()},
        "horizon": _horizon(per, actuals, reference),
        "totals": _totals(phases, table, staff, target, value),
        **_worst(slots, types, agents),
        "attribution": attribution_totals(attribution),
        "hindsight": hind,
        "findings": len(findings),
        "learning": uplifts.to_dict("records"),
        "tracking_previous": _tracking_counts(tables.get("tracking_previous")),
    }
    extras = {"table": table, "staff": staff, "per": per, "phase_table": phase_table}
    return _jsonable(review), tables, extras


def _breakdowns(run_dir: Path, actuals: Actuals, table: pd.DataFrame,
                reference: pd.DatetimeIndex) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Worst slots, question types (against the ``reference`` days) and agents (against the
    run's roster.csv when there is one); an empty frame where the actuals lack that part."""
    roster_path = run_dir / "roster.csv"
    roster = io.read_csv(roster_path) if roster_path.is_file() else None
    slots = bd.worst_slots(table, actuals.interval_minutes)
    types = bd.question_type_breakdown(actuals.question_types, reference) \
        if not actuals.question_types.empty else pd.DataFrame()
    agents = bd.agent_breakdown(actuals.agents, roster) if not actuals.agents.empty \
        else pd.DataFrame()
    return slots, types, agents


def _hindsight(run_dir: Path, actuals: Actuals, time_limit_s: float | None, seed: int,
               log: Callable[[str], None]) -> dict:
    """The hindsight roster on the actual volume; ``time_limit_s`` None = the run's own limit
    (seconds), so plan and hindsight costs compare."""
    from scenarios.review.hindsight import hindsight_plan

    if time_limit_s is None:
        time_limit_s = run_time_limit(run_dir)
    log(f"review: hindsight roster on the actual volume ({time_limit_s:g} s)")
    return hindsight_plan(run_dir, actuals, time_limit_s, seed)


def _horizon(per: pd.DataFrame, actuals: Actuals, reference: pd.DatetimeIndex) -> dict:
    """review.json ``horizon``: first/last interval reviewed, interval minutes, the reference
    days and the plan intervals the actuals lack."""
    return {"start": per["timestamp"].min(), "end": per["timestamp"].max(),
            "interval_minutes": actuals.interval_minutes,
            "reference_days": [d.date().isoformat() for d in reference],
            "missing_intervals": [pd.Timestamp(t).isoformat() for t in actuals.missing_intervals]}


def _totals(phases: pd.DataFrame, table: pd.DataFrame, staff: pd.DataFrame, target: float,
            value: float) -> dict:
    """review.json ``totals``: volumes (inquiries), forecast error, 3-minute rates (shares 0–1,
    volume-weighted), lost inquiries and their value (CNY), adherence (logged in / scheduled)."""
    lost = float(table["lost_inquiries"].clip(lower=0).sum())
    all_row = phases[phases["phase"] == "all"].iloc[0]
    scheduled = staff["scheduled"].sum()
    return {"actual_volume": all_row["actual"], "forecast_volume": all_row["forecast"],
            "wape": all_row["wape"], "bias": all_row["bias"],
            "three_min_rate": bd.weighted_mean(table["actual"], table["volume"]),
            "predicted_three_min_rate": bd.weighted_mean(table["predicted"], table["volume"]),
            "target_three_min_rate": target, "lost_inquiries": lost,
            "value_per_answered_inquiry_cny": value, "lost_cny": lost * value,
            "adherence": float(staff["logged_in"].sum() / scheduled) if scheduled > 0 else None}


def _worst(slots: pd.DataFrame, types: pd.DataFrame, agents: pd.DataFrame) -> dict:
    """review.json ``worst_slots`` (top 3, labelled), ``worst_question_types`` (top 3) and
    ``slowest_agents``, as lists of records."""
    top = slots.head(3)
    labels = [bd.slot_label(s, e) for s, e in zip(top["start"], top["end"], strict=True)]
    return {
        "worst_slots": top.assign(label=labels).to_dict("records"),
        "worst_question_types": types.head(3).to_dict("records") if not types.empty else [],
        "slowest_agents": agents[agents["flag"] == "slowest"].to_dict("records")
        if not agents.empty else [],
    }


def _tracking_counts(evaluated: pd.DataFrame | None) -> dict | None:
    """review.json ``tracking_previous``: the previous review's findings met / not met / not
    measured (None without --previous)."""
    if evaluated is None:
        return None
    met = evaluated["met"]
    return {"findings": len(evaluated), "met": int((met == "yes").sum()),
            "not_met": int((met == "no").sum()), "not_measured": int((met == "").sum())}


def run_review(run_dir: str | Path, actuals_dir: str | Path, out_dir: str | Path, *,
               previous: str | Path | None = None, hindsight: bool = True,
               time_limit_s: float | None = None, seed: int = 0,
               log: Callable[[str], None] = lambda _msg: None) -> ReviewOutputs:
    """Review a run against its actuals and write the review directory as one unit.

    Raises:
        scenarios.io.InputFileError: bad run directory, actuals or previous tracking table (one
            line naming file, row and field); scenarios.output.OutputPathError: ``out_dir`` may
            not be written. Both before anything is written.
    """
    run_dir, actuals_dir = Path(run_dir), Path(actuals_dir)
    previous_path = _check_inputs(run_dir, actuals_dir, Path(previous) if previous else None)
    inputs = [run_dir, actuals_dir, previous, previous_path]
    target = check_review_output(out_dir, inputs)
    review, tables, extras = compute_review(run_dir, actuals_dir, previous_path,
                                            hindsight=hindsight, time_limit_s=time_limit_s,
                                            seed=seed, log=log)
    files = dict(FILES)
    if "tracking_previous" in tables:
        files["tracking_previous"] = "tracking_previous.csv"
    review["files"] = files
    markdown, page = build_report(review, tables, extras)
    staging = output.make_staging(target)
    try:
        for key, frame in tables.items():
            people = key in ("tracking", "tracking_previous", "findings", "events_suggested")
            io.write_csv(_round(frame), staging / files[key], for_people=people)
        io.write_json(review, staging / files["review"])
        io.write_text(markdown, staging / files["report_md"])
        io.write_text(page, staging / files["report_html"])
        output.finish_run(staging, out_dir, inputs, kind="review")
    except BaseException:
        output.remove_staging(staging)
        raise
    return ReviewOutputs(out_dir=Path(out_dir), review=review, files=files)
