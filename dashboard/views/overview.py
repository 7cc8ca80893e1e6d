"""Overview page: the peak at a glance first (worst day, worst intervals, the binding limit as
an action with its price), then cost, headcount, hours short, service, solver and validator
results, and the unmet-demand table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.data import RunData
from dashboard.i18n import TEXTS, agent_type_name, moment, money, number, percent, t
from dashboard.peak import (
    MATERIAL_AGENT_HOURS,
    classify_binding,
    load_temp_price,
    material_unmet,
    peak_at_a_glance,
)
from dashboard.peak_view import binding_text, render_peak
from dashboard.state import current_run, format_path
from dashboard.summary import SummaryView, summarize
from scenarios.summary_model import ranked_gap_parts

AGENTS_SHOWN = 10  # agent IDs named per violated rule; summary.json has them all

run = current_run()
kpi = summarize(run.summary if run.model is None else run.model)


@st.cache_data(max_entries=8, show_spinner=False)
def _temp_price(path: str, fingerprint: float):
    del fingerprint  # part of the cache key only
    return load_temp_price(path)


def _resolved_mtime(run: RunData) -> float:
    file = run.path / "scenario.resolved.toml"
    return file.stat().st_mtime if file.is_file() else 0.0


def _header(run: RunData, kpi: SummaryView) -> None:
    st.title(kpi.scenario_name)
    start = moment(pd.Timestamp(kpi.horizon_start)) if kpi.horizon_start else t("common.na")
    end = moment(pd.Timestamp(kpi.horizon_end)) if kpi.horizon_end else t("common.na")
    caption = t("overview.caption", path=format_path(run.path), start=start, end=end,
                minutes=run.interval_minutes)  # fmt: skip
    if kpi.created_at:
        caption += t("overview.created", created=moment(pd.Timestamp(kpi.created_at)))
    st.caption(caption)


def _cost(kpi: SummaryView) -> None:
    """Wages by agent type; at most 4 tiles a row so none is cut at 1280 px."""
    st.subheader(t("overview.cost"))
    cols = st.columns(len(kpi.cost_by_type) + 1)
    cols[0].metric(t("overview.total_cost"), money(kpi.cost_total),
                   help=t("overview.total_cost_help"))  # fmt: skip
    for col, (agent_type, value) in zip(cols[1:], kpi.cost_by_type.items(), strict=False):
        col.metric(t("overview.cost_of", type=agent_type_name(agent_type)), money(value))


def _staff(kpi: SummaryView) -> None:
    st.subheader(t("overview.staff"))
    cols = st.columns(max(len(kpi.headcount_by_type), 3))
    for col, (agent_type, count) in zip(cols, kpi.headcount_by_type.items(), strict=False):
        hours = kpi.hours_by_type.get(agent_type)
        col.metric(
            t("overview.headcount_of", type=agent_type_name(agent_type)),
            number(count),
            help=None if hours is None else t("overview.paid_hours", hours=number(hours, 1)),
        )


def _shortfall(run: RunData, kpi: SummaryView) -> None:
    """Hours short, material unmet periods (slivers under MATERIAL_AGENT_HOURS not counted),
    intervals under target and the shortfall penalty."""
    st.subheader(t("overview.shortfall"))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(
        t("overview.hours_short"),
        number(kpi.short_agent_hours, 1),
        help=t("overview.hours_short_help", required=number(kpi.required_agent_hours)),
    )
    material = material_unmet(run.unmet)
    slivers = run.unmet.drop(material.index)
    c2.metric(
        t("overview.unmet_periods"),
        number(len(material)),
        help=t("overview.unmet_help", threshold=number(MATERIAL_AGENT_HOURS, 1),
               slivers=number(len(slivers)),
               sliver_hours=number(slivers["agent_hours_short"].sum(), 2)),
    )  # fmt: skip
    three = kpi.share_intervals_under_three_min_target
    c3.metric(
        t("overview.under_target"),
        percent(kpi.share_intervals_under_target),
        help=t("overview.under_target_help",
               three="" if three is None else t("overview.under_three_help", share=percent(three))),
    )  # fmt: skip
    penalty_help = t("overview.penalty_help")
    if kpi.objective_total is not None:
        penalty_help += t("overview.objective_help", total=money(kpi.objective_total))
        if kpi.overstaff_penalty is not None:
            penalty_help += t("overview.overstaff_help", penalty=money(kpi.overstaff_penalty))
    c4.metric(t("overview.shortfall_penalty"), money(kpi.shortfall_penalty), help=penalty_help)


def _service(kpi: SummaryView) -> None:
    st.subheader(t("overview.service"))
    c1, c2, c3, c4 = st.columns(4)
    delta = None
    if kpi.service_target is not None and kpi.service_level is not None:
        delta = t("peak.vs_target", pp=f"{(kpi.service_level - kpi.service_target) * 100:+.1f}")
    c1.metric(t("overview.service_level"), percent(kpi.service_level), delta=delta,
              help=t("overview.service_level_help"))  # fmt: skip
    seconds = kpi.service_target_seconds
    c2.metric(
        t("overview.target") if seconds is None
        else t("overview.target_within", seconds=f"{seconds:g}"),
        percent(kpi.service_target, 0),
    )  # fmt: skip
    asa = kpi.expected_asa_s
    c3.metric(t("overview.asa"),
              t("common.na") if asa is None else t("overview.seconds", value=number(asa)),
              help=t("overview.volume_weighted"))  # fmt: skip
    c4.metric(t("overview.abandon"), percent(kpi.expected_abandon_rate),
              help=t("overview.volume_weighted"))  # fmt: skip


def _gap_parts(run: RunData) -> str:
    """What the gap is made of (summary ``solver.gap_parts``), largest first; categories within
    1 CNY of the bound's solution left out; empty without the LP bound."""
    parts = run.model.solver.gap_parts if run.model is not None else {}
    items = ranked_gap_parts({k: p.gap_cny for k, p in parts.items()})
    if not items:
        return ""
    said = t("overview.part_sep").join(
        f"{t(f'overview.part.{k}') if f'overview.part.{k}' in TEXTS else k} {v:+,.0f}"
        for k, v in items)
    return t("overview.gap_parts", parts=said)


