"""Staffing page: required vs scheduled agents per interval, shortfall highlighted (intervals
short by at least dashboard.peak.MATERIAL_AGENTS agents), and the service level of the roster
AS SCHEDULED per interval (coverage.csv ``expected_service_level``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.charts import service_level_chart, staffing_chart
from dashboard.i18n import moment, number, percent, t
from dashboard.peak import MATERIAL_AGENTS, short_intervals
from dashboard.state import current_run
from dashboard.summary import summarize
from dashboard.widgets import day_range, within

run = current_run()
kpi = summarize(run.summary if run.model is None else run.model)
coverage = run.coverage
hours_per_interval = run.interval_minutes / 60

st.title(t("staffing.title"))
st.caption(t("staffing.caption"))

if coverage.empty:
    st.warning(t("staffing.empty"))
    st.stop()
span = day_range(coverage["timestamp"], key="staffing_days")
coverage = within(coverage, span)

short = short_intervals(coverage)
slivers = int(((coverage["shortfall"] > 0) & ~short).sum())
agents = "staffing.agents_value"
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("staffing.peak_required"), t(agents, value=number(coverage["required"].max())))
c2.metric(t("staffing.peak_scheduled"), t(agents, value=number(coverage["scheduled"].max(), 1)))
c3.metric(
    t("staffing.intervals_short"),
    t("staffing.of", count=number(short.sum()), total=number(len(coverage))),
    help=t("staffing.intervals_short_help", minutes=run.interval_minutes,
           threshold=number(MATERIAL_AGENTS, 1), slivers=slivers),
)  # fmt: skip
c4.metric(
    t("staffing.hours_short"),
    number(coverage["shortfall"].sum() * hours_per_interval, 1),
    help=t("staffing.hours_short_help"),
)

st.altair_chart(staffing_chart(coverage), width="stretch")

if short.any():
    with st.expander(t("staffing.short_list", count=int(short.sum()))):
        rows = coverage.loc[short]
        st.dataframe(
            pd.DataFrame(
                {
                    t("common.interval_start"): rows["timestamp"].map(moment),
                    t("peak.col_required"): rows["required"].round(2),
                    t("peak.col_scheduled"): rows["scheduled"].round(2),
                    t("peak.col_short"): rows["shortfall"].round(2),
                }
            ),
            hide_index=True,
        )

st.subheader(t("staffing.service"))
if "expected_service_level" not in coverage.columns:
    st.info(t("staffing.no_service"))
else:
    sl = coverage["expected_service_level"]
    weights = None
    if run.requirements is not None and "volume" in run.requirements.columns:
        volume = run.requirements.set_index("timestamp")["volume"]
        weights = coverage["timestamp"].map(volume).fillna(0.0)
    c1, c2, c3 = st.columns(3)
    if weights is not None and weights.sum() > 0:
        c1.metric(t("staffing.volume_weighted"), percent((sl * weights).sum() / weights.sum()))
    else:
        c1.metric(t("staffing.mean"), percent(sl.mean()))
    c2.metric(t("staffing.lowest"), percent(sl.min()))
    target = kpi.service_target
    c3.metric(t("staffing.target"), percent(target, 0))
    st.caption(t("staffing.service_caption"))
    st.altair_chart(service_level_chart(coverage, target), width="stretch")
