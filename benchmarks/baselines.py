"""Baselines for the roster benchmark: a planner's staff-to-peak spreadsheet and pyworkforce.

Staff-to-peak (what a planner does by hand): every day has three fixed 8-h paid shifts, early
07:00, late 15:00 and night 23:00 (each with its type's meal break 4 h after the start, so a
permanent's shift spans 9 h). Each shift is staffed with ceil(peak requirement over the slots it
spans) heads. Heads are filled, day by day, with permanent agents within their contract hours
(fewest hours this week first), then temporaries (re-using hired ones, hiring up to the pool
size from horizon start + lead_days), then permanent overtime up to their maximum. Every pick
respects availability, one shift a day, minimum rest, maximum consecutive days and weekly caps;
heads that cannot be filled are left short. Afterwards every named agent below their weekly
minimum gets extra shifts (a pattern start, or the start of their availability window; part-timers
work their longest allowed shift) on days they can work; part-timers are otherwise not used.

pyworkforce ``MinRequiredResources`` (0.5.1, run in ``.venv-ref`` on Python 3.11 in a subprocess):
days are independent, templates are single-day shifts without breaks, coverage is hard. It applies
to :func:`benchmarks.roster_instances.pyworkforce_variant`. Its ``num_search_workers`` argument is
ignored (bug, it sets a Python attribute), so it runs on all cores; ``max_search_time`` must be a
float in 0.5.1.
"""

from __future__ import annotations

import json
import math
import subprocess
import time as _time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from scheduler.roster.checks.context import RuleContext
from scheduler.roster.checks.parse import parse_roster
from scheduler.roster.checks.validator import recompute_costs, roster_frame_from_assignments
from scheduler.roster.instance.horizon import Horizon
from scheduler.roster.schema import Break, RosterProblem, ShiftAssignment

ROOT = Path(__file__).resolve().parents[1]
REF_PYTHON = ROOT / ".venv-ref" / "bin" / "python"
PATTERN_STARTS = (7 * 60, 15 * 60, 23 * 60)  # minutes of day: early, late, night
PAID_HOURS = 8.0


@dataclass
class _Person:
    agent_id: str
    name: str
    kind: str
    shifts: list[tuple[date, datetime, datetime, float]] = field(default_factory=list)


def _shift(problem: RosterProblem, kind: str, d: date, minute: int, paid: float | None = None):
    p = getattr(problem.shifts, kind)
    if paid is None:
        paid = min(max(PAID_HOURS, p.paid_hours_min), p.paid_hours_max)
    meal = (
        p.meal_break_minutes if p.meal_break_minutes and paid > p.meal_break_from_paid_hours else 0
    )
    start = datetime.combine(d, datetime.min.time()) + timedelta(minutes=minute)
    end = start + timedelta(hours=paid, minutes=meal)
    brk = ()
    if meal:
        b0 = start + timedelta(hours=4)
        brk = (Break(start=b0, end=b0 + timedelta(minutes=meal), paid=False),)
    return start, end, brk, paid


class _Planner:
    def __init__(self, problem: RosterProblem) -> None:
        self.p = problem
        self.first = problem.slot_starts[0].date()
        self.n_days = (problem.slot_starts[-1].date() - self.first).days + 1
        self.rest = timedelta(hours=problem.rules.min_rest_hours)
        self.hz = Horizon.of(problem)

    def week_of(self, d: date) -> int:
        return self.hz.week_of_day((d - self.first).days)

    def week_cap(self, d: date, hours: float, agent=None) -> float:
        """``hours`` scaled for the calendar week of ``d`` as the product's week limits do
        (``scheduler.roster.instance.week_limits``; temps: ``agent`` None)."""
        w, n = self.week_of(d), self.p.rules.working_days_per_week
        if agent is None:
            return hours * min(1.0, len(self.hz.week_days(w)) / n)
        return hours * self.hz.work_share(w, agent, n)

    def week_hours(self, person: _Person, d: date) -> float:
        w = self.week_of(d)
        return sum(h for sd, _, _, h in person.shifts if self.week_of(sd) == w)

    def can_work(self, person: _Person, d: date, start: datetime, end: datetime) -> bool:
        dates = {sd for sd, _, _, _ in person.shifts}
        if d in dates:
            return False
        for _, s, e, _ in person.shifts:
            if start < e + self.rest and s < end + self.rest:
                return False
        run, k = 1, 1
        while d - timedelta(days=k) in dates:
            run, k = run + 1, k + 1
        k = 1
        while d + timedelta(days=k) in dates:
            run, k = run + 1, k + 1
        return run <= self.p.rules.max_consecutive_days


