"""Ranked findings of a post-event review, each with impact, difficulty, owner, deadline and a
quantified, machine-readable acceptance (scenarios/review/tracking.py).

Impact: ``lost_inquiries`` (answered late or abandoned, count) attributed to the finding;
``impact_points`` = 100 × lost / all inquiries (points of the event's 3-minute rate);
``impact_cny`` = lost × the scenario's value of an answered inquiry (CNY).
Difficulty by cause: execution/attendance and coaching 1, handle time, knowledge base, bot and
forecast 2, schedule shortfall (budget, headcount) 3. ``priority = impact_cny × (4 − difficulty)``
(impact × ease). Deadline class by difficulty: 2 days / 1 week / 2 weeks from the review date.
Findings overlap (a slow question type's lost inquiries are also in some cause's total): the
ranking says where to look first, the impacts are not to be added up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from scenarios.review.breakdowns import CAUSES, lost_by_cause, slot_label
from scenarios.review.tracking import SPEC_COLUMNS, Measures, Spec, acceptance_text, evaluate_spec

FINDING_COLUMNS = [
    "finding_id", "rank", "finding", "category", "lost_inquiries", "impact_points", "impact_cny",
    "difficulty", "priority", "owner", "deadline_class", "deadline", *SPEC_COLUMNS, "acceptance",
]
WFM = "排班/WFM planner"
QA = "培训/QA lead"
FLOOR = "现场主管/floor supervisor"
BOT = "知识库/bot owner"
LOGISTICS = "物流对接/logistics liaison"
DEADLINES = {1: ("2 days", 2), 2: ("1 week", 7), 3: ("2 weeks", 14)}
#: Attendance target (logged in / scheduled, share) for an execution finding.
ADHERENCE_TARGET = 0.97
#: Forecast WAPE target (share) for a volume finding (0.05 when already below).
WAPE_TARGET = 0.10
#: A bot-resolved share this much below ordinary days (share) is a finding.
BOT_DROP = 0.05
#: cause -> (category, difficulty, owner, headline)
CAUSE_INFO = {
    "schedule": ("schedule", 3, WFM,
                 "Roster short of what the actual demand needed (budget/headcount)"),
    "volume_error": ("forecast", 2, WFM, "Forecast missed the volume"),
    "handle_time": ("handle_time", 2, QA, "Chats took longer than planned"),
    "execution": ("execution", 1, FLOOR, "Scheduled agents not logged in (attendance)"),
}


@dataclass(frozen=True)
class Context:
    """What findings need besides the tables: ``target`` 3-minute rate (share),
    ``value_cny`` per answered inquiry, ``planned_handle_s`` (seconds a chat occupies a slot),
    ``review_date`` (deadlines count from it)."""

    target: float
    value_cny: float
    planned_handle_s: float
    review_date: date


def hours_scope(start: str, end: str, phase: str) -> tuple[str, str]:
    """(scope_kind, scope) of a slot: its clock hours within its phases, or its phases when it
    lasts a whole day or more."""
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    if e - s >= pd.Timedelta(days=1):
        return "phase", phase
    end_clock = "24:00" if e.normalize() == e and e > s else f"{e:%H:%M}"
    return "hours", f"{phase} {s:%H:%M}-{end_clock}"


def _row(ctx: Context, measures: Measures, spec: Spec, *, finding: str, category: str,
         lost: float, difficulty: int, owner: str, total_volume: float) -> dict:
    before = evaluate_spec(spec, measures)
    deadline_class, days = DEADLINES[difficulty]
    impact_cny = lost * ctx.value_cny
    return {
        "finding": finding, "category": category, "lost_inquiries": round(lost, 1),
        "impact_points": round(100 * lost / total_volume, 3) if total_volume > 0 else 0.0,
        "impact_cny": round(impact_cny, 2), "difficulty": difficulty,
        "priority": round(impact_cny * (4 - difficulty), 2), "owner": owner,
        "deadline_class": deadline_class,
        "deadline": (ctx.review_date + timedelta(days=days)).isoformat(),
        "metric": spec.metric, "scope_kind": spec.scope_kind, "scope": spec.scope,
        "direction": spec.direction, "before": round(before, 4) if math.isfinite(before) else None,
        "target": round(spec.target, 4), "acceptance": acceptance_text(spec, before),
    }


def cause_findings(table: pd.DataFrame, slots: pd.DataFrame, measures: Measures,
                   ctx: Context) -> list[dict]:
    """One finding per attribution cause that lost inquiries, scoped to the slot where that
    cause lost most."""
    if slots.empty:
        return []
    total_volume = float(table["volume"].sum())
    lost = lost_by_cause(table).sum()
    rows = []
    for cause in CAUSES:
        if cause not in CAUSE_INFO or lost[f"lost_{cause}"] < 1:
            continue
        category, difficulty, owner, headline = CAUSE_INFO[cause]
        worst = slots.loc[slots[f"lost_{cause}"].idxmax()]
        kind, scope = hours_scope(worst["start"], worst["end"], worst["phase"])
        where = slot_label(worst["start"], worst["end"])
        if cause == "schedule":
            spec = Spec("three_min_rate", kind, scope, ">=", ctx.target)
        elif cause == "execution":
            spec = Spec("adherence", kind, scope, ">=", ADHERENCE_TARGET)
        elif cause == "handle_time" and measures.intervals.get("handle_s") is not None \
                and measures.intervals["handle_s"].notna().any():
            spec = Spec("handle_s", kind, scope, "<=", round(ctx.planned_handle_s, 1))
        elif cause == "handle_time":
            spec = Spec("three_min_rate", kind, scope, ">=", ctx.target)
        else:
            phases = worst["phase"]
            before = evaluate_spec(Spec("wape", "phase", phases, "<=", WAPE_TARGET), measures)
            target = WAPE_TARGET if not before <= WAPE_TARGET else 0.05
            spec = Spec("wape", "phase", phases, "<=", target)
        text = f"{headline}; worst {where} ({worst['phase']})"
        rows.append(_row(ctx, measures, spec, finding=text, category=category,
                         lost=float(lost[f"lost_{cause}"]), difficulty=difficulty, owner=owner,
                         total_volume=total_volume))
    return rows


def _type_owner(question_type: str) -> str:
    name = question_type.casefold()
    if "物流" in name or "logistic" in name or "快递" in name:
        return LOGISTICS
    if "投诉" in name or "complain" in name:
        return QA
    return BOT


def _daily_type_share(types: pd.DataFrame) -> pd.DataFrame:
    """Share of each question type in each day's volume (days x types)."""
    day = types["timestamp"].dt.normalize()
    pivot = types.pivot_table(index=day, columns="question_type", values="volume", aggfunc="sum")
    return pivot.div(pivot.sum(axis=1), axis=0).fillna(0.0)


