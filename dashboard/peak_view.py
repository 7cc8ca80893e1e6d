"""The Overview's first section: the worst day, its worst intervals, and the binding limit as
an action with its price (figures from dashboard.peak; this module only renders them)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.charts import staffing_chart
from dashboard.data import RunData
from dashboard.i18n import TEXTS, day, moment, money, number, percent, t
from dashboard.peak import MATERIAL_AGENTS, Binding, Peak, TempPrice
from dashboard.summary import SummaryView


def binding_text(binding: Binding) -> str:
    """The binding limit of an unmet period in the UI language (the engine's text as it is
    when its wording is not known)."""
    if binding.kind == "other":
        return binding.text
    values = dict(binding.values)
    if "named" in values:
        weekly = str(values["named"]).startswith("weekly")
        values["named"] = t("peak.named.weekly" if weekly else "peak.named.all")
    for key in ("hired", "max", "more", "days"):
        if key in values:
            values[key] = number(values[key])
    for key in ("price", "fee", "hourly"):
        if key in values:
            values[key] = money(values[key], 2 if key == "price" else 0)
    if "date" in values:
        values["date"] = day(pd.Timestamp(str(values["date"])), weekday=False)
    return t(f"peak.binding.{binding.kind}", **values)


def _span(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """``11-11 00:00–02:00``; the end's day is shown when it is not the start's (an end at
    the next midnight counts as the same day)."""
    same_day = (end - pd.Timedelta(seconds=1)).date() == start.date()
    shown_end = f"{end:%H:%M}" if same_day else moment(end)
    return t("peak.period", start=moment(start), end=shown_end)


def action_text(peak: Peak, price: TempPrice | None) -> tuple[str, str | None]:
    """(markdown of the binding limit and the action, help text of the computation)."""
    if peak.period is None or peak.binding is None:
        return t("peak.no_shortfall"), None
    when = _span(peak.period["start"], peak.period["end"])
    text = t("peak.limit", limit=binding_text(peak.binding))
    hint = f"peak.hint.{peak.binding.kind}"
    if not peak.binding.temps_help:
        return (text + (" " + t(hint) if hint in TEXTS else "")), None
    if price is None or peak.action is None:
        return text + " " + t("peak.action_unpriced"), None
    a = peak.action
    if a.temps > 0:
        net = a.net_cny
        text += " " + t(
            "peak.action_hire",
            temps=number(a.temps),
            when=when,
            cost=money(a.cost_cny),
            value=money(a.value_cny),
            net_word=t("peak.net_saves" if net < 0 else "peak.net_costs"),
            net=money(abs(net)),
        )
        if a.service_before is not None and a.service_after is not None:
            text += " " + t("peak.action_service", before=percent(a.service_before),
                            after=percent(a.service_after))  # fmt: skip
    else:
        text += " " + t(
            "peak.action_none",
            cost_one=money(a.cost_one_cny),
            value_first=money(a.value_first_cny),
            when=when,
        )
    if peak.binding.kind == "temps_unused":
        text += " " + t(hint)
    how = t(
        "peak.action_help",
        eff=number(price.efficiency, 2),
        hours=number(price.paid_hours_min, 1),
        hourly=money(price.hourly_cny, 2),
        fee=money(price.fee_cny),
        price=money(price.shortfall_price_cny, 2),
    )
    return text, how


def _worst_table(peak: Peak) -> pd.DataFrame:
    worst = peak.worst
    table = pd.DataFrame({t("common.interval_start"): worst["timestamp"].map(moment)})
    if "expected_service_level" in worst.columns:
        table[t("peak.col_service")] = worst["expected_service_level"].map(percent)
    if "expected_three_min_rate" in worst.columns:
        table[t("peak.col_three")] = worst["expected_three_min_rate"].map(percent)
    table[t("peak.col_required")] = worst["required"].map(lambda v: number(v, 1))
    table[t("peak.col_scheduled")] = worst["scheduled"].map(lambda v: number(v, 1))
    table[t("peak.col_short")] = worst["shortfall"].map(lambda v: number(v, 1))
    return table


def render_peak(run: RunData, kpi: SummaryView, peak: Peak, price: TempPrice | None) -> None:
    """The peak section of the Overview."""
    st.subheader(t("peak.title", day=day(peak.day)))
    st.caption(t("peak.caption"))
    c1, c2, c3, c4 = st.columns(4)
    target = kpi.service_target
    level = peak.day_service_level
    c1.metric(
        t("peak.day_service"),
        percent(level),
        delta=None if level is None or target is None
        else t("peak.vs_target", pp=f"{(level - target) * 100:+.1f}"),
        help=t("peak.day_service_help", day=day(peak.day), target=percent(target, 0)),
    )
    if kpi.worst_interval_service_level is not None and kpi.worst_interval_start:
        when = moment(pd.Timestamp(kpi.worst_interval_start))
        c2.metric(
            t("peak.worst_interval"),
            percent(kpi.worst_interval_service_level),
            delta=None if target is None else t(
                "peak.vs_target", pp=f"{(kpi.worst_interval_service_level - target) * 100:+.1f}"
            ),
            help=t("peak.worst_interval_help", when=when,
                   three=percent(kpi.worst_interval_three_min_rate)),
        )  # fmt: skip
    else:
        c2.metric(t("peak.worst_interval"), t("common.na"))
    c3.metric(t("peak.agents_short"), number(peak.agents_short_max, 1),
              help=t("peak.agents_short_help"))  # fmt: skip
    c4.metric(t("peak.hours_short"), number(peak.agent_hours_short, 1),
              help=t("peak.hours_short_help", day=day(peak.day)))  # fmt: skip
    text, how = action_text(peak, price)
    box = st.warning if peak.action is not None and peak.action.temps > 0 else st.info
    box(text, icon=None)
    if how:
        st.caption(how)
    st.markdown(f"**{t('peak.worst_table')}**",
                help=t("peak.worst_table_help", agents=number(MATERIAL_AGENTS, 1)))  # fmt: skip
    if peak.worst.empty:
        st.success(t("peak.none_worse"))
    else:
        st.table(_worst_table(peak), hide_index=True, border="horizontal")
    on_day = run.coverage.loc[run.coverage["timestamp"].dt.date == peak.day]
    if not on_day.empty:
        st.markdown(f"**{t('peak.day_chart', day=day(peak.day))}**")
        st.altair_chart(staffing_chart(on_day).properties(height=240), width="stretch")
