"""Forecast page: mean inquiry volume with 80 % / 95 % prediction bands and promotion phases."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.charts import effect_shape_chart, forecast_chart, horizon, phase_frame
from dashboard.i18n import event_name, moment, number, phase_name, t
from dashboard.state import current_run
from dashboard.widgets import day_range, within

run = current_run()
st.title(t("forecast.title"))
st.caption(t("forecast.caption"))

forecast = run.forecast
if "queue" in forecast.columns and forecast["queue"].nunique() > 1:
    queues = sorted(forecast["queue"].astype(str).unique())
    queue = st.selectbox(t("forecast.queue"), queues, key="forecast_queue")
    forecast = forecast.loc[forecast["queue"].astype(str) == queue]

if forecast.empty:
    st.warning(t("forecast.empty"))
    st.stop()

forecast = within(forecast, day_range(forecast["timestamp"], key="forecast_days"))

if "events.csv" in run.missing_optional:
    st.warning(t("forecast.no_events"))

st.altair_chart(forecast_chart(forecast, run.events), width="stretch")

c1, c2, c3 = st.columns(3)
peak = forecast.loc[forecast["volume"].idxmax()]
c1.metric(t("forecast.total"), t("forecast.total_value", value=number(forecast["volume"].sum())))
c2.metric(
    t("forecast.peak"),
    number(peak["volume"]),
    help=t("forecast.peak_help", value=number(peak["upper_95"])),
)
c3.metric(t("forecast.peak_start"), moment(peak["timestamp"]))

phases = phase_frame(run.events, *horizon(forecast["timestamp"]))
if not phases.empty:
    st.subheader(t("forecast.phases"))
    st.dataframe(
        pd.DataFrame(
            {
                t("common.phase"): phases["label"],
                t("common.start"): phases["start"].map(moment),
                t("common.end"): phases["end"].map(moment),
            }
        ),
        hide_index=True,
    )

effects = run.event_effects
if effects is not None:
    # the families this plan's horizon holds first (the ones it is planned for), then the rest
    here = set(run.events["event"].astype(str)) if not run.events.empty else set()
    first = ~effects["family"].astype(str).isin(here)
    effects = effects.iloc[first.to_numpy().argsort(kind="stable")].reset_index(drop=True)
    st.subheader(t("forecast.effects"))
    st.caption(t("forecast.effects_caption"))
    labels = effects["family"].astype(str).map(event_name) + " · " + \
        effects["phase"].astype(str).map(phase_name)
    table = pd.DataFrame(
        {
            t("common.phase"): labels,
            t("forecast.seen"): effects["occurrences"].astype(int),
            t("forecast.uplift"): effects["uplift"].map(lambda x: f"×{x:.2f}"),
            t("forecast.uplift_interval"): [
                f"×{lo:.2f} – ×{hi:.2f}"
                for lo, hi in zip(effects["uplift_lo_80"], effects["uplift_hi_80"], strict=True)
            ],
            t("forecast.peak_hour"): effects["peak_hour"].map(lambda h: f"{int(h):02d}:00"),
        }
    )
    if "pooled" in effects.columns:  # runs before pooling lack it
        table[t("forecast.pooled")] = effects["pooled"].map(lambda x: f"{x:.0%}")
    st.dataframe(table, hide_index=True)
    pick = st.selectbox(t("forecast.shape"), list(labels), key="forecast_effect")
    row = effects.loc[labels == pick].iloc[0]
    st.altair_chart(effect_shape_chart(row), width="stretch")
