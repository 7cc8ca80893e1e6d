"""``scheduler.roster.lp.builder.LpBuilder``: labelled variable and row blocks, assembled in the
order added; a tiny LP solved through both of its outputs gives the hand-computed optimum."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

from scheduler.roster.lp.builder import LpBuilder


def _small() -> LpBuilder:
    """min 2a + 3b + 2.5s  s.t.  a + b + s = 4 (cover), a <= 1 (cap), b - s <= 2."""
    b = LpBuilder()
    b.add_vars("a", [2.0], upper=5)
    b.add_vars("b", [3.0])
    b.add_vars("short", [2.5])
    b.add_row("cover", np.concatenate([b.idx("a"), b.idx("b"), b.idx("short")]), 1.0, 4, 4)
    b.add_dict_rows("caps", [({int(b.idx("a")[0]): 1.0}, 1.0),
                             ({int(b.idx("b")[0]): 1.0, int(b.idx("short")[0]): -1.0}, 2.0)],
                    "<=")
    return b


def test_labels_address_blocks_added_in_several_parts():
    b = LpBuilder()
    first = b.add_vars("flow", [1.0, 2.0])
    b.add_vars("hires", [5.0])
    second = b.add_vars("flow", [3.0])
    assert b.idx("flow").tolist() == [*first.tolist(), *second.tolist()] == [0, 1, 3]
    assert b.idx("nothing").size == 0
    cost, lower, upper, integer = b.columns()
    assert cost.tolist() == [1.0, 2.0, 5.0, 3.0] and not integer.any()
    assert lower.tolist() == [0.0] * 4 and np.isinf(upper).all()


def test_ub_eq_keeps_the_order_of_each_kind_and_pads_early_rows():
    b = _small()
    b.add_vars("late", [0.0])  # added after the rows: their matrix is padded with zeros
    a_ub, b_ub, a_eq, b_eq = b.ub_eq()
    assert a_eq.toarray().tolist() == [[1, 1, 1, 0]] and b_eq.tolist() == [4]
    assert a_ub.toarray().tolist() == [[1, 0, 0, 0], [0, 1, -1, 0]] and b_ub.tolist() == [1, 2]
    assert b.row_count("caps") == 2 and b.row_count("cover") == 1


def test_both_outputs_solve_to_the_hand_optimum():
    """a = 1 (cheapest, capped), then s = 3 at 2.5 CNY beats b at 3: cost 2 + 7.5 = 9.5."""
    b = _small()
    cost, lower, upper, _ = b.columns()
    a_ub, b_ub, a_eq, b_eq = b.ub_eq()
    res = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq,
                  bounds=list(zip(lower, upper, strict=True)))
    assert res.status == 0 and res.fun == pytest.approx(9.5)
    a, lo, hi = b.ranged()
    assert a.shape == (3, 3) and lo.tolist()[0] == 4 and np.isneginf(lo[1:]).all()


def test_a_ranged_row_is_refused_by_ub_eq():
    b = LpBuilder()
    x = b.add_vars("x", [1.0])
    b.add_row("band", x, 1.0, lo=1.0, hi=2.0)
    with pytest.raises(ValueError, match="neither"):
        b.ub_eq()
    a, lo, hi = b.ranged()
    assert (lo.tolist(), hi.tolist()) == ([1.0], [2.0])
