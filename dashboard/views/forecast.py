"""Forecast page: mean inquiry volume with 80 % / 95 % prediction bands and promotion phases."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.charts import forecast_chart, horizon, phase_frame
from dashboard.i18n import moment, number, t
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
