"""Agents required per interval (forward) and expected service for a given staffing (reverse).

Definitions (units: agents, seconds, inquiries per interval):

- ``volume_human`` = volume x (1 - bot deflection).
- productive agents = agents on duty x (1 - shrinkage); each has ``concurrency`` slots.
- ``N*`` = smallest *integer* number of productive agents meeting every target of ServiceParams
  (service level within T, 3-minute rate, ASA, abandonment, occupancy cap).
- ``agents_required`` = ceil(N* / (1 - shrinkage)): integer agents to schedule on duty (same
  rounding as pyworkforce's ``positions``).
- ``agents_fractional`` = x* / (1 - shrinkage), where x* in (N* - 1, N*] is the smallest *real*
  number of productive agents meeting every target under the continuous (incomplete-gamma)
  extension of the Erlang formulas. It is the requirement before any rounding: sum it across
  queues or skills and round once, instead of rounding every queue up (pyworkforce issue #41).
- ``expected_*`` are evaluated at agents_required x (1 - shrinkage) productive agents.
- In ``evaluate_staffing`` the scheduled agents may be fractional (efficiency-weighted heads);
  metrics use the same continuous extension, which interpolates smoothly between integers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from scheduler.errors import SchedulerInputError
from scheduler.staffing.concurrency import (
    THREE_MINUTES_S,
    agent_metrics,
    human_volume,
    meets_targets,
    slot_load,
)
from scheduler.staffing.params import ServiceParams

OUTPUT_COLUMNS = (
    "volume_human",
    "agents_fractional",
    "agents_required",
    "expected_service_level",
    "expected_asa_s",
    "expected_abandon_rate",
    "expected_three_min_rate",
    "expected_occupancy",
)
_MAX_DOUBLINGS = 40
_FRACTION_STEPS = 17  # bisection steps on the real requirement: precision 2^-17 agents


def _check_volume(volume: pd.DataFrame, source: str) -> NDArray[np.float64]:
    for col in ("timestamp", "volume"):
        if col not in volume.columns:
            raise SchedulerInputError(f"{source}: missing column '{col}'")
    values = pd.to_numeric(volume["volume"], errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values) | (values < 0)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raw = volume["volume"].iloc[i]
        what = "negative value" if np.isfinite(values[i]) else "not a finite number"
        raise SchedulerInputError(f"{source}: row {i + 2}, field 'volume': {what} {raw!r}")
    return values


def _check_interval(interval_minutes: int, source: str) -> None:
    if not interval_minutes or interval_minutes <= 0:
        raise SchedulerInputError(
            f"{source}: field 'interval_minutes': must be > 0, got {interval_minutes!r}"
        )


def _meets(agents: NDArray[np.float64], load: NDArray[np.float64], p: ServiceParams):
    return meets_targets(agent_metrics(agents, load, p), p)


def _integer_requirement(load: NDArray[np.float64], p: ServiceParams) -> NDArray[np.float64]:
    """Smallest integer productive agents meeting every target (vectorised bisection)."""
    c = p.concurrency
    done0 = _meets(np.zeros_like(load), load, p)
    if p.patience_seconds is None:  # below the load Erlang C is unstable: a sure failure
        lo = np.maximum(np.floor(load / c - 1e-9), 0.0)
    else:
        lo = np.zeros_like(load)
    hi = np.maximum(np.ceil(load / (c * p.max_occupancy)), lo + 1.0)
    ok = _meets(hi, load, p) | done0
    for _ in range(_MAX_DOUBLINGS):
        if ok.all():
            break
        lo = np.where(ok, lo, hi)
        hi = np.where(ok, hi, 2.0 * hi + 1.0)
        ok = _meets(hi, load, p) | done0
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        raise SchedulerInputError(f"service targets unreachable for load {load[i]:.4g} Erlangs")
    lo = np.where(done0, -1.0, lo)
    hi = np.where(done0, 0.0, hi)
    while True:
        active = hi - lo > 1
        if not active.any():
            break
        mid = np.floor((lo + hi) / 2)
        sel = np.flatnonzero(active)
        ok_mid = _meets(mid[sel], load[sel], p)
        hi[sel] = np.where(ok_mid, mid[sel], hi[sel])
        lo[sel] = np.where(ok_mid, lo[sel], mid[sel])
    return hi


def _fractional_requirement(
    n_int: NDArray[np.float64], load: NDArray[np.float64], p: ServiceParams
) -> NDArray[np.float64]:
    """Smallest real x in (N*-1, N*] meeting every target (continuous Erlang extension)."""
    lo = np.maximum(n_int - 1.0, 0.0)
    hi = n_int.copy()
    sel = np.flatnonzero(n_int > 0)
    if sel.size == 0:
        return hi
    lo_s, hi_s, load_s = lo[sel], hi[sel], load[sel]
    for _ in range(_FRACTION_STEPS):
        mid = 0.5 * (lo_s + hi_s)
        ok = _meets(mid, load_s, p)
        hi_s = np.where(ok, mid, hi_s)
        lo_s = np.where(ok, lo_s, mid)
    hi[sel] = hi_s
    return hi


def _expected(productive: ArrayLike, load: NDArray[np.float64], p: ServiceParams) -> dict:
    m = agent_metrics(productive, load, p)
    return {
        "expected_service_level": m.service_level[float(p.target_seconds)],
        "expected_asa_s": m.asa_s,
        "expected_abandon_rate": m.abandon_rate,
        "expected_three_min_rate": m.service_level[THREE_MINUTES_S],
        "expected_occupancy": m.occupancy,
    }


def required_agents(
    volume: pd.DataFrame,
    params: ServiceParams,
    interval_minutes: int,
    source: str = "volume",
) -> pd.DataFrame:
    """Agents to schedule per interval for ``volume`` (columns ``timestamp,volume``).

    Returns the input plus ``volume_human, agents_fractional, agents_required (int),
    expected_service_level, expected_asa_s, expected_abandon_rate, expected_three_min_rate,
    expected_occupancy`` (definitions in the module docstring). Zero volume gives zero agents.
    Raises SchedulerInputError (one line naming ``source``, row, field) on bad input.
    """
    _check_interval(interval_minutes, source)
    vol = _check_volume(volume, source)
    vh = human_volume(vol, params)
    load = slot_load(vh, params, interval_minutes)
    n_int = _integer_requirement(load, params)
    x_frac = _fractional_requirement(n_int, load, params)
    keep = 1.0 - params.shrinkage
    scheduled = np.ceil(n_int / keep - 1e-9)
    out = volume.copy()
    out["volume_human"] = vh
    out["agents_fractional"] = x_frac / keep
    out["agents_required"] = scheduled.astype(np.int64)
    for col, values in _expected(scheduled * keep, load, params).items():
        out[col] = values
    return out


def evaluate_staffing(
    volume: pd.DataFrame,
    scheduled_agents: ArrayLike,
    params: ServiceParams,
    interval_minutes: int,
    source: str = "volume",
) -> pd.DataFrame:
    """Expected service for agents on duty per interval (reverse calculation).

    ``scheduled_agents`` (one value per row of ``volume``, may be fractional, e.g. weighted by
    efficiency) are agents on duty; shrinkage is applied here. Returns the input plus
    ``agents_scheduled, volume_human, expected_service_level, expected_asa_s,
    expected_abandon_rate, expected_three_min_rate, expected_occupancy``. With fewer slots than
    the load and no patience, SL is 0 and ASA is inf (the queue grows without bound).
    """
    _check_interval(interval_minutes, source)
    vol = _check_volume(volume, source)
    agents = np.asarray(scheduled_agents, dtype=np.float64).ravel()
    if agents.shape != vol.shape:
        raise SchedulerInputError(
            f"{source}: field 'scheduled_agents': {agents.size} values for {vol.size} intervals"
        )
    bad = ~np.isfinite(agents) | (agents < 0)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise SchedulerInputError(
            f"{source}: row {i + 2}, field 'scheduled_agents': invalid value {agents[i]!r}"
        )
    vh = human_volume(vol, params)
    load = slot_load(vh, params, interval_minutes)
    out = volume.copy()
    out["agents_scheduled"] = agents
    out["volume_human"] = vh
    for col, values in _expected(agents * (1.0 - params.shrinkage), load, params).items():
        out[col] = values
    return out
