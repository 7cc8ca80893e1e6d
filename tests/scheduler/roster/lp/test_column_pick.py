"""Extra candidate columns by reduced cost: ties with the k-th are spread, not the first ones."""

from __future__ import annotations

import numpy as np

from scheduler.roster.lp.column_selection import lowest_reduced_costs


def test_strictly_cheaper_columns_always_kept() -> None:
    idx = np.arange(10, 20)
    rc = np.zeros(30)
    rc[10:20] = [5.0, 4.0, 3.0, 2.0, 1.0, 0.5, 9.0, 8.0, 7.0, 6.0]
    got = lowest_reduced_costs(idx, rc, 3)
    assert sorted(got.tolist()) == [13, 14, 15]


def test_ties_spread_over_the_date() -> None:
    """Twelve columns at zero reduced cost (a degenerate LP), four to pick: first, last and two
    between, not columns 0-3 (which would all start at the same early hours)."""
    idx = np.arange(12)
    rc = np.zeros(12)
    got = sorted(lowest_reduced_costs(idx, rc, 4).tolist())
    assert got == [0, 4, 7, 11]


def test_ties_fill_after_the_cheaper_ones() -> None:
    idx = np.arange(8)
    rc = np.array([0.0, 0.0, -3.0, 0.0, 0.0, 0.0, 0.0, 2.0])
    got = sorted(lowest_reduced_costs(idx, rc, 3).tolist())
    assert 2 in got and 7 not in got and len(got) == 3
    assert got != [0, 1, 2]  # the two ties are not simply the first two


def test_fewer_columns_than_asked() -> None:
    idx = np.array([3, 5])
    assert lowest_reduced_costs(idx, np.arange(10.0), 12).tolist() == [3, 5]
