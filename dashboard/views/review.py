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

from dashboard.i18n import event_name, moment, money, number, percent, t
from dashboard.review_charts import (
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
    section,
)
from dashboard.review_data import number as finite
from dashboard.review_display import columns, localise, part_name
from dashboard.state import REVIEW_KEY, current_review, default_review_dir, format_path
from dashboard.widgets import day_range, within


def _choose_review() -> str | None:
    """Sidebar widgets selecting the review directory; returns the chosen path (or None)."""
    default = default_review_dir(sys.argv[1:])
    default = format_path(Path(default)) if default else None
    found = [format_path(p) for p in list_reviews(Path.cwd() / "out")]
    options = list(dict.fromkeys([*([default] if default else []), *found]))
    with st.sidebar:
        st.header(t("review.sidebar_header"))
        chosen: str | None = None
        if options:
            chosen = st.selectbox(
                t("review.directory"), options, index=0, key="review_select",
                help=t("review.directory_help"),
            )  # fmt: skip
        other = st.text_input(
            t("review.other_directory") if options else t("review.directory"),
            value="", key="review_text", placeholder="out/double11-2026-review",
        ).strip()  # fmt: skip
    return other or chosen


def _pct(value: float | None, signed: bool = False) -> str:
    """Share 0–1 as ``12.3%`` (``+12.3%`` when signed); ``–``/``n/a`` for None."""
    if value is None:
        return t("review.na")
    return f"{value:+.1%}" if signed else percent(value)


def _pp(value: float | None) -> str:
    """Difference of two shares as signed percentage points (``+4.5 pp`` / ``+4.5 个百分点``)."""
    return t("review.na") if value is None else t("review.pp", value=f"{value * 100:+.1f}")


def _when(value: object) -> str:
    """A local time for display (``11月11日 00:00`` / ``11-11 00:00``); as written if unparsable."""
    try:
        return moment(pd.Timestamp(str(value)))
    except ValueError:
        return str(value)


def _missing(review: ReviewData, name: str) -> None:
    """Say that ``name`` is absent (or has no rows) and its section is skipped."""
    if review.table(name) is not None:
        st.info(t("review.no_rows", name=name))
    else:
        st.info(t("review.absent", name=name))


def _header(review: ReviewData) -> None:
    s = review.summary
    event = s.get("event")
    if isinstance(event, dict):
        names = event.get("events")
        names = ", ".join(map(event_name, names)) if isinstance(names, list) else names
        event = " · ".join(str(v) for v in (event.get("scenario"), names) if v) or None
    st.title(t("review.title"))
    horizon = section(s, "horizon")
    span = (
        f"{_when(horizon.get('start'))} → {_when(horizon.get('end'))}"
        if horizon else str(s.get("horizon") or t("review.no_horizon"))
    )  # fmt: skip
    st.caption(
        t("review.caption_dir", path=format_path(review.path))
        + (f" · {event}" if event else "")
        + f" · {span}"
        + (
            " · " + t("review.caption_missing", names=", ".join(review.missing))
            if review.missing
            else ""
        )
    )


def _headline(review: ReviewData, totals: dict[str, float] | None) -> None:
    head = headline(review)
    hindsight = section(review.summary, "hindsight")
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric(t("review.wape"), _pct(head["wape"]), help=t("review.wape_help"))
    c2.metric(t("review.bias"), _pct(head["bias"], signed=True), help=t("review.bias_help"))
    actual, target = head["three_min_rate"], head["target"]
    c3.metric(
        t("review.rate"), _pct(actual),
        delta=None if actual is None or target is None else _pp(actual - target),
        help=t("review.rate_help"),
    )  # fmt: skip
    lost, lost_cny = head["lost_inquiries"], head["lost_cny"]
    worth = "" if lost_cny is None else t("review.lost_worth", money=money(lost_cny))
    c4.metric(t("review.lost"), t("review.na") if lost is None else number(lost),
              help=t("review.lost_help", worth=worth))  # fmt: skip
    cost, plan_cost = finite(hindsight.get("cost_cny")), finite(hindsight.get("plan_cost_cny"))
    delta = None
    if cost is not None and plan_cost is not None:
        diff = cost - plan_cost
        delta = f"{'-' if diff < 0 else '+'}{money(abs(diff))}"
    plan = "" if plan_cost is None else t("review.hindsight_plan", money=money(plan_cost))
    c5.metric(
        t("review.hindsight"), t("review.na") if cost is None else money(cost),
        delta=delta, delta_color="off",
        help=t("review.hindsight_help", plan=plan) if hindsight
        else t("review.hindsight_help_none"),
    )  # fmt: skip
    if totals is not None and "miss" in totals:
        st.caption(t("review.net_miss", value=_pp(totals["miss"])))