def _solver(run: RunData, kpi: SummaryView) -> None:
    st.subheader(t("overview.solver"))
    c1, c2, c3, c4, c5 = st.columns(5)
    status = kpi.solver_status
    key = f"overview.status.{status}"
    c1.metric(t("overview.solver_status"),
              t("common.na") if not status else t(key) if key in TEXTS else status)  # fmt: skip
    obj, bound = kpi.solver_objective, kpi.solver_bound
    amount = money(max(0.0, obj - bound)) if obj is not None and bound is not None else money(None)
    c2.metric(t("overview.gap"), percent(kpi.solver_gap),
              help=t("overview.gap_help", amount=amount) + _gap_parts(run))
    time_s = kpi.solver_time_s
    c3.metric(t("overview.solve_time"),
              t("common.na") if time_s is None else t("overview.seconds", value=number(time_s, 1)))
    c4.metric(t("overview.objective"), money(kpi.solver_objective),
              help=t("overview.objective_tile_help"))  # fmt: skip
    source = (run.model.solver.bound_source if run.model is not None else None) or "CP-SAT"
    c5.metric(t("overview.bound"), money(kpi.solver_bound),
              help=t("overview.bound_help", source=source))  # fmt: skip
    if kpi.validation_ok is None:
        st.warning(t("overview.no_validation"))
    elif kpi.validation_ok:
        st.success(t("overview.valid"))
    else:
        _violations(kpi)


def _violations(kpi: SummaryView) -> None:
    """Every violated rule with its count and agents: an error when the run refused the roster
    (exit 3), a warning when every violation is a soft weekly minimum the scenario accepts."""
    if kpi.refused_rules:
        st.error(t("overview.violations", count=kpi.violations))
    else:
        st.warning(t("overview.violations_accepted", count=kpi.violations))
    for rule, count in sorted(kpi.violations_by_rule.items()):
        agents = kpi.violation_agents.get(rule, [])
        shown = ", ".join(agents[:AGENTS_SHOWN]) + (
            t("overview.more_agents", count=len(agents)) if len(agents) > AGENTS_SHOWN else ""
        )
        key = "overview.violation_rule" if agents else "overview.violation_rule_no_agents"
        line = t(key, rule=rule, count=count, agents=shown)
        if rule in kpi.soft_rules:
            line += t("overview.accepted_rule")
        st.markdown(f"- {line}")
    if kpi.violation_messages:
        st.caption(t("overview.first_violations"))
    for message in kpi.violation_messages[:10]:
        st.markdown(f"- {message}")


def _unmet(run: RunData) -> None:
    st.subheader(t("overview.unmet"))
    if "unmet.csv" in run.missing_optional:
        st.warning(t("overview.unmet_missing"))
        return
    if run.unmet.empty:
        st.success(t("overview.all_covered"))
        return
    material = material_unmet(run.unmet)
    threshold = number(MATERIAL_AGENT_HOURS, 1)
    if material.empty:
        slivers = run.unmet["agent_hours_short"]
        st.success(t("overview.slivers_only", slivers=len(slivers),
                     hours=number(slivers.sum(), 2), threshold=threshold))  # fmt: skip
        return
    st.caption(t("overview.unmet_caption", count=len(material), threshold=threshold))
    table = pd.DataFrame({
        t("common.start"): material["start"].map(moment),
        t("common.end"): material["end"].map(moment),
        t("overview.col_hours_short"): material["agent_hours_short"].round(2),
        t("overview.col_peak_short"): material["peak_agents_short"].round(2),
        t("overview.col_limit"): material["binding"].map(classify_binding).map(binding_text),
    })  # fmt: skip
    st.table(table, hide_index=True, border="horizontal")


_header(run, kpi)
price = _temp_price(str(run.path), _resolved_mtime(run))
peak = peak_at_a_glance(
    run.coverage,
    run.unmet,
    run.interval_minutes,
    kpi.worst_day,
    kpi.worst_day_service_level,
    kpi.service_target,
    price,
    requirements=run.requirements,
)
render_peak(run, kpi, peak, price)
_cost(kpi)
_staff(kpi)
_shortfall(run, kpi)
_service(kpi)
_solver(run, kpi)
_unmet(run)
