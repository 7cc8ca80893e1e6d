"""Compare page: two or more runs side by side (the figures of ``peakplan compare``), on the
cost–service plane with dominated runs marked (the rule of ``peakplan frontier``), and their
per-interval differences (issue 19 point 7).

Runs are found under a runs folder (``out/`` by default), the runs inside ``peakplan frontier``
sweep directories included; the run chosen in the sidebar is offered too. The page only reads run
directories; a run that cannot be read is named in a one-line warning and left out.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.compare_charts import difference_chart, frontier_chart, scheduled_chart
from dashboard.compare_data import (
    Comparison,
    comparison_fingerprint,
    default_selection,
    display_name,
    display_table,
    download_bytes,
    find_runs,
    find_sweeps,
    interval_differences,
    load_comparison,
    scheduled_by_run,
)
from dashboard.i18n import TEXTS, lang, t
from dashboard.state import RUN_KEY
from dashboard.widgets import day_range, within


@st.cache_data(max_entries=8, show_spinner=False)
def _cached_comparison(paths: tuple[str, ...], root: str, fingerprint: tuple) -> Comparison:
    del fingerprint  # only part of the cache key: a rewritten run is reloaded
    return load_comparison(paths, root)


SELECTION_KEY = "compare_runs"
SELECTION_ROOT_KEY = "compare_runs_root"


def _choose_runs() -> tuple[list[Path], Path]:
    """The runs folder and the multiselect of runs; returns (chosen run paths, runs root)."""
    folder = st.text_input(
        t("compare.folder"),
        value="out",
        key="compare_root",
        help=t("compare.folder_help"),
    ).strip()
    root = (Path.cwd() / (folder or "out")).resolve()
    runs = find_runs(root)
    sidebar = st.session_state.get(RUN_KEY)
    if sidebar and Path(sidebar).resolve() not in {p.resolve() for p in runs}:
        runs.append(Path(sidebar))
    by_name = {display_name(p, root): p for p in runs}
    default = [display_name(p, root) for p in default_selection(runs, find_sweeps(root))]
    # A new folder gets its own default selection; otherwise the user's choice stands (less any
    # run that has gone). Set through session state: a keyed widget ignores a changed default.
    if st.session_state.get(SELECTION_ROOT_KEY) != str(root):
        st.session_state[SELECTION_ROOT_KEY] = str(root)
        st.session_state[SELECTION_KEY] = [d for d in default if d in by_name]
    else:
        kept = st.session_state.get(SELECTION_KEY) or []
        st.session_state[SELECTION_KEY] = [name for name in kept if name in by_name]
    chosen = st.multiselect(
        t("compare.runs"),
        list(by_name),
        key=SELECTION_KEY,
        help=t("compare.runs_help"),
    )
    if not runs:
        st.caption(t("compare.no_runs", folder=folder or "out"))
    return [by_name[name] for name in chosen], root


def _cell(value: str) -> str:
    """A table cell (text of :func:`display_table`) in the chosen language: yes/no, n/a and the
    solver status translated; numbers, dates and names as written (equal to summary.json)."""
    if value in ("yes", "no"):
        return t(f"compare.{value}")
    if value == "n/a":
        return "–" if lang() == "zh" else value
    return t(f"compare.status.{value}") if f"compare.status.{value}" in TEXTS else value


def localised_table(table: pd.DataFrame) -> pd.DataFrame:
    """The per-run table of ``peakplan compare`` for people: each figure by its display name
    (from its summary.json ``key``), cells translated (:func:`_cell`); the ``key`` column only
    in English (the dotted summary.json keys are identifiers)."""
    out = display_table(table)
    out["figure"] = [t(f"compare.figure.{k}") if f"compare.figure.{k}" in TEXTS else f
                     for f, k in zip(out["figure"], out["key"], strict=True)]  # fmt: skip
    for column in out.columns.drop(["figure", "key"]):
        out[column] = [_cell(v) for v in out[column]]
    out = out.rename(columns={"figure": t("compare.col_figure"), "key": t("compare.col_key")})
    return out.drop(columns=t("compare.col_key")) if lang() == "zh" else out


def _table(comparison: Comparison) -> None:
    st.subheader(t("compare.side_by_side"))
    st.caption(t("compare.side_caption"))
    assert comparison.table is not None
    st.dataframe(localised_table(comparison.table), hide_index=True, width="stretch",
                 key="compare_table")  # fmt: skip
    st.download_button(
        t("compare.download"),
        data=download_bytes(comparison.table), file_name="compare.csv", mime="text/csv",
        on_click="ignore", key="compare_download", icon=":material/download:",
    )  # fmt: skip


def _frontier(comparison: Comparison) -> None:
    st.subheader(t("compare.frontier"))
    points = comparison.points
    placed = points["wages_total_cny"].notna() & points["expected_service_level"].notna()
    if not placed.any():
        st.info(t("compare.no_points"))
        return
    st.caption(t("compare.frontier_caption"))
    st.altair_chart(frontier_chart(points), width="stretch")
    if (~placed).any():
        st.caption(t("compare.not_plotted", runs=", ".join(points["run"][~placed])))
    shown = points[
        ["run", "label", "wages_total_cny", "expected_service_level", "expected_three_min_rate",
         "short_agent_hours", "dominated", "dominated_by"]
    ]  # fmt: skip
    st.dataframe(
        shown, hide_index=True, width="stretch", key="compare_points",
        column_config={
            "run": st.column_config.TextColumn(t("compare.col_run")),
            "label": st.column_config.TextColumn(t("compare.col_label")),
            "wages_total_cny": st.column_config.NumberColumn(t("compare.col_wages"),
                                                             format="¥%.0f"),
            "expected_service_level": st.column_config.NumberColumn(
                t("compare.col_service"), format="percent"),
            "expected_three_min_rate": st.column_config.NumberColumn(
                t("compare.col_rate"), format="percent"),
            "short_agent_hours": st.column_config.NumberColumn(t("compare.col_short"),
                                                               format="%.1f"),
            "dominated": st.column_config.CheckboxColumn(t("compare.col_dominated")),
            "dominated_by": st.column_config.TextColumn(t("compare.col_dominated_by")),
        },
    )  # fmt: skip


def _intervals(comparison: Comparison) -> None:
    st.subheader(t("compare.intervals"))
    runs = list(comparison.runs)
    if comparison.intervals is None:
        st.warning(t("compare.intervals_not_shown", why=comparison.intervals_problem))
        return
    if comparison.intervals.note:
        st.caption(t("compare.note", note=comparison.intervals.note))
    if comparison.intervals.table.empty:
        st.info(t("compare.no_shared"))
        return
    scheduled = scheduled_by_run(runs, comparison.intervals)
    differences = interval_differences(runs, comparison.intervals)
    span = day_range(scheduled["timestamp"], key="compare_days")
    st.caption(t("compare.intervals_caption", first=runs[0].name))
    st.altair_chart(scheduled_chart(within(scheduled, span)), width="stretch")
    shown = within(differences, span)
    for measure in ("scheduled", "shortfall"):
        st.altair_chart(difference_chart(shown, runs[0].name, measure), width="stretch")
    table: pd.DataFrame = comparison.intervals.table
    st.download_button(
        t("compare.download_intervals"),
        data=download_bytes(table), file_name="compare-intervals.csv", mime="text/csv",
        on_click="ignore", key="compare_intervals_download", icon=":material/download:",
    )  # fmt: skip


st.title(t("compare.title"))
chosen, root = _choose_runs()
if len(chosen) < 2:
    st.info(t("compare.choose"))
    st.stop()
paths = tuple(str(p) for p in chosen)
with st.spinner(t("compare.loading")):
    comparison = _cached_comparison(paths, str(root), comparison_fingerprint(paths))
for folder, why in comparison.problems:
    st.warning(t("compare.cannot_read", folder=folder, why=why))
if len(comparison.runs) < 2:
    st.info(t("compare.too_few"))
    st.stop()
_table(comparison)
_frontier(comparison)
_intervals(comparison)
