"""Charts of the Roster page: a Gantt of one day's shifts and breaks per agent, and a day x hour
heatmap of agents on duty (pure functions; no Streamlit, testable via ``chart.to_dict()``).

Input is the roster frame of :func:`dashboard.data.load_run` (``date`` as ``datetime.date``,
``shift_start``/``shift_end`` naive local timestamps, ``breaks`` the roster.csv text
``HH:MM-HH:MM;...``). Display texts come from :mod:`dashboard.i18n` (zh/en).
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import numpy as np
import pandas as pd

from dashboard.i18n import AGENT_TYPES, agent_type_name, day, t

#: Shift bar colour by agent type (permanent, part-time, temporary); other types get grey.
TYPE_COLORS = {"permanent": "#1f77b4", "part_time": "#ff7f0e", "temporary": "#2ca02c"}
BREAK_COLOR = "#222222"
#: Gantt row height, pixels per agent.
ROW_PX = 18


def _clock(day_start: pd.Series, text: pd.Series) -> pd.Series:
    """``day_start`` (midnight) plus the ``HH:MM`` in ``text``."""
    hours = pd.to_timedelta(text.str.slice(0, 2).astype(int), unit="h")
    return day_start + hours + pd.to_timedelta(text.str.slice(3, 5).astype(int), unit="m")


def break_spans(roster: pd.DataFrame) -> pd.DataFrame:
    """Every break of the roster as absolute local times: columns ``row`` (the shift's index
    label), ``start``, ``end`` and ``text`` (``HH:MM-HH:MM``). A break's clock time before its
    shift's start lies on the next day (a night shift's break after midnight)."""
    text = roster["breaks"].fillna("").astype(str).str.split(";").explode().str.strip()
    text = text[text.str.fullmatch(r"\d\d:\d\d-\d\d:\d\d")]
    if text.empty:
        return pd.DataFrame(
            {"row": pd.Series(dtype="int64"), "start": pd.Series(dtype="datetime64[ns]"),
             "end": pd.Series(dtype="datetime64[ns]"), "text": pd.Series(dtype="object")}
        )  # fmt: skip
    own = roster.loc[text.index, "shift_start"]
    start = _clock(own.dt.normalize(), text.str.slice(0, 5))
    start = start.where(start >= own, start + pd.Timedelta(days=1))
    end = _clock(start.dt.normalize(), text.str.slice(6, 11))
    end = end.where(end > start, end + pd.Timedelta(days=1))
    return pd.DataFrame(
        {"row": text.index, "start": start.to_numpy(), "end": end.to_numpy(), "text": text}
    ).reset_index(drop=True)


def agent_labels(roster: pd.DataFrame) -> pd.Series:
    """``003 王文静``: the agent's ID and name (the ID alone when the name is empty or the ID, as
    for temporaries), one per roster row."""
    ids = roster["agent_id"].astype(str)
    names = roster["agent_name"].fillna("").astype(str)
    return ids.where((names == "") | (names == ids), ids + " " + names)


def gantt_frames(roster: pd.DataFrame, chosen: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(shifts, breaks) of the shifts dated ``chosen``, for :func:`gantt_chart`.

    shifts: ``agent`` label, ``type`` (display name), ``type_id``, ``start``, ``end``, ``shift``
    (``HH:MM–HH:MM``) and ``breaks`` (text), ordered by start then agent ID; breaks: ``agent``,
    ``start``, ``end``, ``text``."""
    rows = roster.loc[roster["date"] == chosen].sort_values(
        ["shift_start", "agent_id"], kind="stable"
    )
    shifts = pd.DataFrame(
        {
            "agent": agent_labels(rows),
            "type_id": rows["agent_type"].astype(str),
            "type": rows["agent_type"].map(agent_type_name),
            "start": rows["shift_start"],
            "end": rows["shift_end"],
            "shift": rows["shift_start"].dt.strftime("%H:%M")
            + "–"
            + rows["shift_end"].dt.strftime("%H:%M"),
            "breaks": rows["breaks"].fillna("").astype(str).str.replace(";", ", "),
        }
    )
    spans = break_spans(rows)
    breaks = spans.assign(agent=shifts.loc[spans["row"], "agent"].to_numpy()).drop(columns="row")
    return shifts.reset_index(drop=True), breaks


def _type_scale(shifts: pd.DataFrame) -> alt.Scale:
    ids = list(dict.fromkeys([*[k for k in AGENT_TYPES if k in set(shifts["type_id"])],
                              *sorted(set(shifts["type_id"]))]))  # fmt: skip
    return alt.Scale(
        domain=[agent_type_name(k) for k in ids],
        range=[TYPE_COLORS.get(k, "#7f7f7f") for k in ids],
    )


