"""Altair chart builders (pure functions; no Streamlit, unit-testable via ``chart.to_dict()``).

Inputs are the frames of ``docs/contracts.md`` with naive local timestamps. Vega-Lite parses
naive ISO strings as browser-local time, so axes show the scenario's wall-clock time.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

SHORTFALL_COLOR = "#d62728"
REQUIRED_COLOR = "#1f77b4"
SCHEDULED_COLOR = "#2ca02c"
FORECAST_COLOR = "#1f77b4"


def phase_frame(events: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Promotion phases overlapping ``[start, end]``, clipped to it, one row per phase.

    Columns: ``label`` (``"<event> · <phase>"``), ``phase``, ``event``, ``start``, ``end``
    (naive local). Phases entirely outside the range are dropped.
    """
    cols = ["label", "phase", "event", "start", "end"]
    if events.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    ev = events.loc[(events["end"] >= start) & (events["start"] <= end)].copy()
    ev["start"] = ev["start"].clip(lower=start)
    ev["end"] = ev["end"].clip(upper=end)
    ev["event"] = ev["event"].astype(str)
    ev["phase"] = ev["phase"].astype(str)
    ev["label"] = ev["event"] + " · " + ev["phase"]
    return ev.sort_values("start")[cols].reset_index(drop=True)


def horizon(timestamps: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp]:
    """(first interval start, end of the last interval) of a series of interval starts."""
    ts = timestamps.sort_values()
    end = ts.iloc[-1]
    if len(ts) > 1:
        end = end + ts.diff().min()
    return ts.iloc[0], end


def _phase_layers(phases: pd.DataFrame, y_top: float) -> list[alt.Chart]:
    if phases.empty:
        return []
    base = alt.Chart(phases)
    rects = base.mark_rect(opacity=0.15).encode(
        x="start:T",
        x2="end:T",
        color=alt.Color(
            "label:N",
            title="Promotion phase",
            sort=list(dict.fromkeys(phases["label"])),  # chronological legend
            scale=alt.Scale(scheme="set2"),
        ),
        tooltip=[
            alt.Tooltip("event:N"),
            alt.Tooltip("phase:N"),
            alt.Tooltip("start:T", format="%Y-%m-%d %H:%M"),
            alt.Tooltip("end:T", format="%Y-%m-%d %H:%M"),
        ],
    )
    text = (
        base.transform_calculate(y=str(y_top))
        .mark_text(align="left", baseline="top", dx=3, dy=3, fontSize=11, color="#555")
        .encode(x="start:T", y=alt.Y("y:Q"), text="phase:N")
    )
    return [rects, text]


def forecast_chart(forecast: pd.DataFrame, events: pd.DataFrame) -> alt.LayerChart:
    """Mean forecast (line) with 95 % and 80 % prediction bands and shaded promotion phases.

    ``forecast`` has ``timestamp,volume,lower_80,upper_80,lower_95,upper_95`` for one queue
    (inquiries per interval); ``events`` has ``event,phase,start,end``.
    """
    fc = forecast[["timestamp", "volume", "lower_80", "upper_80", "lower_95", "upper_95"]]
    start, end = horizon(fc["timestamp"])
    y_top = float(fc["upper_95"].max()) if len(fc) else 0.0
    base = alt.Chart(fc).encode(
        x=alt.X("timestamp:T", title="Local time", axis=alt.Axis(format="%m-%d %H:%M"))
    )
    band95 = base.mark_area(opacity=0.2, color=FORECAST_COLOR).encode(
        y=alt.Y("lower_95:Q", title="Inquiries per interval"), y2="upper_95:Q"
    )
    band80 = base.mark_area(opacity=0.35, color=FORECAST_COLOR).encode(
        y="lower_80:Q", y2="upper_80:Q"
    )
    line = base.mark_line(color=FORECAST_COLOR, strokeWidth=1.5).encode(
        y="volume:Q",
        tooltip=[
            alt.Tooltip("timestamp:T", format="%Y-%m-%d %H:%M", title="interval start"),
            alt.Tooltip("volume:Q", format=",.0f", title="mean"),
            alt.Tooltip("lower_80:Q", format=",.0f"),
            alt.Tooltip("upper_80:Q", format=",.0f"),
            alt.Tooltip("lower_95:Q", format=",.0f"),
            alt.Tooltip("upper_95:Q", format=",.0f"),
        ],
    )
    layers = [*_phase_layers(phase_frame(events, start, end), y_top), band95, band80, line]
    return alt.layer(*layers).properties(height=380).interactive(bind_y=False)


