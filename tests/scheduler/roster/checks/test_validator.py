"""Tests of the independent roster validator: one violating and one clean case per rule, plus
coverage and cost recomputation checked against hand-computed numbers."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from validator_cases import T0, clean_rows, frame, make_problem, row, rules_of

from scheduler.errors import SchedulerInputError
from scheduler.roster.checks.validator import (
    recompute_coverage,
    roster_frame_from_assignments,
    validate_roster,
)
from scheduler.roster.instance.templates import build_templates
from scheduler.roster.schema import (
    Agent,
    Break,
    LabourRules,
    ShiftAssignment,
    ShiftPolicy,
    TemporaryPool,
)


def test_clean_roster_has_no_violations_and_costs_match():
    rep = validate_roster(make_problem(), frame(clean_rows()))
    assert rep.violations == []
    assert rep.ok
    assert rep.wage_cost_cny == pytest.approx(120 + 700 + 400)
    assert rep.temporaries_hired == 1
    assert rep.paid_hours_by_type["permanent"] == pytest.approx(16)


# (rule, mutation of the clean roster) -- each mutation breaks exactly the named rule.
def _set(i, **kv):
    def f(rows):
        rows[i].update(kv)
        return rows

    return f


def _add(r):
    def f(rows):
        return [*rows, r]

    return f


VIOLATIONS = [
    ("unknown_agent", _add(row("X9", "2026-11-09 10:00", "2026-11-09 14:00", kind="part_time"))),
    ("agent_type_mismatch", _set(2, agent_type="temporary")),
    ("shift_date", _set(2, date="2026-11-10")),
    ("shift_span", _set(2, shift_end="2026-11-09 09:00")),
    ("one_shift_per_day", _add(row("PT1", "2026-11-09 16:00", "2026-11-09 20:00", cost=120.0))),
    ("shift_length", _set(2, shift_end="2026-11-09 13:00", paid_hours="3.0", cost_cny="90.0")),
    ("shift_length", _set(2, shift_end="2026-11-09 14:30", paid_hours="4.5", cost_cny="135.0")),
    (
        "shift_start",
        _set(0, shift_start="2026-11-09 05:00", breaks="09:00-10:00", shift_end="2026-11-09 14:00"),
    ),
    ("shift_start", _set(2, shift_start="2026-11-09 10:15", shift_end="2026-11-09 14:15")),
    ("break_inside_shift", _set(2, breaks="15:00-15:15")),
    ("break_inside_shift", _set(0, breaks="13:00-14:00;13:30-13:45")),
    ("meal_break", _set(0, breaks="")),
    ("meal_break", _set(0, breaks="10:00-11:00")),
    (
        "min_rest",
        _set(1, shift_start="2026-11-10 04:00", shift_end="2026-11-10 13:00", breaks="08:00-09:00"),
    ),
    (
        "max_consecutive_days",
        lambda rows: (
            rows
            + [
                row("P2", f"2026-11-{d:02d} 09:00", f"2026-11-{d:02d} 18:00", "13:00-14:00")
                for d in (9, 10, 11, 12)
            ]
        ),
    ),
    ("max_hours_per_day", _set(0, shift_end="2026-11-09 19:00", paid_hours="9.0", cost_cny="0.0")),
    ("availability", _add(row("PT1", "2026-11-14 10:00", "2026-11-14 14:00", cost=120.0))),  # Sat
    ("availability", _add(row("PT1", "2026-11-11 10:00", "2026-11-11 14:00", cost=120.0))),  # off
    ("availability", _add(row("PT1", "2026-11-12 19:00", "2026-11-12 23:00", cost=120.0))),  # late
    (
        "temp_lead_days",
        _add(
            row(
                "TEMP-002",
                "2026-11-10 09:00",
                "2026-11-10 17:30",
                "12:00-12:30",
                paid=8.0,
                cost=700.0,
            )
        ),
    ),
    (
        "temp_headcount",
        _add(
            row(
                "TEMP-002",
                "2026-11-13 09:00",
                "2026-11-13 17:30",
                "12:00-12:30",
                paid=8.0,
                cost=700.0,
            )
        ),
    ),
    ("paid_hours", _set(2, paid_hours="5.0")),
    ("cost", _set(2, cost_cny="100.0")),
    ("cost", _set(3, cost_cny="400.0")),  # onboarding and training missing on the first shift
]


@pytest.mark.parametrize(("rule", "mutate"), VIOLATIONS, ids=[r for r, _ in VIOLATIONS])
def test_each_rule_flags_its_violation(rule, mutate):
    problem = make_problem()
    assert rule not in rules_of(problem, clean_rows())
    assert rule in rules_of(problem, mutate(clean_rows()))


def test_weekly_hours_rules_agent_legal_min_and_prorated_partial_week():
    agents = (
        Agent(
            agent_id="A",
            name="a",
            agent_type="permanent",
            contract_hours_per_week=0,
            min_hours_per_week=10,
            max_hours_per_week=24,
            hourly_cost_cny=0,
        ),
    )
    rules = LabourRules(max_consecutive_days=7, max_hours_per_day=9, max_hours_per_week=20)
    problem = make_problem(agents=agents, rules=rules)

    def shifts(*days):
        return [
            row("A", f"2026-11-{d:02d} 09:00", f"2026-11-{d:02d} 18:00", "13:00-14:00")
            for d in days
        ]

    # calendar week 2 is Mon-Tue (2 of 5 working days): no minimum in a week the horizon cuts,
    # max 24*2/5 = 9.6 h, legal 20*2/5 = 8 h.
    assert rules_of(problem, shifts(9, 10, 16)) == set()
    assert rules_of(problem, shifts(9, 10, 16, 17)) == {"legal_weekly_max_hours",
                                                         "weekly_max_hours"}
    assert rules_of(problem, shifts(9, 10)) == set()  # nothing in week 2: allowed
    assert rules_of(problem, shifts(9, 10, 11)) == {"legal_weekly_max_hours"}  # 24 h > 20
    assert rules_of(problem, shifts(9)) == {"weekly_min_hours"}  # 8 h < 10 in the whole week
    assert rules_of(problem, shifts(9, 10, 11, 12)) >= {"weekly_max_hours"}


def test_temp_min_hours_reported_under_its_own_rule_and_prorated_from_first_shift():
    pool = TemporaryPool(max_headcount=3, hourly_cost_cny=50, min_hours_per_week=20)
    problem = make_problem(temporary=pool)

    def temp(day):
        return row(
            "TEMP-001", f"2026-11-{day} 09:00", f"2026-11-{day} 17:30", "12:00-12:30", 8.0, 400.0
        )

    # First shift Saturday 14th: 2 days left in week 1 -> min 20*2/5 working days = 8 h, met by
    # one shift; week 2 has 2 days -> min 8 h, met; a week the temp does not work is not checked.
    assert rules_of(problem, [temp(14), temp(16)]) == set()
    assert rules_of(problem, [temp(14)]) == set()
    # First shift Thursday 12th: 4 days left -> min 16 h > 8 h worked.
    assert rules_of(problem, [temp(12)]) == {"temp_weekly_min_hours"}


def test_coverage_fractions_breaks_ramp_and_horizon_end():
    slots = tuple(T0 + timedelta(minutes=30 * i) for i in range(4))  # 00:00-02:00
    problem = make_problem(slot_starts=slots, required=(1.0, 1.0, 1.0, 1.0))
    rows = [
        # P2 (efficiency 0.8) from 23:00 the day before to 01:30 with a 15-min break at 00:30.
        row("P2", "2026-11-08 23:00", "2026-11-09 01:30", "00:30-00:45", paid=2.5),
        # Temp first shift on the 9th at 01:00 to 03:00 (beyond the horizon): ramp 0.5.
        row("TEMP-001", "2026-11-09 01:00", "2026-11-09 03:00", paid=2.0),
    ]
    cov = recompute_coverage(problem, frame(rows))
    assert list(cov.columns) == ["timestamp", "required", "scheduled", "shortfall", "surplus"]
    assert cov["scheduled"].tolist() == pytest.approx([0.8, 0.4, 0.8 + 0.5, 0.5])
    assert cov["shortfall"].tolist() == pytest.approx([0.2, 0.6, 0.0, 0.5])
    assert cov["surplus"].tolist() == pytest.approx([0.0, 0.0, 0.3, 0.0])
    rep = validate_roster(problem, frame(rows))
    assert rep.shortfall_agent_hours == pytest.approx(1.3 * 0.5)
    assert rep.shortfall_penalty_cny == pytest.approx(1.3 * 0.5 * 100)
    assert rep.overstaff_penalty_cny == pytest.approx(0.3 * 0.5 * 1)


def test_temp_ramp_reaches_last_value_on_later_days():
    problem = make_problem()
    rows = clean_rows()
    cov = recompute_coverage(problem, frame(rows)).set_index("timestamp")["scheduled"]
    assert cov[pd.Timestamp("2026-11-11 21:00")] == pytest.approx(0.5)  # day 0 of the temp
    assert cov[pd.Timestamp("2026-11-12 21:00")] == pytest.approx(1.0)  # day 1: ramp[1]
    assert cov[pd.Timestamp("2026-11-12 23:30")] == pytest.approx(0.0)  # meal break 23:30-00:00


def test_permanent_overtime_charged_to_the_crossing_shift():
    problem = make_problem()
    rows = [
        row("001", f"2026-11-{d:02d} 09:00", f"2026-11-{d:02d} 18:00", "13:00-14:00")
        for d in (9, 10)
    ]
    rows.append(
        row("001", "2026-11-12 09:00", "2026-11-12 18:00", "13:00-14:00", cost=8 * 40 * 1.5)
    )
    assert rules_of(problem, rows) == set()
    rows[-1]["cost_cny"] = "0"
    assert rules_of(problem, rows) == {"cost"}
    # Week 2 cut to 2 days (of 5 working days): contract 16*2/5 = 6.4 h; an 8-h shift has 1.6 h
    # overtime.
    wk2 = row(
        "001",
        "2026-11-16 09:00",
        "2026-11-16 18:00",
        "13:00-14:00",
        cost=round((8 - 16 * 2 / 5) * 60, 2),
    )
    assert rules_of(problem, [wk2]) == set()


def test_quoted_cells_and_parsed_values_are_accepted():
    rows = clean_rows()
    rows[0]["agent_id"] = "'001"
    df = frame(rows)
    assert validate_roster(make_problem(), df).ok
    parsed = df.copy()
    parsed["shift_start"] = pd.to_datetime(parsed["shift_start"])
    parsed["paid_hours"] = parsed["paid_hours"].astype(float)
    assert validate_roster(make_problem(), parsed).ok


def test_malformed_cell_raises_one_line_error_naming_row_and_field():
    rows = clean_rows()
    rows[1]["shift_start"] = "tomorrow"
    with pytest.raises(SchedulerInputError, match=r"^roster.csv: row 3, field 'shift_start'"):
        validate_roster(make_problem(), frame(rows), source="roster.csv")
    rows = clean_rows()
    rows[0]["breaks"] = "13:00"
    with pytest.raises(SchedulerInputError, match=r"row 2, field 'breaks'"):
        validate_roster(make_problem(), frame(rows))


def test_frame_from_assignments_round_trips():
    a = ShiftAssignment(
        agent_id="001",
        agent_name="王芳",
        agent_type="permanent",
        date=date(2026, 11, 9),
        shift_start=datetime(2026, 11, 9, 9),
        shift_end=datetime(2026, 11, 9, 18),
        breaks=(Break(start=datetime(2026, 11, 9, 13), end=datetime(2026, 11, 9, 14), paid=False),),
        paid_hours=8,
        cost_cny=0,
    )
    df = roster_frame_from_assignments([a])
    assert df.loc[0, "breaks"] == "13:00-14:00"
    assert validate_roster(make_problem(), df).ok


def test_short_breaks_counted_per_block_of_paid_hours():
    """One paid short break per ``short_break_every_hours`` of paid time, each long enough."""
    shifts = make_problem().shifts.model_copy(
        update={"part_time": ShiftPolicy(paid_hours_min=4, paid_hours_max=6,
                                         short_break_minutes=15, short_break_every_hours=2.0)}
    )
    problem = make_problem(shifts=shifts)

    def pt(breaks):
        return [row("PT1", "2026-11-09 10:00", "2026-11-09 14:00", breaks, paid=4.0, cost=120.0)]

    assert rules_of(problem, pt("11:00-11:15;13:00-13:15")) == set()
    assert rules_of(problem, pt("11:00-11:15")) == {"short_breaks"}  # 4 h need 2
    assert rules_of(problem, pt("11:00-11:15;13:00-13:10")) == {"short_breaks"}  # 10 min < 15
    assert "short_breaks" not in rules_of(make_problem(), pt(""))  # policy without short breaks


def test_solver_roster_passes_short_break_rule():
    """Rosters built from the templates carry the short breaks the validator requires."""
    policy = ShiftPolicy(paid_hours_min=8, paid_hours_max=9, meal_break_minutes=60,
                         short_break_minutes=15, short_break_every_hours=4.0)
    for t in build_templates(policy, LabourRules(max_hours_per_day=10), 30):
        paid_short = [b for b in t.breaks if b[2]]
        assert len(paid_short) == t.paid // 240
        assert all(b[1] >= 15 for b in paid_short)


def test_coverage_has_no_float_residue_after_shifts_end():
    """Efficiencies 0.7 and 0.1 summed and taken off again leave -1.4e-16 in a running sum; the
    coverage must read exactly 0 once both shifts ended (a negative 'scheduled' made the review
    refuse the run's coverage.csv)."""
    agents = tuple(
        Agent(agent_id=f"A{k}", name=f"a{k}", agent_type="permanent", contract_hours_per_week=0,
              min_hours_per_week=0, max_hours_per_week=40, hourly_cost_cny=40, efficiency=e)
        for k, e in ((1, 0.7), (2, 0.1))
    )
    slots = tuple(T0 + timedelta(minutes=30 * i) for i in range(4))  # 00:00-02:00
    problem = make_problem(agents=agents, slot_starts=slots, required=(0.0,) * 4)
    rows = [row("A1", "2026-11-09 00:00", "2026-11-09 01:00", paid=1.0),
            row("A2", "2026-11-09 00:30", "2026-11-09 01:30", paid=1.0)]
    cov = recompute_coverage(problem, frame(rows))
    assert cov["scheduled"].tolist() == pytest.approx([0.7, 0.8, 0.1, 0.0])
    assert (cov["scheduled"] >= 0).all() and cov["scheduled"].iloc[-1] == 0.0
    assert str(cov["scheduled"].iloc[-1]) == "0.0"
