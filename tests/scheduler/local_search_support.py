"""Shared start of the local-search tests (test_best_response, test_parallel_search): the
prepared model of a problem with its greedy, gap-filled start roster, and a roster's price.

Named uniquely because tests/ has no __init__.py (pytest puts this folder on sys.path)."""

from __future__ import annotations

from scheduler.roster.extract import CostBreakdown, make_rows, price_roster
from scheduler.roster.greedy import fill_gaps, greedy_roster
from scheduler.roster.model import RosterModel
from scheduler.roster.roster_price import raw_shifts
from scheduler.roster.schema import RosterProblem
from scheduler.roster.solve import prepare_model, relabel_temps


def start_roster(p: RosterProblem) -> tuple[RosterModel, list[tuple[int, int]]]:
    """(model, start roster as (identity, column) pairs) of ``p``."""
    rm, _, sel = prepare_model(p)
    return rm, relabel_temps(rm, fill_gaps(rm, greedy_roster(rm, sel.x, sel.cohorts)))


def roster_cost(rm: RosterModel, chosen: list[tuple[int, int]]) -> CostBreakdown:
    """The priced roster (CNY) of the (identity, column) pairs ``chosen``."""
    return price_roster(rm.problem, make_rows(rm.problem, rm.hz, rm.cols, raw_shifts(rm, chosen)))
