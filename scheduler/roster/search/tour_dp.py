"""Compiled kernels (numba) of the whole-schedule DP in ``tours.py`` and of column values.

The DP runs over one identity's *choices*: its candidate shifts with the same date, start, end
and paid length (they differ only in where the meal break sits) are one choice, worth its
cheapest member (``group_min``), which cuts the DP's work by about a third on the benchmark's
permanents (421 candidates, 270 choices). Choices are flat arrays sorted by (day, end minute);
``off[d]:off[d+1]`` are day ``d``'s. The DP state after date ``d`` is (paid units worked so far
this week, today's choice: 0 = off or 1 + the index of a choice on that date, days in a row).
``table[d]`` holds the cheapest cost of every state after date ``d`` before the week's cost
curve is applied; at a week's last date the curve (overtime, weekly-minimum penalty, inf above
the maximum) is added and the units axis resets. Money in CNY, units = gcd of the paid lengths
in minutes.

These loops run per identity and move, thousands of times a second in local search, which is
why they are compiled instead of written as numpy calls per date.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from scheduler.roster.search.numba_cache import cache_enabled

INF = np.inf
CACHE = cache_enabled(__file__)  # falls back to a temp folder when the defaults are read-only


@njit(cache=CACHE)
def _inbound(table, reach, d, week_end, week_of, curves, out, rin):
    """States entering date ``d + 1`` from ``table[d]`` and the units reachable there
    (``rin``): the table itself, or, after a week's last date, the week curve added and the
    units axis reset (written to ``out``)."""
    if not week_end[d]:
        rin[:] = reach[d]
        return table[d]
    curve = curves[week_of[d]]
    n_u, n_o, n_s = table.shape[1], table.shape[2], table.shape[3]
    rin[:] = False
    rin[0] = True
    out[0, :, :] = INF
    for u in range(n_u):
        if reach[d, u]:
            for o in range(n_o):
                for s in range(n_s):
                    v = table[d, u, o, s] + curve[u]
                    if v < out[0, o, s]:
                        out[0, o, s] = v
    return out


@njit(cache=CACHE)
def _n_ok(off, end, d, start, rest):
    """Number of yesterday's candidates (sorted by end) ending at least ``rest`` minutes
    before ``start``."""
    a, b = off[d - 1], off[d]
    n = 0
    for k in range(a, b):
        if end[k] <= start - rest:
            n += 1
        else:
            break
    return n


@njit(cache=CACHE)
def tour_dp(off, start, end, units, val, week_end, week_of, curves, forced_day, max_streak,
            rest, table, reach, inbound, prefix, rin):
    """Fill ``table`` (days x units x (max candidates + 1) x streak) and ``reach`` (days x
    units: paid units this week reachable after the date) and return the cheapest value of a
    whole tour (without the temp fee); ``inbound``, ``prefix`` (one date's shape) and ``rin``
    (units) are work buffers. Only reachable units are computed, filled or read."""
    n_days = off.shape[0] - 1
    n_u, n_s = table.shape[1], max_streak + 1
    vin = inbound
    vin[0, 0, :] = INF
    vin[0, 0, 0] = 0.0
    rin[:] = False
    rin[0] = True
    n_prev = 0
    ok_rows = np.zeros(table.shape[2], dtype=np.int64)
    for d in range(n_days):
        a, b = off[d], off[d + 1]
        nc = b - a
        if d > 0:  # yesterday's choices each candidate may follow (rest), same for every u
            for k in range(nc):
                ok_rows[k] = _n_ok(off, end, d, start[a + k], rest)
        reach[d, :] = False
        for u in range(n_u):
            if rin[u]:
                reach[d, u] = True
                for q in range(a, b):
                    if u + units[q] < n_u:
                        reach[d, u + units[q]] = True
        for u in range(n_u):
            if reach[d, u]:
                table[d, u, :nc + 1, :] = INF
        for u in range(n_u):
            if not rin[u]:
                continue
            for s in range(n_s):  # running minimum over yesterday's choices (off, by end)
                prefix[u, 0, s] = vin[u, 0, s]
            for o in range(1, n_prev + 1):
                for s in range(n_s):
                    prefix[u, o, s] = min(prefix[u, o - 1, s], vin[u, o, s])
            if forced_day != d:  # off today: from any state, the streak resets
                best = INF
                for s in range(n_s):
                    if prefix[u, n_prev, s] < best:
                        best = prefix[u, n_prev, s]
                table[d, u, 0, 0] = best
            if nc == 0:
                continue
            for k in range(nc):
                q = a + k
                dst = u + units[q]
                if dst >= n_u:
                    continue
                row = ok_rows[k]
                for s in range(n_s - 1):
                    v = prefix[u, row, s]
                    if v < INF:
                        table[d, dst, 1 + k, s + 1] = v + val[q]
        vin = _inbound(table, reach, d, week_end, week_of, curves, inbound, rin)
        n_prev = nc
    return _final_state(off, table, reach, week_of, curves)[0]


@njit(cache=CACHE)
def _final_state(off, table, reach, week_of, curves):
    """Cheapest state after the last date, its last week's curve added: (value, choice,
    units, streak)."""
    n_days = off.shape[0] - 1
    last = n_days - 1
    curve = curves[week_of[last]]
    best, o, u, s = INF, 0, 0, 0
    for uu in range(table.shape[1]):
        if reach[last, uu]:
            for oo in range(off[n_days] - off[last] + 1):
                for ss in range(table.shape[3]):
                    v = table[last, uu, oo, ss] + curve[uu]
                    if v < best:
                        best, o, u, s = v, oo, uu, ss
    return best, o, u, s


@njit(cache=CACHE)
def backtrack(off, start, end, units, week_end, week_of, curves, rest, table, reach, inbound,
              rin):
    """Flat candidate indices of the cheapest tour found by ``tour_dp`` (latest date first)."""
    n_days = off.shape[0] - 1
    n_u, n_s = table.shape[1], table.shape[3]
    last = n_days - 1
    _, o, u, s = _final_state(off, table, reach, week_of, curves)
    picked = np.empty(n_days, dtype=np.int64)
    n = 0
    for d in range(last, 0, -1):
        if o > 0:
            q = off[d] + o - 1
            picked[n] = q
            n += 1
            u_in, hi_o = u - units[q], _n_ok(off, end, d, start[q], rest)
            s_lo, s_hi = s - 1, s
        else:
            u_in, hi_o = u, off[d] - off[d - 1]
            s_lo, s_hi = 0, n_s
        vin = _inbound(table, reach, d - 1, week_end, week_of, curves, inbound, rin)
        bv, bo, bs = INF, 0, 0
        for oo in range(hi_o + 1):
            for ss in range(s_lo, s_hi):
                if vin[u_in, oo, ss] < bv:
                    bv, bo, bs = vin[u_in, oo, ss], oo, ss
        o, s = bo, bs
        if week_end[d - 1]:  # which units of the finished week led here
            curve = curves[week_of[d - 1]]
            bv, u = INF, 0
            for uu in range(n_u):
                if reach[d - 1, uu]:
                    v = table[d - 1, uu, o, s] + curve[uu]
                    if v < bv:
                        bv, u = v, uu
        else:
            u = u_in
    if o > 0:
        picked[n] = off[0] + o - 1
        n += 1
    return picked[:n]


@njit(cache=CACHE)
def cover_values(gap, ptr, slots, agents, wage, short_price, over_price, out):
    """Per flat candidate: its wage plus the change in shortfall + surplus cost (CNY) of adding
    ``agents[e]`` agents of coverage to slot ``slots[e]`` for each of its duty entries, where
    ``gap`` is requirement minus the others' coverage (agents per slot)."""
    for k in range(ptr.shape[0] - 1):
        acc = wage[k]
        for e in range(ptr[k], ptr[k + 1]):
            g = gap[slots[e]]
            h = g - agents[e]
            acc += (short_price * max(h, 0.0) + over_price * max(-h, 0.0)
                    - short_price * max(g, 0.0) - over_price * max(-g, 0.0))
        out[k] = acc


