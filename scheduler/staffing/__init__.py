"""Staffing engine: agents required per interval for chat service targets.

Erlang C / Erlang A with chat concurrency (``erlang``, ``concurrency``), requirements and the
reverse calculation (``requirements``), and a discrete-event simulator (``simulate``).
"""

from scheduler.staffing.concurrency import agent_metrics, human_volume, slot_load
from scheduler.staffing.erlang import (
    QueueMetrics,
    erlang_a,
    erlang_b,
    erlang_c,
    erlang_c_asa,
    erlang_c_metrics,
    erlang_c_service_level,
    queue_metrics,
)
from scheduler.staffing.params import ServiceParams
from scheduler.staffing.requirements import OUTPUT_COLUMNS, evaluate_staffing, required_agents
from scheduler.staffing.simulate import simulate_chat_queue

__all__ = [
    "OUTPUT_COLUMNS",
    "QueueMetrics",
    "ServiceParams",
    "agent_metrics",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "erlang_c_asa",
    "erlang_c_metrics",
    "erlang_c_service_level",
    "evaluate_staffing",
    "human_volume",
    "queue_metrics",
    "required_agents",
    "simulate_chat_queue",
    "slot_load",
]
