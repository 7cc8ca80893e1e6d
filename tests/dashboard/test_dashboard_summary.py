"""Overview KPIs from summary.json typed by the pipeline's model (dashboard.summary)."""

from __future__ import annotations

import copy

import pytest
from dashboard_fake_run import SUMMARY
from pydantic import ValidationError

from dashboard.summary import summarize
from scenarios.summary_model import RunSummary


def test_summarize_canonical_shape():
    kpi = summarize(SUMMARY)
    assert kpi.scenario_name == SUMMARY["scenario"]["name"]
    assert kpi.cost_by_type == {"permanent": 52340.0, "part_time": 8120.5, "temporary": 15600.0}
    assert kpi.cost_total == 76060.5
    assert (kpi.shortfall_penalty, kpi.overstaff_penalty) == (3000.0, 120.0)
    assert kpi.objective_total == 79180.5
    assert kpi.headcount_by_type == {"permanent": 12, "part_time": 4, "temporary": 6}
    assert kpi.hours_by_type == {"permanent": 960.0, "part_time": 160.0, "temporary": 390.0}
    assert (kpi.short_agent_hours, kpi.required_agent_hours) == (7.5, 1480.0)
    assert (kpi.service_level, kpi.service_target) == (0.834, 0.8)
    assert (kpi.service_target_seconds, kpi.expected_asa_s) == (30.0, 14.2)
    assert kpi.unmet_periods == 2
    assert (kpi.solver_objective, kpi.solver_bound) == (79180.5, 78100.0)
    assert (kpi.solver_status, kpi.solver_gap, kpi.solver_time_s) == ("FEASIBLE", 0.0123, 42.7)
    assert kpi.validation_ok is True
    assert kpi.worst_interval_start == "2026-11-11T06:00:00"
    assert (kpi.worst_interval_service_level, kpi.worst_interval_three_min_rate) == (0.4, 0.7)
    assert (kpi.worst_day, kpi.worst_day_service_level) == ("2026-11-11", 0.81)


def test_summarize_takes_the_model_or_its_dict_alike():
    model = RunSummary.model_validate(SUMMARY)
    assert summarize(model) == summarize(SUMMARY)
    assert model.model_dump(mode="json") == SUMMARY  # the dict round-trips through the model


def test_violations_come_from_the_validator_section():
    summary = copy.deepcopy(SUMMARY)
    summary["validation"] = {
        "ok": False, "violations": 2, "by_rule": {"min_rest": 2}, "first": ["rest too short"],
    }
    kpi = summarize(summary)
    assert kpi.violations == 2 and kpi.validation_ok is False
    assert kpi.violation_messages == ["rest too short"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda s: s["cost_cny"].update(total=1.0), "cost_cny.total"),  # an old spelling
        (lambda s: s["service"].pop("expected_service_level"), "service.expected_service_level"),
        (lambda s: s["solver"].update(wall_time_s="fast"), "solver.wall_time_s"),
        (lambda s: s.update(schema_version=1), "schema_version"),
    ],
)
def test_other_spellings_are_no_longer_accepted(change, field):
    summary = copy.deepcopy(SUMMARY)
    change(summary)
    with pytest.raises(ValidationError) as info:
        summarize(summary)
    assert ".".join(map(str, info.value.errors()[0]["loc"])) == field
