"""``Instance``: the problem every roster engine works on, decoded once.

Problem, horizon, the shift columns of each agent type, the identities (named agents and temp
cohorts), each identity's candidate columns by start day, and the per-slot prices. The
constructive roster, the repairs, the local search and the pricing read it; the CP-SAT model
(``cpsat.model.RosterModel``) is built on top of it and adds variables only. No engine needs
CP-SAT to read an instance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scheduler.roster.instance.columns import Columns
from scheduler.roster.instance.horizon import Horizon
from scheduler.roster.instance.identities import Identity, agent_identities
from scheduler.roster.schema import RosterProblem

FULL_MODEL_LIMIT = 3_000  # candidate columns below which no column restriction is applied
MIN_PER_DAY = 4  # candidate columns kept per agent and available day at least
MIN_HOURS_PENALTY_CNY = 2000.0  # per paid hour below a weekly minimum (soft in every engine)
MIN_GAIN_CNY = 0.01  # a local-search move must gain more than this (CNY)

Pairs = list[tuple[int, int]]
"""A roster as (identity index, column index) pairs."""


@dataclass
class Instance:
    """One roster problem decoded for the engines.

    ``candidates[i]``: identity ``i``'s candidate columns (indices into ``cols[type]``) by start
    day index, ascending. ``short_price`` / ``over_price``: CNY per agent-slot of shortfall /
    surplus (``costs.*_per_agent_hour_cny`` x interval / 60).
    """

    problem: RosterProblem
    hz: Horizon
    cols: dict[str, Columns]
    ids: list[Identity]
    candidates: list[dict[int, list[int]]]

    @property
    def short_price(self) -> float:
        return self.problem.costs.shortfall_cost_per_agent_hour_cny * self.hz.interval / 60

    @property
    def over_price(self) -> float:
        return self.problem.costs.overstaff_cost_per_agent_hour_cny * self.hz.interval / 60

    @property
    def n_candidates(self) -> int:
        """Candidate (identity, column) pairs: the CP-SAT model's Booleans."""
        return sum(len(lst) for by_day in self.candidates for lst in by_day.values())


def is_small(problem: RosterProblem, cols: dict[str, Columns],
             masks: dict[str, np.ndarray]) -> bool:
    """Small enough for the exact per-agent model (every column, every temp cohort)."""
    n_full = sum(int(m.sum()) for m in masks.values())
    n_temp = problem.temporary.max_headcount * cols["temporary"].size // 2
    return n_full + n_temp <= FULL_MODEL_LIMIT


def candidate_columns(ids: list[Identity], cols: dict[str, Columns], hz: Horizon,
                      keep: dict[str, np.ndarray], masks: dict[str, np.ndarray]
                      ) -> list[np.ndarray]:
    """Each identity's candidate columns: the kept columns its availability allows (temps: from
    their cohort day on), topped up to ``MIN_PER_DAY`` per available day, evenly spread."""
    out = []
    row = {"permanent": 0, "part_time": 0}
    for ident in ids:
        c = cols[ident.agent_type]
        kept = np.zeros(c.size, dtype=bool)
        kept[keep[ident.agent_type]] = True
        if ident.agent is None:
            out.append(np.flatnonzero(kept & (c.day >= int(ident.cohort_day or 0))))
            continue
        mask = masks[ident.agent_type][row[ident.agent_type]]
        row[ident.agent_type] += 1
        chosen = kept & mask
        for d in range(len(hz.days)):
            on_day = mask & (c.day == d)
            have = int((chosen & on_day).sum())
            if on_day.any() and have < MIN_PER_DAY:
                pool = np.flatnonzero(on_day & ~chosen)
                take = np.linspace(0, len(pool) - 1, min(len(pool), MIN_PER_DAY - have))
                chosen[pool[np.round(take).astype(int)]] = True
        out.append(np.flatnonzero(chosen))
    return out


def by_start_day(cols: dict[str, Columns], ids: list[Identity],
                 candidates: list[np.ndarray]) -> list[dict[int, list[int]]]:
    """Candidate columns grouped by start day (order kept)."""
    out = []
    for ident, cand in zip(ids, candidates, strict=True):
        day = cols[ident.agent_type].day
        by_day: dict[int, list[int]] = {}
        for j in cand:
            by_day.setdefault(int(day[j]), []).append(int(j))
        out.append(by_day)
    return out


def build_instance(problem: RosterProblem, hz: Horizon, cols: dict[str, Columns],
                   masks: dict[str, np.ndarray], keep: dict[str, np.ndarray],
                   cohort_days: list[int]) -> Instance:
    """The instance with identities for the named agents and ``cohort_days`` temps, and their
    candidates among the ``keep`` columns of each type (all of them for a small problem)."""
    if is_small(problem, cols, masks):
        keep = {t: np.arange(c.size) for t, c in cols.items()}
    ids = agent_identities(problem, hz, cohort_days)
    cand = candidate_columns(ids, cols, hz, keep, masks)
    return Instance(problem, hz, cols, ids, by_start_day(cols, ids, cand))
