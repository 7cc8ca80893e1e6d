"""Why the 3-minute response rate (三分钟响应率) missed: an exact split per interval.

The service measure is the 3-minute rate (share 0–1 of human inquiries answered within 180 s), the
one Taobao grades. For every actuals interval

    miss = target - actual
         = schedule + volume + handle_time + execution + other          (exactly, to float eps)

with the staffing maths of :mod:`scheduler.staffing` (Erlang A/C with chat concurrency) evaluated
at four points that change one input at a time from the plan to what happened:

- ``S0`` (``predicted``): the plan's forecast volume, the plan's handle time, scheduled agents.
- volume ``V``: actual human volume instead of the forecast (all inquiries less the bot's
  ``handled_by_bot`` where the export has it, else less the scenario's bot share — so a bot that
  deflected less than planned counts as volume).
- handle time ``H``: the actual seconds a chat occupies a slot (``handle_s``) instead of the
  planned ``aht_seconds x (1 + concurrency_aht_factor x (concurrency - 1))``; concurrency as
  planned. Intervals without ``handle_s`` keep the plan's value (part 0).
- execution ``E``: agents logged in instead of scheduled. Coverage ``scheduled`` is agents on
  duty, not on break, x efficiency; ``agents_logged_in`` are heads. Conversion: logged-in heads x
  the plan's efficiency per interval, ``scheduled_agents / scheduled_heads`` (plan_frame derives
  heads on duty from roster.csv; without heads the ratio is 1). Shrinkage (coaching, system
  issues) applies to both, so logged-in = planned heads gives execution 0 exactly. Intervals
  without ``agents_logged_in`` keep the scheduled agents (part 0).

Parts (positive = made service worse, in 3-minute-rate points as shares 0–1):

- ``schedule = target - S0``: the plan itself was short of (or, negative, above) the target.
- ``volume``, ``handle_time``, ``execution``: Shapley values of the three changes, i.e. the
  worsening ``R(A) - R(A + {i})`` averaged over the 3! orders of applying them (weights 1/3 for
  the first and last position, 1/6 for each middle one). A fixed order would give the interaction
  (volume up *and* agents absent) to whichever factor comes last; Shapley shares it and does not
  depend on an arbitrary order. ``order="sequential"`` gives the fixed order V, H, E instead.
  Either way the three sum to ``S0 - S3`` exactly (S3 = all three actual).
- ``other = S3 - actual`` (computed as miss minus the four parts, so the sum is exact): what the
  model does not explain — queue carry-over between intervals, non-exponential patience, the
  measurement itself.

``lost_<part>`` = part x actual human volume: inquiries answered late (after 3 min) or abandoned
that the part accounts for (count; negative = more answered in time). ``lost_inquiries`` is the
sum (miss x human volume). Rows whose actual rate is missing have NaN miss and other.
"""

from __future__ import annotations

from math import factorial
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from scheduler.staffing import ServiceParams, queue_metrics

if TYPE_CHECKING:
    from scenarios.review.actuals import Actuals

THREE_MINUTES_S = 180.0
FACTORS = ("volume", "handle_time", "execution")
PARTS = ("schedule", *FACTORS, "other")
COLUMNS = (
    "timestamp", "phase", "target", "predicted", "actual", "miss", *PARTS,
    "human_volume", "lost_inquiries", *(f"lost_{p}" for p in PARTS),
)


def three_min_rate(
    volume_human: NDArray[np.float64],
    productive_agents: NDArray[np.float64],
    handle_s: NDArray[np.float64],
    service: ServiceParams,
    interval_minutes: int,
) -> NDArray[np.float64]:
    """3-minute rate (share 0–1) per interval from scheduler.staffing's queue model.

    ``volume_human``: inquiries per interval left for people; ``productive_agents``: agents on
    chats after shrinkage (efficiency-weighted); ``handle_s``: seconds a chat occupies a slot
    (per interval). Same model as ``evaluate_staffing`` (``concurrency`` slots per agent, Erlang A
    with the scenario's patience, else Erlang C) but with the handle time per interval.
    """
    handle = np.asarray(handle_s, dtype=np.float64)
    load = np.asarray(volume_human, dtype=np.float64) / (interval_minutes * 60.0) * handle
    servers = np.asarray(productive_agents, dtype=np.float64) * service.concurrency
    thresholds = tuple(sorted({float(service.target_seconds), THREE_MINUTES_S}))
    metrics = queue_metrics(servers, load, handle, service.patience_seconds, thresholds)
    return np.asarray(metrics.service_level[THREE_MINUTES_S], dtype=np.float64)


def _column(frame: pd.DataFrame, name: str) -> NDArray[np.float64]:
    if name not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=np.float64)


