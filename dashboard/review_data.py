"""Read a ``peakplan review`` output directory into typed pandas frames (no Streamlit here).

Layout (issue 18 shared contract): ``review.json`` (summary; required) and the tables
``variance_intervals.csv``, ``variance_phases.csv``, ``attribution.csv``, ``breakdown_slots.csv``,
``breakdown_types.csv``, ``breakdown_agents.csv``, ``findings.csv``, ``tracking.csv``,
``events_suggested.csv`` and, with ``--previous``, ``tracking_previous.csv`` (each optional
here: a partial review shows what it has and names what is missing). The dashboard only
reads these files; it never recomputes the review.

Units: volumes are inquiries per interval (count), agents are agents on duty, response times are
seconds, rates and attribution parts are shares 0–1 of the interval's inquiries, costs are CNY.
Timestamps are naive local wall-clock times (interval starts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dashboard.data import (
    RunDirError,
    _read_csv,
    _read_summary,
    _to_number,
    files_fingerprint,
    find_dirs,
    parse_local_times,
)
from forecast.columns import UPLIFT
from scenarios.review.attribution import PARTS  # shares 0–1 of inquiries; they sum to ``miss``
from scenarios.review.learning import SUGGESTED_COLUMNS

REVIEW_FILE = "review.json"
TRACKING_FILE = "tracking.csv"


@dataclass(frozen=True)
class TableSpec:
    """Columns a review table must have, which are times, numbers and text (kept as str)."""

    required: tuple[str, ...]
    times: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    text: tuple[str, ...] = ()


TABLES: dict[str, TableSpec] = {
    "variance_intervals.csv": TableSpec(
        ("timestamp", "forecast", "actual"),
        ("timestamp",),
        (
            "forecast",
            "actual",
            "error",
            "abs_error",
            "lower_80",
            "upper_80",
            "scheduled",
            "logged_in",
            "gap",
            "adherence",
        ),
        ("phase",),
    ),  # fmt: skip
    "variance_phases.csv": TableSpec(
        ("phase", "forecast", "actual"),
        numbers=(
            "intervals",
            "forecast",
            "actual",
            "wape",
            "bias",
            "peak_hour_error",
            "inside_80_rate",
        ),
        text=("phase",),
    ),  # fmt: skip
    "attribution.csv": TableSpec(
        ("timestamp", "target", "predicted", "actual", "miss", *PARTS),
        ("timestamp",),
        ("target", "predicted", "actual", "miss", *PARTS, "lost_inquiries"),
        ("phase",),
    ),
    "breakdown_slots.csv": TableSpec(
        ("start", "end"), ("start", "end"), ("three_min_rate", "target", "miss", "volume")
    ),
    "breakdown_types.csv": TableSpec(("question_type", "volume"), text=("question_type",)),
    "breakdown_agents.csv": TableSpec(
        ("agent_id",),
        numbers=("handled_chats", "avg_response_s", "csat"),
        text=("agent_id", "name", "agent_type", "flag"),
    ),  # fmt: skip
    "findings.csv": TableSpec(("finding",), numbers=("rank",), text=("finding",)),
    TRACKING_FILE: TableSpec(("finding",), text=("finding_id", "finding")),
    "tracking_previous.csv": TableSpec(("finding",), text=("finding_id", "finding")),
    "events_suggested.csv": TableSpec(tuple(SUGGESTED_COLUMNS), ("start", "end"), (UPLIFT,)),
}


EXTRA_TABLES = frozenset({"tracking_previous.csv"})
"""Tables only some reviews write (``--previous``): never listed as missing."""


class ReviewDirError(ValueError):
    """A review directory is missing, has no review.json or a malformed file. One line."""


@dataclass(frozen=True)
class ReviewData:
    """Everything the Review page shows for one review directory."""

    path: Path
    summary: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    tracking_bytes: bytes | None = field(default=None, repr=False)
    missing: tuple[str, ...] = ()

    def table(self, name: str) -> pd.DataFrame | None:
        """The parsed ``name`` (e.g. ``"findings.csv"``), or None if the file is absent."""
        return self.tables.get(name)


def review_fingerprint(path: str | Path) -> tuple[tuple[str, float], ...]:
    """(file name, mtime) of the review files present: a cache key that changes on rewrite."""
    return files_fingerprint(path, (REVIEW_FILE, *TABLES))


def list_reviews(root: str | Path) -> list[Path]:
    """Review directories (containing ``review.json``) directly or one level below ``root``,
    newest first; hidden directories (a review being staged or replaced) are skipped."""
    return find_dirs(root, REVIEW_FILE)


def load_review(path: str | Path) -> ReviewData:
    """Load and validate a review directory.

    Raises :class:`ReviewDirError` when the directory or ``review.json`` is absent, or naming the
    file, row and field of the first malformed value. Absent tables are listed in ``missing``.
    """
    base = Path(path)
    if not base.exists():
        raise ReviewDirError(f"{base}: review directory does not exist")
    if not base.is_dir():
        raise ReviewDirError(f"{base}: not a directory")
    if not (base / REVIEW_FILE).is_file():
        raise ReviewDirError(
            f"{base}: missing {REVIEW_FILE} (expected a `peakplan review --run RUN "
            "--actuals DIR --out DIR` output)"
        )
    summary = _read_summary(base / REVIEW_FILE, ReviewDirError)
    tables: dict[str, pd.DataFrame] = {}
    missing = []
    for name, spec in TABLES.items():
        file = base / name
        if file.is_file():
            tables[name] = _read_table(file, spec)
        elif name not in EXTRA_TABLES:
            missing.append(name)
    tracking = base / TRACKING_FILE
    return ReviewData(
        path=base,
        summary=summary,
        tables=tables,
        tracking_bytes=tracking.read_bytes() if tracking.is_file() else None,
        missing=tuple(missing),
    )


def _read_table(file: Path, spec: TableSpec) -> pd.DataFrame:
    try:
        frame = _read_csv(file, dtype=dict.fromkeys(spec.text, str))
        absent = [c for c in spec.required if c not in frame.columns]
        if absent:
            names = ", ".join(f"'{c}'" for c in absent)
            raise ReviewDirError(f"{file.name}: missing column(s) {names}")
        for col in spec.times:
            if col in frame.columns:
                frame[col] = parse_local_times(frame[col], file.name, col)
        for col in spec.numbers:
            if col in frame.columns:
                frame[col] = _to_number(frame[col], file.name, col)
    except RunDirError as exc:
        raise ReviewDirError(str(exc)) from None
    for col in spec.text:
        if col in frame.columns:
            frame[col] = frame[col].fillna("")
    return frame


# ------------------------------------------------------------------------ derived views


def section(summary: dict[str, Any], *keys: str) -> dict[str, Any]:
    """The first of ``keys`` in ``summary`` that holds an object (else ``{}``)."""
    for key in keys:
        value = summary.get(key)
        if isinstance(value, dict):
            return value
    return {}


def number(value: Any) -> float | None:
    """``value`` as a finite float, or None (bools, text, NaN and missing are None)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if np.isfinite(value) else None


