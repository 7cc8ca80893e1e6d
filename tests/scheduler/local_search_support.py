"""Shared start of the local-search tests (test_best_response, test_parallel_search): the
prepared model of a problem with its greedy, gap-filled start roster, and a roster's price.

Named uniquely because tests/ has no __init__.py (pytest puts this folder on sys.path)."""

from __future__ import annotations

from scheduler.roster.construct.fill_gaps import fill_gaps
from scheduler.roster.construct.greedy import greedy_roster
from scheduler.roster.instance.instance import Instance
from scheduler.roster.pricing.compare import raw_shifts
from scheduler.roster.pricing.roster_rows import CostBreakdown, make_rows, price_roster
from scheduler.roster.schema import RosterProblem
from scheduler.roster.solve import prepare_instance, relabel_temps


def start_roster(p: RosterProblem) -> tuple[Instance, list[tuple[int, int]]]:
    """(model, start roster as (identity, column) pairs) of ``p``."""
    inst, _, sel = prepare_instance(p)
    return inst, relabel_temps(inst, fill_gaps(inst, greedy_roster(inst, sel.x, sel.cohorts)))


def roster_cost(inst: Instance, chosen: list[tuple[int, int]]) -> CostBreakdown:
    """The priced roster (CNY) of the (identity, column) pairs ``chosen``."""
    rows = make_rows(inst.problem, inst.hz, inst.cols, raw_shifts(inst, chosen))
    return price_roster(inst.problem, rows)
