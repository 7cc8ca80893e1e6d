"""Altair charts of the Compare page (pure functions; no Streamlit, testable via ``to_dict()``).

Inputs are the frames of :mod:`dashboard.compare_data`: the frontier points (one row per run,
costs in CNY, service levels as shares 0–1) and the long per-interval frames (agents per interval,
naive local timestamps).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.charts import SHORTFALL_COLOR
from dashboard.compare_data import COST, SERVICE
from dashboard.i18n import percent, t

FRONTIER_COLOR = "#1f77b4"
DOMINATED_COLOR = "#9e9e9e"
TARGET_COLOR = "#d62728"


def _x() -> alt.X:
    return alt.X("timestamp:T", title=t("compare.chart_time"), axis=alt.Axis(format="%m-%d %H:%M"))


def _when() -> alt.Tooltip:
    return alt.Tooltip("timestamp:T", format="%Y-%m-%d %H:%M", title=t("compare.chart_interval"))


def frontier_chart(points: pd.DataFrame) -> alt.LayerChart:
    """Wages (CNY) against expected service level (share) of each run: runs on the frontier as
    filled blue points joined by a dashed line, dominated runs hollow grey (legend
    ``dominated``), each point labelled with ``label`` (variant and overrides, else the folder);
    the service-level target(s) as a dashed red rule. Runs without a cost or a service level are
    left out. Titles and legends in the chosen language."""
    on_frontier, dominated = t("compare.on_frontier"), t("compare.dominated")
    frame = points.loc[points[COST].notna() & points[SERVICE].notna()].copy()
    frame["status"] = frame["dominated"].map({True: dominated, False: on_frontier})
    frame["dominated_by"] = frame["dominated_by"].replace("", "—")
    x = alt.X(f"{COST}:Q", title=t("compare.chart_wages"), scale=alt.Scale(zero=False),
              axis=alt.Axis(format=",.0f"))  # fmt: skip
    y = alt.Y(f"{SERVICE}:Q", title=t("compare.chart_service"), scale=alt.Scale(zero=False),
              axis=alt.Axis(format=".0%"))  # fmt: skip
    tooltip = [
        alt.Tooltip("run:N", title=t("compare.col_run")),
        alt.Tooltip("label:N", title=t("compare.col_label")),
        alt.Tooltip(f"{COST}:Q", title=t("compare.col_wages"), format=",.2f"),
        alt.Tooltip(f"{SERVICE}:Q", title=t("compare.col_service"), format=".2%"),
        alt.Tooltip("expected_three_min_rate:Q", title=t("compare.col_rate"), format=".2%"),
        alt.Tooltip("short_agent_hours:Q", title=t("compare.col_short"), format=",.1f"),
        alt.Tooltip("status:N", title=t("compare.col_status")),
        alt.Tooltip("dominated_by:N", title=t("compare.col_dominated_by")),
    ]
    status = alt.Color(
        "status:N",
        title="",
        scale=alt.Scale(domain=[on_frontier, dominated], range=[FRONTIER_COLOR, DOMINATED_COLOR]),
    )
    base = alt.Chart(frame).encode(x=x, y=y)
    dots = base.mark_point(size=110, strokeWidth=2).encode(
        color=status,
        fill=alt.Fill(
            "status:N",
            title="",
            scale=alt.Scale(domain=[on_frontier, dominated], range=[FRONTIER_COLOR, "white"]),
        ),
        tooltip=tooltip,
    )
    front = frame.loc[~frame["dominated"]].sort_values(COST)
    line = (
        alt.Chart(front)
        .mark_line(color=FRONTIER_COLOR, strokeDash=[4, 3], opacity=0.6)
        .encode(x=x, y=y, order=alt.Order(f"{COST}:Q"))
    )
    names = base.mark_text(align="left", dx=9, dy=-7, fontSize=11).encode(
        text="label:N", color=alt.value("#444")
    )
    layers: list[alt.Chart] = [line, dots, names]
    targets = frame["target_service_level"].dropna().unique()
    if len(targets):
        target = pd.DataFrame({"target": targets})
        target["text"] = [t("compare.chart_target", value=percent(v, 0)) for v in targets]
        rule = alt.Chart(target).encode(y="target:Q")
        layers.append(
            rule.mark_rule(color=TARGET_COLOR, strokeDash=[6, 4]).encode(
                tooltip=[alt.Tooltip("target:Q", title=t("compare.col_target"), format=".1%")]
            )
        )
        layers.append(
            rule.mark_text(align="left", dx=0, dy=-6, color=TARGET_COLOR, fontSize=11).encode(
                x=alt.value(4), text="text:N"
            )
        )
    return alt.layer(*layers).properties(height=380)


def scheduled_chart(scheduled: pd.DataFrame) -> alt.LayerChart:
    """Agents scheduled per interval of every run (one line each), with a rule at the peak
    interval of the first run (its most agents on duty)."""
    runs = list(dict.fromkeys(scheduled["run"]))
    first = scheduled.loc[scheduled["run"] == runs[0]]
    lines = (
        alt.Chart(scheduled)
        .mark_line(strokeWidth=1.5, interpolate="step-after")
        .encode(
            x=_x(),
            y=alt.Y("scheduled:Q", title=t("compare.chart_scheduled")),
            color=alt.Color("run:N", title=t("compare.col_run"), sort=runs),
            tooltip=[
                _when(),
                alt.Tooltip("run:N", title=t("compare.col_run")),
                alt.Tooltip("scheduled:Q", format=",.2f", title=t("compare.chart_scheduled")),
            ],
        )
    )
    if first.empty:
        return alt.layer(lines).properties(height=220)
    peak = first.loc[[first["scheduled"].idxmax()]].assign(label=t("compare.chart_peak"))
    rule = (
        alt.Chart(peak)
        .mark_rule(color=SHORTFALL_COLOR, strokeDash=[4, 3])
        .encode(
            x="timestamp:T",
            tooltip=[_when(), alt.Tooltip("scheduled:Q", title=t("compare.chart_peak"))],
        )
    )
    text = (
        alt.Chart(peak)
        .mark_text(align="left", dx=4, dy=-4, color=SHORTFALL_COLOR)
        .encode(x="timestamp:T", y=alt.value(8), text="label:N")
    )
    return alt.layer(lines, rule, text).properties(height=220)


def difference_chart(differences: pd.DataFrame, first: str, measure: str) -> alt.LayerChart:
    """Per interval, each run minus ``first`` for ``measure`` (``scheduled`` agents or
    ``shortfall`` agents), one line per run, zero marked."""
    frame = differences.loc[differences["measure"] == measure]
    runs = list(dict.fromkeys(differences["run"]))
    label = t(f"compare.measure.{measure}")
    lines = (
        alt.Chart(frame)
        .mark_line(strokeWidth=1.5, interpolate="step-after")
        .encode(
            x=_x(),
            y=alt.Y("difference:Q", title=t("compare.chart_minus", label=label, first=first)),
            color=alt.Color("run:N", title=t("compare.col_run"), sort=runs),
            tooltip=[
                _when(),
                alt.Tooltip("run:N", title=t("compare.col_run")),
                alt.Tooltip(
                    "value:Q", title=t("compare.chart_this_run", label=label), format=",.2f"
                ),
                alt.Tooltip(
                    "difference:Q",
                    title=t("compare.chart_minus_first", first=first),
                    format="+,.2f",
                ),
            ],
        )
    )
    zero = alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color="#888").encode(y="zero:Q")
    return alt.layer(lines, zero).properties(height=170)
