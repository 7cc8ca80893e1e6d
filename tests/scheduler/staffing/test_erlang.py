"""Erlang B/C/A formulas against independent recursions and a brute-force CTMC."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import linalg

from scheduler.staffing.erlang import (
    erlang_a,
    erlang_b,
    erlang_c,
    erlang_c_asa,
    erlang_c_metrics,
    erlang_c_service_level,
)


def _erlang_b_recursive(n: int, a: float) -> float:
    inv = 1.0
    for k in range(1, n + 1):
        inv = 1.0 + inv * k / a
    return 1.0 / inv


def _erlang_c_textbook(n: int, a: float) -> float:
    b = _erlang_b_recursive(n, a)
    return n * b / (n - a * (1.0 - b))


@pytest.mark.parametrize(("n", "a"), [(1, 0.5), (5, 3.2), (14, 10.0), (60, 50.0), (300, 280.0)])
def test_erlang_b_matches_recursion(n: int, a: float) -> None:
    assert erlang_b(n, a) == pytest.approx(_erlang_b_recursive(n, a), rel=1e-11)


@pytest.mark.parametrize(("n", "a"), [(11, 10.0), (14, 10.0), (120, 100.0), (900, 870.0)])
def test_erlang_c_matches_textbook_formula(n: int, a: float) -> None:
    assert erlang_c(n, a) == pytest.approx(_erlang_c_textbook(n, a), rel=1e-10)


def test_erlang_c_known_example() -> None:
    # 100 chats per 30 min, 3 min handle time -> 10 Erlangs; 14 agents, 20 s threshold.
    sl = erlang_c_service_level(14, 10.0, 180.0, 20.0)
    pw = erlang_c(14, 10.0)
    assert pw == pytest.approx(0.17413, abs=1e-5)
    assert sl == pytest.approx(1 - pw * math.exp(-4 * 20 / 180), abs=1e-12)
    assert sl == pytest.approx(0.8883, abs=1e-4)
    assert erlang_c_asa(14, 10.0, 180.0) == pytest.approx(pw * 180 / 4, rel=1e-12)


def test_erlang_c_hundreds_of_agents_is_finite_and_stable() -> None:
    n = np.arange(2001, 2200)
    pw = erlang_c(n, 2000.0)
    assert np.all(np.isfinite(pw))
    assert np.all(np.diff(pw) < 0)
    assert pw[0] == pytest.approx(_erlang_c_textbook(2001, 2000.0), rel=1e-9)


def test_unstable_and_idle_queues() -> None:
    assert erlang_c(10, 10.0) == 1.0
    assert erlang_c(5, 10.0) == 1.0
    assert erlang_c_service_level(5, 10.0, 300.0, 30.0) == 0.0
    assert erlang_c_asa(10, 10.0, 300.0) == math.inf
    m = erlang_c_metrics(np.array([0.0, 3.0]), np.array([0.0, 0.0]), 300.0, (30.0,))
    np.testing.assert_array_equal(m.service_level[30.0], [1.0, 1.0])
    np.testing.assert_array_equal(m.asa_s, [0.0, 0.0])
    np.testing.assert_array_equal(m.occupancy, [0.0, 0.0])


def test_continuous_extension_interpolates_monotonically() -> None:
    n = np.linspace(11, 20, 91)
    sl = erlang_c_service_level(n, 10.0, 180.0, 20.0)
    assert np.all(np.diff(sl) > 0)
    at_int = erlang_c_service_level(np.arange(11, 21), 10.0, 180.0, 20.0)
    np.testing.assert_allclose(sl[::10], at_int, rtol=1e-12)


def _ctmc(n: int, lam: float, h: float, p: float, t: float, cap: int = 1500):
    """Brute force: truncated birth-death chain and the tagged customer's absorbing chain."""
    mu, th = 1.0 / h, 1.0 / p
    logpi = np.zeros(cap)
    for k in range(1, cap):
        logpi[k] = logpi[k - 1] + math.log(lam / (min(k, n) * mu + max(k - n, 0) * th))
    pi = np.exp(logpi - logpi.max())
    pi /= pi.sum()
    lq = np.clip(np.arange(cap) - n, 0, None) @ pi
    m = 300
    q = np.zeros((m + 2, m + 2))
    for j in range(m):
        r = n * mu + j * th
        q[j, j - 1 if j else m] = r
        q[j, m + 1] = th
        q[j, j] = -(r + th)
    served = linalg.expm(q * t)[:m, m]
    sl = pi[:n].sum() + pi[n : n + m] @ served
    return pi[n:].sum(), sl, th * lq / lam, lq / lam


@pytest.mark.parametrize(
    ("n", "lam", "h", "p", "t"),
    [
        (10, 0.03, 300, 60, 30),
        (10, 0.045, 300, 120, 30),
        (5, 0.02, 200, 30, 60),
        (3, 0.05, 100, 50, 180),
    ],
)
def test_erlang_a_matches_ctmc(n: int, lam: float, h: float, p: float, t: float) -> None:
    pw, sl, ab, asa = _ctmc(n, lam, h, p, t)
    m = erlang_a(n, lam * h, h, p, (t,))
    assert m.wait_prob == pytest.approx(pw, abs=1e-9)
    assert m.service_level[t] == pytest.approx(sl, abs=1e-9)
    assert m.abandon_rate == pytest.approx(ab, abs=1e-9)
    assert m.asa_s == pytest.approx(asa, rel=1e-8)


def test_erlang_a_tends_to_erlang_c_with_infinite_patience() -> None:
    m = erlang_a(14, 10.0, 180.0, 1e6, (20.0,))
    erlang_c_sl = erlang_c_service_level(14, 10.0, 180.0, 20.0)
    assert m.service_level[20.0] == pytest.approx(erlang_c_sl, abs=1e-4)
    assert m.asa_s == pytest.approx(erlang_c_asa(14, 10.0, 180.0), rel=1e-3)


def test_erlang_a_overload_and_large_systems_are_finite() -> None:
    n = np.array([0.0, 5.0, 50.0, 800.0, 3000.0, 3000.0])
    a = np.array([10.0, 100.0, 500.0, 790.0, 2500.0, 4000.0])
    m = erlang_a(n, a, 300.0, 90.0, (30.0, 180.0))
    for arr in (m.wait_prob, m.abandon_rate, m.asa_s, m.occupancy, m.service_level[30.0]):
        assert np.all(np.isfinite(arr))
    assert m.abandon_rate[0] == 1.0 and m.service_level[30.0][0] == 0.0
    # Overload: abandonment absorbs the excess, served load never exceeds capacity.
    assert m.abandon_rate[2] == pytest.approx(1 - 50 / 500, abs=0.02)
    assert np.all(m.occupancy <= 1.0)
    assert np.all(m.service_level[180.0] >= m.service_level[30.0])
