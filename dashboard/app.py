"""peakplan dashboard entry point: ``streamlit run dashboard/app.py -- --run out/double11-2026``.

Shows a finished ``peakplan run`` output directory; it never builds models itself. The run
directory comes from ``--run`` (after ``--``), else ``$PEAKPLAN_RUN``, else the sidebar. The
Review page (复盘) shows a ``peakplan review`` output: ``--review DIR``, else
``$PEAKPLAN_REVIEW``, else the newest review under ``out/`` (chosen in its sidebar).
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

from dashboard.data import list_runs
from dashboard.state import RUN_KEY, default_run_dir, format_path

VIEWS = Path(__file__).resolve().parent / "views"

st.set_page_config(page_title="peakplan", page_icon=":material/support_agent:", layout="wide")


def _choose_run() -> str | None:
    """Sidebar widgets selecting the run directory; returns the chosen path (or None)."""
    default = default_run_dir(sys.argv[1:])
    default = format_path(Path(default)) if default else None
    found = [format_path(p) for p in list_runs(Path.cwd() / "out")]
    options = list(dict.fromkeys([*([default] if default else []), *found]))
    with st.sidebar:
        st.header("Run")
        chosen: str | None = None
        if options:
            chosen = st.selectbox(
                "Run directory",
                options,
                index=0,
                key="run_select",
                help="Output of `peakplan run S.toml --out DIR`; runs found under out/ are listed.",
            )
        other = st.text_input(
            "Other run directory" if options else "Run directory",
            value="",
            key="run_text",
            placeholder="out/double11-2026",
        ).strip()
        return other or chosen


run_dir = _choose_run()
st.session_state[RUN_KEY] = run_dir
if run_dir:
    st.sidebar.caption(f"Showing `{run_dir}`")

page = st.navigation(
    [
        st.Page(VIEWS / "overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page(VIEWS / "forecast.py", title="Forecast", icon=":material/show_chart:"),
        st.Page(VIEWS / "staffing.py", title="Staffing", icon=":material/groups:"),
        st.Page(VIEWS / "roster.py", title="Roster", icon=":material/calendar_month:"),
        st.Page(VIEWS / "review.py", title="复盘 Review", icon=":material/fact_check:"),
        st.Page(VIEWS / "compare.py", title="Compare", icon=":material/compare_arrows:"),
    ]
)
page.run()