def type_findings(table: pd.DataFrame, type_table: pd.DataFrame, measures: Measures,
                  ctx: Context) -> list[dict]:
    """The question type with the largest response-time miss vs ordinary days, and the type
    whose bot-resolved share fell most (when by ≥ :data:`BOT_DROP`).

    Impact of the slow type: its lost inquiries (each day's lost × the type's share of the day's
    volume) × the excess share of its response time (miss / event-day response); of the bot:
    the extra human chats (volume × drop) × the horizon's lost rate."""
    rows: list[dict] = []
    if type_table.empty or measures.question_types.empty:
        return rows
    total_volume = float(table["volume"].sum())
    lost_day = table.groupby(table["timestamp"].dt.normalize())["lost_inquiries"].sum()
    share = _daily_type_share(measures.question_types).reindex(lost_day.index).fillna(0.0)
    lost_type = share.mul(lost_day, axis=0).sum()
    lost_rate = float(table["lost_inquiries"].sum()) / total_volume if total_volume else 0.0
    slow = type_table.dropna(subset=["response_miss_s"])
    if not slow.empty and slow["response_miss_s"].iloc[0] > 0:
        top = slow.iloc[0]
        qtype = str(top["question_type"])
        target = math.ceil(float(top["ordinary_avg_response_s"]))
        excess = float(top["response_miss_s"]) / float(top["event_avg_response_s"])
        spec = Spec("avg_response_s", "question_type", qtype, "<=", float(target))
        text = (f"{qtype}: responses {top['response_miss_s']:.0f} s slower than on ordinary "
                f"days (largest response-time miss)")
        rows.append(_row(ctx, measures, spec, finding=text, category="knowledge_base",
                         lost=float(lost_type.get(qtype, 0.0)) * excess, difficulty=2,
                         owner=_type_owner(qtype), total_volume=total_volume))
    drop = type_table["ordinary_bot_resolved_share"] - type_table["bot_resolved_share"]
    if drop.notna().any() and drop.max() >= BOT_DROP:
        top = type_table.loc[drop.idxmax()]
        qtype = str(top["question_type"])
        spec = Spec("bot_resolved_share", "question_type", qtype, ">=",
                    round(float(top["ordinary_bot_resolved_share"]), 3))
        extra = float(top["volume"]) * float(drop.max())
        text = f"{qtype}: the bot resolved {drop.max() * 100:.0f} points less than on ordinary days"
        rows.append(_row(ctx, measures, spec, finding=text, category="bot",
                         lost=extra * lost_rate, difficulty=2, owner=BOT,
                         total_volume=total_volume))
    return rows


