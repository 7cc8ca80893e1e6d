"""Altair charts of the Review page (pure functions; no Streamlit, testable via ``to_dict()``).

Inputs are the review tables of ``dashboard.review_data`` with naive local timestamps.
Titles, legends and the parts are in the chosen language (:func:`dashboard.i18n.t`).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.charts import FORECAST_COLOR, SCHEDULED_COLOR, SHORTFALL_COLOR
from dashboard.i18n import t
from dashboard.review_data import PARTS
from dashboard.review_display import part_name

ACTUAL_COLOR = "#ff7f0e"
LOGGED_IN_COLOR = "#9467bd"
PART_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#7f7f7f")


def _x() -> alt.X:
    return alt.X("timestamp:T", title=t("review.chart_time"), axis=alt.Axis(format="%m-%d %H:%M"))


def _when() -> alt.Tooltip:
    return alt.Tooltip("timestamp:T", format="%Y-%m-%d %H:%M", title=t("review.chart_interval"))


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
    names = {"forecast": t("review.chart_forecast"), "actual": t("review.chart_actual")}
    long["series"] = long["series"].map(names)
    lines = (
        alt.Chart(long)
        .mark_line(strokeWidth=1.5)
        .encode(
            x=_x(),
            y=alt.Y("inquiries:Q", title=t("review.chart_inquiries")),
            color=alt.Color(
                "series:N", title="",
                scale=alt.Scale(domain=list(names.values()),
                                range=[FORECAST_COLOR, ACTUAL_COLOR]),
            ),
            tooltip=[_when(), alt.Tooltip("series:N", title=t("review.chart_series")),
                     alt.Tooltip("inquiries:Q", format=",.0f",
                                 title=t("review.chart_inquiries"))],
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
    names = {"scheduled": t("review.chart_scheduled"), "logged_in": t("review.chart_logged_in")}
    long["series"] = long["series"].map(names)
    lines = (
        alt.Chart(long)
        .mark_line(interpolate="step-after")
        .encode(
            x=_x(),
            y=alt.Y("agents:Q", title=t("review.chart_agents")),
            color=alt.Color(
                "series:N", title="",
                scale=alt.Scale(domain=list(names.values()),
                                range=[SCHEDULED_COLOR, LOGGED_IN_COLOR]),
            ),
            strokeDash=alt.StrokeDash(
                "series:N", legend=None,
                scale=alt.Scale(domain=list(names.values()),
                                range=[[6, 3], [1, 0]]),
            ),
            tooltip=[_when(), alt.Tooltip("series:N", title=t("review.chart_series")),
                     alt.Tooltip("agents:Q", format=".1f", title=t("review.chart_agents"))],
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
    long["part"] = long["part"].map({p: part_name(p) for p in PARTS})
    return long


def attribution_chart(attribution: pd.DataFrame) -> alt.LayerChart:
    """Stacked bars of the miss parts per interval (points of the 3-minute response rate, as
    shares 0–1; negative parts stack below zero) with the total miss (target − actual 3-minute
    rate) as black ticks."""
    domain = [part_name(p) for p in PARTS]
    bars = (
        alt.Chart(attribution_long(attribution))
        .mark_bar()
        .encode(
            x=_x(),
            y=alt.Y("share:Q", title=t("review.chart_miss"), axis=alt.Axis(format="%"),
                    stack="zero"),
            color=alt.Color("part:N", title=t("review.chart_part"), sort=domain,
                            scale=alt.Scale(domain=domain, range=list(PART_COLORS))),
            order=alt.Order("part:N"),
            tooltip=[_when(), alt.Tooltip("part:N", title=t("review.chart_part")),
                     alt.Tooltip("share:Q", format="+.1%", title=t("review.chart_share"))],
        )
    )  # fmt: skip
    ticks = (
        alt.Chart(attribution[["timestamp", "miss"]])
        .mark_tick(color="black", thickness=2)
        .encode(
            x=_x(),
            y="miss:Q",
            tooltip=[_when(), alt.Tooltip("miss:Q", format="+.1%", title=t("review.total_miss"))],
        )
    )
    return alt.layer(bars, ticks).properties(height=340).interactive(bind_y=False)


def attribution_totals_chart(totals: dict[str, float]) -> alt.Chart:
    """Horizontal bars: the review-wide miss (3-minute rate points as a share 0–1) and each
    part's contribution."""
    rows = [(t("review.total_miss"), totals["miss"])] + [(part_name(p), totals[p]) for p in PARTS]
    frame = pd.DataFrame(rows, columns=["part", "share"])
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("part:N", title="", sort=list(frame["part"]), axis=alt.Axis(labelLimit=220)),
            x=alt.X("share:Q", title=t("review.chart_miss"), axis=alt.Axis(format="%")),
            color=alt.condition(
                alt.datum.share < 0, alt.value(SCHEDULED_COLOR), alt.value(SHORTFALL_COLOR)
            ),
            tooltip=[
                alt.Tooltip("part:N", title=t("review.chart_part")),
                alt.Tooltip("share:Q", format="+.2%", title=t("review.chart_share")),
            ],
        )
        .properties(height=200)
    )