def _available(agent, d: date, start: datetime, end: datetime) -> bool:
    if d.weekday() not in agent.available_weekdays or d in agent.days_off:
        return False
    if agent.available_from is None and agent.available_to is None:
        return True
    for day in (d - timedelta(days=1), d):
        lo = datetime.combine(day, agent.available_from or datetime.min.time())
        hi = datetime.max
        if agent.available_to is not None:
            hi = datetime.combine(day, agent.available_to)
            if hi <= lo:
                hi += timedelta(days=1)
        if lo <= start and end <= hi:
            return True
    return False


def staff_to_peak(problem: RosterProblem) -> list[ShiftAssignment]:
    """The planner's spreadsheet roster (see module docstring); costs filled by recomputation."""
    pl = _Planner(problem)
    req = np.asarray(problem.required)
    t0 = problem.slot_starts[0]
    step = problem.interval_minutes
    perms = [a for a in problem.agents if a.agent_type == "permanent"]
    people = {a.agent_id: _Person(a.agent_id, a.name, "permanent") for a in perms}
    temps: list[_Person] = []
    pool = problem.temporary
    legal = problem.rules.max_hours_per_week
    temp_from = t0 + timedelta(days=pool.lead_days)

    def peak(start: datetime, end: datetime) -> float:
        a = max(0, int((start - t0).total_seconds() // 60) // step)
        b = min(len(req), math.ceil((end - t0).total_seconds() / 60 / step))
        return float(req[a:b].max()) if b > a else 0.0

    def pick_perm(d, start, end, paid, overtime: bool):
        best = None
        for a in perms:
            person = people[a.agent_id]
            cap = a.max_hours_per_week if overtime else a.contract_hours_per_week
            cap = pl.week_cap(d, min(cap, legal), a)
            h = pl.week_hours(person, d)
            if h + paid > cap + 1e-9 or not _available(a, d, start, end):
                continue
            if pl.can_work(person, d, start, end) and (best is None or h < best[0]):
                best = (h, person)
        return None if best is None else best[1]

    def pick_temp(d, start, end, paid):
        if start < temp_from:
            return None
        cap = pl.week_cap(d, min(pool.max_hours_per_week, legal))
        for person in temps:
            if pl.week_hours(person, d) + paid <= cap + 1e-9 and pl.can_work(person, d, start, end):
                return person
        if len(temps) < pool.max_headcount:
            temps.append(
                _Person(f"TEMP-{len(temps) + 1:03d}", f"临时{len(temps) + 1}", "temporary")
            )
            return temps[-1]
        return None

    breaks: dict[tuple[str, date], tuple] = {}
    for k in range(pl.n_days):
        d = pl.first + timedelta(days=k)
        for minute in PATTERN_STARTS:
            start, end, brk, paid = _shift(problem, "permanent", d, minute)
            heads = math.ceil(peak(start, end) - 1e-9)
            for _ in range(heads):
                who = pick_perm(d, start, end, paid, overtime=False)
                if who is None:
                    tstart, tend, tbrk, tpaid = _shift(problem, "temporary", d, minute)
                    who = pick_temp(d, tstart, tend, tpaid)
                    if who is not None:
                        who.shifts.append((d, tstart, tend, tpaid))
                        breaks[(who.agent_id, d)] = tbrk
                        continue
                    who = pick_perm(d, start, end, paid, overtime=True)
                if who is None:
                    break
                who.shifts.append((d, start, end, paid))
                breaks[(who.agent_id, d)] = brk
    for a in problem.agents:  # top up every named agent to the weekly minimum
        person = people.setdefault(a.agent_id, _Person(a.agent_id, a.name, a.agent_type))
        own = a.available_from.hour * 60 + a.available_from.minute if a.available_from else 9 * 60
        for k in range(pl.n_days):
            d = pl.first + timedelta(days=k)
            if pl.week_hours(person, d) >= pl.week_cap(d, a.min_hours_per_week, a) - 1e-9:
                continue
            cap = pl.week_cap(d, min(a.max_hours_per_week, legal), a)
            pol = getattr(problem.shifts, a.agent_type)
            step_h = pol.length_step_minutes / 60
            n_len = int(round((pol.paid_hours_max - pol.paid_hours_min) / step_h))
            lengths = (
                [None]
                if a.agent_type == "permanent"
                else [pol.paid_hours_max - i * step_h for i in range(n_len + 1)]
            )
            options = [(m, h) for m in (*PATTERN_STARTS, own) for h in lengths]
            for minute, hours in options:
                start, end, brk, paid = _shift(problem, a.agent_type, d, minute, hours)
                if pl.week_hours(person, d) + paid > cap + 1e-9:
                    continue
                if _available(a, d, start, end) and pl.can_work(person, d, start, end):
                    person.shifts.append((d, start, end, paid))
                    breaks[(a.agent_id, d)] = brk
                    break
    out = []
    for person in [*people.values(), *temps]:
        for d, s, e, h in sorted(person.shifts):
            out.append(
                ShiftAssignment(
                    agent_id=person.agent_id,
                    agent_name=person.name,
                    agent_type=person.kind,
                    date=d,
                    shift_start=s,
                    shift_end=e,
                    breaks=breaks[(person.agent_id, d)],
                    paid_hours=h,
                    cost_cny=0.0,
                )
            )
    return with_recomputed_costs(problem, out)


def with_recomputed_costs(
    problem: RosterProblem, shifts: list[ShiftAssignment]
) -> list[ShiftAssignment]:
    """Fill ``cost_cny`` with the cost the validator recomputes from the scenario."""
    parsed = parse_roster(problem, roster_frame_from_assignments(shifts))
    ctx = RuleContext(problem=problem, shifts=parsed)
    costs = recompute_costs(problem, ctx)
    return [
        s.model_copy(update={"cost_cny": round(c, 2)}) for s, c in zip(shifts, costs, strict=True)
    ]


# ------------------------------------------------------------------------------- pyworkforce

_PW_SCRIPT = r"""
import json, sys, time
from pyworkforce.scheduling import MinRequiredResources
cfg = json.load(sys.stdin)
m = MinRequiredResources(num_days=cfg["num_days"], periods=cfg["periods"],
    shifts_coverage=cfg["shifts_coverage"], required_resources=cfg["required"],
    cost_dict=cfg["cost_dict"], max_period_concurrency=cfg["max_period"],
    max_shift_concurrency=cfg["max_shift"], max_search_time=float(cfg["time_limit"]),
    num_search_workers=2)
t = time.perf_counter()
sol = m.solve()
sol["wall_time_s"] = time.perf_counter() - t
json.dump(sol, sys.stdout)
"""


def pyworkforce_templates(problem: RosterProblem) -> dict[str, tuple[int, int, float]]:
    """Single-day, break-free part-time templates: name -> (start period, length periods, paid h).

    A template must end by the part-timers' common ``available_to`` (or 24:00) on its own day."""
    p = problem.shifts.part_time
    step = problem.interval_minutes
    per_day = 1440 // step
    ends = [a.available_to for a in problem.agents if a.available_to is not None]
    last_end = min((t.hour * 60 + t.minute for t in ends), default=1440) // step
    e0 = (p.earliest_start.hour * 60 + p.earliest_start.minute) // step
    e1 = (p.latest_start.hour * 60 + p.latest_start.minute) // step
    out = {}
    h = p.paid_hours_min
    while h <= min(p.paid_hours_max, problem.rules.max_hours_per_day) + 1e-9:
        length = round(h * 60 / step)
        for s in range(e0, min(e1, per_day - 1) + 1, max(1, p.start_step_minutes // step)):
            if s + length <= min(last_end, per_day):
                out[f"S{s:02d}L{length:02d}"] = (s, length, h)
        h += p.length_step_minutes / 60
    return out


def pyworkforce_min_required(problem: RosterProblem, time_limit_s: float = 60.0) -> dict:
    """Run pyworkforce MinRequiredResources on the problem's demand and part-time templates.

    Returns ``status``, ``wage_cost_cny``, ``overstaff_penalty_cny``, ``total_cost_cny`` (no
    shortfall: coverage is hard), ``max_shifts_per_day`` (shifts on its busiest day),
    ``wall_time_s``. Requires ``make .venv-ref/.installed``."""
    if not REF_PYTHON.exists():
        return {"status": "NOT_INSTALLED"}
    step = problem.interval_minutes
    per_day = 1440 // step
    req = np.asarray(problem.required).reshape(-1, per_day)
    tpl = pyworkforce_templates(problem)
    hourly = problem.agents[0].hourly_cost_cny
    cfg = {
        "num_days": int(req.shape[0]),
        "periods": per_day,
        "shifts_coverage": {
            k: [1 if s <= t < s + n else 0 for t in range(per_day)] for k, (s, n, _) in tpl.items()
        },
        "required": req.astype(int).tolist(),
        "cost_dict": {k: int(round(h * hourly)) for k, (_, _, h) in tpl.items()},
        "max_period": int(req.max()) * 3 + 10,
        "max_shift": len(problem.agents),
        "time_limit": float(time_limit_s),
    }
    t = _time.perf_counter()
    proc = subprocess.run(
        [str(REF_PYTHON), "-c", _PW_SCRIPT],
        input=json.dumps(cfg),
        capture_output=True,
        text=True,
        timeout=time_limit_s * 3 + 60,
        check=False,
    )
    wall = _time.perf_counter() - t
    if proc.returncode != 0:
        return {
            "status": "ERROR",
            "error": proc.stderr.strip().splitlines()[-1:],
            "wall_time_s": wall,
        }
    sol = json.loads(proc.stdout)
    if sol.get("status") not in ("OPTIMAL", "FEASIBLE"):
        return {"status": sol.get("status"), "wall_time_s": wall}
    cover = np.zeros_like(req, dtype=float)
    per_day = np.zeros(req.shape[0])
    wage = 0.0
    for r in sol["resources_shifts"]:
        s, n, h = tpl[r["shift"]]
        cover[r["day"], s : s + n] += r["resources"]
        per_day[r["day"]] += r["resources"]
        wage += r["resources"] * h * hourly
    surplus = np.maximum(cover - req, 0).sum() * step / 60
    over = surplus * problem.costs.overstaff_cost_per_agent_hour_cny
    short = np.maximum(req - cover, 0).sum() * step / 60
    return {
        "status": sol["status"],
        "objective": sol["cost"],
        "wage_cost_cny": wage,
        "overstaff_penalty_cny": over,
        "shortfall_agent_hours": short,
        # one shift per agent and day: above the headcount no named roster can staff it
        "max_shifts_per_day": int(per_day.max(initial=0)),
        "total_cost_cny": wage + over + short * problem.costs.shortfall_cost_per_agent_hour_cny,
        "wall_time_s": sol["wall_time_s"],
        "subprocess_wall_s": wall,
    }


def staff_to_peak_frame(problem: RosterProblem) -> pd.DataFrame:
    """The staff-to-peak roster as an HR-CSV-shaped frame."""
    return roster_frame_from_assignments(staff_to_peak(problem))


__all__ = [
    "pyworkforce_min_required",
    "pyworkforce_templates",
    "staff_to_peak",
    "staff_to_peak_frame",
    "with_recomputed_costs",
]