@njit(cache=CACHE)
def group_min(val, group, n_groups):
    """Per DP choice: the cheapest value of its candidates and which candidate (flat index;
    the first of equal ones)."""
    g_val = np.full(n_groups, INF)
    g_arg = np.zeros(n_groups, dtype=np.int64)
    for k in range(val.shape[0]):
        g = group[k]
        if val[k] < g_val[g]:
            g_val[g] = val[k]
            g_arg[g] = k
    return g_val, g_arg


@njit(cache=CACHE)
def move_values(gap, ptr, slots, agents, wage, short_price, over_price, group, n_groups,
                current):
    """One best-response move's inputs in one pass: ``cover_values`` of every flat candidate
    reduced to the DP's choices (``group_min``), plus the coverage value of the identity's
    current shifts (flat indices ``current``) without their wages (CNY)."""
    n = ptr.shape[0] - 1
    val = np.empty(n)
    cover_values(gap, ptr, slots, agents, wage, short_price, over_price, val)
    g_val, g_arg = group_min(val, group, n_groups)
    now = 0.0
    for k in current:
        now += val[k] - wage[k]
    return g_val, g_arg, now


@njit(cache=CACHE)
def tour_coverage(flat, ptr, slots, agents, n_slots):
    """Agents of coverage per slot of the flat candidates ``flat``."""
    out = np.zeros(n_slots)
    for k in flat:
        for e in range(ptr[k], ptr[k + 1]):
            out[slots[e]] += agents[e]
    return out