def coverage_long(coverage: pd.DataFrame) -> pd.DataFrame:
    """``coverage`` reshaped to ``timestamp,series,agents`` with series ∈ required, scheduled."""
    return coverage.melt(
        id_vars="timestamp",
        value_vars=["required", "scheduled"],
        var_name="series",
        value_name="agents",
    )


def staffing_chart(coverage: pd.DataFrame) -> alt.LayerChart:
    """Required vs scheduled agents per interval (step lines); the gap between them is shaded
    red in intervals with a shortfall.

    ``coverage`` has ``timestamp,required,scheduled,shortfall,surplus`` (agents).
    """
    x = alt.X("timestamp:T", title="Local time", axis=alt.Axis(format="%m-%d %H:%M"))
    lines = (
        alt.Chart(coverage_long(coverage))
        .mark_line(interpolate="step-after")
        .encode(
            x=x,
            y=alt.Y("agents:Q", title="Agents"),
            color=alt.Color(
                "series:N",
                title="",
                scale=alt.Scale(
                    domain=["required", "scheduled", "shortfall"],
                    range=[REQUIRED_COLOR, SCHEDULED_COLOR, SHORTFALL_COLOR],
                ),
            ),
            tooltip=[
                alt.Tooltip("timestamp:T", format="%Y-%m-%d %H:%M", title="interval start"),
                "series:N",
                alt.Tooltip("agents:Q", format=".1f"),
            ],
        )
    )
    short = coverage.loc[coverage["shortfall"] > 0, ["timestamp", "scheduled", "required"]]
    step = horizon(coverage["timestamp"])[1] - coverage["timestamp"].max()
    short = short.assign(
        end=short["timestamp"] + step,
        shortfall=coverage.loc[short.index, "shortfall"],
        series="shortfall",
    )
    bars = (
        alt.Chart(short)
        .mark_rect(opacity=0.45)
        .encode(
            x=x,
            x2="end:T",
            y="scheduled:Q",
            y2="required:Q",
            color=alt.Color("series:N"),
            tooltip=[
                alt.Tooltip("timestamp:T", format="%Y-%m-%d %H:%M", title="interval start"),
                alt.Tooltip("required:Q", format=".1f"),
                alt.Tooltip("scheduled:Q", format=".1f"),
                alt.Tooltip("shortfall:Q", format=".1f", title="agents short"),
            ],
        )
    )
    return alt.layer(bars, lines).properties(height=380).interactive(bind_y=False)


def service_level_chart(requirements: pd.DataFrame, target: float | None) -> alt.LayerChart:
    """Expected service level per interval (0–1) with the target as a dashed rule."""
    base = alt.Chart(requirements[["timestamp", "expected_service_level"]])
    line = base.mark_line(interpolate="step-after").encode(
        x=alt.X("timestamp:T", title="Local time", axis=alt.Axis(format="%m-%d %H:%M")),
        y=alt.Y(
            "expected_service_level:Q",
            title="Expected service level",
            axis=alt.Axis(format="%"),
            scale=alt.Scale(domain=[0, 1]),
        ),
        tooltip=[
            alt.Tooltip("timestamp:T", format="%Y-%m-%d %H:%M", title="interval start"),
            alt.Tooltip("expected_service_level:Q", format=".1%"),
        ],
    )
    layers: list[alt.Chart] = [line]
    if target is not None:
        rule = (
            alt.Chart(pd.DataFrame({"target": [target]}))
            .mark_rule(strokeDash=[6, 4], color=SHORTFALL_COLOR)
            .encode(y="target:Q")
        )
        layers.append(rule)
    return alt.layer(*layers).properties(height=260)
