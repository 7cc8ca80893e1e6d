"""Test-side consistency check of a roster (written from the conventions, not from the model)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from week_oracle import agent_range, temp_range, week_count, week_of

from scheduler.roster.pricing.roster_rows import price_roster
from scheduler.roster.schema import RosterProblem, RosterResult


def violations(problem: RosterProblem, result: RosterResult, tol: float = 1e-6) -> list[str]:
    """Human-readable rule violations of ``result`` (empty when consistent)."""
    out: list[str] = []
    rules, pool = problem.rules, problem.temporary
    t0 = problem.slot_starts[0]
    by_agent = defaultdict(list)
    for r in result.assignments:
        by_agent[r.agent_id].append(r)
    agents = {a.agent_id: a for a in problem.agents}
    temps = [k for k, rs in by_agent.items() if rs[0].agent_type == "temporary"]
    if len(temps) > pool.max_headcount:
        out.append(f"{len(temps)} temps > pool {pool.max_headcount}")
    for k, rs in by_agent.items():
        rs.sort(key=lambda r: r.shift_start)
        typ = rs[0].agent_type
        policy = getattr(problem.shifts, typ)
        dates = [r.date for r in rs]
        if len(set(dates)) != len(dates):
            out.append(f"{k}: two shifts on one date")
        for a, b in zip(rs, rs[1:], strict=False):
            if b.shift_start - a.shift_end < timedelta(hours=rules.min_rest_hours):
                out.append(f"{k}: rest {b.shift_start - a.shift_end} before {b.shift_start}")
        run, prev = 0, None
        for d in sorted(set(dates)):
            run = run + 1 if prev is not None and (d - prev).days == 1 else 1
            prev = d
            if run > rules.max_consecutive_days:
                out.append(f"{k}: {run} consecutive days at {d}")
        for r in rs:
            span = (r.shift_end - r.shift_start).total_seconds() / 3600
            unpaid = sum((b.end - b.start).total_seconds() / 3600 for b in r.breaks if not b.paid)
            if abs(span - unpaid - r.paid_hours) > tol:
                out.append(f"{k}: paid hours {r.paid_hours} != span - meal")
            if r.paid_hours > rules.max_hours_per_day + tol or \
                    not policy.paid_hours_min - tol <= r.paid_hours <= policy.paid_hours_max + tol:
                out.append(f"{k}: paid hours {r.paid_hours} outside policy")
            meals = [b for b in r.breaks if not b.paid]
            if policy.meal_break_minutes and r.paid_hours > policy.meal_break_from_paid_hours:
                if len(meals) != 1:
                    out.append(f"{k}: missing meal break on {r.date}")
                else:
                    after = (meals[0].start - r.shift_start).total_seconds() / 3600
                    if not policy.meal_break_min_after_hours - tol <= after <= \
                            policy.meal_break_max_after_hours + tol:
                        out.append(f"{k}: meal break {after} h after start")
            if typ == "temporary" and r.shift_start < t0 + timedelta(days=pool.lead_days):
                out.append(f"{k}: temp works before lead time")
            if typ != "temporary":
                a = agents[k]
                if r.date in a.days_off or r.date.weekday() not in a.available_weekdays:
                    out.append(f"{k}: works on unavailable date {r.date}")
                if a.available_from and r.shift_start.time() < a.available_from and not (
                        a.available_to and a.available_to < a.available_from
                        and r.shift_start.time() < a.available_to):
                    out.append(f"{k}: starts {r.shift_start} before available_from")
        weeks = defaultdict(float)
        for r in rs:
            weeks[week_of(problem, r.date)] += r.paid_hours
        for w in range(week_count(problem)):
            h = weeks.get(w, 0.0)
            if typ == "temporary":
                hi = temp_range(problem, w, min(r.date for r in rs))[1]
                lo = 0.0
            else:
                lo, hi = agent_range(problem, agents[k], w)
            if h > hi + tol or h < lo - tol:
                out.append(f"{k}: week {w + 1} paid {h} h outside [{lo}, {hi}]")
    price = price_roster(problem, result.assignments)
    if result.objective_cny is not None and abs(price.total_cny - result.objective_cny) > 1e-3:
        out.append(f"objective {result.objective_cny} != priced {price.total_cny}")
    return out
