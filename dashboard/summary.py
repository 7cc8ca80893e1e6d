"""The KPIs the Overview page shows, from a run's ``summary.json`` typed by the pipeline's own
model (scenarios.summary_model.RunSummary, schema_version 2, docs/contracts.md).

There is no defensive parsing here: ``dashboard.data.load_run`` refuses a summary that does not
validate (one line naming the file and the first bad field), so every figure below is exactly
the one the pipeline wrote. Units: CNY, agents, (agent-)hours, shares 0–1, seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dashboard.data import AGENT_TYPES
from scenarios.summary_model import RunSummary


@dataclass(frozen=True)
class SummaryView:
    """KPIs of one run. ``None`` means the summary says there is no such figure (e.g. no bound
    was proven, no interval had volume)."""

    scenario_name: str
    created_at: str | None
    horizon_start: str | None
    horizon_end: str | None
    cost_by_type: dict[str, float]
    cost_total: float | None
    shortfall_penalty: float | None
    overstaff_penalty: float | None
    objective_total: float | None
    headcount_by_type: dict[str, int]
    hours_by_type: dict[str, float]
    short_agent_hours: float | None
    required_agent_hours: float | None
    service_level: float | None
    service_target: float | None
    service_target_seconds: float | None
    expected_asa_s: float | None
    expected_abandon_rate: float | None
    unmet_periods: int | None
    solver_status: str | None
    solver_gap: float | None
    solver_time_s: float | None
    solver_objective: float | None
    solver_bound: float | None
    violations: int | None
    violation_messages: list[str] = field(default_factory=list)
    violations_by_rule: dict[str, int] = field(default_factory=dict)
    violation_agents: dict[str, list[str]] = field(default_factory=dict)
    soft_rules: list[str] = field(default_factory=list)
    violations_accepted: bool | None = None
    worst_interval_start: str | None = None
    worst_interval_service_level: float | None = None
    worst_interval_three_min_rate: float | None = None
    worst_day: str | None = None
    worst_day_service_level: float | None = None
    share_intervals_under_target: float | None = None
    share_intervals_under_three_min_target: float | None = None

    @property
    def validation_ok(self) -> bool | None:
        """True when the independent validator found no violation; None if not reported."""
        return None if self.violations is None else self.violations == 0

    @property
    def refused_rules(self) -> list[str]:
        """Violated rules the scenario does not accept as warnings (the run exited 3)."""
        return sorted(r for r in self.violations_by_rule if r not in self.soft_rules)


def summarize(summary: RunSummary | Mapping[str, Any]) -> SummaryView:
    """The Overview KPIs of a run summary (the model, or summary.json as a dict, which is
    validated by :class:`RunSummary`: pydantic's ``ValidationError`` when it does not fit)."""
    s = summary if isinstance(summary, RunSummary) else RunSummary.model_validate(summary)
    cost, hours, service, solver = s.cost_cny, s.hours, s.service, s.solver
    worst, day = service.worst_interval, service.worst_day
    return SummaryView(
        scenario_name=s.scenario.name,
        created_at=s.run.created_at,
        horizon_start=s.run.horizon_start,
        horizon_end=s.run.horizon_end,
        cost_by_type={t: float(getattr(cost, t)) for t in AGENT_TYPES},
        cost_total=cost.wages_total,
        shortfall_penalty=cost.shortfall_penalty,
        overstaff_penalty=cost.overstaff_penalty,
        objective_total=cost.objective_total,
        headcount_by_type={t: int(getattr(s.headcount, t)) for t in AGENT_TYPES},
        hours_by_type={t: float(getattr(hours, f"paid_{t}")) for t in AGENT_TYPES},
        short_agent_hours=hours.short_agent_hours,
        required_agent_hours=hours.required_agent_hours,
        service_level=service.expected_service_level,
        service_target=service.target_service_level,
        service_target_seconds=service.target_seconds,
        expected_asa_s=service.expected_asa_s,
        expected_abandon_rate=service.expected_abandon_rate,
        unmet_periods=s.unmet_periods,
        solver_status=solver.status,
        solver_gap=solver.gap,
        solver_time_s=solver.wall_time_s,
        solver_objective=solver.objective_cny,
        solver_bound=solver.best_bound_cny,
        violations=s.validation.violations,
        violation_messages=list(s.validation.first),
        violations_by_rule=dict(s.validation.by_rule),
        violation_agents={r: list(a) for r, a in s.validation.agents.items()},
        soft_rules=list(s.validation.soft_rules),
        violations_accepted=s.validation.accepted,
        worst_interval_start=None if worst is None else worst.timestamp,
        worst_interval_service_level=None if worst is None else worst.expected_service_level,
        worst_interval_three_min_rate=None if worst is None else worst.expected_three_min_rate,
        worst_day=None if day is None else day.date,
        worst_day_service_level=None if day is None else day.expected_service_level,
        share_intervals_under_target=service.share_intervals_under_target,
        share_intervals_under_three_min_target=service.share_intervals_under_three_min_target,
    )
