"""Valid inequalities that make aggregated overtime as costly as per-agent overtime.

An anonymous (aggregated) model prices overtime as ``OT >= sum H - sum C`` over a group of
permanent agents, so one agent paid 4 h under contract cancels another's 4 h of overtime. Per
agent that cannot happen: overtime is ``max(0, H_a - C_a)`` and unused contract hours are lost.
With 8-9 h shifts and a 40-h contract, 40 h is reachable only as five 8-h shifts, so every 9-h
shift of a five-shift week is an hour of overtime; the plain aggregate row misses this.

Cut family (one per slope ``b``): for every agent ``a`` and week,

    OT_a >= H_a + b * n_a + c_a(b),     c_a(b) = min over feasible n of (-min(Hmax_a(n), C_a) - b n)

where ``n_a`` is the agent's number of shifts in the week, ``H_a`` its paid hours and
``Hmax_a(n)`` the most paid hours ``n`` shifts can give (``n x`` longest shift, capped by the
weekly maximum). Proof: for a feasible (n, H), ``max(0, H - C) - H = -min(H, C) >=
-min(Hmax(n), C)``, so ``OT_a - H_a - b n_a >= -min(Hmax(n), C) - b n >= c_a(b)``. A value n is
feasible when ``n <= available days`` and the interval [n x shortest, Hmax(n)] meets the
weekly minimum. Summed over a group: ``sum OT >= sum H + b * (shifts of the group) + sum c_a(b)``,
linear in the aggregated variables. ``b = 0`` gives back ``OT >= sum H - sum C``.
Units: hours (paid) and shifts; the caller converts to its own units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class AgentWeek:
    """One permanent agent in one (possibly prorated) week, in paid hours."""

    contract_h: float
    min_h: float
    max_h: float
    shortest_h: float  # shortest paid shift
    longest_h: float  # longest paid shift
    max_shifts: int  # available days in the week


def _hmax_by_n(a: AgentWeek) -> dict[int, float]:
    """Most paid hours with n shifts, for every feasible n (tolerance 1e-9 h)."""
    out = {}
    for n in range(0, a.max_shifts + 1):
        lo, hi = n * a.shortest_h, min(n * a.longest_h, a.max_h)
        if lo <= a.max_h + 1e-9 and hi >= a.min_h - 1e-9:
            out[n] = hi
    return out


def _offset(hmax: dict[int, float], contract: float, b: float) -> float:
    return min(-min(h, contract) - b * n for n, h in hmax.items())


def overtime_cuts(agents: Sequence[AgentWeek]) -> list[tuple[float, float]]:
    """Cuts ``sum OT - sum H - b * shifts >= rhs`` as (b, rhs) pairs for a group of agents.

    Slopes are the breakpoints of every agent's offset function (pairs of feasible n) and 0;
    cuts that cannot bind (rhs not above the b = 0 cut at any point) are still returned, they
    are cheap. An agent with no feasible n makes the group infeasible: returns [].
    """
    profiles = [(_hmax_by_n(a), a.contract_h) for a in agents]
    if not profiles or any(not h for h, _ in profiles):
        return []
    slopes = {0.0}
    for hmax, c in profiles:
        ns = sorted(hmax)
        for i, n1 in enumerate(ns):
            for n2 in ns[i + 1:]:
                b = -(min(hmax[n2], c) - min(hmax[n1], c)) / (n2 - n1)
                slopes.add(round(b, 9))
    out = []
    for b in sorted(slopes):
        rhs = sum(_offset(hmax, c, b) for hmax, c in profiles)
        out.append((b, rhs))
    return out
