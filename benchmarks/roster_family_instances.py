"""A seeded family of roster instances for the roster benchmark (issue 22): N named agents x
D days x 48 half-hour slots, drawn over the dimensions a promotion campaign varies in.

Dimensions of one instance (``FamilySpec``):

- intraday shape of inquiry volume (``SHAPES``): the sample-like profile of
  ``roster_instances.HOURLY_PROFILE`` (09-11 and 20-22 peaks), evening-heavy (rising to a
  20-22 maximum), two peaks (10:00 and 21:00) and flat day/night (one level 08:00-24:00, half
  of it 00:00-08:00);
- the peak ("Double 11") day anywhere in the horizon, with the same daily uplift around it as
  ``roster_instances``: 10-day warm-up, 20:00 pre-sale opening the evening before, peak day at
  4 x, a 14-day after-sales wave; weekends at 0.9 x;
- a midnight rush of a given size on the peak day (00:00-02:00 volume = ``midnight_rush`` x the
  peak day's busiest other hour; 0 = none, the two hours then follow the shape);
- load: the mean daily requirement in agent-hours / the named agents' contract capacity per
  day (sum of ``contract_hours_per_week`` / 7, i.e. of the permanent agents, as in
  ``roster_instances.make_instance``), hit exactly up to one slot's rounding;
- the mix: permanent share of the named agents (the rest part-time) and the temporary pool's
  headcount as a share of N;
- an availability pattern (``AVAILABILITY``): ``day_evening`` (as ``roster_instances``),
  ``weekend_heavy`` (part-timers on Fri-Sun plus one weekday, permanents asking for weekend
  days off) or ``mixed_windows`` (part-time windows from early morning to overnight 22-06,
  some permanents day-only, several leave days);
- the horizon's first weekday (calendar weeks, weekly limits).

Demand becomes agents with the planner's rule of ``roster_instances`` (``required_agents``);
costs, shift policies, the temporary pool's terms and the labour rules are those of
``roster_instances.make_instance``.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np

from benchmarks.roster_instances import (
    AGENTS_PER_INQUIRY,
    HOURLY_PROFILE,
    make_instance,
    policies,
    required_agents,
)
from scheduler.roster.schema import Agent, RosterProblem

SHAPES = ("sample", "evening_heavy", "two_peaks", "flat_day_night")
AVAILABILITY = ("day_evening", "weekend_heavy", "mixed_windows")
RUSHES = (0.0, 1.0, 1.5, 2.5)  # midnight rush sizes drawn by ``family``
PERM_SHARES = (0.5, 0.65, 0.75, 0.9)  # permanent share of the named agents
TEMP_SHARES = (0.1, 0.25, 0.4)  # temporary pool headcount / N
FIRST_MONDAY = date(2026, 10, 26)  # horizon start = this + start_weekday days
PEAK_UPLIFT = 4.0  # peak-day volume multiplier (roster_instances' Double 11 day)
WEEKDAY = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _bumps(*peaks: tuple[float, float, float], base: float) -> np.ndarray:
    """24 hourly values: ``base`` + Gaussian bumps (centre hour, height, width in hours)."""
    h = np.arange(24) + 0.5
    return base + sum(a * np.exp(-0.5 * ((h - c) / w) ** 2) for c, a, w in peaks)


_NIGHT = np.r_[np.full(8, 0.5), np.ones(16)]
#: relative inquiry volume per hour of day (00-01 ... 23-24), one row per shape
PROFILES = {
    "sample": HOURLY_PROFILE,
    "evening_heavy": np.array(
        [0.40, 0.25, 0.12, 0.08, 0.06, 0.07, 0.12, 0.22, 0.35, 0.45, 0.52, 0.55,
         0.55, 0.58, 0.62, 0.66, 0.70, 0.78, 0.92, 1.15, 1.45, 1.65, 1.55, 0.95]
    ),  # fmt: skip
    "two_peaks": _bumps((10.0, 1.0, 1.5), (21.0, 1.1, 1.5), (15.5, 0.35, 3.0), base=0.12),
    "flat_day_night": _NIGHT,
}


@dataclass(frozen=True)
class FamilySpec:
    """One instance of the family (everything ``build_problem`` needs; all seeded)."""

    shape: str  # one of SHAPES
    n_agents: int  # named agents (permanent + part-time)
    n_days: int  # horizon length in days (48 slots of 30 min each)
    peak_day_fraction: float  # peak day index = floor(fraction x n_days), 0 <= fraction < 1
    midnight_rush: float  # 00:00-02:00 of the peak day / its busiest other hour; 0 = none
    load: float  # mean daily agent-hours required / named contract agent-hours per day
    mix: tuple[float, float]  # (permanent share of named agents, temp pool headcount / N)
    availability: str  # one of AVAILABILITY
    start_weekday: int  # weekday of the first day, 0=Mon..6=Sun
    seed: int  # noise, agents' costs, efficiencies, days off and windows

    @property
    def start(self) -> date:
        """First day of the horizon."""
        return FIRST_MONDAY + timedelta(days=self.start_weekday)

    @property
    def peak_day(self) -> int:
        """Index (0-based day of the horizon) of the peak day."""
        return min(self.n_days - 1, int(self.peak_day_fraction * self.n_days))

    def summary(self) -> str:
        """One line for reports, e.g. ``two_peaks, peak d5 Sat, rush 1.5, load 0.82, ...``."""
        perm, temp = self.mix
        peak_wd = WEEKDAY[(self.start_weekday + self.peak_day) % 7]
        rush = f"rush {self.midnight_rush:g}" if self.midnight_rush else "no rush"
        return (
            f"{self.shape}, peak d{self.peak_day} {peak_wd}, {rush}, load {self.load:.2f}, "
            f"perm {perm:.0%} temps {temp:.0%}, {self.availability}, "
            f"from {WEEKDAY[self.start_weekday]}, seed {self.seed}"
        )


def family(n_agents: int, n_days: int, count: int, seed: int,
           weekdays: tuple[int, ...] = tuple(range(7))) -> list[FamilySpec]:
    """``count`` specs of one size drawn from ``numpy.random.default_rng(seed)``.

    Shapes and availability patterns are dealt round-robin from seeded permutations, so any
    ``count >= 4`` covers every shape (and ``count >= 3`` every availability pattern); the
    other dimensions are drawn independently per spec, the start weekday from ``weekdays``
    (0=Mon..6=Sun; the default, all seven, draws the same specs as any earlier run). Same
    arguments, same list."""
    rng = np.random.default_rng(seed)
    shapes = [str(s) for s in rng.permutation(SHAPES)]
    avails = [str(a) for a in rng.permutation(AVAILABILITY)]
    out = []
    for i in range(count):
        out.append(
            FamilySpec(
                shape=shapes[i % len(shapes)],
                n_agents=n_agents,
                n_days=n_days,
                peak_day_fraction=round(float(rng.uniform(0.0, 1.0)), 3),
                midnight_rush=float(rng.choice(RUSHES)),
                load=round(float(rng.uniform(0.6, 1.0)), 2),
                mix=(float(rng.choice(PERM_SHARES)), float(rng.choice(TEMP_SHARES))),
                availability=avails[i % len(avails)],
                start_weekday=int(weekdays[int(rng.integers(0, len(weekdays)))]),
                seed=int(rng.integers(0, 2**31 - 1)),
            )
        )
    return out


# ------------------------------------------------------------------------------------ demand


def daily_uplift(n_days: int, peak: int) -> np.ndarray:
    """(n_days, 24) volume multipliers around the peak day (day index ``peak``), before the
    midnight rush: warm-up 1.30-1.75 over the 10 days before, 2.8 from 20:00 the evening
    before (pre-sale opening), ``PEAK_UPLIFT`` on the day, after-sales 1.2 + e^(-(k-1)/4) for
    the 14 days after; 1 elsewhere (as ``roster_instances._promo_multiplier``)."""
    k = (np.arange(n_days) - peak)[:, None] * np.ones((1, 24))
    hour = np.arange(24)[None, :] * np.ones((n_days, 1))
    m = np.ones((n_days, 24))
    warm = (k >= -10) & (k < 0)
    m[warm] = 1.3 + 0.05 * (k[warm] + 10)
    m[(k == -1) & (hour >= 20)] = 2.8
    m[k == 0] = PEAK_UPLIFT
    after = (k >= 1) & (k <= 14)
    m[after] = 1.2 + np.exp(-(k[after] - 1) / 4)
    return m


def hourly_volume(spec: FamilySpec, rng: np.random.Generator) -> np.ndarray:
    """(n_days, 24) inquiries per hour, up to a common scale (set by ``build_problem``)."""
    d, p = spec.n_days, spec.peak_day
    weekend = np.array([(spec.start_weekday + i) % 7 >= 5 for i in range(d)])
    vol = PROFILES[spec.shape][None, :] * daily_uplift(d, p) * np.where(weekend, 0.9, 1.0)[:, None]
    vol = vol * rng.lognormal(0, 0.08, vol.shape)
    if spec.midnight_rush > 0:
        vol[p, :2] = spec.midnight_rush * vol[p, 2:].max()
    return vol


def scale_to_load(per_slot: np.ndarray, target_agent_hours_per_day: float) -> np.ndarray:
    """Integer agents per slot, ``required_agents(per_slot x s)``, with the scale ``s`` found by
    bisection so that the mean daily agent-hours (30-min slots) is closest to the target."""
    n_days = len(per_slot) / 48

    def daily(s: float) -> float:
        return float(required_agents(per_slot * s).sum()) * 0.5 / n_days

    linear = target_agent_hours_per_day / (per_slot.sum() * AGENTS_PER_INQUIRY * 0.5 / n_days)
    lo, hi = 0.0, 2.0 * linear
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if daily(mid) < target_agent_hours_per_day else (lo, mid)
    best = min((lo, hi), key=lambda s: abs(daily(s) - target_agent_hours_per_day))
    return required_agents(per_slot * best)


# ------------------------------------------------------------------------------------ agents


def _permanent(i: int, rng: np.random.Generator, **avail) -> Agent:
    return Agent(
        agent_id=f"P{i + 1:04d}",
        name=f"正式{i + 1}",
        agent_type="permanent",
        contract_hours_per_week=40,
        min_hours_per_week=32,
        max_hours_per_week=48,
        hourly_cost_cny=float(rng.choice([38.0, 45.0])),
        efficiency=float(rng.choice([0.9, 1.0, 1.1], p=[0.2, 0.6, 0.2])),
        **avail,
    )


def _part_time(i: int, weekdays, window: tuple[time, time] | None) -> Agent:
    frm, to = window or (None, None)
    return Agent(
        agent_id=f"T{i + 1:04d}",
        name=f"兼职{i + 1}",
        agent_type="part_time",
        contract_hours_per_week=0,
        min_hours_per_week=0,
        max_hours_per_week=24,
        hourly_cost_cny=28.0,
        available_weekdays=tuple(sorted(int(x) for x in weekdays)),
        available_from=frm,
        available_to=to,
    )


DAY, EVENING = (time(8), time(18)), (time(17), time(23, 30))
#: part-time windows of ``mixed_windows`` (None = any time; 22-06 crosses midnight)
MIXED = ((time(7), time(13)), DAY, (time(12), time(20)), EVENING, (time(22), time(6)), None)


def _week_of(d: date, start: date, week_start: int) -> int:
    """Calendar week index of ``d`` (week 0 holds ``start``; weeks begin on ``week_start``)."""
    return ((d - start).days + (start.weekday() - week_start) % 7) // 7


def _leave_fits(leave: list[date], horizon: list[date], week_start: int) -> bool:
    """True when every calendar week keeps one available day more than its prorated 32 h
    minimum needs at 8 h a shift (the product rejects leave that makes the minimum impossible:
    weekly limits are prorated by cut weeks, not by leave)."""
    days: dict[int, int] = {}
    free: dict[int, int] = {}
    for d in horizon:
        w = _week_of(d, horizon[0], week_start)
        days[w] = days.get(w, 0) + 1
        free[w] = free.get(w, 0) + (d not in leave)
    return all(free[w] >= math.ceil(32 * n / 7 / 8 - 1e-9) + 1 for w, n in days.items())


def _days_off(dates: list[date], horizon: list[date], rng: np.random.Generator, p: float,
              most: int) -> tuple:
    """With probability ``p``, 1..``most`` distinct leave dates drawn from ``dates``, keeping
    (in draw order) only those that leave every calendar week's minimum hours reachable."""
    if not dates or rng.random() >= p:
        return ()
    k = int(rng.integers(1, most + 1))
    pick = rng.choice(len(dates), size=min(k, len(dates)), replace=False)
    kept: list[date] = []
    week_start = getattr(_template().rules, "week_start", 0)
    for j in pick:
        if _leave_fits([*kept, dates[int(j)]], horizon, week_start):
            kept.append(dates[int(j)])
    return tuple(sorted(kept))


