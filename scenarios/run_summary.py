"""The run's ``summary.json``: cost by agent type, headcount, hours, service as scheduled, solver
status and bounds, validator result, input checksums (``schema_version`` 2, one pydantic model:
scenarios.summary_model.RunSummary; see docs/contracts.md)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from scenarios.scheduled_service import aligned_volume, coverage_with_service, service_extremes
from scenarios.schema import Scenario
from scenarios.summary_model import SCHEMA_VERSION, InputFile, RunSummary
from scenarios.violations import validation_section
from scheduler.roster.schema import SolverConfig

if TYPE_CHECKING:
    from scenarios.pipeline import RosterOutcome

#: Start of the solver warning saying the safety clock stopped a deterministic solve.
SAFETY_CLOCK_WARNING = "deterministic mode: the safety time limit"


def _horizon(scenario: Scenario) -> tuple[datetime, datetime]:
    slots = scenario.campaign.slot_starts()
    return slots[0], slots[-1]


def describe_violation(violation) -> str:
    """``rule agent date: message`` in one line, for people."""
    where = " ".join(str(x) for x in (violation.agent_id, violation.date) if x)
    return (
        f"{violation.rule} {where}: {violation.message}"
        if where
        else (f"{violation.rule}: {violation.message}")
    )


def service_summary(
    requirements: pd.DataFrame, coverage: pd.DataFrame, scenario: Scenario
) -> tuple[dict, pd.DataFrame]:
    """Service of the roster as scheduled: volume-weighted over the horizon, plus the worst
    interval, worst day and share of intervals under target (scenarios.scheduled_service), and
    the coverage frame with the per-interval service columns appended (for coverage.csv)."""
    interval = scenario.campaign.interval_minutes
    frame = coverage_with_service(requirements, coverage, scenario.service, interval)
    weights = aligned_volume(requirements, coverage)
    total = weights.sum()

    def weighted(column: str) -> float | None:
        values = frame[column].to_numpy(dtype=float)
        ok = np.isfinite(values)
        if total <= 0 or weights[ok].sum() <= 0:  # no volume, or none with a finite value
            return None
        return round(float((values[ok] * weights[ok]).sum() / weights[ok].sum()), 4)

    return {
        "expected_service_level": weighted("expected_service_level"),
        "expected_three_min_rate": weighted("expected_three_min_rate"),
        "expected_asa_s": weighted("expected_asa_s"),
        "expected_abandon_rate": weighted("expected_abandon_rate"),
        "target_service_level": scenario.service.service_level,
        "target_seconds": scenario.service.target_seconds,
        "target_three_min_rate": scenario.service.three_minute_rate,
        "volume_total": round(float(total), 1),
        **service_extremes(frame, weights, scenario.service),
    }, frame


def file_checksum(path: Path) -> InputFile:
    """Absolute path, sha256 and size (bytes) of one input file."""
    data = Path(path).read_bytes()
    return InputFile(
        path=str(Path(path).absolute()), sha256=hashlib.sha256(data).hexdigest(), bytes=len(data)
    )


def _finite(value: float | None, digits: int | None = None) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return float(value) if digits is None else round(float(value), digits)


def build_summary(
    scenario: Scenario,
    scenario_path: Path,
    outcome: RosterOutcome,
    service: dict,
    files: dict[str, str],
    config: SolverConfig,
    *,
    variant: str | None = None,
    overrides: Sequence[tuple[str, object]] = (),
    inputs: Mapping[str, InputFile] | None = None,
    scenario_file: str | None = None,
) -> RunSummary:
    """The run's ``summary.json`` as a validated :class:`RunSummary` (schema_version 2, see
    docs/contracts.md). ``variant`` and ``overrides`` (``--set``) are recorded under
    ``scenario``; ``inputs`` = checksums of the files read by role (scenario, history, events,
    agents; computed here from ``scenario_path`` and the scenario's data paths when None);
    ``scenario_file`` is recorded as ``scenario.file`` (default: ``scenario_path``)."""
    if inputs is None:
        inputs = input_checksums(scenario_path, scenario)
    summary = {
        "schema_version": SCHEMA_VERSION,
        "scenario": {
            "name": scenario.campaign.name,
            "file": str(scenario_path) if scenario_file is None else scenario_file,
            "sha256": hashlib.sha256(scenario_path.read_bytes()).hexdigest(),
            "variant": variant,
            "overrides": dict(overrides),
        },
        "run": _run_section(scenario),
        **_roster_sections(outcome, scenario.campaign.interval_minutes),
        "service": service,
        "solver": _solver_section(outcome, config),
        "validation": validation_section(outcome.report, scenario.rules.soft_rules()),
        "unmet_periods": len(outcome.unmet),
        "files": files,
        "inputs": dict(inputs),
    }
    return RunSummary.model_validate(summary)


def _peakplan_version() -> str:
    """The installed peakplan's version ("unknown" in a plain checkout)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("peakplan")
    except PackageNotFoundError:  # pragma: no cover - running from a plain checkout
        return "unknown"


def _run_section(scenario: Scenario) -> dict:
    """summary.json ``run``: now, the version, the horizon (ISO local times, end exclusive),
    interval minutes and time zone."""
    start, end = _horizon(scenario)
    interval = scenario.campaign.interval_minutes
    return {
        "created_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "peakplan_version": _peakplan_version(),
        "horizon_start": start.isoformat(),
        "horizon_end": (end + timedelta(minutes=interval)).isoformat(),
        "interval_minutes": interval,
        "timezone": scenario.campaign.timezone,
    }


def _roster_sections(outcome: RosterOutcome, interval_minutes: int) -> dict:
    """summary.json ``cost_cny`` (CNY, 2 decimals), ``headcount`` (agents with a shift) and
    ``hours`` (paid hours by agent type; required and short agent-hours), from the roster
    frame, the validator's report and the coverage frame (agents per ``interval_minutes``)."""
    roster, report = outcome.roster, outcome.report
    if len(roster):
        by_type = roster.groupby("agent_type")
        costs, hours = by_type["cost_cny"].sum(), by_type["paid_hours"].sum()
        heads = by_type["agent_id"].nunique()
    else:
        costs, hours, heads = pd.Series(dtype=float), pd.Series(dtype=float), pd.Series(dtype=int)
    types = ("permanent", "part_time", "temporary")
    required = float(outcome.coverage["required"].sum()) * interval_minutes / 60
    return {
        "cost_cny": {
            **{t: round(float(costs.get(t, 0.0)), 2) for t in types},
            "wages_total": round(float(costs.sum()), 2),
            "shortfall_penalty": round(report.shortfall_penalty_cny, 2),
            "overstaff_penalty": round(report.overstaff_penalty_cny, 2),
            "objective_total": round(report.total_cost_cny, 2),
        },
        "headcount": {t: int(heads.get(t, 0)) for t in types},
        "hours": {
            **{f"paid_{t}": round(float(hours.get(t, 0.0)), 2) for t in types},
            "required_agent_hours": round(required, 2),
            "short_agent_hours": round(report.shortfall_agent_hours, 2),
        },
    }


def _solver_section(outcome: RosterOutcome, config: SolverConfig) -> dict:
    """summary.json ``solver``: status, the validator's objective and the bounds (CNY), gaps
    (shares), wall time (s) and the settings the solve ran with."""
    report, result = outcome.report, outcome.result
    bound, bound_source, gap = outcome.bound_and_gap()
    lp = outcome.lp_bound_cny
    return {
        "status": result.status,
        "objective_cny": round(report.total_cost_cny, 2),
        "best_bound_cny": None if bound is None else round(bound, 2),
        "bound_source": bound_source,
        "gap": None if gap is None else round(gap, 4),
        "cp_sat_bound_cny": _finite(result.best_bound_cny),
        "lp_bound_cny": None if lp is None else round(lp, 2),
        "gap_to_lp": None if lp is None or lp <= 0 else round(
            (report.total_cost_cny - lp) / lp, 4
        ),
        "wall_time_s": round(result.wall_time_s, 2),
        "random_seed": config.random_seed,
        "num_workers": config.num_workers,
        # work counts instead of the clock (byte-identical roster for the same inputs and
        # seed), unless the safety clock fired (then said in "warnings")
        "deterministic": config.deterministic and not any(
            w.startswith(SAFETY_CLOCK_WARNING) for w in result.warnings
        ),
        "lp_bound": config.lp_bound,
        "time_limit_s": config.time_limit_s,
        "warnings": list(result.warnings),
        "stages": _stages(result),
        "stage_seconds": {s.stage: round(s.seconds, 2) for s in result.stages},
        "gap_parts": gap_parts(outcome),
        # the search's scores (``stages``) include it; the objective (the validator's) does not
        "fairness_penalty_cny": round(result.fairness_penalty_cny, 2),
    }


def _stages(result) -> list[dict]:
    """Each solve stage with the best score after it and its gain (CNY); its seconds go to
    ``stage_seconds`` (timing: left out of rerun comparisons)."""
    out, before = [], None
    for s in result.stages:
        gain = 0.0 if before is None else before - s.score_cny
        out.append({"stage": s.stage, "score_cny": round(s.score_cny, 2),
                    "improvement_cny": round(gain, 2), "detail": s.detail})
        before = s.score_cny
    return out


def gap_parts(outcome: RosterOutcome) -> dict[str, dict]:
    """Roster cost minus the LP bound's cost per category (CNY), when the LP bound ran."""
    bound = outcome.lp_bound_parts
    if not bound:
        return {}
    roster = outcome.cost_parts()
    return {k: {"roster_cny": round(v, 2), "bound_cny": round(bound.get(k, 0.0), 2),
                "gap_cny": round(v - bound.get(k, 0.0), 2)} for k, v in roster.items()}


def input_files(scenario_path: Path, scenario: Scenario) -> dict[str, Path]:
    """Every file a run reads, by role: scenario, history, events (when given), agents."""
    roles = {
        "scenario": Path(scenario_path),
        "history": scenario.forecast.history,
        "events": scenario.forecast.events,
        "agents": scenario.workforce.agents,
    }
    return {role: path for role, path in roles.items() if path is not None}


def input_checksums(scenario_path: Path, scenario: Scenario) -> dict[str, InputFile]:
    """:func:`file_checksum` of every :func:`input_files` entry, by role."""
    return {role: file_checksum(p) for role, p in input_files(scenario_path, scenario).items()}


def requested_deterministic(solver: Mapping) -> bool:
    """Whether a run asked for deterministic mode (summary.json ``solver``): ``deterministic``
    is false there also when the safety clock fired, which its warning says."""
    warnings = solver.get("warnings") or ()
    return bool(solver.get("deterministic")) or any(
        str(w).startswith(SAFETY_CLOCK_WARNING) for w in warnings
    )
