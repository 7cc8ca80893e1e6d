"""Constraint-verifier tests (in the manner of Timefold's ConstraintVerifier), one rule at a time.

For each rule a tiny hand-made roster (the validator's HR frame: 1-3 agents over a 7-day
horizon from Monday 2026-11-09, demand zero) breaks exactly that rule and a twin satisfies it.
The validator must report exactly ``(rule, agent_id, date)`` for the first and nothing for the
second. The same rosters are then imposed on the per-agent CP-SAT model (every rule of
``scheduler.roster.solve.cpsat_model`` on all candidate columns, no optimisation: each shift
Boolean is fixed to the hand-made roster and feasibility is checked with one worker, a fixed
seed and a 5 s limit). ``cpsat_verdict`` answers:

- ``"feasible"``: the model accepts the roster;
- ``"infeasible"``: a constraint of the model rejects it (one_shift_per_day, min_rest,
  max_consecutive_days, weekly_max_hours, legal_weekly_max_hours, temp_headcount);
- ``"no_column"``: the model has no variable for one of the shifts, i.e. the rule is enforced by
  construction of the candidate columns or identities (availability, meal_break,
  max_hours_per_day / shift_length, temp_lead_days).

Rules checked on the validator side only, and why:

- ``weekly_min_hours``: soft in CP-SAT (``instance.instance.MIN_HOURS_PENALTY_CNY`` per missing
  hour), so the model accepts the breaking roster; the test asserts the penalty in its objective
  instead of a rejection.
- ``cost``: CP-SAT never reads a row's ``cost_cny``; the test asserts that the model's objective
  (CNY) for the fixed roster equals the validator's recomputed wage cost instead.

Units: hours (paid hours), minutes (model columns), CNY (costs).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd
import pytest
from ortools.sat.python import cp_model

from scheduler.roster.checks.validator import validate_roster
from scheduler.roster.cpsat.model import OBJ_SCALE
from scheduler.roster.instance.availability import agent_mask
from scheduler.roster.instance.columns import Columns, build_columns
from scheduler.roster.instance.horizon import Horizon
from scheduler.roster.instance.identities import agent_identities
from scheduler.roster.instance.instance import MIN_HOURS_PENALTY_CNY, Instance, by_start_day
from scheduler.roster.lp.column_selection import cohort_identities
from scheduler.roster.schema import (
    Agent,
    CostParams,
    LabourRules,
    RosterProblem,
    ShiftPolicies,
    ShiftPolicy,
    TemporaryPool,
)
from scheduler.roster.solve import TYPES, cpsat_model

MONDAY = date(2026, 11, 9)
DAYS = 7
POOL_HOURLY_CNY, POOL_FEE_CNY = 50.0, 100.0 + 4 * 50.0  # onboarding + 4 training hours


def perm(aid: str = "P1", contract_h: float = 40, max_h: float = 48, **kw: object) -> Agent:
    """A permanent agent at 40 CNY/h (contract and weekly maximum in hours)."""
    return Agent(agent_id=aid, name=aid, agent_type="permanent", contract_hours_per_week=contract_h,
                 min_hours_per_week=0, max_hours_per_week=max_h, hourly_cost_cny=40, **kw)


def part(aid: str = "PT1", min_h: float = 0, **kw: object) -> Agent:
    """A part-time agent at 30 CNY/h, at most 30 paid hours a week."""
    return Agent(agent_id=aid, name=aid, agent_type="part_time", contract_hours_per_week=0,
                 min_hours_per_week=min_h, max_hours_per_week=30, hourly_cost_cny=30, **kw)


def problem(agents: tuple[Agent, ...] = (perm(), part()), headcount: int = 0, lead_days: int = 0,
            start: time = time(0), **rules: float) -> RosterProblem:
    """7 days of 30-minute slots with zero demand (so CP-SAT's objective is wages + penalties).

    Permanent: 8-9 paid hours, starts 06:00-14:00 hourly, 60-min meal 3-5 h after the start.
    Part-time: 4-6 paid hours, starts 08:00-18:00 hourly, no meal. Temporary: 8 paid hours,
    starts 08:00-12:00 hourly, 30-min meal. ``rules`` override ``LabourRules`` fields
    (default here: min rest 11 h, at most 3 consecutive days). ``start``: the horizon's first
    slot on Monday (later starts run 7 × 24 h from there).
    """
    t0 = datetime.combine(MONDAY, start)
    n = DAYS * 48
    labour = {"min_rest_hours": 11.0, "max_consecutive_days": 3, **rules}
    return RosterProblem(
        slot_starts=tuple(t0 + timedelta(minutes=30 * k) for k in range(n)),
        interval_minutes=30,
        required=(0.0,) * n,
        agents=agents,
        temporary=TemporaryPool(max_headcount=headcount, hourly_cost_cny=POOL_HOURLY_CNY,
                                onboarding_cost_cny=100, training_hours=4, lead_days=lead_days),
        shifts=ShiftPolicies(
            permanent=ShiftPolicy(paid_hours_min=8, paid_hours_max=9, earliest_start=time(6),
                                  latest_start=time(14), start_step_minutes=60,
                                  meal_break_minutes=60),
            part_time=ShiftPolicy(paid_hours_min=4, paid_hours_max=6, earliest_start=time(8),
                                  latest_start=time(18), start_step_minutes=60),
            temporary=ShiftPolicy(paid_hours_min=8, paid_hours_max=8, earliest_start=time(8),
                                  latest_start=time(12), start_step_minutes=60,
                                  meal_break_minutes=30),
        ),
        rules=LabourRules(**labour),
        costs=CostParams(shortfall_cost_per_agent_hour_cny=100),
    )


@dataclass(frozen=True)
class Shift:
    """One hand-made shift: agent, horizon day index, HH:MM start/end (end <= start: next day),
    optional HH:MM meal start and the row's cost in CNY (None: plain wage, see ``frame``)."""

    agent_id: str
    day: int
    start: str
    end: str
    meal: str | None = None
    cost_cny: float | None = None

    def times(self, meal_min: int) -> tuple[datetime, datetime, tuple[datetime, datetime] | None]:
        d = MONDAY + timedelta(days=self.day)
        s = datetime.combine(d, time.fromisoformat(self.start))
        e = datetime.combine(d, time.fromisoformat(self.end))
        e += timedelta(days=1) if e <= s else timedelta(0)
        if self.meal is None:
            return s, e, None
        m = datetime.combine(d, time.fromisoformat(self.meal))
        m += timedelta(days=1) if m < s else timedelta(0)
        return s, e, (m, m + timedelta(minutes=meal_min))


def _kind(p: RosterProblem, aid: str) -> str:
    named = {a.agent_id: a.agent_type for a in p.agents}
    return named.get(aid, "temporary")


def frame(p: RosterProblem, shifts: list[Shift]) -> pd.DataFrame:
    """The HR roster frame (text cells). Default costs: part-time paid h x 30 CNY, temporary paid
    h x 50 CNY plus the hire fee on its first row, permanent 0 (no overtime)."""
    rows, seen = [], set()
    for sh in shifts:
        kind = _kind(p, sh.agent_id)
        meal_min = getattr(p.shifts, kind).meal_break_minutes
        s, e, meal = sh.times(meal_min)
        paid = (e - s).total_seconds() / 3600 - (meal_min / 60 if meal else 0.0)
        cost = sh.cost_cny
        if cost is None:
            cost = {"permanent": 0.0, "part_time": 30 * paid}.get(kind, POOL_HOURLY_CNY * paid)
            if kind == "temporary" and sh.agent_id not in seen:
                cost += POOL_FEE_CNY
        seen.add(sh.agent_id)
        rows.append({
            "agent_id": sh.agent_id, "agent_name": sh.agent_id, "agent_type": kind,
            "date": s.date().isoformat(), "shift_start": f"{s:%Y-%m-%d %H:%M}",
            "shift_end": f"{e:%Y-%m-%d %H:%M}",
            "breaks": f"{meal[0]:%H:%M}-{meal[1]:%H:%M}" if meal else "",
            "paid_hours": f"{paid:.2f}", "cost_cny": f"{cost:.2f}",
        })
    return pd.DataFrame(rows).astype(str)


def verdict(p: RosterProblem, shifts: list[Shift]) -> set[tuple[str, str | None, date | None]]:
    """The validator's violations as (rule, agent_id, date)."""
    rep = validate_roster(p, frame(p, shifts))
    return {(v.rule, v.agent_id, v.date) for v in rep.violations}


def _column(c: Columns, hz: Horizon, p: RosterProblem, sh: Shift) -> int | None:
    """The column with the shift's start, end and meal placement (None: no such column)."""
    s, e, meal = sh.times(getattr(p.shifts, c.agent_type).meal_break_minutes)
    off = None if meal is None else int((meal[0] - s).total_seconds() // 60)
    hits = np.flatnonzero((c.start == hz.minute(s)) & (c.end == hz.minute(e)))
    for j in hits:
        if c.templates[int(c.tmpl[j])].meal_offset == off:
            return int(j)
    return None


def cpsat_verdict(p: RosterProblem, shifts: list[Shift]) -> tuple[str, float | None]:
    """Impose the roster on the CP-SAT model; (verdict, objective CNY or None). See module doc."""
    hz = Horizon.of(p)
    cols = {t: build_columns(p, t, hz) for t in TYPES}
    ids = agent_identities(p, hz, cohort_identities(p, hz, {}))
    cand = []
    for ident in ids:
        c = cols[ident.agent_type]
        if ident.agent is None:
            cand.append(np.flatnonzero(c.day >= int(ident.cohort_day or 0)))
        else:
            cand.append(np.flatnonzero(agent_mask(ident.agent, c, hz)))
    rm = cpsat_model(Instance(p, hz, cols, ids, by_start_day(cols, ids, cand)))
    pick: set[tuple[int, int]] = set()
    temps: dict[str, int] = {}  # TEMP-nnn of the roster -> identity with its first day
    for sh in sorted(shifts, key=lambda s: (s.agent_id, s.day)):
        if _kind(p, sh.agent_id) == "temporary" and sh.agent_id not in temps:
            free = [i for i, ident in enumerate(ids) if ident.agent is None
                    and ident.cohort_day == sh.day and i not in temps.values()]
            if not free:
                return "no_column", None
            temps[sh.agent_id] = free[0]
        i = temps.get(sh.agent_id)
        if i is None:
            i = next(k for k, ident in enumerate(ids) if ident.key == sh.agent_id)
        j = _column(cols[ids[i].agent_type], hz, p, sh)
        if j is None or j not in {jj for jj, _ in rm.x[i].get(sh.day, [])}:
            return "no_column", None
        pick.add((i, j))
    for i, by_day in enumerate(rm.x):
        for lst in by_day.values():
            for j, v in lst:
                rm.m.add(v == int((i, j) in pick))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 5.0
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    status = solver.solve(rm.m)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "feasible", solver.objective_value / OBJ_SCALE
    assert status == cp_model.INFEASIBLE, solver.status_name(status)
    return "infeasible", None


def day(k: int) -> date:
    return MONDAY + timedelta(days=k)


def check(p: RosterProblem, bad: list[Shift], good: list[Shift],
          expected: set[tuple[str, str | None, date | None]], cpsat_bad: str | None) -> None:
    """Validator: ``bad`` gives exactly ``expected``, ``good`` nothing. CP-SAT (unless
    ``cpsat_bad`` is None): ``bad`` gets ``cpsat_bad``, ``good`` is feasible."""
    assert verdict(p, bad) == expected
    assert verdict(p, good) == set()
    if cpsat_bad is not None:
        assert cpsat_verdict(p, bad)[0] == cpsat_bad
        assert cpsat_verdict(p, good)[0] == "feasible"


def test_one_shift_per_day() -> None:
    p = problem(min_rest_hours=4)
    bad = [Shift("PT1", 0, "08:00", "12:00"), Shift("PT1", 0, "17:00", "21:00")]
    good = [Shift("PT1", 0, "08:00", "12:00"), Shift("PT1", 1, "08:00", "12:00")]
    check(p, bad, good, {("one_shift_per_day", "PT1", day(0))}, "infeasible")


def test_min_rest() -> None:
    """13:00-22:00 then 06:00 next day is 8 h rest (< 11 h); 09:00 next day is exactly 11 h."""
    first = Shift("P1", 0, "13:00", "22:00", "17:00")
    bad = [first, Shift("P1", 1, "06:00", "15:00", "10:00")]
    good = [first, Shift("P1", 1, "09:00", "18:00", "13:00")]
    check(problem(), bad, good, {("min_rest", "P1", day(1))}, "infeasible")


def test_max_consecutive_days() -> None:
    """At most 3 working dates in a row: a 4th in a row is flagged on that date."""
    bad = [Shift("P1", d, "09:00", "18:00", "13:00") for d in (0, 1, 2, 3)]
    good = [Shift("P1", d, "09:00", "18:00", "13:00") for d in (0, 1, 2, 4)]
    check(problem(), bad, good, {("max_consecutive_days", "P1", day(3))}, "infeasible")


def test_weekly_max_hours() -> None:
    """Maximum 16 paid h a week: a third 8-h shift breaks it (and is 8 h overtime, 480 CNY)."""
    p = problem(agents=(perm("P2", contract_h=16, max_h=16),))
    bad = [Shift("P2", 0, "09:00", "18:00", "13:00"), Shift("P2", 1, "09:00", "18:00", "13:00"),
           Shift("P2", 3, "09:00", "18:00", "13:00", cost_cny=8 * 40 * 1.5)]
    check(p, bad, bad[:2], {("weekly_max_hours", "P2", None)}, "infeasible")


def test_weekly_min_hours_is_a_penalty_in_cpsat() -> None:
    """Minimum 12 paid h a week: one 4-h shift misses 8 h. CP-SAT accepts it (soft rule) and
    charges MIN_HOURS_PENALTY_CNY per missing hour on top of the wage."""
    p = problem(agents=(part("PT1", min_h=12),))
    bad = [Shift("PT1", 0, "08:00", "12:00")]
    good = [Shift("PT1", d, "08:00", "12:00") for d in (0, 1, 2)]
    check(p, bad, good, {("weekly_min_hours", "PT1", None)}, None)
    state, obj = cpsat_verdict(p, bad)
    assert state == "feasible"
    assert obj == pytest.approx(4 * 30 + 8 * MIN_HOURS_PENALTY_CNY)
    assert cpsat_verdict(p, good) == ("feasible", pytest.approx(12 * 30))


@pytest.mark.parametrize(
    ("bad_shift", "why"),
    [(Shift("PT2", 0, "11:00", "15:00"), "ends after available_to"),
     (Shift("PT2", 2, "08:00", "12:00"), "requested day off"),
     (Shift("PT2", 5, "08:00", "12:00"), "Saturday not an available weekday")],
)
def test_availability(bad_shift: Shift, why: str) -> None:
    pt2 = part("PT2", available_weekdays=(0, 1, 2, 3, 4), available_from=time(8),
               available_to=time(14), days_off=(day(2),))
    p = problem(agents=(pt2,))
    good = [Shift("PT2", 0, "09:00", "13:00")]
    check(p, [bad_shift], good, {("availability", "PT2", day(bad_shift.day))}, "no_column")


def test_availability_open_ended_window() -> None:
    """available_from without available_to: a start before it is outside the window (the
    validator once also tried the day before's open-ended window and let any start pass)."""
    pt3 = part("PT3", available_weekdays=(0, 1, 2, 3, 4, 5, 6), available_from=time(10))
    p = problem(agents=(pt3,))
    check(p, [Shift("PT3", 1, "08:00", "12:00")], [Shift("PT3", 1, "10:00", "14:00")],
          {("availability", "PT3", day(1))}, "no_column")


@pytest.mark.parametrize(
    "bad_shift",
    [Shift("P1", 0, "09:00", "18:00"),  # 9 paid h and no meal break
     Shift("P1", 0, "09:00", "18:00", "10:00")],  # meal 1 h after the start (window 3-5 h)
)
def test_meal_break(bad_shift: Shift) -> None:
    good = [Shift("P1", 0, "09:00", "18:00", "13:00")]
    check(problem(), [bad_shift], good, {("meal_break", "P1", day(0))}, "no_column")


def test_max_hours_per_day() -> None:
    """max_hours_per_day 8.5 h: a 9-paid-h shift (policy allows 8-9 h) breaks it."""
    p = problem(max_hours_per_day=8.5)
    bad = [Shift("P1", 0, "09:00", "19:00", "13:00")]
    good = [Shift("P1", 0, "09:00", "18:00", "13:00")]
    check(p, bad, good, {("max_hours_per_day", "P1", day(0))}, "no_column")


def test_shift_length() -> None:
    """Part-time paid hours must lie in [4, 6] h: a 3-h shift breaks it."""
    bad = [Shift("PT1", 0, "08:00", "11:00")]
    good = [Shift("PT1", 0, "08:00", "12:00")]
    check(problem(), bad, good, {("shift_length", "PT1", day(0))}, "no_column")


def test_temp_lead_days() -> None:
    """Lead time 2 days: a temporary on day 1 is too early, on day 2 fine."""
    p = problem(agents=(perm(),), headcount=1, lead_days=2)
    bad = [Shift("TEMP-001", 1, "08:00", "16:30", "12:00")]
    good = [Shift("TEMP-001", 2, "08:00", "16:30", "12:00")]
    check(p, bad, good, {("temp_lead_days", "TEMP-001", day(1))}, "no_column")


def test_temp_lead_days_count_whole_dates() -> None:
    """Lead time 2 days on a horizon from Monday 10:00: temporaries may work from Wednesday
    00:00 (whole dates, as the solver counts), so a Wednesday 08:00 shift is legal."""
    p = problem(agents=(perm(),), headcount=1, lead_days=2, start=time(10))
    bad = [Shift("TEMP-001", 1, "10:00", "18:30", "14:00")]
    good = [Shift("TEMP-001", 2, "08:00", "16:30", "12:00")]
    check(p, bad, good, {("temp_lead_days", "TEMP-001", day(1))}, "no_column")


def test_temp_headcount() -> None:
    """Pool of 1: a second temporary (hired on another day) breaks the headcount."""
    p = problem(agents=(perm(),), headcount=1)
    one = Shift("TEMP-001", 2, "08:00", "16:30", "12:00")
    bad = [one, Shift("TEMP-002", 3, "08:00", "16:30", "12:00")]
    good = [one, Shift("TEMP-001", 3, "08:00", "16:30", "12:00")]
    check(p, bad, good, {("temp_headcount", None, None)}, "infeasible")


def test_cost_recomputation() -> None:
    """Row costs: part-time wage, temp wage + hire fee on the first shift, permanent overtime at
    the 1.5 premium. A wrong cost_cny is flagged; CP-SAT's objective (CNY, zero demand) equals
    the validator's recomputed wage cost."""
    p = problem(agents=(perm("P2", contract_h=16, max_h=24), part()), headcount=1)
    rows = [Shift("P2", 0, "09:00", "18:00", "13:00"), Shift("P2", 1, "09:00", "18:00", "13:00"),
            Shift("P2", 3, "09:00", "18:00", "13:00", cost_cny=8 * 40 * 1.5),
            Shift("PT1", 0, "08:00", "14:00"),
            Shift("TEMP-001", 2, "08:00", "16:30", "12:00"),
            Shift("TEMP-001", 3, "08:00", "16:30", "12:00")]
    bad = [*rows[:3], Shift("PT1", 0, "08:00", "14:00", cost_cny=100.0), *rows[4:]]
    check(p, bad, rows, {("cost", "PT1", day(0))}, None)
    wage = validate_roster(p, frame(p, rows)).wage_cost_cny
    assert wage == pytest.approx(480 + 6 * 30 + 2 * 8 * POOL_HOURLY_CNY + POOL_FEE_CNY)
    assert cpsat_verdict(p, rows) == ("feasible", pytest.approx(wage))


def test_legal_weekly_max_hours() -> None:
    """Legal cap 20 paid h a week (agent's own maximum 48 h): a third 8-h shift breaks only the
    legal cap (permanent contract 40 h: no overtime)."""
    p = problem(max_hours_per_week=20)
    bad = [Shift("P1", d, "09:00", "18:00", "13:00") for d in (0, 1, 3)]
    check(p, bad, bad[:2], {("legal_weekly_max_hours", "P1", None)}, "infeasible")
