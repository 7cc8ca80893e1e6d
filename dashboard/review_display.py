"""The Review page's tables for people: identifiers in cells replaced by their display names
(phases, attribution parts, causes, agent types, finding categories, metrics), the finding
sentences and acceptance targets in the chosen language, and the column headers
(``st.column_config``). The files themselves are never changed (the download stays byte for byte).

The review CLI writes its finding sentences in English (``scenarios/review/findings.py``); they
are recognised by their fixed patterns and rebuilt from ``dashboard/texts/review_names.py``. A
sentence of another form is shown as written (text a user typed stays as is).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard.i18n import TEXTS, agent_type_name, event_name, lang, phase_name, t
from dashboard.review_data import PARTS
from scenarios.review.tracking import SPEC_COLUMNS

_CJK = re.compile(r"[\u3400-\u9fff]")
PERCENT_COLUMNS = frozenset({
    "three_min_rate", "target", "miss", "share", "bot_resolved_share", "fcr", "conversion",
    "ordinary_bot_resolved_share", "wape", "bias", "peak_hour_error", "inside_80_rate",
})  # fmt: skip
TIME_COLUMNS = frozenset({"timestamp", "start", "end", "peak_timestamp"})
TIME = "YYYY-MM-DD HH:mm"


def name(prefix: str, ident: object) -> str:
    """``t(f"{prefix}.{ident}")`` when the table has it, else ``ident`` as written."""
    key = f"{prefix}.{ident}"
    return t(key) if key in TEXTS else str(ident)


def phases(value: object) -> str:
    """Phases joined by ``+`` (``peak+main``) by their display names; ``all`` translated."""
    text = str(value)
    if text.lower() == "all":
        return t("review.phase.all")
    return "+".join(phase_name(p) for p in text.split("+")) if text else text


def part_name(part: object) -> str:
    """Attribution part or cause (``volume_error``) display name (排班不足 / schedule)."""
    return name("review.part", part)


def owner_name(owner: object) -> str:
    """``排班/WFM planner`` → ``排班`` (zh) or ``WFM planner`` (en); other owners as written."""
    text = str(owner)
    left, sep, right = text.partition("/")
    if sep and _CJK.search(left) and not _CJK.search(right):
        return left.strip() if lang() == "zh" else right.strip()
    return text


def scope_name(kind: object, scope: object) -> str:
    """A finding's scope for people: ``峰值 00:00–02:00``, ``客服 A, B``, ``整个周期``."""
    kind, text = str(kind), str(scope)
    if kind == "all":
        return t("review.scope.all")
    if kind == "agent":
        return t("review.scope.agents", ids=", ".join(text.split(";")))
    if kind == "phase":
        return phases(text)
    if kind == "hours":
        head, _, hours = text.rpartition(" ")
        return f"{phases(head)} {hours.replace('-', '–')}".strip()
    return text.replace(";", ", ")


def measure(value: object, metric: object) -> str:
    """A metric's value: shares in %, seconds as ``35 秒``/``35 s``, scores with 2 decimals."""
    if value is None or isinstance(value, str) or not math.isfinite(float(value)):  # type: ignore[arg-type]
        return t("review.na")
    value = float(value)  # type: ignore[arg-type]
    if str(metric) in ("avg_response_s", "first_response_s", "handle_s"):
        return t("review.unit.s", value=f"{value:.0f}" if value >= 10 else f"{value:.1f}")
    if str(metric) == "csat":
        return f"{value:.2f}"
    return f"{value * 100:.1f}".removesuffix(".0") + "%"


def acceptance(row: pd.Series) -> str:
    """The acceptance target of a finding row, rebuilt from its spec columns."""
    metric = name("review.metric", row["metric"])
    scope = scope_name(row["scope_kind"], row["scope"])
    key = "review.acceptance_head_type" if row["scope_kind"] == "question_type" else \
        "review.acceptance_head"  # fmt: skip
    arrow = "≥" if row["direction"] == ">=" else "≤"
    return t("review.acceptance", head=t(key, metric=metric, scope=scope), arrow=arrow,
             before=measure(row["before"], row["metric"]),
             target=measure(row["target"], row["metric"]))  # fmt: skip


