"""A small hand-made roster problem and roster rows for the validator's tests: three named
agents and a one-temp pool over 9 days (one full week and a 2-day partial week), rows written as
the HR CSV has them (text cells)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pandas as pd

from scheduler.roster.checks.validator import validate_roster
from scheduler.roster.schema import (
    Agent,
    CostParams,
    LabourRules,
    RosterProblem,
    ShiftPolicies,
    ShiftPolicy,
    TemporaryPool,
)

T0 = datetime(2026, 11, 9)  # a Monday
N_DAYS = 9  # one full week and a 2-day partial week


def make_problem(**overrides) -> RosterProblem:
    agents = overrides.pop(
        "agents",
        (
            Agent(
                agent_id="001",
                name="王芳",
                agent_type="permanent",
                contract_hours_per_week=16,
                min_hours_per_week=0,
                max_hours_per_week=40,
                hourly_cost_cny=40,
            ),
            Agent(
                agent_id="P2",
                name="李强",
                agent_type="permanent",
                contract_hours_per_week=40,
                min_hours_per_week=0,
                max_hours_per_week=48,
                hourly_cost_cny=40,
                efficiency=0.8,
            ),
            Agent(
                agent_id="PT1",
                name="张伟",
                agent_type="part_time",
                contract_hours_per_week=0,
                min_hours_per_week=0,
                max_hours_per_week=20,
                hourly_cost_cny=30,
                available_weekdays=(0, 1, 2, 3, 4),
                available_from=time(8),
                available_to=time(22),
                days_off=(date(2026, 11, 11),),
            ),
        ),
    )
    kwargs = dict(
        slot_starts=tuple(T0 + timedelta(minutes=30 * i) for i in range(48 * N_DAYS)),
        interval_minutes=30,
        required=tuple([2.0] * (48 * N_DAYS)),
        agents=agents,
        temporary=TemporaryPool(
            max_headcount=1,
            hourly_cost_cny=50,
            onboarding_cost_cny=100,
            training_hours=4,
            lead_days=2,
            efficiency_ramp=(0.5, 1.0),
        ),
        shifts=ShiftPolicies(
            permanent=ShiftPolicy(
                paid_hours_min=8,
                paid_hours_max=9,
                earliest_start=time(6),
                latest_start=time(22),
                meal_break_minutes=60,
            ),
            part_time=ShiftPolicy(paid_hours_min=4, paid_hours_max=6),
            temporary=ShiftPolicy(paid_hours_min=8, paid_hours_max=8, meal_break_minutes=30),
        ),
        rules=LabourRules(
            min_rest_hours=11, max_consecutive_days=3, max_hours_per_day=8.5, max_hours_per_week=60
        ),
        costs=CostParams(
            overtime_premium=1.5,
            shortfall_cost_per_agent_hour_cny=100,
            overstaff_cost_per_agent_hour_cny=1,
        ),
    )
    kwargs.update(overrides)
    return RosterProblem(**kwargs)


def row(aid, start, end, breaks="", paid=None, cost=None, kind=None, d=None, name="x"):
    if kind is None:
        kind = (
            "part_time"
            if aid.startswith("PT")
            else "temporary"
            if aid.startswith("T")
            else "permanent"
        )
    s, e = datetime.fromisoformat(start), datetime.fromisoformat(end)
    if paid is None:
        paid = (e - s).total_seconds() / 3600 - (1.0 if kind == "permanent" and breaks else 0.0)
    return {
        "agent_id": aid,
        "agent_name": name,
        "agent_type": kind,
        "date": d or s.date().isoformat(),
        "shift_start": start,
        "shift_end": end,
        "breaks": breaks,
        "paid_hours": str(paid),
        "cost_cny": str(0.0 if cost is None else cost),
    }


def clean_rows() -> list[dict]:
    """A hand-built roster that satisfies every rule; costs computed by hand below."""
    return [
        # 001: contract 16 h/week: 8 + 8 = 16, no overtime.
        row("001", "2026-11-09 09:00", "2026-11-09 18:00", "13:00-14:00"),
        row("001", "2026-11-10 09:00", "2026-11-10 18:00", "13:00-14:00"),
        # PT1: 4 h at 30 CNY on Monday.
        row("PT1", "2026-11-09 10:00", "2026-11-09 14:00", cost=120.0),
        # Temp: first shift on day 3 (lead 2 days) crossing midnight: 8.5 h span - 0.5 meal.
        row(
            "TEMP-001",
            "2026-11-11 20:00",
            "2026-11-12 04:30",
            "00:30-01:00",
            paid=8.0,
            cost=8 * 50 + 100 + 4 * 50,
        ),
        row(
            "TEMP-001", "2026-11-12 20:00", "2026-11-13 04:30", "23:30-00:00", paid=8.0, cost=400.0
        ),
    ]


def frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows).astype(str)


def rules_of(problem, rows) -> set[str]:
    return {v.rule for v in validate_roster(problem, frame(rows)).violations}