def agent_findings(table: pd.DataFrame, agents: pd.DataFrame, measures: Measures,
                   ctx: Context) -> list[dict]:
    """Coach the slowest agents (target: the team median response) and the CSAT-low ones."""
    rows: list[dict] = []
    if agents.empty:
        return rows
    total_volume = float(table["volume"].sum())
    lost_rate = float(table["lost_inquiries"].sum()) / total_volume if total_volume else 0.0
    median = float(agents["avg_response_s"].median())
    slow = agents[agents["flag"] == "slowest"]
    if not slow.empty:
        ids = ";".join(slow["agent_id"].astype(str))
        excess = (1 - median / slow["avg_response_s"]).clip(lower=0)
        lost = float((slow["handled_chats"] * excess).sum()) * lost_rate
        spec = Spec("avg_response_s", "agent", ids, "<=", round(median, 1))
        names = ", ".join(r.agent_id if r.name in ("", r.agent_id) else f"{r.agent_id} {r.name}"
                          for r in slow.itertuples())
        rows.append(_row(ctx, measures, spec, finding=f"Slowest agents: {names}",
                         category="coaching", lost=lost, difficulty=1, owner=QA,
                         total_volume=total_volume))
    low = agents[agents["flag"] == "csat_low"]
    if not low.empty:
        team = float((agents["csat"] * agents["handled_chats"]).sum()
                     / agents.loc[agents["csat"].notna(), "handled_chats"].sum())
        spec = Spec("csat", "agent", ";".join(low["agent_id"].astype(str)), ">=", round(team, 2))
        rows.append(_row(ctx, measures, spec, finding="CSAT outliers (low): "
                         + ", ".join(low["agent_id"].astype(str)), category="coaching",
                         lost=0.0, difficulty=1, owner=QA, total_volume=total_volume))
    return rows


def rank_findings(rows: list[dict], ctx: Context) -> pd.DataFrame:
    """Rank by priority (then impact points) and number them ``YYYYMMDD-F01``…"""
    frame = pd.DataFrame(rows, columns=[c for c in FINDING_COLUMNS if c not in ("rank",
                                                                               "finding_id")])
    frame = frame.sort_values(["priority", "impact_points"], ascending=False, kind="stable")
    frame = frame.reset_index(drop=True)
    frame["rank"] = range(1, len(frame) + 1)
    frame["finding_id"] = [f"{ctx.review_date:%Y%m%d}-F{r:02d}" for r in frame["rank"]]
    return frame[FINDING_COLUMNS]


def build_findings(table: pd.DataFrame, slots: pd.DataFrame, type_table: pd.DataFrame,
                   agents: pd.DataFrame, measures: Measures, ctx: Context) -> pd.DataFrame:
    """All findings (:data:`FINDING_COLUMNS`), ranked."""
    rows = cause_findings(table, slots, measures, ctx)
    rows += type_findings(table, type_table, measures, ctx)
    rows += agent_findings(table, agents, measures, ctx)
    return rank_findings(rows, ctx)