def build_agents(spec: FamilySpec, rng: np.random.Generator) -> tuple[Agent, ...]:
    """Named agents: ``round(mix[0] x N)`` permanent (40 h contract, 32-48 h/week, 38 or 45
    CNY/h), the rest part-time (0-24 h/week, 28 CNY/h), availability by ``spec.availability``."""
    n_perm = round(spec.mix[0] * spec.n_agents)
    dates = [spec.start + timedelta(days=i) for i in range(spec.n_days)]
    weekend = [d for d in dates if d.weekday() >= 5]
    out: list[Agent] = []
    for i in range(n_perm):
        if spec.availability == "weekend_heavy":
            out.append(_permanent(i, rng, days_off=_days_off(weekend, dates, rng, 0.3, 2)))
        elif spec.availability == "mixed_windows":
            window = {}
            if rng.random() < 0.25:  # day-only: 07:00-20:00
                window = {"available_from": time(7), "available_to": time(20)}
            out.append(_permanent(i, rng, days_off=_days_off(dates, dates, rng, 0.3, 3), **window))
        else:
            out.append(_permanent(i, rng, days_off=_days_off(dates, dates, rng, 0.2, 1)))
    for i in range(spec.n_agents - n_perm):
        if spec.availability == "weekend_heavy":
            days = [4, 5, 6, int(rng.integers(0, 4))]
            out.append(_part_time(i, days, (time(9), time(21)) if i % 2 == 0 else EVENING))
        elif spec.availability == "mixed_windows":
            days = rng.choice(7, size=int(rng.integers(3, 7)), replace=False)
            out.append(_part_time(i, days, MIXED[int(rng.integers(0, len(MIXED)))]))
        else:
            days = rng.choice(7, size=5, replace=False)
            out.append(_part_time(i, days, EVENING if i % 2 == 1 else DAY))
    return tuple(out)


