"""The constructive roster: the stage-1 LP's shifts handed to agents (``construct.greedy``), idle
days filled (``construct.fill_gaps``), overtime shed and tight shifts swapped to the most
efficient agents (``construct.repair``), temps relabelled to the model's symmetry breaking. It is
CP-SAT's hint, the local search's start and the last-resort roster."""

from __future__ import annotations

import time

import numpy as np

from scheduler.roster.construct.fill_gaps import fill_gaps
from scheduler.roster.construct.greedy import greedy_roster
from scheduler.roster.construct.repair import shed_overtime, swap_for_efficiency
from scheduler.roster.instance.instance import Instance
from scheduler.roster.lp.column_selection import Selection
from scheduler.roster.pricing.compare import priced


def relabel_temps(inst: Instance, chosen: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Permute temp identities within each cohort so hired and paid minutes are non-increasing
    (the model's symmetry breaking); candidates of one cohort are identical."""
    paid: dict[int, float] = {}
    ct = inst.cols["temporary"]
    for i, j in chosen:
        if inst.ids[i].agent_type == "temporary":
            paid[i] = paid.get(i, 0.0) + float(ct.paid[j])
    mapping: dict[int, int] = {}
    cohorts: dict[int, list[int]] = {}
    for i, ident in enumerate(inst.ids):
        if ident.agent_type == "temporary":
            cohorts.setdefault(int(ident.cohort_day or 0), []).append(i)
    for members in cohorts.values():
        ranked = sorted(members, key=lambda i: -paid.get(i, -1.0))
        mapping.update(zip(ranked, members, strict=True))
    return [(mapping.get(i, i), j) for i, j in chosen]


def constructive_roster(inst: Instance, sel: Selection,
                        until: float | None = None) -> list[tuple[int, int]]:
    """Best of the constructive rosters with and without shortening overtime shifts. Past
    ``until`` (perf_counter s; None = no clock, as in deterministic mode) the repairs and the
    second variant are skipped: on 1,000 agents x 28 days each costs seconds that a short
    time limit does not have (the local search then does their work), and so are the second
    pass of filling idle days and the pricing of a variant that has nothing to be compared with."""
    best, best_score = [], np.inf
    # with integer stage-1 shifts (restricted MIP) shortening changes nothing: build once
    variants = (False,) if sel.mip_objective_cny is not None else (False, True)

    def late() -> bool:
        return until is not None and time.perf_counter() > until

    for k, shorten in enumerate(variants):
        if k and late():
            break
        chosen = greedy_roster(inst, sel.x, sel.cohorts, shorten=shorten)
        chosen = fill_gaps(inst, chosen, passes=1 if late() else 2)
        if not late():
            chosen = shed_overtime(inst, chosen)
        if not late():
            chosen = swap_for_efficiency(inst, chosen)
        chosen = relabel_temps(inst, chosen)
        if len(variants) == 1 or (k == 0 and late()):  # nothing to compare: skip pricing it
            return chosen
        score = priced(inst, chosen).score
        if score < best_score:
            best, best_score = chosen, score
    return best