def attribution_totals(review: ReviewData) -> dict[str, float] | None:
    """Review-wide 3-minute-rate ``target``, ``predicted``, ``actual``, ``miss`` and its parts
    (shares 0–1), averaged over the intervals of ``attribution.csv`` weighted by inquiries: its
    ``human_volume`` column, else the actual volume of ``variance_intervals.csv`` when that
    covers the same intervals, else equally.

    ``miss`` and the parts come from ``review.json`` instead when its ``attribution`` object has
    all of them (``miss_points`` or ``miss``; the parts under ``points``/``totals`` or at its top
    level). None when neither source has them.
    """
    block = section(review.summary, "attribution", "attribution_totals")
    parts = section(block, "points", "totals") or block
    from_json = {p: number(parts.get(p)) for p in PARTS}
    from_json["miss"] = number(block.get("miss_points", block.get("miss", parts.get("miss"))))
    out: dict[str, float] = {}
    attr = review.table("attribution.csv")
    if attr is not None and not attr.empty:
        weights = _weights(attr, review.table("variance_intervals.csv"))
        cols = ["target", "predicted", "actual", "miss", *PARTS]
        totals = attr[cols].mul(weights, axis=0).sum() / weights.sum()
        out = {k: float(totals[k]) for k in cols}
    if all(v is not None for v in from_json.values()):
        out.update({k: float(v) for k, v in from_json.items() if v is not None})
    return out or None


def _weights(attr: pd.DataFrame, var: pd.DataFrame | None) -> pd.Series:
    """Inquiries per attribution row (see :func:`attribution_totals`)."""
    if "human_volume" in attr.columns:
        human = pd.to_numeric(attr["human_volume"], errors="coerce")
        if human.notna().all() and human.sum() > 0:
            return human.astype(float)
    if var is not None and not var.empty:
        actual = attr["timestamp"].map(var.drop_duplicates("timestamp").set_index("timestamp")
                                       ["actual"])  # fmt: skip
        if actual.notna().all() and actual.sum() > 0:
            return actual.astype(float)
    return pd.Series(1.0, index=attr.index)


def headline(review: ReviewData) -> dict[str, float | None]:
    """Review-wide ``wape``, ``bias`` (shares, volume forecast), ``three_min_rate`` and its
    ``target`` (shares), ``lost_inquiries`` (count) and ``lost_cny`` (CNY): from ``review.json``
    ``totals`` where present, else from the ``all`` row of ``variance_phases.csv`` and
    :func:`attribution_totals`. None where no source has the value."""
    totals = section(review.summary, "totals")
    overall = overall_phase_row(review)
    attr_totals = attribution_totals(review) or {}
    attr = review.table("attribution.csv")

    def pick(key: str, *fallbacks: float | None) -> float | None:
        value = number(totals.get(key))
        return value if value is not None else next((f for f in fallbacks if f is not None), None)

    lost = None
    if attr is not None and "lost_inquiries" in attr.columns:
        lost = float(attr["lost_inquiries"].sum())
    return {
        "wape": pick("wape", None if overall is None else number(overall.get("wape"))),
        "bias": pick("bias", None if overall is None else number(overall.get("bias"))),
        "three_min_rate": pick("three_min_rate", attr_totals.get("actual")),
        "target": pick("target_three_min_rate", attr_totals.get("target")),
        "lost_inquiries": pick("lost_inquiries", lost),
        "lost_cny": pick("lost_cny"),
    }


def overall_phase_row(review: ReviewData) -> pd.Series | None:
    """The ``all`` row of ``variance_phases.csv`` (forecast accuracy over the whole review)."""
    phases = review.table("variance_phases.csv")
    if phases is None:
        return None
    hit = phases.loc[phases["phase"].astype(str).str.lower() == "all"]
    return None if hit.empty else hit.iloc[0]