_HEADLINES = {
    "Roster short of what the actual demand needed (budget/headcount)": "schedule",
    "Forecast missed the volume": "forecast",
    "Chats took longer than planned": "handle_time",
    "Scheduled agents not logged in (attendance)": "execution",
}
_SENTENCES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"^(?P<head>.+); worst (?P<where>.+) \((?P<phase>[\w+]+)\)$"),
     lambda m: t("review.finding.worst", where=m["where"], phase=phases(m["phase"]),
                 head=t(f"review.finding.{_HEADLINES[m['head']]}")
                 if m["head"] in _HEADLINES else m["head"])),
    (re.compile(r"^(?P<qtype>.+): responses (?P<s>\d+) s slower than on ordinary days "
                r"\(largest response-time miss\)$"),
     lambda m: t("review.finding.slow_type", qtype=m["qtype"], seconds=m["s"])),
    (re.compile(r"^(?P<qtype>.+): the bot resolved (?P<p>\d+) points less than on ordinary days$"),
     lambda m: t("review.finding.bot", qtype=m["qtype"], points=m["p"])),
    (re.compile(r"^Slowest agents: (?P<ids>.+)$"),
     lambda m: t("review.finding.slowest", ids=m["ids"])),
    (re.compile(r"^CSAT outliers \(low\): (?P<ids>.+)$"),
     lambda m: t("review.finding.csat_low", ids=m["ids"])),
)  # fmt: skip


def finding_text(text: object) -> str:
    """A finding sentence of the review CLI in the chosen language; others as written."""
    sentence = str(text)
    for pattern, build in _SENTENCES:
        match = pattern.match(sentence)
        if match:
            return build(match)
    return sentence


def _cells(frame: pd.DataFrame, column: str, func: Callable[[object], str]) -> None:
    frame[column] = [func(v) if isinstance(v, str) and v != "" else v for v in frame[column]]


def localise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a review table with the identifiers in its cells shown by display name."""
    out = frame.copy()
    simple: dict[str, Callable[[object], str]] = {
        "phase": phases, "main_cause": part_name, "agent_type": agent_type_name,
        "event": event_name, "flag": lambda v: name("review.flag", v),
        "category": lambda v: name("review.category", v), "owner": owner_name,
        "deadline_class": lambda v: name("review.deadline", v), "finding": finding_text,
        "met": lambda v: name("review.met", v),
    }  # fmt: skip
    for column, func in simple.items():
        if column in out.columns:
            _cells(out, column, func)
    if set(SPEC_COLUMNS) <= set(out.columns):
        if "acceptance" in out.columns:
            out["acceptance"] = [acceptance(row) for _, row in out.iterrows()]
        out["scope"] = [scope_name(k, s) for k, s in zip(out["scope_kind"], out["scope"],
                                                         strict=True)]  # fmt: skip
        for column in ("before", "target", "after"):
            if column in out.columns:
                out[column] = [measure(v, m) for v, m in zip(out[column], out["metric"],
                                                             strict=True)]  # fmt: skip
        out = out.drop(columns="scope_kind")
    if "metric" in out.columns:
        _cells(out, "metric", lambda v: name("review.metric", v))
    return out


def columns(frame: pd.DataFrame, parts: bool = False) -> dict[str, object]:
    """``column_config`` for every column of ``frame``: translated headers, percentages,
    times; ``parts`` for attribution.csv rows (the parts, ``predicted`` and ``actual`` are
    shares 0–1 there, and ``volume`` is the forecast-error part, not inquiries)."""
    config: dict[str, object] = {}
    for column in frame.columns:
        key = str(column)
        part = parts and key in PARTS
        label = part_name(key) if part else name("review.col", key)
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        share = key in PERCENT_COLUMNS or part or (parts and key in ("predicted", "actual"))
        if key in TIME_COLUMNS:
            config[key] = st.column_config.DatetimeColumn(label, format=TIME)
        elif key == "impact_cny" and numeric:
            config[key] = st.column_config.NumberColumn(label, format="¥%.0f")
        elif share and numeric:
            config[key] = st.column_config.NumberColumn(label, format="percent")
        elif key in ("agent_id", "finding_id", "name"):
            config[key] = st.column_config.TextColumn(label)
        else:
            config[key] = st.column_config.Column(label)
    return config
