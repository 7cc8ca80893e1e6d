"""Plan page: choose or upload a scenario, pick a variant, change the key levers and re-plan
(issue 20 point 2).

The levers become ``--set`` overrides checked by ``load_scenario`` exactly as on the CLI. The run
is ``scenarios.pipeline.run_scenario`` in a child process (dashboard.plan_runner) writing a new
run directory ``out/plan-<time>-<variant>/``; a fragment polls it every half second for the stage,
objective, bound and elapsed time, and Cancel stops it within 2 s without storing a run. A
finished run opens in the overview (the sidebar's run directory is switched to it).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

from dashboard import plan_form, plan_runner
from dashboard.i18n import TEXTS, day, lang, money, number, percent, t
from dashboard.state import RUN_KEY
from scenarios.io import one_line
from scenarios.load import load_scenario

RUN_STATE = "plan_run"  # the PlanRun being run or the last one
SCENARIO_KEY = "plan_scenario"
UPLOAD_KEY = "plan_upload"
UPLOAD_RESULT = "plan_upload_result"  # ("ok" | "error", text) of the last upload
OVERRIDES_KEY = "plan_overrides"  # the overrides the levers make now (read by tests)
CANCEL_S = "plan_cancel_s"
SIDEBAR_RUN_TEXT = "run_text"  # app.py's "other run directory" input
OVERVIEW = "views/overview.py"
POLL_S = 0.5
KEPT = "plan_kept"  # the form's widget values, restored after a run hid the form
_KEPT_PREFIXES = (SCENARIO_KEY, "plan_variant_", "plan_lever_")


def _restore_form() -> None:
    """Put back the form's widget values: Streamlit forgets a widget's value in a run that does
    not draw it, and the form is hidden while a plan runs."""
    for key, value in st.session_state.get(KEPT, {}).items():
        if key not in st.session_state:
            st.session_state[key] = value


def _keep_form() -> None:
    st.session_state[KEPT] = {
        key: st.session_state[key] for key in st.session_state
        if str(key).startswith(_KEPT_PREFIXES)
    }


def _upload() -> None:
    """Button callback: save the uploaded files into a new folder, check them with the
    pipeline's readers and select the scenario (or keep the one-line error)."""
    import shutil

    cwd = Path.cwd()
    files = st.session_state.get(UPLOAD_KEY) or []
    if not files:
        st.session_state[UPLOAD_RESULT] = ("error", t("plan.upload_none"))
        return
    chosen = st.session_state.get(SCENARIO_KEY)
    base = {plan_form.shown_path(p, cwd): p for p in plan_form.find_scenarios(cwd)}.get(chosen)
    try:
        saved = plan_form.save_upload([(f.name, f.getvalue()) for f in files], cwd, base)
    except (plan_form.UploadError, OSError) as exc:
        st.session_state[UPLOAD_RESULT] = ("error", one_line(exc))
        return
    try:
        plan_form.check_inputs(load_scenario(saved))
    except (ValueError, OSError) as exc:
        shutil.rmtree(saved.parent, ignore_errors=True)  # the folder this upload made
        st.session_state[UPLOAD_RESULT] = ("error", one_line(exc))
        return
    shown = plan_form.shown_path(saved, cwd)
    st.session_state[UPLOAD_RESULT] = ("ok", shown)
    st.session_state[SCENARIO_KEY] = shown


def _open_run(path: str) -> None:
    """Button callback: make ``path`` the run the sidebar (and so every page) shows."""
    st.session_state[SIDEBAR_RUN_TEXT] = path
    st.session_state[RUN_KEY] = path


def _variant_label(name: str | None) -> str:
    key = f"plan.variant.{name or 'none'}"
    return t(key) if key in TEXTS else str(name)


@st.fragment(run_every=POLL_S)
def _progress() -> None:
    """Live progress of the running plan and its Cancel button (re-run every POLL_S s)."""
    run = st.session_state.get(RUN_STATE)
    if run is None:
        return
    run.poll()
    if run.state != plan_runner.RUNNING:
        st.rerun()
    st.subheader(t("plan.running_header"))
    st.caption(t("plan.out_dir", path=plan_form.shown_path(run.out_dir, Path.cwd())))
    latest = run.latest
    cols = st.columns(4)
    cols[0].metric(t("plan.stage"), t(f"plan.stage.{run.stage}"))
    cols[1].metric(t("plan.objective"), money(latest["objective_cny"]) if latest else "–")
    cols[2].metric(t("plan.bound"), money(latest["bound_cny"]) if latest else "–")
    cols[3].metric(t("plan.elapsed"), t("plan.seconds", value=number(run.elapsed_s, 1)))
    share = run.solve_share
    if share is not None and run.stage == "roster":
        used = number(share * (run.time_limit_s or 0.0), 0)
        st.progress(share, text=t("plan.solve_budget", used=used,
                                  limit=number(run.time_limit_s, 0)))
    if latest is None and run.stage == "roster":
        st.caption(t("plan.waiting"))
    if st.button(t("plan.cancel"), key="plan_cancel"):
        st.session_state[CANCEL_S] = run.cancel()
        st.rerun()
    with st.expander(t("plan.log")):
        st.code("\n".join(run.log[-30:]) or " ", language=None)


