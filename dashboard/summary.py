"""Flatten ``summary.json`` (schema_version 1) into the KPIs the Overview page shows.

Expected shape (``docs/contracts.md``; extra keys are ignored, and a few spellings are accepted
so that the dashboard does not break on a renamed key)::

    {"schema_version": 1,
     "scenario": {"name", "file", "sha256"},
     "run": {"created_at", "peakplan_version", "horizon_start", "horizon_end", "interval_minutes"},
     "cost_cny": {"permanent", "part_time", "temporary", "wages_total", "shortfall_penalty",
                  "overstaff_penalty", "objective_total"},                  # CNY
     "headcount": {"permanent", "part_time", "temporary"},                  # agents
     "hours": {"paid_permanent", "paid_part_time", "paid_temporary", "required_agent_hours",
               "short_agent_hours"},                                        # (agent-)hours
     "service": {"expected_service_level", "target_service_level", "target_seconds",
                 "expected_asa_s", "expected_abandon_rate",                 # 0..1, seconds
                 "worst_interval": {"timestamp", "expected_service_level",
                                    "expected_three_min_rate"},             # optional (issue 18)
                 "worst_day": {"date", "expected_service_level"},           # optional
                 "share_intervals_under_target", ...},                      # optional, 0..1
     "solver": {"status", "objective_cny", "best_bound_cny", "gap", "wall_time_s", ...},
     "validation": {"ok": bool, "violations": int, "first": [str, ...]},
     "unmet_periods": int, "files": {...}}

This is what ``scenarios/pipeline.py::build_summary`` writes. By-type maps may also be plain
(``{"permanent": ...}``), prefixed (``paid_permanent``) or nested one level (``{"by_type": ...}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dashboard.data import AGENT_TYPES

_NOT_A_TYPE = frozenset(
    {
        "total",
        "wages_total",
        "objective_total",
        "shortfall_penalty",
        "overstaff_penalty",
        "short_agent_hours",
        "required_agent_hours",
        "total_paid",
        "paid_total",
        "overtime",
    }
)
_TYPE_PREFIXES = ("paid_",)
_NESTED_KEYS = ("by_type", "by_agent_type", "paid", "paid_hours", "paid_by_type")


@dataclass(frozen=True)
class SummaryView:
    """KPIs of one run. ``None`` means the summary did not say."""

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


def _section(summary: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = summary.get(key)
    return value if isinstance(value, Mapping) else {}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _first(section: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if key in section and section[key] is not None:
            return section[key]
    return None


def _ordered(by_type: dict[str, float]) -> dict[str, float]:
    known = [t for t in AGENT_TYPES if t in by_type]
    others = sorted(t for t in by_type if t not in AGENT_TYPES)
    return {t: by_type[t] for t in known + others}


def by_type(section: Mapping[str, Any]) -> dict[str, float]:
    """Numeric values keyed by agent type, skipping totals; accepts one level of nesting."""
    for key in _NESTED_KEYS:
        nested = section.get(key)
        if isinstance(nested, Mapping):
            section = nested
            break
    out = {
        _strip_prefix(str(k)): float(v)
        for k, v in section.items()
        if k not in _NOT_A_TYPE and _number(v) is not None
    }
    return _ordered(out)


def _strip_prefix(key: str) -> str:
    for prefix in _TYPE_PREFIXES:
        if key.startswith(prefix) and key != prefix:
            return key[len(prefix) :]
    return key


def summarize(summary: Mapping[str, Any]) -> SummaryView:
    """Extract the Overview KPIs from a parsed ``summary.json``."""
    scenario = _section(summary, "scenario")
    run = _section(summary, "run")
    cost = _section(summary, "cost_cny")
    hours = _section(summary, "hours")
    service = _section(summary, "service")
    solver = _section(summary, "solver")
    validation = _section(summary, "validation")

    cost_by_type = by_type(cost)
    total = _number(_first(cost, ("total", "wages_total")))
    headcount = {k: int(v) for k, v in by_type(_section(summary, "headcount")).items()}

    violations_raw = _first(validation, ("violations", "violation_count", "count"))
    messages_raw = _first(validation, ("messages", "first_messages", "first", "errors"))
    if isinstance(violations_raw, list):
        messages = [str(m) for m in violations_raw]
        violations: int | None = len(violations_raw)
    else:
        violations = int(violations_raw) if _number(violations_raw) is not None else None
        messages = [str(m) for m in messages_raw] if isinstance(messages_raw, list) else []
    if violations is None and "ok" in validation:
        violations = 0 if validation["ok"] else max(len(messages), 1)

    status = _first(solver, ("status", "solver_status"))
    worst = _section(service, "worst_interval")
    worst_day = _section(service, "worst_day")
    return SummaryView(
        scenario_name=str(scenario.get("name") or "unnamed scenario"),
        created_at=_str_or_none(run.get("created_at")),
        horizon_start=_str_or_none(_first(run, ("horizon_start", "start"))),
        horizon_end=_str_or_none(_first(run, ("horizon_end", "end"))),
        cost_by_type=cost_by_type,
        cost_total=total if total is not None else (sum(cost_by_type.values()) or None),
        shortfall_penalty=_number(cost.get("shortfall_penalty")),
        overstaff_penalty=_number(cost.get("overstaff_penalty")),
        objective_total=_number(cost.get("objective_total")),
        headcount_by_type=headcount,
        hours_by_type=by_type(hours),
        short_agent_hours=_number(_first(hours, ("short_agent_hours", "short_hours"))),
        required_agent_hours=_number(hours.get("required_agent_hours")),
        service_level=_number(
            _first(service, ("expected_service_level", "service_level", "expected", "level"))
        ),
        service_target=_number(
            _first(service, ("target", "target_service_level", "service_level_target"))
        ),
        service_target_seconds=_number(service.get("target_seconds")),
        expected_asa_s=_number(service.get("expected_asa_s")),
        expected_abandon_rate=_number(service.get("expected_abandon_rate")),
        unmet_periods=_int_or_none(summary.get("unmet_periods")),
        solver_status=_str_or_none(status),
        solver_gap=_number(_first(solver, ("gap", "relative_gap"))),
        solver_time_s=_number(_first(solver, ("wall_time_s", "wall_time", "time_s", "seconds"))),
        solver_objective=_number(_first(solver, ("objective_cny", "objective"))),
        solver_bound=_number(_first(solver, ("best_bound_cny", "best_bound", "bound"))),
        violations=violations,
        violation_messages=messages,
        worst_interval_start=_str_or_none(_first(worst, ("timestamp", "start"))),
        worst_interval_service_level=_number(worst.get("expected_service_level")),
        worst_interval_three_min_rate=_number(worst.get("expected_three_min_rate")),
        worst_day=_str_or_none(worst_day.get("date")),
        worst_day_service_level=_number(worst_day.get("expected_service_level")),
        share_intervals_under_target=_number(service.get("share_intervals_under_target")),
        share_intervals_under_three_min_target=_number(
            service.get("share_intervals_under_three_min_target")
        ),
    )


def _int_or_none(value: Any) -> int | None:
    number = _number(value)
    return None if number is None else int(number)


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)
