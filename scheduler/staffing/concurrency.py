"""Chat concurrency: translate agents into queue servers ("slots") and inquiries into load.

Approximation (documented for planners). An agent with ``concurrency`` c holds up to c chats at
once. We model the chat queue as M/M/(N c) (+M with patience): every one of the N c slots is a
server, chats wait in one first-come-first-served queue and take any free slot, and the handle
time of a chat is the *per-chat* handle time at full concurrency

    h_c = aht_seconds x (1 + concurrency_aht_factor x (c - 1)).

First response time = time in queue (the wait until a slot takes the chat). What this ignores:

- an agent with fewer than c open chats works each one faster than h_c; the model charges h_c
  anyway, so it is *conservative* when agents are not saturated (see benchmarks/results/
  staffing.md, mode ``load_dependent`` of the simulator);
- the first reply after a chat lands in a busy agent's window is not instantaneous; that reading
  time is not part of the measured wait (it belongs in the target or in aht);
- each interval is treated as stationary; a backlog carried over from a peak interval is not
  (the simulator carries queues over and shows the effect).

Load in slot-Erlangs: a = lambda h_c, with lambda = human inquiries per second. Occupancy is the
busy share of slots.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scheduler.staffing.erlang import QueueMetrics, queue_metrics
from scheduler.staffing.params import ServiceParams

THREE_MINUTES_S = 180.0


def human_volume(volume: ArrayLike, params: ServiceParams) -> NDArray[np.float64]:
    """Inquiries per interval left for human agents after bot deflection."""
    return np.asarray(volume, dtype=np.float64) * (1.0 - params.effective_deflection)


def slot_load(
    volume_human: ArrayLike, params: ServiceParams, interval_minutes: int
) -> NDArray[np.float64]:
    """Offered load in slot-Erlangs: human inquiries per interval x h_c / interval length (s)."""
    rate = np.asarray(volume_human, dtype=np.float64) / (interval_minutes * 60.0)
    return rate * params.chat_handle_seconds


def thresholds(params: ServiceParams) -> tuple[float, ...]:
    """Service-level thresholds (seconds) the engine needs: T and the 3-minute mark."""
    return tuple(sorted({float(params.target_seconds), THREE_MINUTES_S}))


def agent_metrics(
    productive_agents: ArrayLike, load: ArrayLike, params: ServiceParams
) -> QueueMetrics:
    """Queue metrics for productive (not shrunk) agents, each with ``concurrency`` slots."""
    servers = np.asarray(productive_agents, dtype=np.float64) * params.concurrency
    return queue_metrics(
        servers, load, params.chat_handle_seconds, params.patience_seconds, thresholds(params)
    )


def meets_targets(m: QueueMetrics, params: ServiceParams) -> NDArray[np.bool_]:
    """True where every target of ``params`` (and the occupancy cap) is met."""
    ok = m.occupancy <= params.max_occupancy + 1e-12
    if params.service_level is not None:
        ok &= m.service_level[float(params.target_seconds)] >= params.service_level
    if params.three_minute_rate is not None:
        ok &= m.service_level[THREE_MINUTES_S] >= params.three_minute_rate
    if params.max_asa_seconds is not None:
        ok &= m.asa_s <= params.max_asa_seconds
    if params.max_abandon_rate is not None:
        ok &= m.abandon_rate <= params.max_abandon_rate
    return ok
