"""Erlang C (M/M/N) and Erlang A (M/M/N+M) queue metrics, vectorised and in log space.

Notation: ``servers`` N (may be fractional, see below), offered ``load`` a = arrival rate x mean
handle time (Erlangs), ``handle_s`` mean handle time h (seconds), ``patience_s`` mean of the
exponential customer patience p (seconds), ``threshold_s`` the service-level threshold T.

Numerics. Erlang B uses the incomplete-gamma identity 1/B(N, a) = e^a a^-N Gamma(N+1, a), computed
as logs with ``gammaln``/``gammaincc`` so that hundreds or thousands of servers neither overflow
nor lose precision; the same identity is the standard continuous extension of Erlang B to real N
(Jagerman 1974), which is what we use for fractional (efficiency-weighted) agents.

Erlang C (no abandonment), for N > a:
    P_w = N B / (N - a (1 - B)),   SL(T) = 1 - P_w exp(-(N - a) T / h),   ASA = P_w h / (N - a).
For N <= a the queue is unstable: P_w = 1, SL = 0, ASA = inf, occupancy = 1.

Erlang A (exponential patience, theta = 1/p), with alpha = N p / h and y = a p / h. The
stationary law is pi_n ~ a^n/n! (n <= N) and pi_{N+k} = pi_N y^k / (alpha+1)_k. Writing
S(b, z) = sum_j z^j / (b (b+1) ... (b+j)) = e^z z^-b gamma(b, z) (lower incomplete gamma):
    sum_k y^k/(alpha+1)_k = alpha S(alpha, y) =: Q,   pi_N = 1 / (1/B - 1 + Q),   P_w = pi_N Q.
A customer who finds k others queued is served (not abandoned) within T with probability
alpha/(alpha+k+1) * P(Exp(theta(alpha+1)) + ... + Exp(theta(alpha+k+1)) <= T); summing over k
gives the closed form (derived here, checked against a truncated CTMC in the tests)
    P(served after waiting, within T) = pi_N alpha [S(alpha+1, y) - u^(alpha+1) e^(y(1-u))
                                                    S(alpha+1, y u)],   u = exp(-T/p),
    P(abandon) = P_w - pi_N alpha S(alpha+1, y),   ASA = P(abandon) p   (= E[L_q]/lambda),
    occupancy = a (1 - P(abandon)) / N.
SL counts abandoned customers as *not* answered in time (denominator = all human inquiries).
ASA is the mean time from arrival to first response or abandonment over all human inquiries.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

FloatArray = NDArray[np.float64]

_SERIES_RATIO = 0.7  # use the power series of S(b, z) when z < 0.7 b (converges geometrically)


@dataclass(frozen=True)
class QueueMetrics:
    """Metrics of a queue for given servers, arrays of one shape.

    wait_prob: probability an arrival has to wait. service_level: share answered within T
    (per threshold in ``thresholds_s``, key = threshold). asa_s: mean wait (s). abandon_rate:
    share who leave. occupancy: busy share of servers.
    """

    wait_prob: FloatArray
    service_level: dict[float, FloatArray]
    asa_s: FloatArray
    abandon_rate: FloatArray
    occupancy: FloatArray


def _arr(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=np.float64)


def log_inv_erlang_b(servers: ArrayLike, load: ArrayLike) -> FloatArray:
    """log(1 / B(N, a)) for real N >= 0 and a > 0 (B = Erlang B blocking probability)."""
    n, a = np.broadcast_arrays(_arr(servers), _arr(load))
    with np.errstate(divide="ignore"):
        out = a - n * np.log(a) + special.gammaln(n + 1) + np.log(special.gammaincc(n + 1, a))
    # gammaincc underflows only far below the load, where B -> 1 - N/a (asymptotic series).
    bad = ~np.isfinite(out)
    if np.any(bad):
        out = np.where(bad, np.log1p(_tail_ratio(n, a)), out)
    return out


def _tail_ratio(n: FloatArray, a: FloatArray) -> FloatArray:
    """1/B(N, a) - 1 = sum_{k<N} a^k/k! / (a^N/N!) by its series in N/a (valid for N << a)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(a > 0, n / a, 0.0)
        total = term.copy()
        for i in range(1, 200):
            term = term * (n - i) / a
            total = total + term
            if np.all(np.abs(term) <= 1e-17 * np.abs(total)):
                break
    return np.maximum(total, 0.0)


