"""Machine-readable acceptance specs of review findings and the tracking table.

A finding's acceptance is a *metric spec*: ``metric`` (see :data:`METRICS`), ``scope_kind`` ∈
``all, phase, hours, question_type, agent``, ``scope``, ``direction`` (``>=`` or ``<=``),
``before`` (measured on this review's actuals) and ``target``. Scopes:

- ``all``: ``""``; ``phase``: phase names joined by ``+`` (``peak+main``);
- ``hours``: ``HH:MM-HH:MM`` clock hours on every day (``24:00`` allowed; wraps past midnight),
  optionally preceded by phases and a space: ``deposit_payment+peak 20:00-02:00``;
- ``question_type``: types joined by ``;``; ``agent``: agent IDs joined by ``;``.

The same spec is evaluated on the next event's actuals (:func:`evaluate_spec`), so a review read
with ``--previous`` fills ``after`` and ``met`` of every earlier finding: the tracking table of one
review is the checklist of the next.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from scenarios.io import InputFileError, read_csv

#: metric -> (label, unit) with unit ``share`` (0–1, shown as %), ``s`` (seconds) or ``score``.
METRICS: dict[str, tuple[str, str]] = {
    metric: (label, unit)
    for metric, label, unit in (
        ("three_min_rate", "3-minute response rate 三分钟响应率", "share"),
        ("avg_response_s", "average response 平均响应", "s"),
        ("first_response_s", "first response 首次响应", "s"),
        ("handle_s", "handle time per chat", "s"),
        ("fcr", "first-contact resolution FCR", "share"),
        ("csat", "CSAT 满意度", "score"),
        ("conversion", "inquiry conversion 询单转化率", "share"),
        ("abandon_rate", "abandoned share", "share"),
        ("timeout_rate", "timeout share 超时", "share"),
        ("adherence", "attendance (logged in / scheduled)", "share"),
        ("wape", "forecast WAPE", "share"),
        ("bot_resolved_share", "bot-resolved share", "share"),
    )
}
SCOPE_KINDS = ("all", "phase", "hours", "question_type", "agent")
DIRECTIONS = (">=", "<=")
#: A finding's acceptance spec as columns of findings.csv and tracking.csv, with ``before`` = the
#: metric measured in the review that made the finding (unit per :data:`METRICS`).
SPEC_COLUMNS = ("metric", "scope_kind", "scope", "direction", "before", "target")
TRACKING_COLUMNS = ["finding_id", "finding", "owner", "deadline", *SPEC_COLUMNS, "after", "met"]
#: metrics computed as count ratios: metric -> (numerator column, denominator column).
_RATIOS = {"abandon_rate": ("abandoned_chats", "volume"),
           "timeout_rate": ("timeout_chats", "volume"), "adherence": ("logged_in", "scheduled")}


@dataclass(frozen=True)
class Measures:
    """What a review measured, for evaluating specs.

    ``intervals``: timestamp, phase, volume and the Actuals interval measures, plus ``forecast``,
    ``scheduled``, ``logged_in`` (agents) from the plan; ``question_types``: Actuals.question_types
    (+ phase); ``agents``: Actuals.agents."""

    intervals: pd.DataFrame
    question_types: pd.DataFrame
    agents: pd.DataFrame


@dataclass(frozen=True)
class Spec:
    """One acceptance spec (see the module docstring)."""

    metric: str
    scope_kind: str
    scope: str
    direction: str
    target: float


def _minutes(text: str) -> int:
    hh, mm = text.strip().split(":")
    value = int(hh) * 60 + int(mm)
    if not 0 <= value <= 24 * 60 or not 0 <= int(mm) < 60:
        raise ValueError(text)
    return value


def parse_hours(scope: str) -> tuple[list[str] | None, int, int]:
    """``[PHASES ]HH:MM-HH:MM`` -> (phases or None, start minute, end minute of the day)."""
    phases, _, hours = scope.strip().rpartition(" ")
    start, end = hours.split("-")
    return (phases.split("+") if phases else None), _minutes(start), _minutes(end)


def _scoped(frame: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    """Rows of ``frame`` in the spec's scope."""
    kind, scope = spec.scope_kind, spec.scope
    if kind == "all":
        return frame
    if kind == "phase":
        return frame[frame["phase"].astype(str).isin(scope.split("+"))]
    if kind == "hours":
        phases, start, end = parse_hours(scope)
        clock = frame["timestamp"].dt.hour * 60 + frame["timestamp"].dt.minute
        inside = (clock >= start) & (clock < end) if start < end else (clock >= start) | (
            clock < end)
        if phases is not None:
            inside &= frame["phase"].astype(str).isin(phases)
        return frame[inside]
    column = "question_type" if kind == "question_type" else "agent_id"
    return frame[frame[column].astype(str).isin(scope.split(";"))]


