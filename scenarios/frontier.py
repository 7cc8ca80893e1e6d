"""The cost–service frontier (issue 19, point 4): which runs are dominated, and the frontier table.

- :func:`mark_dominated` marks each point (row) that another point beats: costs no more (CNY)
  and serves at least as well (service level, 0..1), strictly better in one of the two.
- :func:`frontier_table` is one row per swept value, every figure taken unchanged from that run's
  ``summary.json``, with the dominance marks. A value whose roster the validator flags is marked,
  never silently kept: ``violations`` (count) and ``violated_rules`` (``rule count`` per rule,
  ``(accepted)`` after soft weekly minimums the scenario accepts); ``peakplan frontier`` then
  names it on stderr and exits 3 unless every violation is accepted (scenarios.violations).
  Such a value never dominates a legal one (it may itself be dominated).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

#: (column of frontier.csv, dotted key in summary.json), in file order after label/param/value.
FIGURE_KEYS: tuple[tuple[str, str], ...] = (
    ("wages_total_cny", "cost_cny.wages_total"),
    ("objective_cny", "cost_cny.objective_total"),
    ("shortfall_penalty_cny", "cost_cny.shortfall_penalty"),
    ("expected_service_level", "service.expected_service_level"),
    ("expected_three_min_rate", "service.expected_three_min_rate"),
    ("worst_interval_service_level", "service.worst_interval.expected_service_level"),
    ("share_intervals_under_target", "service.share_intervals_under_target"),
    ("short_agent_hours", "hours.short_agent_hours"),
    ("temporary_headcount", "headcount.temporary"),
    ("gap", "solver.gap"),
    ("violations", "validation.violations"),
)

#: Columns of frontier.csv, in order.
COLUMNS: tuple[str, ...] = (
    "label",
    "param",
    "value",
    *(name for name, _ in FIGURE_KEYS),
    "violated_rules",
    "dominated",
    "dominated_by",
    "run",
)


def mark_dominated(
    frame: pd.DataFrame,
    cost: str = "wages_total_cny",
    service: str = "expected_service_level",
    label: str = "label",
    can_dominate: np.ndarray | None = None,
) -> pd.DataFrame:
    """Return a copy of ``frame`` with bool column ``dominated`` and text column ``dominated_by``.

    Row *i* is dominated when some row *j* has ``cost_j <= cost_i`` and
    ``service_j >= service_i`` with at least one of the two strict. A row with a missing (NaN)
    cost or service neither dominates nor is dominated. ``can_dominate`` (bool per row, default
    all) lists the rows allowed to dominate: a roster that breaks labour rules is no better plan
    than a legal one however cheap it is, so :func:`frontier_table` passes False for those.
    ``dominated_by`` holds the ``label`` of the cheapest dominating row (ties: the
    better-serving, then the first), NaN when not dominated; without a ``label`` column the row
    index is used.
    """
    out = frame.copy()
    c = pd.to_numeric(out[cost], errors="coerce").to_numpy(dtype=float)
    s = pd.to_numeric(out[service], errors="coerce").to_numpy(dtype=float)
    valid = ~(np.isnan(c) | np.isnan(s))
    # beats[j, i]: row j dominates row i (comparisons with NaN are False).
    no_worse = (c[:, None] <= c[None, :]) & (s[:, None] >= s[None, :])
    strictly = (c[:, None] < c[None, :]) | (s[:, None] > s[None, :])
    allowed = np.ones(len(c), dtype=bool) if can_dominate is None else np.asarray(
        can_dominate, dtype=bool)
    beats = no_worse & strictly & (valid & allowed)[:, None] & valid[None, :]
    dominated = beats.any(axis=0)
    labels = out[label].astype(str).to_numpy() if label in out.columns else out.index.astype(str)
    by = np.full(len(out), np.nan, dtype=object)
    if dominated.any():
        # Rank dominators: cheapest first, then highest service, then first in the frame.
        order = np.lexsort((np.arange(len(c)), -np.nan_to_num(s), np.nan_to_num(c)))
        rank = np.empty(len(c), dtype=int)
        rank[order] = np.arange(len(c))
        ranked = np.where(beats, rank[:, None], len(c))
        best = ranked.argmin(axis=0)
        by[dominated] = np.asarray(labels, dtype=object)[best[dominated]]
    out["dominated"] = dominated.astype(bool)
    out["dominated_by"] = pd.Series(by, index=out.index, dtype=object)
    return out


def _dig(summary: dict, dotted: str) -> object:
    """The value at a dotted key of a summary dict; None when any part is missing."""
    node: object = summary
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def is_legal(validation: dict) -> bool:
    """True when the validator found nothing, or only soft rules the run accepted."""
    soft = set(validation.get("soft_rules") or ())
    return all(rule in soft for rule in (validation.get("by_rule") or {}))


def violated_rules(validation: dict) -> str:
    """``weekly_min_hours 4 (accepted); min_rest 1``: each violated rule and its count, soft
    rules the run accepted marked; empty when the roster passed the validator."""
    soft = set(validation.get("soft_rules") or ())
    return "; ".join(
        f"{rule} {count}" + (" (accepted)" if rule in soft else "")
        for rule, count in sorted((validation.get("by_rule") or {}).items())
    )


def frontier_table(
    param: str,
    values: Sequence[object],
    labels: Sequence[str],
    summaries: Sequence[dict],
) -> pd.DataFrame:
    """One row per swept value: figures straight from each run's summary, dominance marked.

    ``labels`` are the run sub-folder names in the sweep directory (also the ``run`` column).
    """
    rows, legal = [], []
    for value, label, summary in zip(values, labels, summaries, strict=True):
        legal.append(is_legal(summary.get("validation") or {}))
        row: dict[str, object] = {"label": label, "param": param, "value": value}
        for name, key in FIGURE_KEYS:
            row[name] = _dig(summary, key)
        row["violated_rules"] = violated_rules(summary.get("validation") or {})
        row["run"] = label
        rows.append(row)
    columns = [c for c in COLUMNS if c not in ("dominated", "dominated_by")]
    frame = pd.DataFrame(rows, columns=columns)
    return mark_dominated(frame, can_dominate=np.array(legal, dtype=bool))[list(COLUMNS)]
