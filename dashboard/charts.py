"""Altair chart builders (pure functions; no Streamlit, unit-testable via ``chart.to_dict()``).

Inputs are the frames of ``docs/contracts.md`` with naive local timestamps. Vega-Lite parses
naive ISO strings as browser-local time, so axes show the scenario's wall-clock time.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.i18n import event_name, phase_name, t
from dashboard.peak import MATERIAL_AGENTS
from forecast.columns import BOUND_COLUMNS, FORECAST_COLUMNS

SHORTFALL_COLOR = "#d62728"
REQUIRED_COLOR = "#1f77b4"
SCHEDULED_COLOR = "#2ca02c"
FORECAST_COLOR = "#1f77b4"


def phase_frame(events: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Promotion phases overlapping ``[start, end)``, clipped to it, one row per phase.

    Columns: ``label`` (``"<event> · <phase>"`` in the UI language), ``name`` (the phase's
    display name), ``phase`` and ``event`` (identifiers), ``start``, ``end`` (naive local).
    Phases outside the range, or that only touch it (zero length once clipped, e.g. a phase
    starting at the range's end), are dropped.
    """
    cols = ["label", "name", "phase", "event", "start", "end"]
    if events.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    ev = events.loc[(events["end"] > start) & (events["start"] < end)].copy()
    ev["start"] = ev["start"].clip(lower=start)
    ev["end"] = ev["end"].clip(upper=end)
    ev = ev.loc[ev["end"] > ev["start"]]
    ev["event"] = ev["event"].astype(str)
    ev["phase"] = ev["phase"].astype(str)
    ev["name"] = ev["phase"].map(phase_name)
    ev["label"] = ev["event"].map(event_name) + " · " + ev["name"]
    return ev.sort_values("start")[cols].reset_index(drop=True)


def horizon(timestamps: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp]:
    """(first interval start, end of the last interval) of a series of interval starts."""
    ts = timestamps.sort_values()
    end = ts.iloc[-1]
    if len(ts) > 1:
        end = end + ts.diff().min()
    return ts.iloc[0], end


#: A phase is labelled on the chart only when it spans at least this share of the range shown:
#: shorter ones (the 2-hour peak in a 14-day range) would print over their neighbours' labels;
#: the legend and the tooltip still name them.
LABEL_MIN_SHARE = 0.05


def _time_x() -> alt.X:
    return alt.X("timestamp:T", title=t("common.local_time"), axis=alt.Axis(format="%m-%d %H:%M"))


def _when() -> alt.Tooltip:
    return alt.Tooltip("timestamp:T", format="%Y-%m-%d %H:%M", title=t("common.interval_start"))


def _phase_layers(phases: pd.DataFrame, y_top: float) -> list[alt.Chart]:
    if phases.empty:
        return []
    base = alt.Chart(phases)
    rects = base.mark_rect(opacity=0.15).encode(
        x="start:T",
        x2="end:T",
        color=alt.Color(
            "label:N",
            title=t("common.phase"),
            sort=list(dict.fromkeys(phases["label"])),  # chronological legend
            scale=alt.Scale(scheme="set2"),
        ),
        tooltip=[
            alt.Tooltip("label:N", title=t("common.phase")),
            alt.Tooltip("start:T", format="%Y-%m-%d %H:%M", title=t("common.start")),
            alt.Tooltip("end:T", format="%Y-%m-%d %H:%M", title=t("common.end")),
        ],
    )
    span = phases["end"].max() - phases["start"].min()
    wide = phases.loc[(phases["end"] - phases["start"]) >= span * LABEL_MIN_SHARE]
    if wide.empty:
        return [rects]
    text = (
        alt.Chart(wide)
        .transform_calculate(y=str(y_top))
        .mark_text(align="left", baseline="top", dx=3, dy=3, fontSize=11, color="#555")
        .encode(x="start:T", y=alt.Y("y:Q"), text="name:N")
    )
    return [rects, text]


def forecast_chart(forecast: pd.DataFrame, events: pd.DataFrame) -> alt.LayerChart:
    """Mean forecast (line) with 95 % and 80 % prediction bands and shaded promotion phases.

    ``forecast`` has ``timestamp,volume,lower_80,upper_80,lower_95,upper_95`` for one queue
    (inquiries per interval); ``events`` has ``event,phase,start,end``.
    """
    fc = forecast[list(FORECAST_COLUMNS)]
    start, end = horizon(fc["timestamp"])
    y_top = float(fc["upper_95"].max()) if len(fc) else 0.0
    base = alt.Chart(fc).encode(x=_time_x())
    band95 = base.mark_area(opacity=0.2, color=FORECAST_COLOR).encode(
        y=alt.Y("lower_95:Q", title=t("common.inquiries")), y2="upper_95:Q"
    )
    band80 = base.mark_area(opacity=0.35, color=FORECAST_COLOR).encode(
        y="lower_80:Q", y2="upper_80:Q"
    )
    line = base.mark_line(color=FORECAST_COLOR, strokeWidth=1.5).encode(
        y="volume:Q",
        tooltip=[
            _when(),
            alt.Tooltip("volume:Q", format=",.0f", title=t("common.mean")),
            *(
                alt.Tooltip(f"{col}:Q", format=",.0f", title=t(f"common.{col}"))
                for col in BOUND_COLUMNS
            ),
        ],
    )
    layers = [*_phase_layers(phase_frame(events, start, end), y_top), band95, band80, line]
    return alt.layer(*layers).properties(height=380).interactive(bind_y=False)


