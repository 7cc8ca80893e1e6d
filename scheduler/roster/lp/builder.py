"""``LpBuilder``: an LP / MIP in labelled blocks of variables and rows (linopy style).

One builder serves the two anonymous LPs of the roster engine: the stage-1 column-selection LP
(``lp/column_selection.py``) and the independent lower bound (``checks/lower_bound.py``). They
are different models on purpose (the bound aggregates agents into classes, places meals on
coverage breakpoints and counts temporaries at their best efficiency, so that it is a valid
relaxation of *every* roster; stage 1 works on the solver's own shift columns, temp cohorts
and efficiency ramp, to pick the columns CP-SAT gets), but they are written the same way: a
variable block is declared under a label and addressed by it (``idx("hires")``), never by
offset arithmetic, and every row belongs to a labelled row block. The builder holds no rule
of any model, so sharing it does not make the bound depend on the solver's modelling.

Rows are ranged, ``lo <= a x <= hi`` (``-inf`` / ``inf`` for a missing side); ``ub_eq()``
splits them for the ``A_ub x <= b_ub, A_eq x = b_eq`` form in the original row order of each
kind. Blocks may be added under one label several times (their indices are concatenated).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

INF = np.inf


@dataclass
class _RowBlock:
    """Rows as triplets (row within the block, variable, coefficient) and their bounds."""

    label: str
    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray
    lo: np.ndarray
    hi: np.ndarray


@dataclass
class LpBuilder:
    """Variables and rows of one model, in labelled blocks."""

    cost: list[np.ndarray] = field(default_factory=list)
    lower: list[np.ndarray] = field(default_factory=list)
    upper: list[np.ndarray] = field(default_factory=list)
    integer: list[np.ndarray] = field(default_factory=list)
    var_blocks: dict[str, list[np.ndarray]] = field(default_factory=dict)
    row_blocks: list[_RowBlock] = field(default_factory=list)
    n_vars: int = 0

    # -- variables ------------------------------------------------------------------------
    def add_vars(self, label: str, cost, upper=INF, lower=0.0,
                 integer: bool = False) -> np.ndarray:
        """A block of ``len(cost)`` variables under ``label``; returns their indices."""
        cost = np.atleast_1d(np.asarray(cost, dtype=float))
        n = cost.size
        idx = np.arange(self.n_vars, self.n_vars + n)
        self.cost.append(cost)
        self.lower.append(np.broadcast_to(np.asarray(lower, dtype=float), n).copy())
        self.upper.append(np.broadcast_to(np.asarray(upper, dtype=float), n).copy())
        self.integer.append(np.full(n, integer))
        self.var_blocks.setdefault(label, []).append(idx)
        self.n_vars += n
        return idx

    def idx(self, label: str) -> np.ndarray:
        """Indices of every variable added under ``label`` (empty if none)."""
        parts = self.var_blocks.get(label, [])
        return np.concatenate(parts) if parts else np.zeros(0, dtype=int)

    # -- rows -----------------------------------------------------------------------------
    def add_rows(self, label: str, rows, cols, vals, lo, hi, n_rows: int) -> None:
        """``n_rows`` rows given as triplets (row within the block, variable, coefficient);
        ``lo`` / ``hi``: one value or one per row."""
        self.row_blocks.append(_RowBlock(
            label, np.asarray(rows, dtype=int), np.asarray(cols, dtype=int),
            np.asarray(vals, dtype=float), np.broadcast_to(np.asarray(lo, float), n_rows).copy(),
            np.broadcast_to(np.asarray(hi, float), n_rows).copy()))

    def add_row(self, label: str, cols, vals, lo: float = -INF, hi: float = INF) -> None:
        """One row ``lo <= sum vals * x[cols] <= hi`` (``vals``: one value or one per col)."""
        cols = np.atleast_1d(np.asarray(cols, dtype=int))
        vals = np.broadcast_to(np.asarray(vals, dtype=float), cols.shape)
        self.add_rows(label, np.zeros(cols.size, dtype=int), cols, vals, lo, hi, 1)

    def add_dict_rows(self, label: str, rows: list[tuple[dict[int, float], float]],
                      sense: str | list[str]) -> None:
        """Rows ``({variable: coefficient}, rhs)`` with ``sense`` "<=" or "==" (one for all
        rows, or one per row)."""
        if not rows:
            return
        r, c, v = [], [], []
        for i, (row, _) in enumerate(rows):
            r.extend([i] * len(row))
            c.extend(row.keys())
            v.extend(row.values())
        rhs = np.asarray([b for _, b in rows], dtype=float)
        eq = np.asarray([sense] * len(rows) if isinstance(sense, str) else sense) == "=="
        self.add_rows(label, r, c, v, np.where(eq, rhs, -INF), rhs, len(rows))

    def add_matrix(self, label: str, a: sparse.spmatrix, lo, hi) -> None:
        """Rows ``lo <= a x <= hi`` with ``a`` over the variables added so far (or fewer)."""
        a = sparse.coo_matrix(a)
        self.add_rows(label, a.row, a.col, a.data, lo, hi, a.shape[0])

    def row_count(self, label: str) -> int:
        return sum(b.lo.size for b in self.row_blocks if b.label == label)

    # -- assembly -------------------------------------------------------------------------
    def _matrix(self) -> sparse.csr_matrix:
        """Every row block stacked in the order added (duplicates summed)."""
        if not self.row_blocks:
            return sparse.csr_matrix((0, self.n_vars))
        sizes = np.asarray([b.lo.size for b in self.row_blocks])
        first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        rows = np.concatenate([b.rows + f for b, f in zip(self.row_blocks, first, strict=True)])
        cols = np.concatenate([b.cols for b in self.row_blocks])
        vals = np.concatenate([b.vals for b in self.row_blocks])
        return sparse.csr_matrix((vals, (rows, cols)), shape=(int(sizes.sum()), self.n_vars))

    def columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(cost, lower, upper, integer mask), one entry per variable."""
        def cat(parts: list[np.ndarray], dtype) -> np.ndarray:
            return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)
        return (cat(self.cost, float), cat(self.lower, float), cat(self.upper, float),
                cat(self.integer, bool))

    def ranged(self) -> tuple[sparse.csc_matrix, np.ndarray, np.ndarray]:
        """(A, row_lo, row_hi) of every row in the order added; A column-wise, canonical."""
        a = self._matrix().tocsc()
        a.sum_duplicates()
        a.sort_indices()
        return a, self._bounds("lo"), self._bounds("hi")

    def _bounds(self, side: str) -> np.ndarray:
        parts = [getattr(b, side) for b in self.row_blocks]
        return np.concatenate(parts) if parts else np.zeros(0)

    def ub_eq(self) -> tuple[sparse.csc_matrix, np.ndarray, sparse.csc_matrix, np.ndarray]:
        """(A_ub, b_ub, A_eq, b_eq): "<=" rows (``lo`` = -inf) and "==" rows (``lo == hi``),
        each in the order added; other ranged rows are refused."""
        a, lo, hi = self._matrix(), self._bounds("lo"), self._bounds("hi")
        eq = lo == hi
        ub = np.isneginf(lo) & ~eq
        if not (eq | ub).all():
            raise ValueError("ub_eq(): a row is neither '<=' nor '=='")
        a_ub, a_eq = a[np.flatnonzero(ub)].tocsc(), a[np.flatnonzero(eq)].tocsc()
        for m in (a_ub, a_eq):
            m.sum_duplicates()
            m.sort_indices()
        return a_ub, hi[ub], a_eq, hi[eq]