def erlang_b(servers: ArrayLike, load: ArrayLike) -> FloatArray:
    """Erlang B blocking probability for N servers and load a Erlangs (B = 1 when a > 0, N = 0)."""
    n, a = np.broadcast_arrays(_arr(servers), _arr(load))
    safe_a = np.where(a > 0, a, 1.0)
    out = np.exp(-log_inv_erlang_b(n, safe_a))
    return np.where(a > 0, out, 0.0)


def erlang_c(servers: ArrayLike, load: ArrayLike) -> FloatArray:
    """Erlang C probability of waiting; 1 when N <= a (unstable), 0 when a = 0."""
    n, a = np.broadcast_arrays(_arr(servers), _arr(load))
    stable = (n > a) & (a > 0)
    ns = np.where(stable, n, 2.0)
    as_ = np.where(stable, a, 1.0)
    log_inv_b = log_inv_erlang_b(ns, as_)
    # P_w = N / ((N - a) / B + a), in logs.
    log_pw = np.log(ns) - np.logaddexp(np.log(ns - as_) + log_inv_b, np.log(as_))
    pw = np.exp(log_pw)
    return np.where(stable, pw, np.where(a > 0, 1.0, 0.0))


def erlang_c_service_level(
    servers: ArrayLike, load: ArrayLike, handle_s: ArrayLike, threshold_s: ArrayLike
) -> FloatArray:
    """Erlang C share answered within T: 1 - P_w exp(-(N - a) T / h); 0 if unstable."""
    n, a, h, t = np.broadcast_arrays(_arr(servers), _arr(load), _arr(handle_s), _arr(threshold_s))
    pw = erlang_c(n, a)
    stable = (n > a) | (a <= 0)
    sl = 1.0 - pw * np.exp(-np.where(stable, n - a, 0.0) * t / h)
    return np.where(stable, np.clip(sl, 0.0, 1.0), 0.0)


