"""Review page (复盘): forecast vs actual, scheduled vs logged in, the attribution of the
service miss, the breakdowns and the findings with the tracking-table download.

Reads a ``peakplan review --run RUN --actuals DIR --out DIR`` output only (``--review DIR``
after ``--``, ``$PEAKPLAN_REVIEW``, or the newest review under ``out/``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.review_charts import (
    PART_LABELS,
    agents_chart,
    attribution_chart,
    attribution_totals_chart,
    volume_chart,
)
from dashboard.review_data import (
    PARTS,
    ReviewData,
    attribution_totals,
    headline,
    list_reviews,
    number,
    section,
)
from dashboard.state import REVIEW_KEY, current_review, default_review_dir, format_path
from dashboard.widgets import day_range, within

TIME = "YYYY-MM-DD HH:mm"


def _choose_review() -> str | None:
    """Sidebar widgets selecting the review directory; returns the chosen path (or None)."""
    default = default_review_dir(sys.argv[1:])
    default = format_path(Path(default)) if default else None
    found = [format_path(p) for p in list_reviews(Path.cwd() / "out")]
    options = list(dict.fromkeys([*([default] if default else []), *found]))
    with st.sidebar:
        st.header("复盘 Review")
        chosen: str | None = None
        if options:
            chosen = st.selectbox(
                "复盘目录 Review directory", options, index=0, key="review_select",
                help="Output of `peakplan review`; reviews found under out/ are listed.",
            )  # fmt: skip
        other = st.text_input(
            "其他目录 Other review directory" if options else "复盘目录 Review directory",
            value="", key="review_text", placeholder="out/double11-2026-review",
        ).strip()  # fmt: skip
    return other or chosen


def _pct(value: float | None, signed: bool = False) -> str:
    """Share 0–1 as ``12.3%`` (``+12.3%`` when signed); ``n/a`` for None."""
    if value is None:
        return "n/a"
    return f"{value:+.1%}" if signed else f"{value:.1%}"


def _pp(value: float | None) -> str:
    """Difference of two shares as signed percentage points (``+4.5 pp``)."""
    return "n/a" if value is None else f"{value * 100:+.1f} pp"


def _when(value: object) -> str:
    """An ISO local time for display: ``2026-11-11 00:00``."""
    return str(value).replace("T", " ")[:16]


def _missing(review: ReviewData, name: str) -> None:
    """Say that ``name`` is absent (or has no rows) and its section is skipped."""
    if review.table(name) is not None:
        st.info(f"{name} 无数据 has no rows; this section is skipped.")
    else:
        st.info(f"{name} 缺失 is not in this review directory; this section is skipped.")


def _header(review: ReviewData) -> None:
    s = review.summary
    event = s.get("event")
    if isinstance(event, dict):
        names = event.get("events")
        names = ", ".join(map(str, names)) if isinstance(names, list) else names
        event = " · ".join(str(v) for v in (event.get("scenario"), names) if v) or None
    st.title("复盘 Review")
    horizon = section(s, "horizon")
    span = (
        f"{_when(horizon.get('start'))} → {_when(horizon.get('end'))}"
        if horizon else str(s.get("horizon") or "horizon n/a")
    )  # fmt: skip
    st.caption(
        f"Review `{format_path(review.path)}`"
        + (f" · {event}" if event else "")
        + f" · {span}"
        + (f" · missing: {', '.join(review.missing)}" if review.missing else "")
    )


def _headline(review: ReviewData, totals: dict[str, float] | None) -> None:
    head = headline(review)
    hindsight = section(review.summary, "hindsight")
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric(
        "预测误差 WAPE",
        _pct(head["wape"]),
        help="Weighted absolute percentage error of the volume forecast, all phases.",
    )
    c2.metric(
        "偏差 Bias",
        _pct(head["bias"], signed=True),
        help="Forecast minus actual volume, relative to actual (< 0: under-forecast).",
    )
    actual, target = head["three_min_rate"], head["target"]
    c3.metric(
        "三分钟响应率 3-min rate", _pct(actual),
        delta=None if actual is None or target is None else f"{_pp(actual - target)} vs target",
        help="Measured 3-minute response rate (三分钟响应率), inquiry-weighted over the review.",
    )  # fmt: skip
    lost, lost_cny = head["lost_inquiries"], head["lost_cny"]
    c4.metric(
        "损失咨询 Lost inquiries", "n/a" if lost is None else f"{lost:,.0f}",
        help="Inquiries answered late or abandoned that the miss accounts for"
        + ("" if lost_cny is None else f", worth ¥{lost_cny:,.0f}") + ".",
    )  # fmt: skip
    cost, plan_cost = number(hindsight.get("cost_cny")), number(hindsight.get("plan_cost_cny"))
    delta = None
    if cost is not None and plan_cost is not None:
        diff = cost - plan_cost
        delta = f"{'-' if diff < 0 else '+'}¥{abs(diff):,.0f} vs plan"
    c5.metric(
        "事后最优排班 Hindsight cost", "n/a" if cost is None else f"¥{cost:,.0f}",
        delta=delta, delta_color="off",
        help=("Not computed for this review (`--no-hindsight`)." if not hindsight else
              "The roster re-optimised on the actual volume (what a perfect forecast would cost)"
              + ("" if plan_cost is None else f"; the plan cost ¥{plan_cost:,.0f}") + "."),
    )  # fmt: skip
    if totals is not None and "miss" in totals:
        st.caption(f"总未达标 Net miss {_pp(totals['miss'])} of the 3-minute rate "
                   "(inquiry-weighted target − actual; < 0: above target).")  # fmt: skip


def _span(review: ReviewData) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Days shown by the interval charts (a slider over the review's days), or None."""
    for name in ("variance_intervals.csv", "attribution.csv"):
        frame = review.table(name)
        if frame is not None and not frame.empty:
            return day_range(frame["timestamp"], key="review_days")
    return None


