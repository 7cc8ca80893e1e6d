"""Seeded roster instances for the roster benchmark: N named agents x D days x 48 slots.

Demand: hourly inquiry volume from the bundled sample history (``data/sample/history.csv``, the
Double 11 window of its latest year) when it exists, otherwise a seeded synthetic series of the
same shape (daily profile with 09-11 and 20-22 peaks, Double 11 warm-up, 20:00 pre-sale opening,
the 00:00-02:00 peak of 11-11 and an after-sales wave). Each hour is split evenly into two
30-minute slots, seeded noise is applied, and volume becomes agents with a planner's rule:

    agents = ceil(volume x (1 - 0.35 bot) x 420 s / 3 chats / 1800 s
                  / 0.85 occupancy / 0.85 (1 - shrinkage))

The volume is scaled first so that the mean daily requirement is ``load`` x the named agents'
contract capacity per day; the Double 11 peak then needs temporaries and overtime and is partly
left short (reported, not failed). Agents: 75 % permanent (40 h contract, 32-48 h/week), 25 %
part-time (0-24 h/week, day or evening windows, 5 weekdays); a temporary pool of 25 % of N.
Costs and shift policies follow the demo scenario (data/sample/double11-2026.toml).
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from scheduler.roster.schema import (
    Agent,
    CostParams,
    LabourRules,
    RosterProblem,
    ShiftPolicies,
    ShiftPolicy,
    TemporaryPool,
)

ROOT = Path(__file__).resolve().parents[1]
HISTORY = ROOT / "data" / "sample" / "history.csv"
PEAK_DAY = (11, 11)
HOURLY_PROFILE = np.array(
    [0.30, 0.18, 0.10, 0.07, 0.06, 0.08, 0.15, 0.35, 0.65, 0.95, 1.05, 1.00,
     0.80, 0.85, 0.95, 0.95, 0.90, 0.85, 0.90, 1.00, 1.15, 1.20, 1.00, 0.60]
)  # fmt: skip
AGENTS_PER_INQUIRY = 0.65 * 420 / 3 / 1800 / 0.85 / 0.85  # agents per (inquiry per 30 min)


def horizon_start(n_days: int, year: int = 2026) -> date:
    """First day: Double 11 falls at ~55 % of the horizon (after-sales wave after it)."""
    return date(year, *PEAK_DAY) - timedelta(days=round(n_days * 0.55))


def _promo_multiplier(ts: pd.DatetimeIndex) -> np.ndarray:
    """Synthetic Double 11 uplift per hour: warm-up, pre-sale openings, peak and after-sales."""
    day = (ts.normalize() - pd.Timestamp(ts[0].year, *PEAK_DAY)).days.to_numpy()
    hour = ts.hour.to_numpy()
    m = np.ones(len(ts))
    warm = (day >= -10) & (day < 0)
    m[warm] = 1.3 + 0.05 * (day[warm] + 10)
    m[(day == -11) & (hour >= 20)] = 2.5  # pre-sale opens 20:00 on 10-31
    m[(day == -1) & (hour >= 20)] = 2.8
    m[day == 0] = 4.0
    m[(day == 0) & (hour < 2)] = 9.0  # the year's busiest hours
    after = (day >= 1) & (day <= 14)
    m[after] = 1.2 + 1.0 * np.exp(-(day[after] - 1) / 4)
    return m


def hourly_volume(start: date, n_days: int, seed: int) -> pd.Series:
    """Inquiries per hour over the horizon (sample history if present, else synthetic)."""
    ts = pd.date_range(pd.Timestamp(start), periods=24 * n_days, freq="h")
    if HISTORY.exists():
        hist = pd.read_csv(HISTORY, encoding="utf-8-sig", usecols=["timestamp", "volume"])
        hist["timestamp"] = pd.to_datetime(hist["timestamp"])
        hist = hist.groupby(hist["timestamp"].dt.floor("h"))["volume"].sum()
        for year in sorted(set(hist.index.year), reverse=True):
            shifted = ts - pd.DateOffset(years=ts[0].year - year)
            vals = hist.reindex(shifted)
            if vals.notna().mean() > 0.95:
                filled = vals.interpolate(limit_direction="both").to_numpy()
                return pd.Series(filled, index=ts, name="volume")
    rng = np.random.default_rng(seed)
    weekday = np.where(ts.dayofweek.to_numpy() >= 5, 0.9, 1.0)
    base = 400 * HOURLY_PROFILE[ts.hour.to_numpy()] * weekday * _promo_multiplier(ts)
    return pd.Series(base * rng.lognormal(0, 0.08, len(ts)), index=ts, name="volume")


def required_agents(volume_per_slot: np.ndarray) -> np.ndarray:
    """Planner's rule from inquiries per 30-min slot to agents on duty (integer)."""
    return np.ceil(np.asarray(volume_per_slot) * AGENTS_PER_INQUIRY - 1e-9)