def gantt_chart(shifts: pd.DataFrame, breaks: pd.DataFrame) -> alt.LayerChart:
    """Gantt of one day: a bar per shift (colour = agent type) and a black rule per break, one
    row per agent, x = local clock time."""
    order = list(dict.fromkeys(shifts["agent"]))
    y = alt.Y("agent:N", sort=order, title=t("roster.axis_agent"), bandPosition=0.5)
    x = alt.X("start:T", title=t("roster.axis_time"), axis=alt.Axis(format="%H:%M"))
    bars = (
        alt.Chart(shifts)
        .mark_bar(height=ROW_PX - 6, cornerRadius=2)
        .encode(
            x=x,
            x2="end:T",
            y=alt.Y("agent:N", sort=order, title=t("roster.axis_agent")),
            color=alt.Color("type:N", scale=_type_scale(shifts), title=t("roster.legend_type")),
            tooltip=[
                alt.Tooltip("agent:N", title=t("roster.axis_agent")),
                alt.Tooltip("type:N", title=t("roster.legend_type")),
                alt.Tooltip("shift:N", title=t("roster.tip_shift")),
                alt.Tooltip("breaks:N", title=t("roster.tip_breaks")),
            ],
        )
    )
    rules = (
        alt.Chart(breaks)
        .mark_rule(color=BREAK_COLOR, strokeWidth=4)
        .encode(
            x=x,
            x2="end:T",
            y=y,
            tooltip=[
                alt.Tooltip("agent:N", title=t("roster.axis_agent")),
                alt.Tooltip("text:N", title=t("roster.tip_break")),
            ],
        )
    )
    height = max(80, ROW_PX * len(order))
    return alt.layer(bars, rules).properties(height=height)


def duty_by_hour(roster: pd.DataFrame) -> pd.DataFrame:
    """Mean agents on duty and not on break in every hour of the roster's days: columns ``day``
    (``YYYY-MM-DD``), ``label`` (:func:`dashboard.i18n.day`), ``hour`` (0–23) and ``agents``
    (heads, mean over the hour's minutes). Days run from the first ``date`` to the day of the
    last shift end; empty for an empty roster."""
    columns = ["day", "label", "hour", "agents"]
    if roster.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    t0 = pd.Timestamp(min(roster["date"]))
    last = roster["shift_end"].max()
    days = int((last.normalize() - t0).days) + (1 if last > last.normalize() else 0)
    total = max(days, 1) * 1440
    spans = break_spans(roster)
    edges = pd.concat([roster["shift_start"], roster["shift_end"], spans["start"], spans["end"]])
    n, b = len(roster), len(spans)
    weights = np.concatenate([np.ones(n), -np.ones(n), -np.ones(b), np.ones(b)])
    minutes = ((pd.DatetimeIndex(edges) - t0) // pd.Timedelta(minutes=1)).to_numpy()
    diff = np.zeros(total + 1)
    np.add.at(diff, np.clip(minutes, 0, total), weights)
    hourly = np.cumsum(diff[:-1]).reshape(-1, 24, 60).mean(axis=2)
    stamps = pd.date_range(t0, periods=hourly.shape[0], freq="D")
    return pd.DataFrame(
        {
            "day": np.repeat(stamps.strftime("%Y-%m-%d"), 24),
            "label": np.repeat([day(s) for s in stamps], 24),
            "hour": np.tile(np.arange(24), len(stamps)),
            "agents": hourly.ravel().round(1),
        }
    )


def duty_heatmap(duty: pd.DataFrame) -> alt.Chart:
    """Day (rows) x hour (columns) heatmap of :func:`duty_by_hour`'s agents on duty."""
    order = list(dict.fromkeys(duty["label"]))
    return (
        alt.Chart(duty)
        .mark_rect()
        .encode(
            x=alt.X("hour:O", title=t("roster.axis_hour"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("label:O", sort=order, title=t("roster.axis_day")),
            color=alt.Color(
                "agents:Q", title=t("roster.legend_on_duty"), scale=alt.Scale(scheme="blues")
            ),
            tooltip=[
                alt.Tooltip("label:O", title=t("roster.axis_day")),
                alt.Tooltip("hour:O", title=t("roster.axis_hour")),
                alt.Tooltip("agents:Q", title=t("roster.legend_on_duty"), format=".1f"),
            ],
        )
        .properties(height=max(120, 22 * len(order)))
    )