def _variance(review: ReviewData, span: tuple[pd.Timestamp, pd.Timestamp] | None) -> None:
    var = review.table("variance_intervals.csv")
    st.subheader("预测 vs 实际 Forecast vs actual")
    if var is None or var.empty or span is None:
        _missing(review, "variance_intervals.csv")
        return
    var = within(var, span)
    if not {"lower_80", "upper_80"} <= set(var.columns):
        st.caption("variance_intervals.csv has no lower_80/upper_80: the 80 % band is not shown.")
    st.altair_chart(volume_chart(var), width="stretch")
    phases = review.table("variance_phases.csv")
    if phases is None:
        _missing(review, "variance_phases.csv")
    else:
        st.dataframe(phases, hide_index=True, width="stretch", key="review_phases",
                     column_config={c: st.column_config.NumberColumn(c, format="percent")
                                    for c in ("wape", "bias", "peak_hour_error", "inside_80_rate")
                                    if c in phases.columns})  # fmt: skip

    st.subheader("排班 vs 在线 Scheduled vs logged in")
    if not {"scheduled", "logged_in"} <= set(var.columns):
        st.info("variance_intervals.csv has no scheduled/logged_in columns.")
        return
    hours = var["timestamp"].diff().min() / pd.Timedelta(hours=1) if len(var) > 1 else 1.0
    gap = (var["scheduled"] - var["logged_in"]).clip(lower=0)
    adherence = var["logged_in"].sum() / var["scheduled"].sum() if var["scheduled"].sum() else None
    c1, c2, c3 = st.columns(3)
    c1.metric("出勤率 Adherence", _pct(adherence), help="Logged-in ÷ scheduled agent-hours.")
    c2.metric(
        "缺勤人时 Agent-hours absent",
        f"{(gap * hours).sum():,.1f}",
        help="Scheduled agents not logged in × interval length (hours).",
    )
    c3.metric("缺勤时段 Intervals under schedule", f"{int((gap > 0).sum()):,d} of {len(var):,d}")
    st.altair_chart(agents_chart(var), width="stretch")


