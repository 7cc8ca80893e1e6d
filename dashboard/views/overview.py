"""Overview page: cost, headcount, hours short, service level, solver and validator results,
and the unmet-demand table."""

from __future__ import annotations

import streamlit as st

from dashboard.state import current_run, format_path
from dashboard.summary import SummaryView, summarize

run = current_run()
kpi = summarize(run.summary)

st.title(kpi.scenario_name)
horizon = f"{kpi.horizon_start} → {kpi.horizon_end}" if kpi.horizon_start else "horizon n/a"
st.caption(
    f"Run `{format_path(run.path)}` · {horizon} · {run.interval_minutes}-minute intervals"
    + (f" · created {kpi.created_at}" if kpi.created_at else "")
)


def _cny(value: float | None) -> str:
    return "n/a" if value is None else f"¥{value:,.0f}"


def _label(agent_type: str) -> str:
    return agent_type.replace("_", "-")


def _worst_interval_row(kpi: SummaryView) -> None:
    """The worst interval and day with the roster as scheduled (a horizon average hides a
    collapse), and the share of intervals below target."""
    c1, c2, c3 = st.columns(3)
    level = kpi.worst_interval_service_level
    delta = None
    if kpi.service_target is not None and level is not None:
        delta = f"{(level - kpi.service_target) * 100:+.1f} pp vs target"
    when = (kpi.worst_interval_start or "n/a").replace("T", " ")[:16]
    three = kpi.worst_interval_three_min_rate
    c1.metric(
        "Worst interval 最差时段",
        f"{level:.1%}",
        delta=delta,
        help=f"Expected service level of the worst interval, starting {when}"
        + ("" if three is None else f"; 3-minute response rate {three:.1%}")
        + ". Compare with the volume-weighted average above.",
    )
    day = kpi.worst_day_service_level
    c2.metric(
        "Worst day 最差日",
        "n/a" if day is None else f"{day:.1%}",
        help=None if kpi.worst_day is None else f"{kpi.worst_day}, volume-weighted.",
    )
    st.caption(
        f"Worst interval starts {when}"
        + ("" if three is None else f" (3-minute response rate {three:.1%})")
        + ("" if kpi.worst_day is None else f"; worst day {kpi.worst_day}")
        + ": the volume-weighted average above hides the intervals where the roster collapses."
    )
    share = kpi.share_intervals_under_target
    c3.metric(
        "Intervals under target 未达标时段",
        "n/a" if share is None else f"{share:.1%}",
        help="Share of intervals (with volume) whose expected service level is below the target"
        + (
            ""
            if kpi.share_intervals_under_three_min_target is None
            else f"; {kpi.share_intervals_under_three_min_target:.1%} are below the 3-minute "
            "response-rate target"
        )
        + ".",
    )


st.subheader("Cost (CNY)")
cols = st.columns(len(kpi.cost_by_type) + 2)
cols[0].metric(
    "Total cost",
    _cny(kpi.cost_total),
    help="Wages of all rostered shifts (sum of roster.csv cost_cny); penalties are not cash. "
    "Permanent agents' contract hours are salaried (sunk), so their cost here is overtime.",
)
for col, (agent_type, value) in zip(cols[1:], kpi.cost_by_type.items(), strict=False):
    col.metric(f"Cost {_label(agent_type)}", _cny(value))
penalty_help = "Objective penalty for uncovered agent-hours (not a cash cost)."
if kpi.objective_total is not None:
    penalty_help += f" Objective total {_cny(kpi.objective_total)}"
    if kpi.overstaff_penalty is not None:
        penalty_help += f", incl. overstaffing penalty {_cny(kpi.overstaff_penalty)}"
    penalty_help += "."
cols[-1].metric("Shortfall penalty", _cny(kpi.shortfall_penalty), help=penalty_help)

st.subheader("Staff")
cols = st.columns(max(len(kpi.headcount_by_type), 1) + 2)
for col, (agent_type, count) in zip(cols, kpi.headcount_by_type.items(), strict=False):
    hours = kpi.hours_by_type.get(agent_type)
    col.metric(
        f"Headcount {_label(agent_type)}",
        f"{count:,d}",
        help=None if hours is None else f"{hours:,.1f} paid hours",
    )