def _span(review: ReviewData) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Days shown by the interval charts (a slider over the review's days), or None."""
    for name in ("variance_intervals.csv", "attribution.csv"):
        frame = review.table(name)
        if frame is not None and not frame.empty:
            return day_range(frame["timestamp"], key="review_days")
    return None


def _variance(review: ReviewData, span: tuple[pd.Timestamp, pd.Timestamp] | None) -> None:
    var = review.table("variance_intervals.csv")
    st.subheader(t("review.variance"))
    if var is None or var.empty or span is None:
        _missing(review, "variance_intervals.csv")
        return
    var = within(var, span)
    if not {"lower_80", "upper_80"} <= set(var.columns):
        st.caption(t("review.no_band"))
    st.altair_chart(volume_chart(var), width="stretch")
    phases = review.table("variance_phases.csv")
    if phases is None:
        _missing(review, "variance_phases.csv")
    else:
        st.dataframe(localise(phases), hide_index=True, width="stretch", key="review_phases",
                     column_config=columns(phases))  # fmt: skip

    st.subheader(t("review.agents_section"))
    if not {"scheduled", "logged_in"} <= set(var.columns):
        st.info(t("review.no_agents"))
        return
    hours = var["timestamp"].diff().min() / pd.Timedelta(hours=1) if len(var) > 1 else 1.0
    gap = (var["scheduled"] - var["logged_in"]).clip(lower=0)
    adherence = var["logged_in"].sum() / var["scheduled"].sum() if var["scheduled"].sum() else None
    c1, c2, c3 = st.columns(3)
    c1.metric(t("review.adherence"), _pct(adherence), help=t("review.adherence_help"))
    c2.metric(t("review.absent_hours"), number((gap * hours).sum(), 1),
              help=t("review.absent_hours_help"))  # fmt: skip
    c3.metric(
        t("review.under_schedule"),
        t("review.of", part=number(int((gap > 0).sum())), whole=number(len(var))),
    )
    st.altair_chart(agents_chart(var), width="stretch")


def _attribution(
    review: ReviewData,
    totals: dict[str, float] | None,
    span: tuple[pd.Timestamp, pd.Timestamp] | None,
) -> None:
    st.subheader(t("review.attribution"))
    attr = review.table("attribution.csv")
    if attr is None or attr.empty:
        _missing(review, "attribution.csv")
        return
    st.caption(t("review.attribution_caption"))
    if totals is not None and "miss" in totals:
        c1, c2 = st.columns([2, 3])
        c1.altair_chart(attribution_totals_chart(totals), width="stretch")
        keys = ["miss", *PARTS]
        table = pd.DataFrame(
            {
                "part": [t("review.total_miss"), *(part_name(p) for p in PARTS)],
                "points": [totals[k] * 100 for k in keys],
            }
        )
        lost = [f"lost_{p}" for p in PARTS]
        if "lost_inquiries" in attr.columns and set(lost) <= set(attr.columns):
            table["lost_inquiries"] = [attr[c].sum() for c in ("lost_inquiries", *lost)]
        c2.dataframe(
            table, hide_index=True, key="review_attr_totals",
            column_config={
                "part": st.column_config.TextColumn(t("review.chart_part")),
                "points": st.column_config.NumberColumn(t("review.points"), format="%+.2f"),
                "lost_inquiries": st.column_config.NumberColumn(t("review.col.lost_inquiries"),
                                                                format="%.0f"),
            },
        )  # fmt: skip
    st.altair_chart(attribution_chart(attr if span is None else within(attr, span)),
                    width="stretch")  # fmt: skip
    worst = attr.nlargest(min(10, len(attr)), "miss")
    with st.expander(t("review.worst_intervals", count=len(worst))):
        st.dataframe(localise(worst), hide_index=True, key="review_attr_worst",
                     column_config=columns(worst, parts=True))  # fmt: skip


def _breakdowns(review: ReviewData) -> None:
    st.subheader(t("review.breakdowns"))
    tabs = st.tabs([t("review.tab_slots"), t("review.tab_types"), t("review.tab_agents")])
    names = ("breakdown_slots.csv", "breakdown_types.csv", "breakdown_agents.csv")
    for tab, name in zip(tabs, names, strict=True):
        with tab:
            frame = review.table(name)
            if frame is None:
                _missing(review, name)
                continue
            st.dataframe(localise(frame), hide_index=True, width="stretch",
                         key=f"review_{name}", column_config=columns(frame))  # fmt: skip


def _findings(review: ReviewData) -> None:
    st.subheader(t("review.findings"))
    findings = review.table("findings.csv")
    if findings is None:
        _missing(review, "findings.csv")
    else:
        st.caption(t("review.findings_caption"))
        shown = localise(findings)
        st.dataframe(shown, hide_index=True, width="stretch", key="review_findings",
                     column_config=columns(shown))  # fmt: skip
    if review.tracking_bytes is None:
        _missing(review, "tracking.csv")
    else:
        st.download_button(
            t("review.download"),
            data=review.tracking_bytes, file_name=f"tracking-{review.path.name}.csv",
            mime="text/csv", on_click="ignore", key="review_tracking_download",
            icon=":material/download:",
        )  # fmt: skip
        st.caption(t("review.download_caption"))
    previous = review.table("tracking_previous.csv")
    if previous is not None:
        st.markdown(t("review.previous"))
        shown = localise(previous)
        st.dataframe(shown, hide_index=True, width="stretch", key="review_previous",
                     column_config=columns(shown))  # fmt: skip
    events = review.table("events_suggested.csv")
    if events is not None and not events.empty:
        with st.expander(t("review.events")):
            st.dataframe(localise(events), hide_index=True, key="review_events",
                         column_config=columns(events))  # fmt: skip


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
with st.expander(t("review.json")):
    st.json(review.summary, expanded=False)