def evaluate_spec(spec: Spec, measures: Measures) -> float:
    """The spec's metric over its scope on ``measures`` (NaN when nothing is in scope or the
    measure is absent). Averages are weighted by volume (intervals, question types) or handled
    chats (agents); ratios are sums over sums; WAPE = Σ|forecast − volume| / Σ volume."""
    if spec.scope_kind == "agent":
        frame, weight = measures.agents, "handled_chats"
    elif spec.scope_kind == "question_type":
        frame, weight = measures.question_types, "volume"
    else:
        frame, weight = measures.intervals, "volume"
    part = _scoped(frame, spec)
    if part.empty:
        return float("nan")
    if spec.metric == "wape":
        if "forecast" not in part:
            return float("nan")
        ok = part["forecast"].notna() & part["volume"].notna()
        denominator = float(part.loc[ok, "volume"].sum())
        error = (part.loc[ok, "forecast"] - part.loc[ok, "volume"]).abs().sum()
        return float(error) / denominator if denominator > 0 else float("nan")
    if spec.metric in _RATIOS:
        num, den = _RATIOS[spec.metric]
        if num not in part or den not in part:
            return float("nan")
        ok = part[num].notna() & part[den].notna()
        denominator = float(part.loc[ok, den].sum())
        return float(part.loc[ok, num].sum()) / denominator if denominator > 0 else float("nan")
    if spec.metric not in part or weight not in part:
        return float("nan")
    v = part[spec.metric].to_numpy(dtype=float)
    w = part[weight].to_numpy(dtype=float)
    ok = np.isfinite(v) & np.isfinite(w) & (w > 0)
    return float(np.average(v[ok], weights=w[ok])) if ok.any() else float("nan")


def met(value: float, spec: Spec) -> str:
    """``yes``/``no`` whether ``value`` meets the target, ``""`` when not measured."""
    if value is None or not math.isfinite(value):
        return ""
    ok = value >= spec.target - 1e-12 if spec.direction == ">=" else value <= spec.target + 1e-12
    return "yes" if ok else "no"


def format_value(value: float, metric: str) -> str:
    """A measured value for people: shares in %, seconds as ``35 s``, scores with 2 decimals."""
    if value is None or not math.isfinite(value):
        return "n/a"
    unit = METRICS[metric][1]
    if unit == "share":
        text = f"{value * 100:.1f}".removesuffix(".0")
        return f"{text} %"
    if unit == "s":
        return f"{value:.0f} s" if value >= 10 else f"{value:.1f} s"
    return f"{value:.2f}"


def scope_text(scope_kind: str, scope: str) -> str:
    """The scope for people: ``all``, ``peak``, ``peak 00:00–02:00``, ``物流``, ``agents A, B``."""
    if scope_kind == "all":
        return "whole horizon"
    if scope_kind == "hours":
        return scope.replace("-", "–")
    if scope_kind == "agent":
        return "agents " + ", ".join(scope.split(";"))
    return scope.replace(";", ", ")


def acceptance_text(spec: Spec, before: float) -> str:
    """``物流 average response 35 s → ≤ 10 s`` / ``3-minute … peak 00:00–02:00 62 % → ≥ 95 %``."""
    label = METRICS[spec.metric][0]
    arrow = "≥" if spec.direction == ">=" else "≤"
    where = scope_text(spec.scope_kind, spec.scope)
    head = f"{where} {label}" if spec.scope_kind == "question_type" else f"{label}, {where}"
    return (f"{head}: {format_value(before, spec.metric)} → {arrow} "
            f"{format_value(spec.target, spec.metric)}")


def tracking_table(findings: pd.DataFrame) -> pd.DataFrame:
    """The tracking table of this review: one row per finding, ``after``/``met`` empty."""
    out = findings.rename(columns={"finding_id": "finding_id"}).copy()
    out["after"] = np.nan
    out["met"] = ""
    return out[TRACKING_COLUMNS].reset_index(drop=True)


def previous_tracking_path(previous: str | Path) -> Path:
    """``--previous``: a review directory (its tracking.csv) or a tracking CSV file."""
    path = Path(previous)
    return path / "tracking.csv" if path.is_dir() else path


def read_tracking(path: str | Path) -> pd.DataFrame:
    """Read and check a tracking CSV (one-line errors naming file, row and field; cell values
    are never echoed)."""
    path = Path(path)
    required = ("finding_id", "metric", "scope_kind", "scope", "direction", "target")
    frame = read_csv(path, required=required)
    name = path.name
    checks = (("metric", METRICS), ("scope_kind", SCOPE_KINDS), ("direction", DIRECTIONS))
    for field, allowed in checks:
        bad = ~frame[field].fillna("").str.strip().isin(list(allowed))
        if bad.any():
            i = int(bad.to_numpy().argmax())
            raise InputFileError(
                f"{name}: row {i + 2}, field '{field}': not one of {', '.join(allowed)}")
    for field in ("before", "target"):
        if field not in frame:
            continue
        values = pd.to_numeric(frame[field], errors="coerce")
        bad = ~np.isfinite(values.to_numpy(dtype=float))
        bad &= frame[field].notna().to_numpy() | (field == "target")
        if bad.any():
            i = int(bad.argmax())
            raise InputFileError(f"{name}: row {i + 2}, field '{field}': not a finite number")
        frame[field] = values
    hours = frame["scope_kind"].str.strip().eq("hours").to_numpy()
    for i in np.flatnonzero(hours):
        try:
            parse_hours(str(frame.at[i, "scope"]))
        except ValueError:
            raise InputFileError(
                f"{name}: row {i + 2}, field 'scope': not [PHASES ]HH:MM-HH:MM") from None
    frame["scope"] = frame["scope"].fillna("").astype(str)
    return frame


def evaluate_tracking(previous: pd.DataFrame, measures: Measures) -> pd.DataFrame:
    """Fill ``after`` (this review's measure of each previous finding's spec) and ``met``."""
    out = previous.copy()
    after, verdict = [], []
    for row in out.itertuples(index=False):
        spec = Spec(row.metric.strip(), row.scope_kind.strip(), row.scope, row.direction.strip(),
                    float(row.target))
        value = evaluate_spec(spec, measures)
        after.append(value)
        verdict.append(met(value, spec))
    out["after"] = after
    out["met"] = verdict
    cols = [c for c in TRACKING_COLUMNS if c in out.columns]
    return out[cols + [c for c in out.columns if c not in cols]]
