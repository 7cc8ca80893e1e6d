"""HiGHS helpers shared by stage-1 column generation, the restricted master, the day MIP and the
LP bound."""

from __future__ import annotations

import os
import sys

import highspy
import numpy as np
from scipy import sparse


def quiet_highs() -> highspy.Highs:
    """A Highs instance without the copyright banner its constructor prints to stdout, and with
    its log off."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    h.setOptionValue("output_flag", False)
    return h


def set_threads(h: highspy.Highs, threads: int) -> None:
    """Set HiGHS' thread count. HiGHS keeps one global task scheduler per process and refuses
    to run (status error, no solution) when a later instance asks for another thread count, so
    the scheduler is reset first."""
    highspy.Highs.resetGlobalScheduler(True)
    h.setOptionValue("threads", int(threads))


def highs_lp(cost: np.ndarray, col_lower: np.ndarray, col_upper: np.ndarray,
             row_lower: np.ndarray, row_upper: np.ndarray, a: sparse.spmatrix,
             integer: np.ndarray | None = None) -> highspy.HighsLp:
    """A HiGHS model min cost x, row_lower <= a x <= row_upper, col bounds; ``integer``: mask
    of integer columns (None: an LP)."""
    a = sparse.csc_matrix(a)
    m = highspy.HighsLp()
    m.num_col_, m.num_row_ = a.shape[1], a.shape[0]
    m.col_cost_ = np.asarray(cost, dtype=float)
    m.col_lower_, m.col_upper_ = np.asarray(col_lower), np.asarray(col_upper)
    m.row_lower_, m.row_upper_ = np.asarray(row_lower), np.asarray(row_upper)
    m.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    m.a_matrix_.start_, m.a_matrix_.index_, m.a_matrix_.value_ = a.indptr, a.indices, a.data
    m.a_matrix_.num_col_, m.a_matrix_.num_row_ = a.shape[1], a.shape[0]
    if integer is not None:
        m.integrality_ = [highspy.HighsVarType.kInteger if f else highspy.HighsVarType.kContinuous
                          for f in integer]
    return m
