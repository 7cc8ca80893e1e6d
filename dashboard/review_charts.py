"""Altair charts of the Review page (pure functions; no Streamlit, testable via ``to_dict()``).

Inputs are the review tables of ``dashboard.review_data`` with naive local timestamps.
Labels are bilingual (Chinese · English) like the rest of the Review page.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.charts import FORECAST_COLOR, SCHEDULED_COLOR, SHORTFALL_COLOR
from dashboard.review_data import PARTS

ACTUAL_COLOR = "#ff7f0e"
LOGGED_IN_COLOR = "#9467bd"
PART_LABELS: dict[str, str] = {
    "schedule": "排班不足 schedule",
    "volume": "量预测偏差 volume",
    "handle_time": "处理时长 handle time",
    "execution": "出勤执行 execution",
    "other": "其他 other",
}
PART_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#7f7f7f")
_X_TITLE = "时间 Local time"
MISS_TITLE = "未达标 Miss (3-min rate points)"


def _x() -> alt.X:
    return alt.X("timestamp:T", title=_X_TITLE, axis=alt.Axis(format="%m-%d %H:%M"))


def _when() -> alt.Tooltip:
    return alt.Tooltip("timestamp:T", format="%Y-%m-%d %H:%M", title="interval start")


def volume_chart(variance: pd.DataFrame) -> alt.LayerChart:
    """Forecast vs actual inquiries per interval; the forecast's 80 % band when the frame has
    ``lower_80``/``upper_80`` (inquiries per interval)."""
    cols = [c for c in ("timestamp", "forecast", "actual", "lower_80", "upper_80")
            if c in variance.columns]  # fmt: skip
    frame = variance[cols]
    long = frame.melt(
        id_vars="timestamp", value_vars=["forecast", "actual"], var_name="series",
        value_name="inquiries",
    )  # fmt: skip
    long["series"] = long["series"].map({"forecast": "预测 forecast", "actual": "实际 actual"})
    lines = (
        alt.Chart(long)
        .mark_line(strokeWidth=1.5)
        .encode(
            x=_x(),
            y=alt.Y("inquiries:Q", title="咨询量 Inquiries per interval"),
            color=alt.Color(
                "series:N", title="",
                scale=alt.Scale(domain=["预测 forecast", "实际 actual"],
                                range=[FORECAST_COLOR, ACTUAL_COLOR]),
            ),
            tooltip=[_when(), "series:N", alt.Tooltip("inquiries:Q", format=",.0f")],
        )
    )  # fmt: skip
    layers: list[alt.Chart] = []
    if {"lower_80", "upper_80"} <= set(frame.columns) and frame["upper_80"].notna().any():
        layers.append(
            alt.Chart(frame)
            .mark_area(opacity=0.25, color=FORECAST_COLOR)
            .encode(x=_x(), y="lower_80:Q", y2="upper_80:Q")
        )
    return alt.layer(*layers, lines).properties(height=340).interactive(bind_y=False)


def agents_chart(variance: pd.DataFrame) -> alt.LayerChart:
    """Scheduled vs logged-in agents per interval (step lines); intervals where fewer agents
    logged in than were scheduled are shaded red."""
    frame = variance[["timestamp", "scheduled", "logged_in"]].dropna(subset=["scheduled"])
    long = frame.melt(id_vars="timestamp", var_name="series", value_name="agents")
    long["series"] = long["series"].map(
        {"scheduled": "排班 scheduled", "logged_in": "在线 logged in"}
    )
    lines = (
        alt.Chart(long)
        .mark_line(interpolate="step-after")
        .encode(
            x=_x(),
            y=alt.Y("agents:Q", title="客服人数 Agents"),
            color=alt.Color(
                "series:N", title="",
                scale=alt.Scale(domain=["排班 scheduled", "在线 logged in"],
                                range=[SCHEDULED_COLOR, LOGGED_IN_COLOR]),
            ),
            strokeDash=alt.StrokeDash(
                "series:N", legend=None,
                scale=alt.Scale(domain=["排班 scheduled", "在线 logged in"],
                                range=[[6, 3], [1, 0]]),
            ),
            tooltip=[_when(), "series:N", alt.Tooltip("agents:Q", format=".1f")],
        )
    )  # fmt: skip
    short = frame.loc[frame["logged_in"] < frame["scheduled"]]
    step = frame["timestamp"].diff().min() if len(frame) > 1 else pd.Timedelta(hours=1)
    short = short.assign(end=short["timestamp"] + step)
    bars = (
        alt.Chart(short)
        .mark_rect(opacity=0.35, color=SHORTFALL_COLOR)
        .encode(x=_x(), x2="end:T", y="logged_in:Q", y2="scheduled:Q")
    )
    return alt.layer(bars, lines).properties(height=300).interactive(bind_y=False)


def attribution_long(attribution: pd.DataFrame) -> pd.DataFrame:
    """``attribution`` reshaped to ``timestamp,part,share`` (one row per interval and part)."""
    long = attribution.melt(
        id_vars="timestamp", value_vars=list(PARTS), var_name="part", value_name="share"
    )
    long["part"] = long["part"].map(PART_LABELS)
    return long


def attribution_chart(attribution: pd.DataFrame) -> alt.LayerChart:
    """Stacked bars of the miss parts per interval (points of the 3-minute response rate, as
    shares 0–1; negative parts stack below zero) with the total miss (target − actual 3-minute
    rate) as black ticks."""
    domain = [PART_LABELS[p] for p in PARTS]
    bars = (
        alt.Chart(attribution_long(attribution))
        .mark_bar()
        .encode(
            x=_x(),
            y=alt.Y("share:Q", title=MISS_TITLE, axis=alt.Axis(format="%"),
                    stack="zero"),
            color=alt.Color("part:N", title="归因 Part", sort=domain,
                            scale=alt.Scale(domain=domain, range=list(PART_COLORS))),
            order=alt.Order("part:N"),
            tooltip=[_when(), "part:N", alt.Tooltip("share:Q", format="+.1%")],
        )
    )  # fmt: skip
    ticks = (
        alt.Chart(attribution[["timestamp", "miss"]])
        .mark_tick(color="black", thickness=2)
        .encode(
            x=_x(),
            y="miss:Q",
            tooltip=[_when(), alt.Tooltip("miss:Q", format="+.1%", title="total miss")],
        )
    )
    return alt.layer(bars, ticks).properties(height=340).interactive(bind_y=False)


def attribution_totals_chart(totals: dict[str, float]) -> alt.Chart:
    """Horizontal bars: the review-wide miss (3-minute rate points as a share 0–1) and each
    part's contribution."""
    rows = [("总计 total miss", totals["miss"])] + [(PART_LABELS[p], totals[p]) for p in PARTS]
    frame = pd.DataFrame(rows, columns=["part", "share"])
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("part:N", title="", sort=list(frame["part"]), axis=alt.Axis(labelLimit=220)),
            x=alt.X("share:Q", title=MISS_TITLE, axis=alt.Axis(format="%")),
            color=alt.condition(
                alt.datum.share < 0, alt.value(SCHEDULED_COLOR), alt.value(SHORTFALL_COLOR)
            ),
            tooltip=["part:N", alt.Tooltip("share:Q", format="+.2%")],
        )
        .properties(height=200)
    )
