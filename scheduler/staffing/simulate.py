"""Discrete-event simulation of a chat queue with concurrency, patience and shifting staff.

Used to check the closed forms (``erlang.py``) and to score a roster. The model:

- Arrivals: Poisson with a rate constant within each interval (``arrivals_per_interval`` expected
  inquiries per interval, thinned by bot deflection). Queues carry over between intervals.
- Agents: ``agents_per_interval`` on duty x (1 - shrinkage), rounded to the nearest integer, are
  productive. Each has ``concurrency`` slots. A new chat goes to the least-loaded productive
  agent with a free slot; otherwise it waits in one FCFS queue. When staff drops at an interval
  boundary, the least-loaded agents leave; they take no new chats and finish the open ones.
- Handle times are exponential. ``mode="slot"``: every chat takes h_c = aht (1 + f (c - 1)) on
  average whatever the agent's load (exactly the M/M/(N c) model of ``concurrency.py``).
  ``mode="load_dependent"``: an agent with k open chats works each at mean aht (1 + f (k - 1)),
  i.e. finishes one of them at rate k / (aht (1 + f (k - 1))) (memoryless, so exact).
- Patience: exponential with mean ``patience_seconds`` (None = nobody leaves). A customer still
  waiting at their deadline leaves. After the last interval no new chats arrive and the last
  interval's staff drain the queue (customers waiting when it has no staff count as unanswered).

Metrics are per interval of *arrival*: first-response time = wait until a slot takes the chat.
"""

from __future__ import annotations

import heapq
from collections import deque

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from scheduler.errors import SchedulerInputError
from scheduler.staffing.concurrency import THREE_MINUTES_S
from scheduler.staffing.params import ServiceParams


class _Agents:
    """Agents with their open-chat counts; on-duty agents are bucketed by load."""

    def __init__(self, concurrency: int) -> None:
        self.c = concurrency
        self.load: list[int] = []
        self.on_duty: list[bool] = []
        self.version: list[int] = []
        self.buckets: list[set[int]] = [set() for _ in range(concurrency)]  # load < c only
        self.n_on = 0

    def pick(self) -> int | None:
        for bucket in self.buckets:
            if bucket:
                return next(iter(bucket))
        return None

    def _unbucket(self, j: int) -> None:
        if self.on_duty[j] and self.load[j] < self.c:
            self.buckets[self.load[j]].discard(j)

    def _bucket(self, j: int) -> None:
        if self.on_duty[j] and self.load[j] < self.c:
            self.buckets[self.load[j]].add(j)

    def change_load(self, j: int, delta: int) -> None:
        self._unbucket(j)
        self.load[j] += delta
        self._bucket(j)

    def set_on_duty(self, target: int) -> None:
        if target > self.n_on:
            off = [j for j in range(len(self.load)) if not self.on_duty[j]]
            off.sort(key=lambda j: -self.load[j])  # reuse draining agents first
            for _ in range(target - self.n_on):
                if off:
                    j = off.pop(0)
                else:
                    j = len(self.load)
                    self.load.append(0)
                    self.on_duty.append(False)
                    self.version.append(0)
                self.on_duty[j] = True
                self._bucket(j)
        elif target < self.n_on:
            on = sorted((j for j in range(len(self.load)) if self.on_duty[j]),
                        key=lambda j: (self.load[j], -j))
            for j in on[: self.n_on - target]:
                self._unbucket(j)
                self.on_duty[j] = False
        self.n_on = target


class _ExpStream:
    """Standard exponential variates drawn in blocks (fast scalar access)."""

    def __init__(self, rng: np.random.Generator, block: int = 65536) -> None:
        self.rng = rng
        self.block = block
        self.buf: list[float] = []
        self.pos = 0

    def next(self) -> float:
        if self.pos >= len(self.buf):
            self.buf = self.rng.standard_exponential(self.block).tolist()
            self.pos = 0
        self.pos += 1
        return self.buf[self.pos - 1]