def _inputs(plan: pd.DataFrame, actuals: Actuals, service: ServiceParams) -> tuple[pd.DataFrame,
                                                                                    dict]:
    """Plan and actuals joined on timestamp, and the planned/actual value of each factor."""
    acts = actuals.intervals.copy()
    acts["timestamp"] = pd.to_datetime(acts["timestamp"])
    left = plan.copy()
    left["timestamp"] = pd.to_datetime(left["timestamp"])
    frame = left.merge(acts, on="timestamp", how="inner", suffixes=("", "_actual"))
    frame = frame.sort_values("timestamp").reset_index(drop=True)
    keep = 1.0 - service.shrinkage
    deflect = service.effective_deflection
    forecast_human = _column(frame, "forecast_volume") * (1.0 - deflect)
    volume = _column(frame, "volume")
    bot = _column(frame, "handled_by_bot")
    actual_human = np.where(np.isfinite(bot), np.maximum(volume - bot, 0.0), volume * (1 - deflect))
    planned_h = np.full(len(frame), service.chat_handle_seconds)
    handle = _column(frame, "handle_s")
    actual_h = np.where(np.isfinite(handle) & (handle > 0), handle, planned_h)
    scheduled = _column(frame, "scheduled_agents")
    heads = _column(frame, "scheduled_heads")
    total_heads = np.nansum(heads)
    overall = np.nansum(scheduled[np.isfinite(heads)]) / total_heads if total_heads > 0 else 1.0
    efficiency = np.where(np.isfinite(heads) & (heads > 0), scheduled / np.where(heads > 0, heads,
                                                                                  1.0), overall)
    logged = _column(frame, "agents_logged_in")
    actual_agents = np.where(np.isfinite(logged), logged * efficiency, scheduled)
    factors = {
        "volume": (forecast_human, actual_human),
        "handle_time": (planned_h, actual_h),
        "execution": (scheduled * keep, actual_agents * keep),
    }
    return frame, factors


def _rates(
    factors: dict, service: ServiceParams, interval_minutes: int
) -> dict[frozenset, NDArray[np.float64]]:
    """3-minute rate for every subset of factors set to their actual values."""
    out = {}
    for mask in range(2 ** len(FACTORS)):
        subset = frozenset(f for k, f in enumerate(FACTORS) if mask >> k & 1)
        vh, h, agents = (factors[f][1 if f in subset else 0] for f in FACTORS)
        out[subset] = three_min_rate(vh, agents, h, service, interval_minutes)
    return out


def _shapley(rates: dict[frozenset, NDArray[np.float64]]) -> dict[str, NDArray[np.float64]]:
    n = len(FACTORS)
    parts = {}
    for f in FACTORS:
        total = np.zeros_like(rates[frozenset()])
        for subset, before in rates.items():
            if f in subset:
                continue
            weight = factorial(len(subset)) * factorial(n - len(subset) - 1) / factorial(n)
            total = total + weight * (before - rates[subset | {f}])
        parts[f] = total
    return parts


def _sequential(rates: dict[frozenset, NDArray[np.float64]]) -> dict[str, NDArray[np.float64]]:
    parts, done = {}, frozenset()
    for f in FACTORS:
        parts[f] = rates[done] - rates[done | {f}]
        done = done | {f}
    return parts


def attribute_miss(
    plan: pd.DataFrame,
    actuals: Actuals,
    service: ServiceParams,
    target: float,
    order: Literal["shapley", "sequential"] = "shapley",
) -> pd.DataFrame:
    """Per actuals interval: the 3-minute-rate miss and its exact split (module docstring).

    ``plan`` is :func:`scenarios.review.variance.plan_frame` at the actuals' interval
    (``timestamp, forecast_volume, scheduled_agents[, scheduled_heads], phase``); ``target`` is the
    3-minute-rate target (share 0–1). Intervals in only one of plan and actuals are left out.
    Columns: ``COLUMNS``.
    """
    if order not in ("shapley", "sequential"):
        raise ValueError(f"order must be 'shapley' or 'sequential', got {order!r}")
    frame, factors = _inputs(plan, actuals, service)
    rates = _rates(factors, service, actuals.interval_minutes)
    parts = _shapley(rates) if order == "shapley" else _sequential(rates)
    predicted = rates[frozenset()]
    actual = _column(frame, "three_min_rate")
    miss = target - actual
    schedule = target - predicted
    explained = schedule + parts["volume"] + parts["handle_time"] + parts["execution"]
    human = factors["volume"][1]
    phase = frame["phase"] if "phase" in frame else pd.Series("ordinary", index=frame.index)
    out = pd.DataFrame(
        {
            "timestamp": frame["timestamp"],
            "phase": phase.fillna("ordinary").astype(str),
            "target": float(target),
            "predicted": predicted,
            "actual": actual,
            "miss": miss,
            "schedule": schedule,
            **parts,
            "other": miss - explained,
            "human_volume": human,
        }
    )
    out["lost_inquiries"] = miss * human
    for p in PARTS:
        out[f"lost_{p}"] = out[p] * human
    return out.loc[:, list(COLUMNS)]


def attribution_totals(frame: pd.DataFrame) -> dict:
    """Totals over the intervals with a measured rate: human-volume-weighted miss and parts (share
    0–1 of the horizon's human inquiries), lost inquiries per part (count), share of the miss
    per part (None when the total miss is not positive)."""
    ok = frame[np.isfinite(frame["miss"].to_numpy(dtype=float))]
    weight = float(ok["human_volume"].sum())
    lost = {p: float(ok[f"lost_{p}"].sum()) for p in PARTS}
    total = float(ok["lost_inquiries"].sum())
    return {
        "intervals": int(len(ok)),
        "human_volume": round(weight, 1),
        "miss_points": None if weight <= 0 else total / weight,
        "points": {p: (None if weight <= 0 else lost[p] / weight) for p in PARTS},
        "lost_inquiries": total,
        "lost_by_part": lost,
        "share_of_miss": {p: (lost[p] / total if total > 0 else None) for p in PARTS},
    }

