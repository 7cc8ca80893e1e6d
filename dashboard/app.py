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
from dashboard.i18n import language_switch, t
from dashboard.state import RUN_KEY, default_run_dir, format_path

VIEWS = Path(__file__).resolve().parent / "views"

st.set_page_config(page_title="peakplan", page_icon="🎧", layout="wide")  # emoji: no font host


#: Up to this many run directories are offered as radio buttons; more get a select box.
RADIO_MAX = 8


def _choose_run() -> str | None:
    """Sidebar widgets selecting the run directory; returns the chosen path (or None).

    Radio buttons, and the free-text box inside a popover, because a select box or a text box
    on the first screen makes a new browser load Streamlit's input widgets before it draws
    anything (about 0.5 s of the overview's first render on the demo machine,
    benchmarks/results/dashboard.md); a popover's content is drawn when it opens."""
    default = default_run_dir(sys.argv[1:])
    default = format_path(Path(default)) if default else None
    found = [format_path(p) for p in list_runs(Path.cwd() / "out")]
    options = list(dict.fromkeys([*([default] if default else []), *found]))
    with st.sidebar:
        st.header(t("app.run_header"))
        chosen: str | None = None
        if options:
            pick = st.radio if len(options) <= RADIO_MAX else st.selectbox
            chosen = pick(
                t("app.run_directory"), options, index=0, key="run_select", help=t("app.run_help")
            )
        other_label = t("app.other_run_directory")
        with st.popover(other_label, width="stretch") if options else st.container():
            other = st.text_input(
                t("app.other_run_directory") if options else t("app.run_directory"),
                value="",
                key="run_text",
                placeholder="out/double11-2026",
            ).strip()
        return other or chosen


language_switch()
run_dir = _choose_run()
st.session_state[RUN_KEY] = run_dir
if run_dir:
    st.sidebar.caption(t("app.showing", path=run_dir))

page = st.navigation(
    [
        st.Page(VIEWS / "overview.py", title=t("nav.overview"), icon=":material/dashboard:",
                default=True, url_path="overview"),
        st.Page(VIEWS / "plan.py", title=t("nav.plan"), icon=":material/tune:", url_path="plan"),
        st.Page(VIEWS / "forecast.py", title=t("nav.forecast"), icon=":material/show_chart:",
                url_path="forecast"),
        st.Page(VIEWS / "staffing.py", title=t("nav.staffing"), icon=":material/groups:",
                url_path="staffing"),
        st.Page(VIEWS / "roster.py", title=t("nav.roster"), icon=":material/calendar_month:",
                url_path="roster"),
        st.Page(VIEWS / "review.py", title=t("nav.review"), icon=":material/fact_check:",
                url_path="review"),
        st.Page(VIEWS / "compare.py", title=t("nav.compare"), icon=":material/compare_arrows:",
                url_path="compare"),
    ]
)  # fmt: skip
page.run()
