"""The pipeline: scenario → forecast → requirements → roster → validated outputs.

Each step is a plain function over pandas frames and pydantic models so the CLI can run it alone
and the dashboard / a sweep engine can call it in-process. ``run_scenario`` (scenarios.run_writer,
re-exported here) writes a run directory (layout in docs/contracts.md) as one unit: it is built
in a hidden staging sibling and renamed into place only when every file and the marker are
written (scenarios.output).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

import forecast
from forecast.columns import EVENTS_COLUMNS, HISTORY_COLUMNS
from scenarios import io
from scenarios.agents import load_agents
from scenarios.hr_export import roster_frame, unmet_frame
from scenarios.run_writer import (  # noqa: F401 - the whole-run writer, re-exported
    RunOutputs,
    check_run_output,
    run_inputs,
    run_scenario,
    write_run,
)
from scenarios.schema import Scenario
from scenarios.variants import scale_forecast
from scheduler.roster import ValidationReport, solve_roster, validate_roster
from scheduler.roster.checks.lower_bound import build_and_solve
from scheduler.roster.schema import RosterProblem, RosterResult, SolverConfig
from scheduler.staffing import ServiceParams, required_agents

ProgressFn = Callable[[float, float, float], None]


# ------------------------------------------------------------------------------ forecast step


def load_history(path: Path, tz: str = "Asia/Shanghai") -> pd.DataFrame:
    """Read and validate a history CSV (``timestamp,volume[,queue]``); timestamps with a UTC
    offset are converted to ``tz`` (the campaign's IANA zone), naive ones are local already."""
    frame = io.read_csv(path, required=HISTORY_COLUMNS)
    return forecast.validate_history(frame, path.name, tz)


def load_events(path: Path | None, tz: str = "Asia/Shanghai") -> pd.DataFrame | None:
    """Read and validate an events CSV (times converted to ``tz`` like the history), or
    ``None`` when no file is given."""
    if path is None:
        return None
    frame = io.read_csv(path, required=EVENTS_COLUMNS)
    return forecast.validate_events(frame, path.name, tz)


def training_history(
    history: pd.DataFrame, train_end: datetime | None, source: str = "history"
) -> pd.DataFrame:
    """History rows up to ``train_end``; an input error naming ``source`` (the history file)
    when none are left or (per queue) they span less than the model's minimum
    (``forecast.model.MIN_HISTORY_DAYS`` days)."""
    from forecast.calendar import resolution
    from forecast.model import check_history_span

    if train_end is not None:
        history = history[history["timestamp"] <= pd.Timestamp(train_end)]
    if history.empty:
        raise io.InputFileError(f"{source}: no rows on or before train_end {train_end}")
    parts = history.groupby("queue") if "queue" in history else [(None, history)]
    for _queue, part in parts:
        stamps = pd.DatetimeIndex(part["timestamp"])
        check_history_span(stamps, resolution(part["timestamp"]), source)
    return history


def _training_line(last: pd.Timestamp, train_end: datetime, start: datetime,
                   end: datetime) -> str:
    """The progress line naming the last history hour the forecast learns from (not the
    configured ``train_end`` when the history stops earlier) and, when that is over 30 days
    before the plan, how far the forecast reaches beyond its data."""
    line = f"forecast: training to {last:%Y-%m-%d %H:%M}"
    if last < pd.Timestamp(train_end):
        line += f" (the history's last row; train_end {train_end:%Y-%m-%d %H:%M})"
    line += f", horizon {start:%Y-%m-%d}..{end:%Y-%m-%d}"
    days = (pd.Timestamp(start) - last) / pd.Timedelta(days=1)
    if days > 30:
        line += f"; the plan starts {days:.0f} days after the history ends"
    return line


def forecast_step(history: pd.DataFrame, events: pd.DataFrame | None, start: datetime,
                  end: datetime, **options) -> pd.DataFrame:
    """Fit on history up to ``train_end`` and forecast ``start``..``end`` (inclusive), with the
    predictive ``var``/``var_level`` columns (scenarios.risk); ``options``: those of
    :func:`forecast_effects_step` (levels, interval_minutes, train_end, source)."""
    return forecast_effects_step(history, events, start, end, explain=False, **options)[0]


def forecast_effects_step(
    history: pd.DataFrame,
    events: pd.DataFrame | None,
    start: datetime,
    end: datetime,
    *,
    levels: tuple[int, ...] = (80, 95),
    interval_minutes: int | None = None,
    train_end: datetime | None = None,
    source: str = "history",
    explain: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Fit on history up to ``train_end`` (``source`` names the history file in errors) and
    forecast ``start``..``end`` (inclusive) with the predictive ``var``/``var_level`` columns;
    with ``explain`` also the learned event effects from the same fit (``event_effects.csv``:
    one row per family x phase, see ``forecast.explain``; else None)."""
    from forecast.api import forecast_with_effects

    history = training_history(history, train_end, source)
    return forecast_with_effects(history, events, pd.Timestamp(start), pd.Timestamp(end),
                                 levels=levels, interval_minutes=interval_minutes,
                                 predictive=True, explain=explain)


# ------------------------------------------------------------------------------ staffing step


def staffing_volume(forecast_frame: pd.DataFrame, staff_to: str = "mean") -> pd.DataFrame:
    """The ``timestamp,volume`` frame staffing plans for (mean or an upper quantile), summed over
    queues (the fractional requirement is computed on the total, so queues do not over-staff)."""
    column = "volume" if staff_to == "mean" else staff_to
    if column not in forecast_frame.columns:
        raise io.InputFileError(f"forecast: missing column '{column}' needed by staff_to")
    keys = ["timestamp", "queue"] if "queue" in forecast_frame.columns else ["timestamp"]
    dup = forecast_frame.duplicated(keys).to_numpy()
    if dup.any():  # one row per timestamp (and queue): duplicates are an input error, never summed
        raise io.InputFileError(
            f"forecast: row {int(dup.argmax()) + 2}, field 'timestamp': duplicate timestamp"
        )
    frame = forecast_frame[["timestamp", column]].rename(columns={column: "volume"})
    frame = frame.groupby("timestamp", as_index=False)["volume"].sum()
    return frame.sort_values("timestamp").reset_index(drop=True)


def staffing_step(
    volume: pd.DataFrame, service: ServiceParams, interval_minutes: int
) -> pd.DataFrame:
    """Agents required per interval (see scheduler.staffing.required_agents)."""
    return required_agents(volume, service, interval_minutes)


def answered_per_agent_hour(service: ServiceParams) -> float:
    """Chats one productive agent-hour answers at the occupancy cap (chats per hour)."""
    return 3600.0 / service.chat_handle_seconds * service.concurrency * service.max_occupancy


# ------------------------------------------------------------------------------ roster step


def build_problem(
    requirements: pd.DataFrame, scenario: Scenario, agents: list, source: str = "requirements"
) -> RosterProblem:
    """Roster input from the requirements frame (``timestamp,agents_required``) and the scenario;
    ``source`` names the requirements file in errors."""
    slots = scenario.campaign.slot_starts()
    stamps = pd.to_datetime(requirements["timestamp"])
    duplicated = stamps.duplicated()
    if duplicated.any():
        i = int(duplicated.to_numpy().argmax())
        first = int(np.flatnonzero((stamps == stamps.iloc[i]).to_numpy())[0])
        raise io.InputFileError(
            f"{source}: row {i + 2}, field 'timestamp': "
            f"duplicate timestamp (first at row {first + 2})"
        )
    req = requirements.set_index(stamps)["agents_required"]
    req = req.astype(float).reindex(pd.DatetimeIndex(slots))
    if req.isna().any():
        missing = req[req.isna()].index[0]
        raise io.InputFileError(
            f"{source}: field 'timestamp': no requirement for interval {missing:%Y-%m-%dT%H:%M}"
            f" of the campaign {scenario.campaign.start}..{scenario.campaign.end}"
        )
    return RosterProblem(
        slot_starts=tuple(slots),
        interval_minutes=scenario.campaign.interval_minutes,
        required=tuple(float(v) for v in req.to_numpy()),
        agents=tuple(agents),
        temporary=scenario.workforce.temporary,
        shifts=scenario.shifts,
        rules=scenario.rules.labour_rules(),
        costs=scenario.costs.to_cost_params(answered_per_agent_hour(scenario.service)),
    )


def check_rules(scenario: Scenario, agents: list) -> None:
    """Pre-flight of the labour rules, shift policies and agents (no requirements needed):
    raises SchedulerInputError for rules that cannot all hold, before any forecasting."""
    from scheduler.roster import check_problem

    slots = scenario.campaign.slot_starts()
    zero = pd.DataFrame({"timestamp": slots, "agents_required": np.zeros(len(slots))})
    check_problem(build_problem(zero, scenario, agents))


@dataclass
class RosterOutcome:
    result: RosterResult
    roster: pd.DataFrame
    coverage: pd.DataFrame
    unmet: pd.DataFrame
    report: ValidationReport
    lp_bound_cny: float | None = None
    lp_bound_parts: dict[str, float] | None = None  # the LP bound's cost by category, CNY
    # CP-SAT bounds its own objective: the validator's plus the night-shift fairness term, so
    # with a fairness weight its bound is no bound on the validator's objective (a roster
    # cheaper in wages and penalties may be less fair) and is not used for the gap
    cp_sat_bound_is_valid: bool = True

    def cost_parts(self) -> dict[str, float]:
        """The validated roster's cost by the bound's categories (CNY, the validator's own
        recomputation): permanent overtime, part-time and temporary wages (with onboarding),
        shortfall and overstaff; they sum to the validator's objective. The night-shift
        fairness term is no part of that objective nor of the bound (``result``'s
        ``fairness_penalty_cny``)."""
        r = self.report
        wages = r.wage_cost_by_type_cny
        return {"permanent_overtime": float(wages.get("permanent", 0.0)),
                "part_time": float(wages.get("part_time", 0.0)),
                "temporary": float(wages.get("temporary", 0.0)),
                "shortfall": float(r.shortfall_penalty_cny),
                "overstaff": float(r.overstaff_penalty_cny)}

    def bound_and_gap(self) -> tuple[float | None, str | None, float | None]:
        """Best proven lower bound (CNY), where it comes from, and (cost - bound) / cost."""
        cp_sat = self.result.best_bound_cny if self.cp_sat_bound_is_valid else None
        candidates = [
            (b, s)
            for b, s in ((cp_sat, "CP-SAT"), (self.lp_bound_cny, "HiGHS LP"))
            if b is not None and np.isfinite(b)
        ]
        if not candidates:
            return None, None, None
        bound, source = max(candidates)
        cost = self.report.total_cost_cny
        gap = max(0.0, (cost - bound) / cost) if cost > 0 else 0.0
        return bound, source, gap


def roster_step(
    problem: RosterProblem, config: SolverConfig, on_progress: ProgressFn | None = None,
    log: Callable[[str], None] = lambda _msg: None,
) -> RosterOutcome:
    """Solve, export the HR frame, and re-check it with the independent validator; ``log``
    says when the (opt-in, minute-long) LP bound starts."""
    from scheduler.roster import check_problem

    check_problem(problem)
    result = solve_roster(problem, config, on_progress)
    roster = roster_frame(result.assignments)
    report = validate_roster(problem, roster)
    lp_bound = parts = None
    if config.lp_bound:
        log(f"bound: HiGHS LP lower bound for the gap, {len(problem.slot_starts)} intervals "
            "(about a minute for two weeks; [solver] lp_bound = false skips it)")
        bound = build_and_solve(problem)
        lp_bound, parts = bound.lp_bound_cny, bound.lp_cost_parts
    coverage = report.coverage.copy()
    unmet = unmet_frame(result.unmet)
    return RosterOutcome(result, roster, coverage, unmet, report, lp_bound, parts,
                         cp_sat_bound_is_valid=problem.costs.fairness_weight_cny == 0)


# ------------------------------------------------------------------------------ plan


def _horizon(scenario: Scenario) -> tuple[datetime, datetime]:
    slots = scenario.campaign.slot_starts()
    return slots[0], slots[-1]


def _default_train_end(scenario: Scenario, history: pd.DataFrame) -> datetime:
    start = pd.Timestamp(scenario.campaign.slot_starts()[0]) - timedelta(minutes=1)
    return min(history["timestamp"].max(), start).to_pydatetime()


@dataclass(frozen=True)
class Plan:
    """A scenario up to the roster: forecast, requirements and the roster problem."""

    events: pd.DataFrame | None
    start: datetime
    end: datetime
    forecast: pd.DataFrame
    requirements: pd.DataFrame
    agents: list
    problem: RosterProblem
    event_effects: pd.DataFrame | None = None  # learned uplift per family x phase


def prepare_plan(scenario: Scenario, log: Callable[[str], None] = lambda _msg: None) -> Plan:
    """Load the scenario's data, forecast, turn volume into agents required and build the
    RosterProblem (everything before the roster solve)."""
    tz = scenario.campaign.timezone
    history = load_history(scenario.forecast.history, tz)
    events = load_events(scenario.forecast.events, tz)
    agents = load_agents(scenario.workforce.agents)
    start, end = _horizon(scenario)
    train_end = scenario.forecast.train_end or _default_train_end(scenario, history)
    # too little history, or labour rules that cannot all hold: say so before any progress line
    trained = training_history(history, train_end, scenario.forecast.history.name)
    check_rules(scenario, agents)
    log(_training_line(trained["timestamp"].max(), train_end, start, end))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fc, effects = forecast_effects_step(
            history,
            events,
            start,
            end,
            levels=scenario.forecast.levels,
            interval_minutes=scenario.campaign.interval_minutes,
            train_end=train_end,
        )
    for warning in caught:
        log(f"warning: {warning.message}")
    fc = scale_forecast(fc, scenario.forecast.volume_scale)  # a what-if variant's volume
    log("staffing: agents required per interval")
    volume = staffing_volume(fc, scenario.forecast.staff_to)
    slots = pd.DatetimeIndex(scenario.campaign.slot_starts(), name="timestamp")
    closed = slots.difference(pd.DatetimeIndex(volume["timestamp"]))
    if len(closed):  # hours the history never had open: planned closed, not an error
        log(f"staffing: {len(closed)} intervals closed in the history (no forecast), 0 agents")
        volume = volume.set_index("timestamp").reindex(slots, fill_value=0.0).reset_index()
    requirements = staffing_step(volume, scenario.service, scenario.campaign.interval_minutes)
    problem = build_problem(requirements, scenario, agents)
    return Plan(events, start, end, fc, requirements, agents, problem, effects)