# ----------------------------------------------------------------------------------- problem


@functools.lru_cache(maxsize=1)
def _template() -> RosterProblem:
    """A tiny ``make_instance`` whose temporary pool terms, labour rules and costs are reused."""
    return make_instance(2, 1, 0)


def contract_agent_hours_per_day(agents: tuple[Agent, ...]) -> float:
    """Named agents' contract capacity in agent-hours per day (sum of weekly contracts / 7)."""
    return sum(a.contract_hours_per_week for a in agents) / 7


def build_problem(spec: FamilySpec) -> RosterProblem:
    """The ``RosterProblem`` of ``spec`` (deterministic in ``spec``)."""
    if spec.shape not in PROFILES or spec.availability not in AVAILABILITY:
        raise ValueError(f"unknown shape or availability in {spec}")
    rng = np.random.default_rng(spec.seed)
    agents = build_agents(spec, rng)
    hourly = hourly_volume(spec, rng).ravel()
    per_slot = np.repeat(hourly / 2, 2) * rng.lognormal(0, 0.05, 2 * len(hourly))
    required = scale_to_load(per_slot, spec.load * contract_agent_hours_per_day(agents))
    base = _template()
    t0 = datetime.combine(spec.start, time(0))
    return RosterProblem(
        slot_starts=tuple(t0 + timedelta(minutes=30 * i) for i in range(48 * spec.n_days)),
        interval_minutes=30,
        required=tuple(float(x) for x in required),
        agents=agents,
        temporary=base.temporary.model_copy(
            update={"max_headcount": max(1, math.ceil(spec.mix[1] * spec.n_agents))}
        ),
        shifts=policies(),
        rules=base.rules,
        costs=base.costs,
    )


def achieved_load(problem: RosterProblem) -> float:
    """Mean daily required agent-hours / named contract agent-hours per day of ``problem``."""
    n_days = len(problem.slot_starts) * problem.interval_minutes / 60 / 24
    hours = sum(problem.required) * problem.interval_minutes / 60 / n_days
    return hours / contract_agent_hours_per_day(problem.agents)
