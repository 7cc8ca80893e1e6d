"""Agent classes and shift templates of the LP lower bound (``lower_bound.py``).

Built from the scenario's policies directly (not from ``columns.py``) so the bound stays
independent of the optimiser. Minutes are counted from the horizon start; coverage is in
efficiency-weighted agents per slot.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from scheduler.roster.schema import RosterProblem, ShiftPolicy


@dataclass
class BoundClass:
    kind: str  # permanent, part_time, temporary
    hourly: float
    efficiency: float
    agents: list  # Agent models (empty for temporaries)


def bound_classes(problem: RosterProblem) -> list[BoundClass]:
    groups: dict[tuple, list] = defaultdict(list)
    for a in problem.agents:
        groups[(a.agent_type, a.efficiency, a.available_from, a.available_to)].append(a)
    keys = sorted(groups, key=lambda k: (k[0], k[1], str(k[2]), str(k[3])))
    out = [BoundClass(k[0], 0.0, k[1], groups[k]) for k in keys]
    pool = problem.temporary
    if pool.max_headcount > 0:
        out.append(BoundClass("temporary", pool.hourly_cost_cny, max(pool.efficiency_ramp), []))
    return out


def _starts_of_day(p: ShiftPolicy) -> list[int]:
    """Allowed start minutes of day (window may wrap midnight)."""
    e = p.earliest_start.hour * 60 + p.earliest_start.minute
    last = p.latest_start.hour * 60 + p.latest_start.minute
    width = (last - e) % 1440
    return sorted({(e + k) % 1440 for k in range(0, width + 1, p.start_step_minutes)})


def _lengths(p: ShiftPolicy, cap_h: float) -> list[float]:
    out, k = [], 0
    while True:
        h = p.paid_hours_min + k * p.length_step_minutes / 60
        if h > min(p.paid_hours_max, cap_h) + 1e-9:
            return out
        out.append(h)
        k += 1


def _meal_offsets(start: int, span: int, p: ShiftPolicy, step: int) -> list[int]:
    """Breakpoint meal offsets (minutes after the start) for a shift starting at ``start``."""
    m = p.meal_break_minutes
    lo = int(round(p.meal_break_min_after_hours * 60))
    hi = min(int(round(p.meal_break_max_after_hours * 60)), span - m)
    if hi < lo:
        return []
    pts = {lo, hi}
    for o in range(lo, hi + 1):
        if (start + o) % step == 0 or (start + o + m) % step == 0:
            pts.add(o)
    return sorted(pts)


def templates(problem: RosterProblem, cls: BoundClass, t0: datetime) -> np.ndarray:
    """Rows (day_index, start_min, paid_h, span_min, meal_offset or -1) relative to t0."""
    p: ShiftPolicy = getattr(problem.shifts, cls.kind)
    dates = sorted({t.date() for t in problem.slot_starts})
    earliest = None
    if cls.kind == "temporary":  # as the validator: not before t0, nor before the lead date
        lead_date = t0.date() + timedelta(days=problem.temporary.lead_days)
        earliest = max(t0, datetime.combine(lead_date, datetime.min.time()))
    out = []
    for di, d in enumerate(dates):
        for m in _starts_of_day(p):
            start_dt = datetime.combine(d, datetime.min.time()) + timedelta(minutes=m)
            if earliest is not None and start_dt < earliest:
                continue
            s = int((start_dt - t0).total_seconds() // 60)
            for h in _lengths(p, problem.rules.max_hours_per_day):
                paid = int(round(h * 60))
                if p.meal_break_minutes <= 0:
                    out.append((di, s, h, paid, -1))
                    continue
                span = paid + p.meal_break_minutes
                for o in _meal_offsets(s, span, p, problem.interval_minutes):
                    out.append((di, s, h, span, o))
                if h <= p.meal_break_from_paid_hours + 1e-9:  # meal optional
                    out.append((di, s, h, paid, -1))
    tpl = np.asarray(out, dtype=float).reshape(-1, 5)
    if cls.agents and len(tpl):
        tpl = tpl[inside_window(tpl, cls.agents[0], t0)]
    return tpl


def inside_window(tpl: np.ndarray, agent, t0: datetime) -> np.ndarray:
    """Templates inside the class's availability window (same rule as the validator: the
    window of the shift's date or of the day before)."""
    if agent.available_from is None and agent.available_to is None:
        return np.ones(len(tpl), dtype=bool)
    midnight = t0.hour * 60 + t0.minute
    m_s = tpl[:, 1] + midnight - tpl[:, 0] * 1440  # start, minutes after its date's 00:00
    m_e = m_s + tpl[:, 3]
    lo = (
        0
        if agent.available_from is None
        else agent.available_from.hour * 60 + agent.available_from.minute
    )
    hi = np.inf
    if agent.available_to is not None:
        hi = agent.available_to.hour * 60 + agent.available_to.minute
        if hi <= lo:  # crosses midnight (to 00:00 without a start: the end of the day)
            hi += 1440
    same = (m_s >= lo) & (m_e <= hi)
    prev = (m_s >= lo - 1440) & (m_e <= hi - 1440)
    return same | prev