def _agents(n: int, start: date, n_days: int, rng: np.random.Generator) -> tuple[Agent, ...]:
    n_perm = round(0.75 * n)
    out = []
    for i in range(n_perm):
        off = ()
        if rng.random() < 0.2:
            off = (start + timedelta(days=int(rng.integers(0, n_days))),)
        out.append(
            Agent(
                agent_id=f"P{i + 1:04d}",
                name=f"正式{i + 1}",
                agent_type="permanent",
                contract_hours_per_week=40,
                min_hours_per_week=32,
                max_hours_per_week=48,
                hourly_cost_cny=float(rng.choice([38.0, 45.0])),
                efficiency=float(rng.choice([0.9, 1.0, 1.1], p=[0.2, 0.6, 0.2])),
                days_off=off,
            )
        )
    for i in range(n - n_perm):
        evening = i % 2 == 1
        days = tuple(sorted(rng.choice(7, size=5, replace=False).tolist()))
        out.append(
            Agent(
                agent_id=f"T{i + 1:04d}",
                name=f"兼职{i + 1}",
                agent_type="part_time",
                contract_hours_per_week=0,
                min_hours_per_week=0,
                max_hours_per_week=24,
                hourly_cost_cny=28.0,
                available_weekdays=days,
                available_from=time(17) if evening else time(8),
                available_to=time(23, 30) if evening else time(18),
            )
        )
    return tuple(out)


def policies() -> ShiftPolicies:
    """Shift policies of the demo scenario (one-hour unpaid meal on long shifts)."""
    return ShiftPolicies(
        permanent=ShiftPolicy(paid_hours_min=8, paid_hours_max=9, meal_break_minutes=60),
        part_time=ShiftPolicy(paid_hours_min=4, paid_hours_max=6, meal_break_minutes=0),
        temporary=ShiftPolicy(paid_hours_min=6, paid_hours_max=10, meal_break_minutes=60),
    )


def make_instance(n_agents: int, n_days: int, seed: int = 0, load: float = 0.8,
                  start: date | None = None) -> RosterProblem:
    """Seeded instance: ``n_agents`` named agents, ``n_days`` days of 30-minute slots from
    ``start`` (default ``horizon_start``: Double 11 at ~55 % of the horizon)."""
    rng = np.random.default_rng(seed)
    start = start or horizon_start(n_days)
    agents = _agents(n_agents, start, n_days, rng)
    hourly = hourly_volume(start, n_days, seed).to_numpy()
    per_slot = np.repeat(hourly / 2, 2) * rng.lognormal(0, 0.05, 2 * len(hourly))
    capacity_per_day = sum(a.contract_hours_per_week for a in agents) / 7  # agent-hours
    scale = load * capacity_per_day / (per_slot.sum() * AGENTS_PER_INQUIRY * 0.5 / n_days)
    required = required_agents(per_slot * scale)
    t0 = datetime.combine(start, time(0))
    return RosterProblem(
        slot_starts=tuple(t0 + timedelta(minutes=30 * i) for i in range(48 * n_days)),
        interval_minutes=30,
        required=tuple(float(x) for x in required),
        agents=agents,
        temporary=TemporaryPool(
            max_headcount=max(1, math.ceil(0.25 * n_agents)),
            hourly_cost_cny=32,
            onboarding_cost_cny=300,
            training_hours=8,
            lead_days=2,
            efficiency_ramp=(0.7, 0.85, 1.0),
            max_hours_per_week=54,
        ),
        shifts=policies(),
        rules=LabourRules(
            min_rest_hours=11, max_consecutive_days=6, max_hours_per_day=10, max_hours_per_week=60
        ),
        costs=CostParams(
            overtime_premium=1.5,
            shortfall_cost_per_agent_hour_cny=150,
            overstaff_cost_per_agent_hour_cny=1,
        ),
    )


def pyworkforce_variant(n_agents: int, n_days: int, seed: int = 0,
                        load: float = 0.25) -> RosterProblem:
    """The case where pyworkforce MinRequiredResources applies: one paid-hourly type (part-time,
    no minimum hours, all days, window 00:00-23:59), 4-8 h single-day shifts without breaks,
    no temporaries; demand of the last slot of each day set to 0 (no single-day shift ends at
    24:00 under the window).

    pyworkforce counts shifts per day and template, with no agents behind them, so the rules it
    cannot express must not bind: no minimum rest and no consecutive-day limit, and demand at
    ``load`` x the agents' weekly capacity. At 0.5 its Double 11 day took 56 shifts for 50
    agents, which no roster of 50 agents with one shift a day can staff;
    ``pyworkforce_min_required`` reports ``max_shifts_per_day`` so the benchmark shows it fits."""
    base = make_instance(n_agents, n_days, seed, load=load)
    agents = tuple(
        Agent(
            agent_id=f"T{i + 1:04d}",
            name=f"兼职{i + 1}",
            agent_type="part_time",
            contract_hours_per_week=0,
            min_hours_per_week=0,
            max_hours_per_week=40,
            hourly_cost_cny=30.0,
            available_from=time(0),
            available_to=time(23, 59),
        )
        for i in range(n_agents)
    )
    req = np.asarray(base.required).reshape(n_days, 48)
    req[:, -1] = 0
    pt = ShiftPolicy(paid_hours_min=4, paid_hours_max=8, meal_break_minutes=0)
    return base.model_copy(
        update={
            "agents": agents,
            "required": tuple(float(x) for x in req.ravel()),
            "temporary": TemporaryPool(max_headcount=0, hourly_cost_cny=30),
            "shifts": ShiftPolicies(permanent=pt, part_time=pt, temporary=pt),
            "rules": base.rules.model_copy(
                update={"min_rest_hours": 0.0, "max_consecutive_days": n_days}
            ),
        }
    )
