"""Forecast page: mean inquiry volume with 80 % / 95 % prediction bands and promotion phases."""

from __future__ import annotations

import streamlit as st

from dashboard.charts import forecast_chart, horizon, phase_frame
from dashboard.state import current_run
from dashboard.widgets import day_range, within

run = current_run()
st.title("Forecast")
st.caption(
    "Mean forecast of inquiries per interval with 80 % and 95 % prediction bands; "
    "shaded rectangles are the promotion phases from events.csv."
)

forecast = run.forecast
if "queue" in forecast.columns and forecast["queue"].nunique() > 1:
    queues = sorted(forecast["queue"].astype(str).unique())
    queue = st.selectbox("Queue", queues, key="forecast_queue")
    forecast = forecast.loc[forecast["queue"].astype(str) == queue]

if forecast.empty:
    st.warning("forecast.csv has no rows.")
    st.stop()

forecast = within(forecast, day_range(forecast["timestamp"], key="forecast_days"))

if "events.csv" in run.missing_optional:
    st.warning("events.csv is missing: promotion phases are not shaded.")

st.altair_chart(forecast_chart(forecast, run.events), width="stretch")

c1, c2, c3 = st.columns(3)
peak = forecast.loc[forecast["volume"].idxmax()]
c1.metric("Total forecast volume", f"{forecast['volume'].sum():,.0f} inquiries")
c2.metric(
    "Peak interval",
    f"{peak['volume']:,.0f}",
    help=f"95 % upper bound {peak['upper_95']:,.0f}",
)
c3.metric("Peak interval start", f"{peak['timestamp']:%m-%d %H:%M}")

phases = phase_frame(run.events, *horizon(forecast["timestamp"]))
if not phases.empty:
    st.subheader("Promotion phases in the horizon")
    st.dataframe(
        phases[["event", "phase", "start", "end"]],
        hide_index=True,
        column_config={
            "start": st.column_config.DatetimeColumn("start", format="YYYY-MM-DD HH:mm"),
            "end": st.column_config.DatetimeColumn("end", format="YYYY-MM-DD HH:mm"),
        },
    )
