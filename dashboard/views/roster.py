"""Roster page: the HR roster filtered by agent type, team (when the roster has one), agent and
date; a Gantt of one day's shifts and breaks; a day x hour heatmap of agents on duty; the HR
downloads (CSV and Excel workbook, whole roster or the filtered view, zh or en headers)."""

from __future__ import annotations

import streamlit as st

from dashboard.data import AGENT_TYPES
from dashboard.i18n import agent_type_name, day, lang, money, number, t
from dashboard.roster_charts import duty_by_hour, duty_heatmap, gantt_chart, gantt_frames
from dashboard.state import current_run
from scenarios.hr_export import HR_LANGUAGES, hr_csv_bytes, read_roster_text
from scenarios.roster_xlsx import roster_xlsx_bytes

#: The date filter's "every date" choice (a string: dates are ``datetime.date``).
ALL_DATES = "All dates"
#: Session key of the Gantt's day.
GANTT_DAY = "roster_gantt_day"


@st.cache_data(max_entries=16, show_spinner=False)
def hr_file(data: bytes, rows: tuple[int, ...] | None, language: str, kind: str) -> bytes:
    """The HR download: roster.csv's text rows (``rows`` = their positions, None = all) as a
    CSV (``kind="csv"``, UTF-8 with BOM) or workbook (``"xlsx"``) with ``language`` headers."""
    frame = read_roster_text(data)
    if rows is not None:
        frame = frame.iloc[list(rows)]
    return hr_csv_bytes(frame, language) if kind == "csv" else roster_xlsx_bytes(frame, language)


run = current_run()
roster = run.roster

st.title(t("roster.title"))
st.caption(t("roster.caption"))

present = set(roster["agent_type"].astype(str))
types = [k for k in AGENT_TYPES if k in present] + sorted(present - set(AGENT_TYPES))
dates = sorted(roster["date"].unique())
has_team = "team" in roster.columns
# Option labels are fixed during the run (a format_func may be called later, outside it).
date_labels = {ALL_DATES: t("roster.all_dates"), **{d: day(d) for d in dates}}
type_labels = {k: agent_type_name(k) for k in types}


def _date_label(value: object) -> str:
    """A date option's label (an already formatted label is kept)."""
    return date_labels.get(value, str(value))


c1, c2, c3 = st.columns([2, 1, 1])
chosen_types = c1.multiselect(
    t("roster.filter_type"),
    types,
    default=types,
    key="roster_types",
    format_func=lambda k: type_labels.get(k, k),
)
chosen_date = c2.selectbox(
    t("roster.filter_date"), [ALL_DATES, *dates], key="roster_date", format_func=_date_label
)
search = c3.text_input(t("roster.filter_search"), key="roster_search").strip()

view = roster.loc[roster["agent_type"].astype(str).isin(chosen_types)]
if has_team:
    teams = sorted(roster["team"].dropna().astype(str).unique())
    chosen_teams = st.multiselect(t("roster.filter_team"), teams, default=teams, key="roster_teams")
    view = view.loc[view["team"].astype(str).isin(chosen_teams)]
if search:
    hit = view["agent_id"].str.contains(search, case=False, regex=False) | view[
        "agent_name"
    ].fillna("").str.contains(search, case=False, regex=False)
    view = view.loc[hit]
agents_view = view  # every date: the Gantt's day and the heatmap use it
if chosen_date != ALL_DATES:
    view = view.loc[view["date"] == chosen_date]

c1, c2, c3 = st.columns(3)
c1.metric(t("roster.metric_shifts"), number(len(view)))
c2.metric(t("roster.metric_hours"), number(view["paid_hours"].sum(), 1))
c3.metric(t("roster.metric_cost"), money(view["cost_cny"].sum()))

