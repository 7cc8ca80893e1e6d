"""Flattening summary.json into KPIs (dashboard.summary)."""

from __future__ import annotations

from dashboard_fake_run import SUMMARY

from dashboard.summary import by_type, summarize


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
    assert kpi.unmet_periods == 1
    assert (kpi.solver_objective, kpi.solver_bound) == (79180.5, 78100.0)
    assert (kpi.solver_status, kpi.solver_gap, kpi.solver_time_s) == ("FEASIBLE", 0.0123, 42.7)
    assert kpi.validation_ok is True


def test_by_type_accepts_nesting_and_orders_types():
    section = {"total": 9.0, "by_type": {"temporary": 1, "contractor": 2, "permanent": 6}}
    assert list(by_type(section)) == ["permanent", "temporary", "contractor"]
    assert by_type({"paid": {"part_time": 3.5}, "short_agent_hours": 2}) == {"part_time": 3.5}


def test_summarize_plain_shape_from_contract():
    kpi = summarize(
        {
            "cost_cny": {"permanent": 10.0, "total": 12.0, "shortfall_penalty": 2.0},
            "hours": {"permanent": 8.0, "short_agent_hours": 1.0},
            "service": {"expected_service_level": 0.7, "target": 0.8},
            "solver": {"status": "OPTIMAL", "objective": 12.0, "best_bound": 12.0},
            "validation": {"ok": False, "first": ["rest too short"]},
            "unmet_periods": 0,
        }
    )
    assert (kpi.cost_by_type, kpi.cost_total) == ({"permanent": 10.0}, 12.0)
    assert kpi.hours_by_type == {"permanent": 8.0}
    assert (kpi.service_level, kpi.service_target) == (0.7, 0.8)
    assert (kpi.solver_objective, kpi.solver_bound) == (12.0, 12.0)
    assert kpi.validation_ok is False and kpi.violation_messages == ["rest too short"]
    assert kpi.unmet_periods == 0


def test_summarize_tolerates_missing_sections_and_alt_keys():
    kpi = summarize(
        {
            "cost_cny": {"permanent": 10, "temporary": 5},
            "service": {"service_level": 0.9},
            "solver": {"status": "OPTIMAL", "wall_time": 1.5},
            "validation": {"violations": ["rest too short", "too many days"]},
        }
    )
    assert kpi.scenario_name == "unnamed scenario"
    assert kpi.cost_total == 15.0  # summed when no total is given
    assert kpi.headcount_by_type == {}
    assert kpi.service_level == 0.9 and kpi.service_target is None
    assert kpi.solver_time_s == 1.5 and kpi.solver_gap is None
    assert kpi.violations == 2 and kpi.validation_ok is False
    assert kpi.violation_messages == ["rest too short", "too many days"]


def test_summarize_without_validation_is_unknown():
    assert summarize({}).validation_ok is None
