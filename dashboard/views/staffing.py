"""Staffing page: required vs scheduled agents per interval, shortfall highlighted, and the
expected service level from the requirements frame."""

from __future__ import annotations

import streamlit as st

from dashboard.charts import service_level_chart, staffing_chart
from dashboard.state import current_run
from dashboard.summary import summarize
from dashboard.widgets import day_range, within

run = current_run()
kpi = summarize(run.summary)
coverage = run.coverage
hours_per_interval = run.interval_minutes / 60

st.title("Staffing")
st.caption(
    "Agents required (Erlang, grossed up for shrinkage) vs agents scheduled on duty "
    "(× efficiency, not on break) per interval; red shading marks the shortfall."
)

if coverage.empty:
    st.warning("coverage.csv has no rows.")
    st.stop()
span = day_range(coverage["timestamp"], key="staffing_days")
coverage = within(coverage, span)

short = coverage["shortfall"] > 0
c1, c2, c3, c4 = st.columns(4)
c1.metric("Peak required", f"{coverage['required'].max():,.0f} agents")
c2.metric("Peak scheduled", f"{coverage['scheduled'].max():,.1f} agents")
c3.metric(
    "Intervals short",
    f"{int(short.sum()):,d} of {len(coverage):,d}",
    help=f"{run.interval_minutes}-minute intervals with shortfall > 0",
)
c4.metric(
    "Agent-hours short",
    f"{coverage['shortfall'].sum() * hours_per_interval:,.1f}",
    help="Sum of shortfall × interval length.",
)

st.altair_chart(staffing_chart(coverage), width="stretch")

if short.any():
    with st.expander(f"Intervals with a shortfall ({int(short.sum())})"):
        st.dataframe(
            coverage.loc[short],
            hide_index=True,
            column_config={
                "timestamp": st.column_config.DatetimeColumn(
                    "interval start", format="YYYY-MM-DD HH:mm"
                )
            },
        )

st.subheader("Expected service level")
req = None if run.requirements is None else within(run.requirements, span)
if req is None:
    st.info("requirements.csv is not in this run directory.")
else:
    sl = req["expected_service_level"]
    weights = req["volume"] if "volume" in req.columns else None
    c1, c2, c3 = st.columns(3)
    if weights is not None and weights.sum() > 0:
        c1.metric("Volume-weighted", f"{(sl * weights).sum() / weights.sum():.1%}")
    else:
        c1.metric("Mean", f"{sl.mean():.1%}")
    c2.metric("Lowest interval", f"{sl.min():.1%}")
    target = kpi.service_target
    c3.metric("Target", "n/a" if target is None else f"{target:.0%}")
    st.caption(
        "Service level the staffing requirement is sized for (requirements.csv); the overall "
        "figure with the roster as scheduled is on the Overview page."
    )
    st.altair_chart(service_level_chart(req, target), width="stretch")
