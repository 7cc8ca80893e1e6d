"""Vectorised pricing helpers of the constructive roster (``construct.greedy``,
``construct.fill_gaps``): what a set of candidate shifts would cover, the overtime they project
and whether any demand near a day is unmet. Numbers only: no instance, no rules."""

from __future__ import annotations

import numpy as np


def shift_values(c, cols: np.ndarray, resid: np.ndarray,
                 per_minute: float) -> tuple[np.ndarray, np.ndarray]:
    """Per column of ``cols`` (type columns ``c``): agent-slots of positive residual demand it
    would cover, and agent-slots it covers at all, for an agent doing ``per_minute`` agents of
    work per on-duty minute (efficiency / interval minutes)."""
    ptr = c.duty.indptr
    starts, lens = ptr[cols], ptr[cols + 1] - ptr[cols]
    seg = np.concatenate(([0], np.cumsum(lens)[:-1]))
    at = np.repeat(starts - seg, lens) + np.arange(int(lens.sum()))
    work = per_minute * c.duty.data[at]
    avoided = np.minimum(np.maximum(resid[c.duty.indices[at]], 0.0), work)
    return np.add.reduceat(avoided, seg), np.add.reduceat(work, seg)


def projected_ot_many(min_w, contract, paid_w, pj, paid_range: tuple[float, float]
                      ) -> np.ndarray:
    """``projected_ot`` for many agents or shifts of one type at once (minutes; weekly minimum,
    contract, paid minutes so far this week and the shift's paid minutes, each an array or a
    number, broadcast), with the same arithmetic."""
    shortest, longest = paid_range

    def week_total(length: float) -> np.ndarray:
        need = np.maximum(0.0, min_w - paid_w - length)
        k = np.where(need > 0, np.ceil(need / longest - 1e-9), 0.0)
        return paid_w + length + np.maximum(need, k * shortest)

    return np.maximum(0.0, week_total(pj) - contract) - np.maximum(0.0, week_total(0.0) - contract)


def unmet_near(resid: np.ndarray, d: int, per_day: int) -> float:
    """Unmet agent-slots (positive residual demand) from day ``d - 1`` to day ``d + 1``: zero
    means no shift of day ``d`` can avoid any shortfall (a cheap test before pricing shifts)."""
    return float(np.clip(resid[max(0, (d - 1) * per_day):(d + 2) * per_day], 0, None).sum())
