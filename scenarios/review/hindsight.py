"""Hindsight plan: the roster re-optimised on the *actual* volume (issue 18 point 4).

What a perfect forecast would have cost: the run's scenario (service targets, AHT, bot share,
shifts, rules, costs, agents) with the forecast replaced by the actual inquiries, spread evenly
over the run's slots (an hourly count becomes two equal half-hours; finer actuals are summed).
Slots the actuals do not cover keep the plan's forecast (never read as zero) and are counted in
``slots_from_forecast``. Only the volume is perfect: handle time, bot share and attendance stay
as planned, so the difference to the plan's cost is the price of the forecast error alone.

The scenario is the original file recorded in summary.json ``scenario.file`` (its data paths are
relative to its own folder, so the copy in the run directory cannot be loaded in place) or an
explicit ``scenario_path``; ``scenario_changed`` says when its sha256 differs from the run's.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from scenarios import io
from scenarios.agents import load_agents
from scenarios.load import load_scenario
from scenarios.review.variance import plan_frame
from scenarios.variants import run_choice
from scheduler.roster.schema import SolverConfig

if TYPE_CHECKING:
    from scenarios.review.actuals import Actuals


def _summary(run_dir: Path) -> dict:
    path = run_dir / "summary.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise io.InputFileError(
            f"{path}: cannot read the run summary ({type(exc).__name__})"
        ) from None


def _scenario_path(run_dir: Path, summary: dict, explicit: str | Path | None) -> Path:
    if explicit is not None:
        return Path(explicit)
    recorded = (summary.get("scenario") or {}).get("file")
    if recorded:
        path = Path(recorded)
        for candidate in (path, run_dir.parent / path):
            if candidate.is_file():
                return candidate
    raise io.InputFileError(
        f"{run_dir / 'summary.json'}: field 'scenario.file': the run's scenario file is not "
        "found; give the scenario path for the hindsight plan"
    )


def actual_slot_volume(
    actuals: Actuals, slots: pd.DatetimeIndex, plan_minutes: int, forecast: np.ndarray
) -> tuple[np.ndarray, int]:
    """Actual inquiries per plan slot (all inquiries incl. the bot's), and how many slots kept
    the ``forecast`` because the actuals lack them."""
    acts = actuals.intervals[["timestamp", "volume"]].copy()
    acts["timestamp"] = pd.to_datetime(acts["timestamp"])
    acts = acts[np.isfinite(pd.to_numeric(acts["volume"], errors="coerce"))]
    step = actuals.interval_minutes
    if step >= plan_minutes:
        per = acts.set_index("timestamp")["volume"].astype(float) * plan_minutes / step
        values = per.reindex(slots.floor(f"{step}min")).to_numpy()
    else:
        per = acts.groupby(acts["timestamp"].dt.floor(f"{plan_minutes}min"))["volume"].sum()
        count = acts.groupby(acts["timestamp"].dt.floor(f"{plan_minutes}min"))["volume"].size()
        full = count.reindex(slots).to_numpy() == plan_minutes // step
        values = np.where(full, per.reindex(slots).to_numpy(dtype=float), np.nan)
    missing = ~np.isfinite(values)
    return np.where(missing, forecast, values), int(missing.sum())


def hindsight_plan(
    run_dir: Path,
    actuals: Actuals,
    time_limit_s: float,
    seed: int,
    scenario_path: str | Path | None = None,
) -> dict:
    """Re-run staffing and the roster on the actual volume; cost and shortfall vs the plan.

    Returns (CNY, agent-hours): ``cost_cny`` (wages of the hindsight roster), ``objective_cny``
    (wages + penalties), ``plan_cost_cny`` / ``plan_objective_cny`` (the run's), ``difference_cny``
    (hindsight - plan wages), ``required_agent_hours`` (actual volume) and
    ``plan_required_agent_hours``, ``short_agent_hours`` (hindsight roster vs its requirement),
    ``plan_short_agent_hours_vs_actual`` (the run's roster vs what the actual volume needed),
    ``violations`` (the validator's count on the hindsight roster) and ``violated_rules`` (``rule
    count; ...``, empty when it keeps every rule), ``solver_status``, ``time_limit_s``,
    ``seed``, ``slots_from_forecast``, ``scenario_file``, ``scenario_changed``.
    """
    from scenarios.pipeline import build_problem, roster_step, staffing_step

    if not np.isfinite(time_limit_s) or time_limit_s <= 0:
        raise ValueError(f"time_limit_s must be a positive number of seconds, got {time_limit_s}")
    run_dir = Path(run_dir)
    summary = _summary(run_dir)
    path = _scenario_path(run_dir, summary, scenario_path)
    scenario = load_scenario(path, **run_choice(run_dir))  # the run's variant and --set
    interval = scenario.campaign.interval_minutes
    slots = pd.DatetimeIndex(scenario.campaign.slot_starts())
    plan = plan_frame(run_dir, interval).set_index("timestamp").reindex(slots)
    forecast = plan["forecast_volume"].fillna(0.0).to_numpy(dtype=float)
    volume, from_forecast = actual_slot_volume(actuals, slots, interval, forecast)
    requirements = staffing_step(
        pd.DataFrame({"timestamp": slots, "volume": volume}), scenario.service, interval
    )
    problem = build_problem(requirements, scenario, load_agents(scenario.workforce.agents))
    config = SolverConfig.model_validate(
        {
            **scenario.solver.model_dump(),
            "time_limit_s": float(time_limit_s),
            "random_seed": int(seed),
            "lp_bound": False,
        }
    )
    outcome = roster_step(problem, config)
    report = outcome.report
    hours = interval / 60.0
    required = requirements["agents_required"].to_numpy(dtype=float)
    scheduled = plan["scheduled_agents"].fillna(0.0).to_numpy(dtype=float)
    costs = summary.get("cost_cny") or {}
    plan_wages = costs.get("wages_total")
    recorded_sha = (summary.get("scenario") or {}).get("sha256")
    return {
        "cost_cny": round(report.wage_cost_cny, 2),
        "objective_cny": round(report.total_cost_cny, 2),
        "plan_cost_cny": plan_wages,
        "plan_objective_cny": costs.get("objective_total"),
        "difference_cny": None if plan_wages is None else round(
            report.wage_cost_cny - float(plan_wages), 2
        ),
        "required_agent_hours": round(float(required.sum() * hours), 2),
        "plan_required_agent_hours": round(
            float(plan["required_agents"].fillna(0.0).sum() * hours), 2
        ),
        "short_agent_hours": round(report.shortfall_agent_hours, 2),
        "plan_short_agent_hours_vs_actual": round(
            float(np.maximum(required - scheduled, 0.0).sum() * hours), 2
        ),
        "temporaries_hired": report.temporaries_hired,
        **_violations(report),
        "solver_status": outcome.result.status,
        "time_limit_s": float(time_limit_s),
        "seed": int(seed),
        "slots_from_forecast": from_forecast,
        "scenario_file": str(path),
        "scenario_changed": bool(
            recorded_sha and hashlib.sha256(path.read_bytes()).hexdigest() != recorded_sha
        ),
    }


def _violations(report) -> dict:
    """``violations`` (count) and ``violated_rules`` (``rule count; ...``, the frontier's
    wording) of the hindsight roster: its cost is only comparable with the plan's when it keeps
    the rules, so it is said, never hidden."""
    from scenarios.frontier import violated_rules
    from scenarios.violations import validation_section

    validation = validation_section(report)
    return {"violations": validation["violations"], "violated_rules": violated_rules(validation)}
