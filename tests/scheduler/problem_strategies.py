"""Hypothesis strategies of random small valid-looking roster problems, shared by the property
tests (``test_roster_property.py``, ``roster/test_engines_property.py``).

Problems: 1-3 days of 30- or 60-minute slots, 1-6 named agents of both types (weekly limits,
availability windows crossing midnight or not, weekdays, days off, efficiency) and a small temp
pool, requirements with zeros and spikes, random labour rules and shift policies within their
valid ranges. Some break the pre-flight check (``check_problem``): callers discard them.

Importable from every test folder (``tests/scheduler/conftest.py`` puts this folder on sys.path)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import strategies as st

from scheduler.roster.schema import (
    Agent,
    CostParams,
    LabourRules,
    RosterProblem,
    ShiftPolicies,
    ShiftPolicy,
    TemporaryPool,
)

START = date(2026, 11, 9)


@st.composite
def policies(draw, interval: int) -> ShiftPolicy:
    lo = draw(st.sampled_from([2, 3, 4, 6, 8]))
    hi = lo + draw(st.sampled_from([0, 1, 2, 4]))
    meal = draw(st.sampled_from([0, 0, 30, 60])) if interval == 30 else draw(
        st.sampled_from([0, 60]))
    first = draw(st.integers(0, 23)) * 60
    width = draw(st.sampled_from([0, 2, 6, 12, 23])) * 60
    last = (first + width) % 1440
    return ShiftPolicy(
        paid_hours_min=lo, paid_hours_max=hi,
        length_step_minutes=draw(st.sampled_from([60, 120])),
        earliest_start=time(first // 60), latest_start=time(last // 60, last % 60),
        start_step_minutes=draw(st.sampled_from([interval, 60, 120])),
        meal_break_minutes=meal, meal_break_min_after_hours=2, meal_break_max_after_hours=4,
        meal_break_from_paid_hours=draw(st.sampled_from([4, 5, 6])),
        short_break_minutes=draw(st.sampled_from([0, 0, 15])) if interval == 30 else 0,
    )


@st.composite
def agents(draw, days: int) -> tuple[Agent, ...]:
    out = []
    for k in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["permanent", "part_time"]))
        hi = draw(st.sampled_from([8, 20, 30, 40, 48]))
        frm = draw(st.one_of(st.none(), st.integers(0, 23)))
        to = draw(st.one_of(st.none(), st.integers(0, 23)))
        off = draw(st.lists(st.integers(0, days - 1), max_size=2, unique=True))
        out.append(Agent(
            agent_id=f"{k:03d}", name=f"名字 {k}", agent_type=kind,
            contract_hours_per_week=draw(st.sampled_from([0, 20, 40])) if kind == "permanent"
            else 0,
            min_hours_per_week=draw(st.sampled_from([0, 0, 4, 8, 16])) if hi >= 16 else 0,
            max_hours_per_week=hi, hourly_cost_cny=draw(st.sampled_from([30.0, 45.0])),
            available_weekdays=tuple(sorted(draw(st.sets(st.integers(0, 6), min_size=1)))),
            available_from=None if frm is None else time(frm),
            available_to=None if to is None or to == frm else time(to),
            days_off=tuple(START + timedelta(days=d) for d in off),
            efficiency=draw(st.sampled_from([0.8, 1.0, 1.2])),
            hours_before_horizon=draw(st.one_of(st.none(), st.sampled_from([0.0, 8.0, 30.0]))),
        ))
    return tuple(out)


@st.composite
def problems(draw) -> RosterProblem:
    days = draw(st.integers(1, 3))
    interval = draw(st.sampled_from([30, 60]))
    n = days * 1440 // interval
    base = draw(st.sampled_from([0.0, 1.0, 2.0, 3.0]))
    req = [base * draw(st.sampled_from([0.0, 0.5, 1.0, 1.0])) for _ in range(n)]
    for _ in range(draw(st.integers(0, 3))):  # spikes
        k = draw(st.integers(0, n - 1))
        req[k] = float(draw(st.integers(3, 12)))
    t0 = datetime.combine(START, time(0))
    return RosterProblem(
        slot_starts=tuple(t0 + timedelta(minutes=interval * k) for k in range(n)),
        interval_minutes=interval,
        required=tuple(req),
        agents=draw(agents(days)),
        temporary=TemporaryPool(
            max_headcount=draw(st.integers(0, 2)), hourly_cost_cny=40.0,
            onboarding_cost_cny=draw(st.sampled_from([0.0, 300.0])),
            training_hours=draw(st.sampled_from([0.0, 4.0])),
            lead_days=draw(st.integers(0, 1)),
            efficiency_ramp=draw(st.sampled_from([(1.0,), (0.7, 1.0)])),
            min_hours_per_week=draw(st.sampled_from([0.0, 8.0])), max_hours_per_week=40.0),
        shifts=ShiftPolicies(permanent=draw(policies(interval)),
                             part_time=draw(policies(interval)),
                             temporary=draw(policies(interval))),
        rules=LabourRules(min_rest_hours=draw(st.sampled_from([0, 8, 11, 14])),
                          max_consecutive_days=draw(st.integers(1, 7)),
                          max_hours_per_day=draw(st.sampled_from([6, 8, 10, 12])),
                          max_hours_per_week=draw(st.sampled_from([40, 48, 60])),
                          week_start=draw(st.integers(0, 6))),
        costs=CostParams(shortfall_cost_per_agent_hour_cny=draw(st.sampled_from([0.0, 200.0])),
                         overstaff_cost_per_agent_hour_cny=draw(st.sampled_from([0.0, 5.0])),
                         fairness_weight_cny=draw(st.sampled_from([0.0, 10.0]))),
    )