def _segment_coverage(a: np.ndarray, b: np.ndarray, step: int, n_slots: int):
    """Fractions of slots covered by segments [a, b) (minutes): (segment idx, slot, fraction)."""
    idx, slot, frac = [], [], []
    first = np.floor_divide(a, step).astype(int)
    n_max = int(np.max(np.ceil((b - a) / step))) + 2 if len(a) else 0
    for k in range(n_max):
        s = first + k
        lo = np.maximum(a, s * step)
        hi = np.minimum(b, (s + 1) * step)
        f = (hi - lo) / step
        ok = (f > 1e-12) & (s >= 0) & (s < n_slots)
        idx.append(np.nonzero(ok)[0])
        slot.append(s[ok])
        frac.append(f[ok])
    return np.concatenate(idx), np.concatenate(slot), np.concatenate(frac)


def coverage_matrix(tpl: np.ndarray, meal_min: int, eff: float, step: int, n_slots: int):
    s, span, off = tpl[:, 1], tpl[:, 3], tpl[:, 4]
    has = off >= 0
    seg_a = np.concatenate([s, s[has] + off[has] + meal_min])
    seg_b = np.concatenate([np.where(has, s + off, s + span), (s + span)[has]])
    owner = np.concatenate([np.arange(len(tpl)), np.nonzero(has)[0]])
    i, t, f = _segment_coverage(seg_a, seg_b, step, n_slots)
    return owner[i], t, f * eff


def subclasses(cls: BoundClass) -> dict[float, list]:
    """Agents of a named class grouped by hourly rate (wages and overtime are priced per group)."""
    groups: dict[float, list] = defaultdict(list)
    for a in cls.agents:
        groups[a.hourly_cost_cny].append(a)
    return dict(sorted(groups.items()))


def available_on(agent, d) -> bool:
    """The validator's date rule: ``d`` is one of the agent's weekdays and not a day off."""
    return d.weekday() in agent.available_weekdays and d not in agent.days_off


def occupancy_caps(first: np.ndarray, stop: np.ndarray, day: np.ndarray, n_slots: int,
                   agents: list, dates: list) -> np.ndarray:
    """Per slot, how many of the class's agents can be on duty or in a trailing rest period
    then: those available on at least one date whose templates' occupied slots [``first``,
    ``stop``) reach it (``day``: each template's date index). Tighter than the class size when
    agents have different weekdays: at a Wednesday 00:00 rush only Tuesday's and Wednesday's
    people count."""
    avail = np.array([[available_on(a, d) for d in dates] for a in agents], dtype=float)
    reach = np.zeros((len(dates), n_slots))  # 1 where date d's templates reach slot t
    for d in np.unique(day):
        reach[d, int(first[day == d].min()):int(stop[day == d].max())] = 1.0
    return ((avail.reshape(len(agents), len(dates)) @ reach) > 0).sum(axis=0).astype(float)
