"""Roster page: the HR roster filtered by agent type and date, plus the CSV download."""

from __future__ import annotations

import streamlit as st

from dashboard.data import AGENT_TYPES
from dashboard.state import current_run

run = current_run()
roster = run.roster

st.title("Roster")
st.caption("One row per agent per working day (roster.csv, as sent to HR).")

present = set(roster["agent_type"].astype(str))
types = [t for t in AGENT_TYPES if t in present] + sorted(present - set(AGENT_TYPES))
dates = sorted(roster["date"].unique())

c1, c2, c3 = st.columns([2, 1, 1])
chosen_types = c1.multiselect("Agent type", types, default=types, key="roster_types")
search = c3.text_input("Agent ID or name contains", key="roster_search").strip()
chosen_date = c2.selectbox(
    "Date",
    ["All dates", *dates],
    key="roster_date",
    format_func=lambda d: d if isinstance(d, str) else f"{d:%Y-%m-%d (%a)}",
)

view = roster.loc[roster["agent_type"].astype(str).isin(chosen_types)]
if chosen_date != "All dates":
    view = view.loc[view["date"] == chosen_date]
if search:
    hit = view["agent_id"].str.contains(search, case=False, regex=False) | view[
        "agent_name"
    ].fillna("").str.contains(search, case=False, regex=False)
    view = view.loc[hit]

c1, c2, c3 = st.columns(3)
c1.metric("Shifts", f"{len(view):,d}")
c2.metric("Paid hours", f"{view['paid_hours'].sum():,.1f}")
c3.metric("Cost", f"¥{view['cost_cny'].sum():,.0f}")

st.dataframe(
    view,
    hide_index=True,
    width="stretch",
    height=420,
    column_config={
        "agent_id": st.column_config.TextColumn("agent_id"),
        "date": st.column_config.DateColumn("date", format="YYYY-MM-DD"),
        "shift_start": st.column_config.DatetimeColumn("shift_start", format="YYYY-MM-DD HH:mm"),
        "shift_end": st.column_config.DatetimeColumn("shift_end", format="YYYY-MM-DD HH:mm"),
        "paid_hours": st.column_config.NumberColumn("paid_hours", format="%.2f"),
        "cost_cny": st.column_config.NumberColumn("cost_cny", format="¥%.2f"),
    },
)

with st.expander("Shifts per day by agent type"):
    per_day = (
        view.pivot_table(
            index="date", columns="agent_type", values="agent_id", aggfunc="count", fill_value=0
        )
        .reindex(columns=[t for t in types if t in chosen_types], fill_value=0)
        .reset_index()
    )
    st.dataframe(
        per_day,
        hide_index=True,
        key="roster_per_day",
        column_config={"date": st.column_config.DateColumn("date", format="YYYY-MM-DD (ddd)")},
    )

st.download_button(
    "Download roster.csv (UTF-8 with BOM, opens in Excel)",
    data=run.roster_bytes,
    file_name=f"roster-{run.path.name}.csv",
    mime="text/csv",
    on_click="ignore",
    key="roster_download",
    icon=":material/download:",
)
st.caption("The download is the full roster file exactly as written by the run, not the filter.")