def _last_result() -> None:
    """The outcome of the last plan: figures and the way to the overview, or why it stopped."""
    run = st.session_state.get(RUN_STATE)
    if run is None:
        return
    if run.state == plan_runner.DONE:
        shown = plan_form.shown_path(run.out_dir, Path.cwd())
        st.success(t("plan.done", path=shown))
        figures = run.figures
        cols = st.columns(3)
        cols[0].metric(t("plan.wages"), money(figures.get("wages_cny")))
        cols[1].metric(t("plan.short"), number(figures.get("short_agent_hours"), 1))
        cols[2].metric(t("plan.service"), percent(figures.get("expected_service_level")))
        if st.button(t("plan.open"), key="plan_open", type="primary", help=t("plan.open_help"),
                     on_click=_open_run, args=(shown,)):
            st.switch_page(OVERVIEW)
    elif run.state == plan_runner.FAILED:
        st.error(t("plan.failed", message=run.error))
    elif run.state == plan_runner.CANCELLED:
        seconds = st.session_state.get(CANCEL_S)
        st.warning(t("plan.cancelled", seconds=number(seconds or 0.0, 1)))


def _uploader_in_chinese() -> None:
    """Streamlit draws the file box's button ("Upload") and size note ("200MB per file") in
    English only; in the Chinese UI they are hidden and drawn again from the text table."""
    if lang() != "zh":
        return
    box = "[data-testid=stFileUploaderDropzone]"
    st.html(
        f"<style>{box} button [data-testid=stMarkdownContainer] p,"
        f"{box} [data-testid=stFileUploaderDropzoneInstructions] span {{display: none}}"
        f"{box} button [data-testid=stMarkdownContainer]::after"
        f" {{content: '{t('plan.upload_browse')}'}}"
        f"{box} [data-testid=stFileUploaderDropzoneInstructions] div::after"
        f" {{content: '{t('plan.upload_limit')}'}}</style>"
    )


def _choose_scenario(cwd: Path) -> Path | None:
    """Scenario select box and the upload form; returns the chosen file (None: none)."""
    by_name = {plan_form.shown_path(p, cwd): p for p in plan_form.find_scenarios(cwd)}
    if st.session_state.get(SCENARIO_KEY) not in by_name:
        st.session_state.pop(SCENARIO_KEY, None)  # a file that has gone: back to the default
    st.subheader(t("plan.scenario_header"))
    chosen = None
    if by_name:
        chosen = st.selectbox(t("plan.scenario"), list(by_name), key=SCENARIO_KEY,
                              help=t("plan.scenario_help"))
    else:
        st.info(t("plan.no_scenario"))
    result = st.session_state.get(UPLOAD_RESULT)
    with st.expander(t("plan.upload_header"), expanded=bool(result and result[0] == "error")):
        st.file_uploader(t("plan.upload"), type=["toml", "csv"], accept_multiple_files=True,
                         key=UPLOAD_KEY, help=t("plan.upload_help"))
        _uploader_in_chinese()
        st.button(t("plan.upload_button"), key="plan_upload_button", on_click=_upload)
    if result and result[0] == "error":
        st.error(t("plan.upload_error", message=result[1]))
    elif result:
        st.success(t("plan.upload_saved", path=result[1]))
    return by_name.get(chosen) if chosen else None


def _plan_form(path: Path, cwd: Path) -> None:
    """Variant, levers and the Run button for the scenario file ``path``."""
    variants = [None, *plan_form.variant_names(path)]
    scope = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:10]
    variant = st.selectbox(t("plan.variant"), variants, format_func=_variant_label,
                           key=f"plan_variant_{scope}", help=t("plan.variant_help"))
    try:
        scenario = load_scenario(path, variant=variant)
    except (ValueError, OSError) as exc:
        st.error(t("plan.scenario_error", message=one_line(exc)))
        return
    campaign = scenario.campaign
    st.caption(t("plan.campaign", name=campaign.name, start=day(campaign.start, weekday=False),
                 end=day(campaign.end, weekday=False)))
    st.subheader(t("plan.levers_header"))
    st.caption(t("plan.levers_caption"))
    overrides = plan_form.lever_widgets(scenario, f"{scope}_{variant or ''}")
    st.session_state[OVERRIDES_KEY] = overrides
    error = None
    planned = None
    try:
        planned = load_scenario(path, variant=variant, overrides=overrides)
    except (ValueError, OSError) as exc:
        error = one_line(exc)
        st.error(t("plan.override_error", message=error))
    if error is None and overrides:
        st.caption(t("plan.changes", changes=plan_form.describe(overrides, scenario)))
    elif error is None:
        suffix = t("plan.variant_suffix", name=_variant_label(variant)) if variant else ""
        st.caption(t("plan.no_changes", variant=suffix))
    if st.button(t("plan.run"), key="plan_run_button", type="primary", help=t("plan.run_help"),
                 disabled=error is not None):
        previous = st.session_state.get(RUN_STATE)
        if previous is not None:
            previous.close()
        out_dir = plan_runner.new_out_dir(cwd, variant)
        limit = planned.solver.time_limit_s if planned is not None else None
        st.session_state[RUN_STATE] = plan_runner.start_run(
            path, out_dir, variant=variant, overrides=overrides, time_limit_s=limit)
        st.session_state.pop(CANCEL_S, None)
        st.rerun()


st.title(t("plan.title"))
st.caption(t("plan.intro"))
_current = st.session_state.get(RUN_STATE)
if _current is not None and _current.state == plan_runner.RUNNING:
    _progress()
else:
    _restore_form()
    _last_result()
    _cwd = Path.cwd()
    _path = _choose_scenario(_cwd)
    if _path is not None:
        _plan_form(_path, _cwd)
    _keep_form()