def simulate_chat_queue(
    arrivals_per_interval: ArrayLike,
    agents_per_interval: ArrayLike,
    params: ServiceParams,
    interval_minutes: int,
    seed: int = 0,
    mode: str = "slot",
) -> pd.DataFrame:
    """Simulate the chat queue; one row per interval (of arrival).

    ``arrivals_per_interval``: expected inquiries per interval before bot deflection.
    ``agents_per_interval``: agents on duty (shrinkage is applied here). Columns: ``interval,
    agents_productive, arrivals, answered, abandoned, service_level, three_min_rate, asa_s,
    abandon_rate, occupancy`` (rates are NaN for intervals without arrivals; asa_s = mean time to
    first response or abandonment over all arrivals; occupancy = busy slot-time / slot-time).

    Long because the event loop and the four steps it calls (advance the clock, schedule a
    completion, start a chat, serve the queue) share the counters, heap and queue as closure
    variables: as methods or module functions every event of this pure-Python hot loop would pay
    attribute look-ups or argument passing. Checks, random draws and the frame are helpers.
    """
    lam, staff = _checked_inputs(arrivals_per_interval, agents_per_interval, mode)
    rng = np.random.default_rng(seed)
    length = interval_minutes * 60.0
    k_int = lam.size
    end = k_int * length
    n_prod = np.rint(staff * (1.0 - params.shrinkage)).astype(int)
    c = params.concurrency
    counts, arr_t_l, arr_k_l, deadline, patience_l = _draw_arrivals(rng, lam, params, length)
    rates = _completion_rates(params, mode)
    target = float(params.target_seconds)

    n_ans, n_t, n_3, n_ab = ([0] * k_int for _ in range(4))
    wait_sum = [0.0] * k_int
    busy_time = np.zeros(k_int)
    expo = _ExpStream(rng)

    agents = _Agents(c)
    heap: list[tuple[float, int, int]] = []  # (completion time, agent, version)
    queue: deque[int] = deque()
    busy = 0
    now = 0.0

    def advance(t: float) -> None:
        nonlocal now
        t_in = min(t, end)  # busy time after the horizon (drain) is not counted
        if busy and t_in > now:
            i0 = int(now // length)
            i1 = min(int(t_in // length), k_int - 1)
            if i0 == i1:
                busy_time[i0] += busy * (t_in - now)
            else:
                edges = np.clip(np.arange(i0, i1 + 2) * length, now, t_in)
                busy_time[i0 : i1 + 1] += busy * np.diff(edges)
        now = t

    def schedule(j: int) -> None:
        agents.version[j] += 1
        k = agents.load[j]
        if k > 0:
            heapq.heappush(heap, (now + expo.next() / rates[k], j, agents.version[j]))

    def start(idx: int, j: int) -> None:
        nonlocal busy
        w = now - arr_t_l[idx]
        i = arr_k_l[idx]
        n_ans[i] += 1
        n_t[i] += w <= target
        n_3[i] += w <= THREE_MINUTES_S
        wait_sum[i] += w
        agents.change_load(j, 1)
        busy += 1
        schedule(j)

    def serve_queue() -> None:
        while queue:
            idx = queue[0]
            if deadline[idx] < now:  # left before a slot freed
                queue.popleft()
                n_ab[arr_k_l[idx]] += 1
                wait_sum[arr_k_l[idx]] += patience_l[idx]
                continue
            j = agents.pick()
            if j is None:
                return
            queue.popleft()
            start(idx, j)

    next_arr = 0
    boundary = 0  # next interval index whose staffing applies
    drain_limit = end + 86400.0
    inf = float("inf")
    n_arr = len(arr_t_l)
    while True:
        t_arr = arr_t_l[next_arr] if next_arr < n_arr else inf
        t_bnd = boundary * length if boundary < k_int else inf
        t_dep = heap[0][0] if heap else inf
        t = min(t_arr, t_bnd, t_dep)
        if t == inf or t > drain_limit:
            break
        advance(t)
        if t == t_bnd:
            agents.set_on_duty(int(n_prod[boundary]))
            boundary += 1
            serve_queue()
        elif t == t_dep:
            _, j, ver = heapq.heappop(heap)
            if ver != agents.version[j]:
                continue
            agents.change_load(j, -1)
            busy -= 1
            schedule(j)
            serve_queue()
        else:
            queue.append(next_arr)
            next_arr += 1
            serve_queue()
        if next_arr >= n_arr and boundary >= k_int and not queue and not heap:
            break
    for idx in queue:  # never answered: left at their deadline or still waiting at the end
        i = arr_k_l[idx]
        n_ab[i] += 1
        wait_sum[i] += min(patience_l[idx], now - arr_t_l[idx])
    tally = (n_ans, n_t, n_3, wait_sum, n_ab)
    return _interval_frame(counts, n_prod, c * length, busy_time, tally)


def _checked_inputs(
    arrivals_per_interval: ArrayLike, agents_per_interval: ArrayLike, mode: str
) -> tuple[np.ndarray, np.ndarray]:
    """Expected arrivals and agents on duty per interval as flat float arrays; SchedulerInputError
    for an unknown ``mode``, different lengths, or a value not finite and >= 0."""
    if mode not in ("slot", "load_dependent"):
        raise SchedulerInputError(f"simulate: field 'mode': unknown mode {mode!r}")
    lam = np.asarray(arrivals_per_interval, dtype=np.float64).ravel()
    staff = np.asarray(agents_per_interval, dtype=np.float64).ravel()
    if lam.shape != staff.shape:
        raise SchedulerInputError("simulate: arrivals and agents have different lengths")
    if np.any(~np.isfinite(lam) | (lam < 0)) or np.any(~np.isfinite(staff) | (staff < 0)):
        raise SchedulerInputError("simulate: arrivals and agents must be finite and >= 0")
    return lam, staff


def _draw_arrivals(
    rng: np.random.Generator, lam: np.ndarray, params: ServiceParams, length: float
) -> tuple[np.ndarray, list[float], list[int], list[float], list[float]]:
    """Poisson counts per interval (after bot deflection), then every arrival's time (s from the
    horizon start, sorted), interval, deadline (s) and patience (s; inf when nobody leaves)."""
    counts = rng.poisson(lam * (1.0 - params.effective_deflection))
    arr_t = np.concatenate(
        [np.sort(rng.uniform(i * length, (i + 1) * length, n)) for i, n in enumerate(counts)]
        or [np.empty(0)]
    )
    arr_k = np.repeat(np.arange(lam.size), counts)
    patience = (
        rng.exponential(params.patience_seconds, arr_t.size)
        if params.patience_seconds is not None
        else np.full(arr_t.size, np.inf)
    )
    return counts, arr_t.tolist(), arr_k.tolist(), (arr_t + patience).tolist(), patience.tolist()


def _completion_rates(params: ServiceParams, mode: str) -> list[float]:
    """Rate (1/s) at which an agent with k = 0..concurrency open chats finishes one of them."""
    c = params.concurrency
    if mode == "slot":
        h_c = params.chat_handle_seconds
        return [k / h_c for k in range(c + 1)]
    f = params.concurrency_aht_factor
    return [0.0] + [k / (params.aht_seconds * (1 + f * (k - 1))) for k in range(1, c + 1)]


def _interval_frame(
    counts: np.ndarray,
    n_prod: np.ndarray,
    slot_seconds: float,
    busy_time: np.ndarray,
    tally: tuple[list[int], list[int], list[int], list[float], list[int]],
) -> pd.DataFrame:
    """The per-interval result of :func:`simulate_chat_queue` from its tallies (answered, within
    target, within 3 minutes, wait seconds, abandoned) and busy slot-seconds per interval;
    ``slot_seconds`` = slots per agent x interval length (s)."""
    k_int = counts.size
    n_ans_a, n_t_a, n_3_a, wait_sum_a, n_ab_a = (np.asarray(x, dtype=float) for x in tally)
    arrivals = counts.astype(float)

    def rate(x: np.ndarray) -> np.ndarray:
        return np.divide(x, arrivals, out=np.full(k_int, np.nan), where=arrivals > 0)

    slot_time = (n_prod * slot_seconds).astype(float)
    occupancy = np.divide(busy_time, slot_time, out=np.full(k_int, np.nan), where=slot_time > 0)
    return pd.DataFrame(
        {
            "interval": np.arange(k_int),
            "agents_productive": n_prod,
            "arrivals": counts,
            "answered": n_ans_a.astype(int),
            "abandoned": n_ab_a.astype(int),
            "service_level": rate(n_t_a),
            "three_min_rate": rate(n_3_a),
            "asa_s": rate(wait_sum_a),
            "abandon_rate": rate(n_ab_a),
            "occupancy": occupancy,
        }
    )