def erlang_c_asa(servers: ArrayLike, load: ArrayLike, handle_s: ArrayLike) -> FloatArray:
    """Erlang C average speed of answer P_w h / (N - a), seconds; inf if N <= a."""
    n, a, h = np.broadcast_arrays(_arr(servers), _arr(load), _arr(handle_s))
    pw = erlang_c(n, a)
    stable = (n > a) | (a <= 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = pw * h / (n - a)
    return np.where(a <= 0, 0.0, np.where(stable, asa, np.inf))


def _log_s(b: FloatArray, z: FloatArray) -> FloatArray:
    """log S(b, z), S(b, z) = sum_j z^j / (b (b+1) ... (b+j)), for b > 0, z >= 0.

    Power series where z < 0.7 b (ratio of terms < 0.7) or where the regularised incomplete
    gamma would underflow (z < b with b in the tens of thousands); else the gamma identity.
    """
    out = np.full(b.shape, -np.inf)
    use_series = z < _SERIES_RATIO * b
    gam = ~use_series
    if np.any(gam):
        bg, zg = b[gam], z[gam]
        with np.errstate(divide="ignore"):
            vals = zg - bg * np.log(zg) + special.gammaln(bg) + np.log(special.gammainc(bg, zg))
        out[gam] = vals
        use_series = use_series | ~np.isfinite(out)
    if np.any(use_series):
        bs, zs = b[use_series], z[use_series]
        term = 1.0 / bs
        total = term.copy()
        for j in range(1, 100_000):
            term = term * zs / (bs + j)
            total = total + term
            if np.all(term <= 1e-17 * total):
                break
        out[use_series] = np.log(total)
    return out


def erlang_a(
    servers: ArrayLike,
    load: ArrayLike,
    handle_s: ArrayLike,
    patience_s: ArrayLike,
    thresholds_s: tuple[float, ...] = (30.0,),
) -> QueueMetrics:
    """Erlang A (M/M/N+M) metrics; stable at any load. See the module docstring for formulas."""
    n, a, h, p = np.broadcast_arrays(_arr(servers), _arr(load), _arr(handle_s), _arr(patience_s))
    n, a, h, p = (np.atleast_1d(v).astype(np.float64).ravel() for v in (n, a, h, p))
    shape = np.broadcast_shapes(*(np.shape(_arr(v)) for v in (servers, load, handle_s, patience_s)))
    idle = a <= 0
    empty = (n <= 0) & ~idle
    live = ~idle & ~empty
    m = live
    nl, al, hl, pl = n[m], a[m], h[m], p[m]
    alpha = nl * pl / hl
    y = al * pl / hl
    log_q = np.log(alpha) + _log_s(alpha, y)
    log_inv_b = log_inv_erlang_b(nl, al)
    with np.errstate(divide="ignore"):
        log_r = log_inv_b + np.log(-np.expm1(-log_inv_b))  # log(1/B - 1)
    log_pi_n = -np.logaddexp(log_r, log_q)
    pw_l = np.exp(log_pi_n + log_q)
    served_wait = np.exp(log_pi_n + np.log(alpha) + _log_s(alpha + 1, y))
    ab_l = np.clip(pw_l - served_wait, 0.0, 1.0)

    def fill(live_vals: FloatArray, idle_val: float, empty_vals: FloatArray | float) -> FloatArray:
        out = np.empty(n.shape)
        out[idle] = idle_val
        out[empty] = empty_vals if np.isscalar(empty_vals) else np.asarray(empty_vals)[empty]
        out[live] = live_vals
        return out.reshape(shape)

    sls: dict[float, FloatArray] = {}
    for t in thresholds_s:
        log_u = -t / pl
        u = np.exp(log_u)
        second = np.exp(
            log_pi_n + np.log(alpha) + (alpha + 1) * log_u + y * (1 - u) + _log_s(alpha + 1, y * u)
        )
        sl_l = np.clip(1.0 - pw_l + served_wait - second, 0.0, 1.0)
        sls[float(t)] = fill(sl_l, 1.0, 0.0)
    occ_l = np.clip(al * (1.0 - ab_l) / nl, 0.0, 1.0)
    return QueueMetrics(
        wait_prob=fill(pw_l, 0.0, 1.0),
        service_level=sls,
        asa_s=fill(ab_l * pl, 0.0, p),
        abandon_rate=fill(ab_l, 0.0, 1.0),
        occupancy=fill(occ_l, 0.0, 0.0),
    )


def erlang_c_metrics(
    servers: ArrayLike, load: ArrayLike, handle_s: ArrayLike, thresholds_s: tuple[float, ...]
) -> QueueMetrics:
    """Erlang C metrics as a QueueMetrics (abandon_rate 0; unstable queues: SL 0, ASA inf)."""
    n, a, h = np.broadcast_arrays(_arr(servers), _arr(load), _arr(handle_s))
    pw = erlang_c(n, a)  # computed once, shared by SL and ASA
    idle = a <= 0
    stable = (n > a) | idle
    gap = np.where(stable & ~idle, n - a, 1.0)
    sls = {}
    for t in thresholds_s:
        sl = np.clip(1.0 - pw * np.exp(-gap * float(t) / h), 0.0, 1.0)
        sls[float(t)] = np.where(idle, 1.0, np.where(stable, sl, 0.0))
    asa = np.where(idle, 0.0, np.where(stable, pw * h / gap, np.inf))
    occ = np.where(idle, 0.0, np.where(stable, a / np.where(n > 0, n, 1.0), 1.0))
    return QueueMetrics(
        wait_prob=pw,
        service_level=sls,
        asa_s=asa,
        abandon_rate=np.zeros(n.shape),
        occupancy=occ,
    )


def queue_metrics(
    servers: ArrayLike,
    load: ArrayLike,
    handle_s: ArrayLike,
    patience_s: float | None,
    thresholds_s: tuple[float, ...],
) -> QueueMetrics:
    """Erlang C metrics if ``patience_s`` is None, else Erlang A."""
    if patience_s is None:
        return erlang_c_metrics(servers, load, handle_s, thresholds_s)
    return erlang_a(servers, load, handle_s, patience_s, thresholds_s)