short_help = "Required agent-hours that the roster does not cover (see the table below)."
if kpi.required_agent_hours:
    short_help += f" Required in total: {kpi.required_agent_hours:,.0f} agent-hours."
cols[-2].metric(
    "Agent-hours short",
    "n/a" if kpi.short_agent_hours is None else f"{kpi.short_agent_hours:,.1f}",
    help=short_help,
)
cols[-1].metric(
    "Unmet periods",
    f"{len(run.unmet):,d}" if kpi.unmet_periods is None else f"{kpi.unmet_periods:,d}",
    help="Contiguous runs of intervals with a shortfall (unmet.csv).",
)

st.subheader("Service")
c1, c2, c3 = st.columns(3)
if kpi.service_level is None:
    c1.metric("Expected service level", "n/a")
else:
    delta = None
    if kpi.service_target is not None:
        delta = f"{(kpi.service_level - kpi.service_target) * 100:+.1f} pp vs target"
    c1.metric(
        "Expected service level",
        f"{kpi.service_level:.1%}",
        delta=delta,
        help="Volume-weighted over the horizon, with the roster as scheduled.",
    )
target = "n/a" if kpi.service_target is None else f"{kpi.service_target:.0%}"
if kpi.service_target is not None and kpi.service_target_seconds is not None:
    target += f" in {kpi.service_target_seconds:g} s"
c2.metric("Target service level", target)
asa = "n/a" if kpi.expected_asa_s is None else f"{kpi.expected_asa_s:,.0f} s"
abandon = "n/a" if kpi.expected_abandon_rate is None else f"{kpi.expected_abandon_rate:.1%}"
c3.metric(
    "Expected ASA / abandon",
    f"{asa} / {abandon}",
    help="Average speed of answer and abandonment rate, volume-weighted.",
)
if kpi.worst_interval_service_level is not None:
    _worst_interval_row(kpi)

st.subheader("Solver")
c1, c2, c3, c4 = st.columns(4)
c1.metric("Solver status", kpi.solver_status or "n/a")
c2.metric(
    "Optimality gap",
    "n/a" if kpi.solver_gap is None else f"{kpi.solver_gap:.1%}",
    help="(objective - best bound) / objective; 100 % means no useful bound was proven.",
)
c3.metric("Solve time", "n/a" if kpi.solver_time_s is None else f"{kpi.solver_time_s:,.1f} s")
c4.metric(
    "Objective / best bound",
    ("n/a" if kpi.solver_objective is None else f"{kpi.solver_objective:,.0f}")
    + " / "
    + ("n/a" if kpi.solver_bound is None else f"{kpi.solver_bound:,.0f}"),
    help="CNY: wages plus shortfall and overstaffing penalties.",
)

if kpi.validation_ok is None:
    st.warning("The run summary has no validator result.")
elif kpi.validation_ok:
    st.success("Validator: the roster satisfies every labour rule (0 violations).")
else:
    st.error(f"Validator: {kpi.violations} violation(s).")
    for message in kpi.violation_messages[:10]:
        st.markdown(f"- {message}")

st.subheader("Unmet demand")
if "unmet.csv" in run.missing_optional:
    st.warning("unmet.csv is missing from the run directory.")
elif run.unmet.empty:
    st.success("Every interval is covered: no unmet demand.")
else:
    st.caption(
        f"{len(run.unmet)} period(s) where the scheduled agents fall short of the requirement; "
        "`binding` names the constraint that prevented more staff."
    )
    st.dataframe(
        run.unmet,
        hide_index=True,
        width="stretch",
        column_config={
            "start": st.column_config.DatetimeColumn("start", format="YYYY-MM-DD HH:mm"),
            "end": st.column_config.DatetimeColumn("end", format="YYYY-MM-DD HH:mm"),
            "agent_hours_short": st.column_config.NumberColumn("agent-hours short", format="%.1f"),
            "peak_agents_short": st.column_config.NumberColumn("peak agents short", format="%.1f"),
        },
    )
