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
from dashboard.state import RUN_KEY
from dashboard.widgets import day_range, within


@st.cache_data(max_entries=8, show_spinner="Loading runs…")
def _cached_comparison(paths: tuple[str, ...], root: str, fingerprint: tuple) -> Comparison:
    del fingerprint  # only part of the cache key: a rewritten run is reloaded
    return load_comparison(paths, root)


SELECTION_KEY = "compare_runs"
SELECTION_ROOT_KEY = "compare_runs_root"


def _choose_runs() -> tuple[list[Path], Path]:
    """The runs folder and the multiselect of runs; returns (chosen run paths, runs root)."""
    folder = st.text_input(
        "Runs folder",
        value="out",
        key="compare_root",
        help="Run directories and `peakplan frontier` sweeps below this folder are listed.",
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
        "Runs to compare",
        list(by_name),
        key=SELECTION_KEY,
        help="The first run is the reference of the per-interval differences. Default: every "
        "run of the newest sweep, else the two newest runs.",
    )
    if not runs:
        st.caption(f"No run directories under `{folder or 'out'}`.")
    return [by_name[name] for name in chosen], root


def _table(comparison: Comparison) -> None:
    st.subheader("Side by side")
    st.caption(
        "Every figure exactly as in each run's summary.json (`key`); the same table as "
        "`peakplan compare RUN…`."
    )
    assert comparison.table is not None
    st.dataframe(display_table(comparison.table), hide_index=True, width="stretch",
                 key="compare_table")  # fmt: skip
    st.download_button(
        "Download the table (CSV, UTF-8 with BOM, opens in Excel)",
        data=download_bytes(comparison.table), file_name="compare.csv", mime="text/csv",
        on_click="ignore", key="compare_download", icon=":material/download:",
    )  # fmt: skip


def _frontier(comparison: Comparison) -> None:
    st.subheader("Cost vs service")
    points = comparison.points
    placed = points["wages_total_cny"].notna() & points["expected_service_level"].notna()
    if not placed.any():
        st.info("None of these runs has both wages and an expected service level to plot.")
        return
    st.caption(
        "Wages (CNY) against the expected service level of the roster as scheduled. A run is "
        "dominated (hollow grey) when another costs no more and serves at least as well, "
        "strictly better in one; the dashed red line is the service-level target."
    )
    st.altair_chart(frontier_chart(points), width="stretch")
    if (~placed).any():
        st.caption("Not plotted (no wages or service level): " + ", ".join(points["run"][~placed]))
    shown = points[
        ["run", "label", "wages_total_cny", "expected_service_level", "expected_three_min_rate",
         "short_agent_hours", "dominated", "dominated_by"]
    ]  # fmt: skip
    st.dataframe(
        shown, hide_index=True, width="stretch", key="compare_points",
        column_config={
            "label": st.column_config.TextColumn("variant / overrides"),
            "wages_total_cny": st.column_config.NumberColumn("wages, CNY", format="¥%.0f"),
            "expected_service_level": st.column_config.NumberColumn(
                "service level", format="percent"),
            "expected_three_min_rate": st.column_config.NumberColumn(
                "3-minute rate", format="percent"),
            "short_agent_hours": st.column_config.NumberColumn("short agent-hours",
                                                               format="%.1f"),
            "dominated_by": st.column_config.TextColumn("dominated by"),
        },
    )  # fmt: skip


def _intervals(comparison: Comparison) -> None:
    st.subheader("Per-interval differences")
    runs = list(comparison.runs)
    if comparison.intervals is None:
        st.warning(f"Per-interval differences not shown: {comparison.intervals_problem}")
        return
    if comparison.intervals.note:
        st.caption(f"Note: {comparison.intervals.note}.")
    if comparison.intervals.table.empty:
        st.info("These runs share no interval.")
        return
    scheduled = scheduled_by_run(runs, comparison.intervals)
    differences = interval_differences(runs, comparison.intervals)
    span = day_range(scheduled["timestamp"], key="compare_days")
    st.caption(
        f"Agents on duty per interval (peak of `{runs[0].name}` marked), then each run minus "
        f"`{runs[0].name}`: scheduled agents and shortfall (agents short of the requirement)."
    )
    st.altair_chart(scheduled_chart(within(scheduled, span)), width="stretch")
    shown = within(differences, span)
    for measure in ("scheduled", "shortfall"):
        st.altair_chart(difference_chart(shown, runs[0].name, measure), width="stretch")
    table: pd.DataFrame = comparison.intervals.table
    st.download_button(
        "Download the per-interval table (CSV, UTF-8 with BOM)",
        data=download_bytes(table), file_name="compare-intervals.csv", mime="text/csv",
        on_click="ignore", key="compare_intervals_download", icon=":material/download:",
    )  # fmt: skip


st.title("Compare runs")
chosen, root = _choose_runs()
if len(chosen) < 2:
    st.info(
        "Choose two or more runs to compare (`peakplan run S.toml --variant NAME --out DIR`, "
        "or a `peakplan frontier` sweep)."
    )
    st.stop()
paths = tuple(str(p) for p in chosen)
comparison = _cached_comparison(paths, str(root), comparison_fingerprint(paths))
for folder, why in comparison.problems:
    st.warning(f"Cannot read run `{folder}`: {why}")
if len(comparison.runs) < 2:
    st.info("Fewer than two of the chosen runs could be read; choose at least two readable runs.")
    st.stop()
_table(comparison)
_frontier(comparison)
_intervals(comparison)