SERIES = ("required", "scheduled", "shortfall")


def coverage_long(coverage: pd.DataFrame) -> pd.DataFrame:
    """``coverage`` reshaped to ``timestamp,series,label,agents`` with series ∈ required,
    scheduled and ``label`` its name in the UI language."""
    long = coverage.melt(
        id_vars="timestamp",
        value_vars=["required", "scheduled"],
        var_name="series",
        value_name="agents",
    )
    names = {s: t(f"common.{s}") for s in SERIES}
    return long.assign(label=long["series"].map(names))[["timestamp", "series", "label", "agents"]]


def staffing_chart(coverage: pd.DataFrame) -> alt.LayerChart:
    """Required vs scheduled agents per interval (step lines); the gap between them is shaded
    red in intervals short by at least ``MATERIAL_AGENTS`` (dashboard.peak).

    ``coverage`` has ``timestamp,required,scheduled,shortfall,surplus`` (agents).
    """
    x = _time_x()
    names = [t(f"common.{s}") for s in SERIES]
    color_scale = alt.Scale(domain=names, range=[REQUIRED_COLOR, SCHEDULED_COLOR, SHORTFALL_COLOR])
    lines = (
        alt.Chart(coverage_long(coverage))
        .mark_line(interpolate="step-after")
        .encode(
            x=x,
            y=alt.Y("agents:Q", title=t("common.agents")),
            color=alt.Color("label:N", title="", scale=color_scale),
            tooltip=[
                _when(),
                alt.Tooltip("label:N", title=" "),
                alt.Tooltip("agents:Q", format=".1f", title=t("common.agents")),
            ],
        )
    )
    short = coverage.loc[
        coverage["shortfall"] >= MATERIAL_AGENTS, ["timestamp", "scheduled", "required"]
    ]
    step = horizon(coverage["timestamp"])[1] - coverage["timestamp"].max()
    short = short.assign(
        end=short["timestamp"] + step,
        shortfall=coverage.loc[short.index, "shortfall"],
        label=names[2],
    )
    bars = (
        alt.Chart(short)
        .mark_rect(opacity=0.45)
        .encode(
            x=x,
            x2="end:T",
            y="scheduled:Q",
            y2="required:Q",
            color=alt.Color("label:N", title="", scale=color_scale),
            tooltip=[
                _when(),
                alt.Tooltip("required:Q", format=".1f", title=names[0]),
                alt.Tooltip("scheduled:Q", format=".1f", title=names[1]),
                alt.Tooltip("shortfall:Q", format=".1f", title=t("common.agents_short")),
            ],
        )
    )
    return alt.layer(bars, lines).properties(height=380).interactive(bind_y=False)


def service_level_chart(coverage: pd.DataFrame, target: float | None) -> alt.LayerChart:
    """Service level of the roster AS SCHEDULED per interval (coverage.csv
    ``expected_service_level``, 0–1) with the target as a dashed rule."""
    title = t("common.service_level")
    base = alt.Chart(coverage[["timestamp", "expected_service_level"]])
    line = base.mark_line(interpolate="step-after").encode(
        x=_time_x(),
        y=alt.Y(
            "expected_service_level:Q",
            title=title,
            axis=alt.Axis(format="%"),
            scale=alt.Scale(domain=[0, 1]),
        ),
        tooltip=[_when(), alt.Tooltip("expected_service_level:Q", format=".1%", title=title)],
    )
    layers: list[alt.Chart] = [line]
    if target is not None:
        rule = (
            alt.Chart(pd.DataFrame({"target": [target]}))
            .mark_rule(strokeDash=[6, 4], color=SHORTFALL_COLOR)
            .encode(y="target:Q", tooltip=[alt.Tooltip("target:Q", format=".0%",
                                                       title=t("common.target"))])
        )
        layers.append(rule)
    return alt.layer(*layers).properties(height=260)


def effect_shape_chart(row: pd.Series) -> alt.Chart:
    """Bars of one learned phase's uplift by hour of day (``shape_h00..23`` of a row of
    event_effects.csv; hours the phase never ran at are left out), a rule at ×1."""
    hours = [h for h in range(24) if pd.notna(row.get(f"shape_h{h:02d}"))]
    frame = pd.DataFrame({
        "hour": [f"{h:02d}:00" for h in hours],
        "uplift": [float(row[f"shape_h{h:02d}"]) for h in hours],
    })
    bars = alt.Chart(frame).mark_bar().encode(
        x=alt.X("hour:N", title=t("forecast.hour"), sort=None),
        y=alt.Y("uplift:Q", title=t("forecast.uplift")),
        tooltip=["hour", alt.Tooltip("uplift:Q", format=".2f")],
    )
    one = alt.Chart(pd.DataFrame({"y": [1.0]})).mark_rule(strokeDash=[4, 4]).encode(y="y:Q")
    return (bars + one).properties(height=220)