def _attribution(
    review: ReviewData,
    totals: dict[str, float] | None,
    span: tuple[pd.Timestamp, pd.Timestamp] | None,
) -> None:
    st.subheader("归因 Where the miss came from")
    attr = review.table("attribution.csv")
    if attr is None or attr.empty:
        _missing(review, "attribution.csv")
        return
    st.caption(
        "The 3-minute-rate miss (target − actual) per interval, split into schedule (plan below "
        "target even if the forecast were right), volume (forecast error), handle time, "
        "execution (logged in vs scheduled) and other; the parts sum to the miss."
    )
    if totals is not None and "miss" in totals:
        c1, c2 = st.columns([2, 3])
        c1.altair_chart(attribution_totals_chart(totals), width="stretch")
        keys = ["miss", *PARTS]
        table = pd.DataFrame(
            {
                "part": ["总计 total miss", *(PART_LABELS[p] for p in PARTS)],
                "points": [totals[k] * 100 for k in keys],
            }
        )
        lost = [f"lost_{p}" for p in PARTS]
        if "lost_inquiries" in attr.columns and set(lost) <= set(attr.columns):
            table["lost_inquiries"] = [attr[c].sum() for c in ("lost_inquiries", *lost)]
        c2.dataframe(
            table, hide_index=True, key="review_attr_totals",
            column_config={
                "part": st.column_config.TextColumn("归因 part"),
                "points": st.column_config.NumberColumn("pp of 3-min rate", format="%+.2f"),
                "lost_inquiries": st.column_config.NumberColumn("损失咨询 lost", format="%.0f"),
            },
        )  # fmt: skip
    st.altair_chart(attribution_chart(attr if span is None else within(attr, span)),
                    width="stretch")  # fmt: skip
    worst = attr.nlargest(min(10, len(attr)), "miss")
    with st.expander(f"未达标最多的时段 Intervals with the largest miss ({len(worst)})"):
        st.dataframe(
            worst,
            hide_index=True,
            key="review_attr_worst",
            column_config={
                "timestamp": st.column_config.DatetimeColumn("interval start", format=TIME)
            },
        )


def _breakdowns(review: ReviewData) -> None:
    st.subheader("细分 Breakdowns")
    tabs = st.tabs(["时段 Time slots", "问题类型 Question types", "客服 Agents"])
    names = ("breakdown_slots.csv", "breakdown_types.csv", "breakdown_agents.csv")
    for tab, name in zip(tabs, names, strict=True):
        with tab:
            frame = review.table(name)
            if frame is None:
                _missing(review, name)
                continue
            config = {
                "start": st.column_config.DatetimeColumn("start", format=TIME),
                "end": st.column_config.DatetimeColumn("end", format=TIME),
                "agent_id": st.column_config.TextColumn("agent_id"),
            }
            for col in (
                "three_min_rate",
                "target",
                "miss",
                "share",
                "bot_resolved_share",
                "fcr",
                "conversion",
            ):
                if col in frame.columns:
                    config[col] = st.column_config.NumberColumn(col, format="percent")
            st.dataframe(frame, hide_index=True, width="stretch", key=f"review_{name}",
                         column_config=config)  # fmt: skip


def _findings(review: ReviewData) -> None:
    st.subheader("问题清单 Findings")
    findings = review.table("findings.csv")
    if findings is None:
        _missing(review, "findings.csv")
    else:
        st.caption("Ranked by priority = impact × ease; each with an owner, a deadline and a "
                   "quantified acceptance target.")  # fmt: skip
        st.dataframe(findings, hide_index=True, width="stretch", key="review_findings",
                     column_config={"impact_cny": st.column_config.NumberColumn(
                         "impact_cny", format="¥%.0f")})  # fmt: skip
    if review.tracking_bytes is None:
        _missing(review, "tracking.csv")
    else:
        st.download_button(
            "下载跟踪表 Download tracking.csv (UTF-8 with BOM, opens in Excel)",
            data=review.tracking_bytes, file_name=f"tracking-{review.path.name}.csv",
            mime="text/csv", on_click="ignore", key="review_tracking_download",
            icon=":material/download:",
        )  # fmt: skip
        st.caption("The next review fills `after` and `met` from its own actuals "
                   "(`peakplan review ... --previous THIS_DIR`).")  # fmt: skip
    previous = review.table("tracking_previous.csv")
    if previous is not None:
        st.markdown(
            "**上次复盘的跟踪 Previous review's tracking** (`after`/`met` from these actuals)"
        )
        st.dataframe(previous, hide_index=True, width="stretch", key="review_previous")
    events = review.table("events_suggested.csv")
    if events is not None and not events.empty:
        with st.expander("建议的活动系数 Suggested events.csv for the next plan"):
            st.dataframe(events, hide_index=True, key="review_events", column_config={
                "start": st.column_config.DatetimeColumn("start", format=TIME),
                "end": st.column_config.DatetimeColumn("end", format=TIME)})  # fmt: skip


st.session_state[REVIEW_KEY] = _choose_review()
review = current_review()
totals = attribution_totals(review)
_header(review)
_headline(review, totals)
span = _span(review)
_variance(review, span)
_attribution(review, totals, span)
_breakdowns(review)
_findings(review)
with st.expander("review.json"):
    st.json(review.summary, expanded=False)