shown = view.assign(agent_type=view["agent_type"].map(agent_type_name))
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    height=420,
    column_config={
        "agent_id": st.column_config.TextColumn(t("roster.col_agent_id")),
        "agent_name": st.column_config.TextColumn(t("roster.col_agent_name")),
        "agent_type": st.column_config.TextColumn(t("roster.col_agent_type")),
        "team": st.column_config.TextColumn(t("roster.col_team")),
        "date": st.column_config.DateColumn(t("roster.col_date"), format="YYYY-MM-DD"),
        "shift_start": st.column_config.DatetimeColumn(
            t("roster.col_shift_start"), format="YYYY-MM-DD HH:mm"
        ),
        "shift_end": st.column_config.DatetimeColumn(
            t("roster.col_shift_end"), format="YYYY-MM-DD HH:mm"
        ),
        "breaks": st.column_config.TextColumn(t("roster.col_breaks")),
        "paid_hours": st.column_config.NumberColumn(t("roster.col_paid_hours"), format="%.2f"),
        "cost_cny": st.column_config.NumberColumn(t("roster.col_cost_cny"), format="¥%.2f"),
    },
)

with st.expander(t("roster.per_day")):
    columns = [k for k in types if k in chosen_types]
    per_day = (
        view.pivot_table(
            index="date", columns="agent_type", values="agent_id", aggfunc="count", fill_value=0
        )
        .reindex(columns=columns, fill_value=0)
        .reset_index()
    )
    config = {k: st.column_config.NumberColumn(agent_type_name(k)) for k in columns}
    st.dataframe(
        per_day,
        hide_index=True,
        key="roster_per_day",
        column_config={
            "date": st.column_config.DateColumn(t("roster.col_date"), format="YYYY-MM-DD"),
            **config,
        },
    )

st.subheader(t("roster.gantt_header"))
if not dates:
    st.info(t("roster.empty"))
else:
    # One day is drawn: the date filter's when it names one, else the user's pick (first the
    # busiest day). Set through session state: a keyed widget ignores a changed ``index``.
    if chosen_date != ALL_DATES:
        st.session_state[GANTT_DAY] = chosen_date
    elif st.session_state.get(GANTT_DAY) not in dates:
        st.session_state[GANTT_DAY] = roster.groupby("date")["agent_id"].count().idxmax()
    gantt_day = st.selectbox(
        t("roster.gantt_day"),
        dates,
        key=GANTT_DAY,
        format_func=_date_label,
        disabled=chosen_date != ALL_DATES,
    )
    shifts, breaks = gantt_frames(agents_view, gantt_day)
    if shifts.empty:
        st.info(t("roster.gantt_none", day=day(gantt_day)))
    else:
        st.altair_chart(gantt_chart(shifts, breaks), width="stretch", key="roster_gantt")
        st.caption(t("roster.gantt_caption"))

    st.subheader(t("roster.heatmap_header"))
    duty = duty_by_hour(agents_view)
    if duty.empty:
        st.info(t("roster.heatmap_none"))
    else:
        st.altair_chart(duty_heatmap(duty), width="stretch", key="roster_heatmap")
        st.caption(t("roster.heatmap_caption"))

st.subheader(t("roster.download_header"))
c1, c2 = st.columns(2)
language = c1.radio(
    t("roster.download_language"),
    HR_LANGUAGES,
    index=HR_LANGUAGES.index(lang()),
    format_func=lambda code: "中文" if code == "zh" else "English",
    horizontal=True,
    key="roster_hr_lang",
)
whole = len(roster) == len(view)
scope_labels = {
    "all": t("roster.scope_all", n=number(len(roster))),
    "view": t("roster.scope_view", n=number(len(view))),
}
scope = c2.radio(
    t("roster.download_scope"),
    ("all", "view"),
    format_func=lambda s: scope_labels.get(s, s),
    horizontal=True,
    key="roster_scope",
)
rows = None if scope == "all" or whole else tuple(roster.index.get_indexer(view.index).tolist())
stem = f"roster-{run.path.name}" + ("" if rows is None else "-filtered")
c1, c2 = st.columns(2)
c1.download_button(
    t("roster.download_csv"),
    data=hr_file(run.roster_bytes, rows, language, "csv"),
    file_name=f"{stem}.csv",
    mime="text/csv",
    on_click="ignore",
    key="roster_download",
    icon=":material/download:",
)
c2.download_button(
    t("roster.download_xlsx"),
    data=hr_file(run.roster_bytes, rows, language, "xlsx"),
    file_name=f"{stem}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
    key="roster_xlsx_download",
    icon=":material/table_view:",
)
st.caption(t("roster.download_caption"))
