"""The peak at a glance (dashboard.peak): materiality, binding limits, the hire action and its
price, checked on hand-made cases whose answers are worked out in the comments."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from dashboard_fake_run import SAMPLE, write_resolved_scenario

from dashboard.peak import (
    Binding,
    TempPrice,
    answered_per_agent_hour,
    classify_binding,
    hire_action,
    load_temp_price,
    material_unmet,
    peak_at_a_glance,
    service_with_temps,
    short_intervals,
    temp_price,
    worst_day_of,
)
from scenarios.load import load_scenario

START = pd.Timestamp("2026-11-11T00:00")


def _price(**change: float) -> TempPrice:
    values = dict(
        hourly_cny=30.0,
        fee_cny=100.0,
        paid_hours_min=4.0,
        paid_hours_max=10.0,
        efficiency=1.0,
        shortfall_price_cny=200.0,
        max_headcount=6,
        available_from=dt.date(2026, 11, 1),
    )
    values.update(change)
    return TempPrice(**values)  # type: ignore[arg-type]


def _action(short: list[float], price: TempPrice, minutes: int = 30):
    end = START + pd.Timedelta(minutes=minutes * len(short))
    return hire_action(np.array(short), START, end, minutes, price)


def test_hire_action_hires_while_a_temp_pays_for_itself():
    # 4 half-hours short by 4.5, 4.5, 1.2, 1.2 agents; a temp costs 100 + 4 h x 30 = 220 CNY.
    # Temp 1 covers 1 agent in all 4: 2 agent-hours x 200 = 400 >= 220, hired.
    # Temp 2 covers 1, 1, 0.2, 0.2: 1.2 agent-hours = 240 >= 220, hired.
    # Temp 3 covers 1, 1, 0, 0: 1 agent-hour = 200 < 220, not hired.
    # So 2 temps: 440 CNY for 3.2 agent-hours = 640 CNY of shortfall value.
    a = _action([4.5, 4.5, 1.2, 1.2], _price())
    assert (a.temps, a.cost_cny) == (2, 440.0)
    assert (a.agent_hours, a.value_cny) == pytest.approx((3.2, 640.0))
    assert a.net_cny == pytest.approx(-200.0)
    assert (a.cost_one_cny, a.value_first_cny, a.paid_hours) == (220.0, 400.0, 4.0)


def test_hire_action_partial_last_temp_and_first_day_efficiency():
    # efficiency 0.5: each temp is half an agent. Short 1.2 in 2 half-hours: temps 1 and 2
    # cover 0.5 + 0.5 in both (0.5 agent-hour each = 100 CNY at price 200); temp 3 covers
    # 0.2 x 2 x 0.5 = 0.2 agent-hours = 40 CNY. A temp costs 10 + 4 x 5 = 30 CNY: all 3 pay.
    a = _action([1.2, 1.2], _price(efficiency=0.5, fee_cny=10.0, hourly_cny=5.0))
    assert a.temps == 3
    assert a.cost_cny == pytest.approx(90.0)
    assert a.agent_hours == pytest.approx(1.2)  # the whole shortfall: 1.2 agents x 1 h
    assert a.value_cny == pytest.approx(240.0)


def test_hire_action_none_when_no_temp_pays():
    # one temp removes 2 agent-hours x 100 = 200 CNY < 220 CNY
    a = _action([3, 3, 3, 3], _price(shortfall_price_cny=100.0))
    assert (a.temps, a.cost_cny, a.value_cny) == (0, 0.0, 0.0)
    assert (a.cost_one_cny, a.value_first_cny) == (220.0, 200.0)


def test_hire_action_long_period_takes_several_shifts():
    # 12 h short by 1 agent (24 half-hours); the longest temp shift is 10 h, so covering it
    # takes 2 shifts of 6 h (2 temps): 2 x (100 + 6 x 30) = 560 CNY for 12 agent-hours.
    a = _action([1.0] * 24, _price())
    assert (a.temps, a.paid_hours, a.cost_cny) == (2, 6.0, 560.0)
    assert a.value_cny == pytest.approx(12 * 200.0)


@pytest.mark.parametrize(
    ("text", "kind", "values"),
    [
        ("no permitted shift start covers this time", "no_shift_start", {}),
        ("temporaries not available before 2026-11-03 (lead_days 2)", "lead_days",
         {"date": "2026-11-03", "days": 2.0}),
        ("temporary pool exhausted (50 of 50 hired)", "pool_exhausted",
         {"hired": 50.0, "max": 50.0}),
        ("cheaper to leave short than to staff (shortfall penalty 696.15 CNY per agent-hour)",
         "cheaper", {"price": 696.15}),
        ("all available named agents rostered; no temporaries allowed", "no_temps",
         {"named": "all available named agents rostered"}),
        ("weekly hour limits of named agents; 3 more temporaries were allowed (47 of 50 "
         "hired) and one would pay for itself here: the solver found no roster using them "
         "within the time limit", "temps_unused",
         {"named": "weekly hour limits of named agents", "more": 3.0, "hired": 47.0,
          "max": 50.0}),
        ("all available named agents rostered; a temporary (hire 556 CNY + 32 CNY/h) costs "
         "more than the shortfall (20 CNY per agent-hour)", "temp_too_dear",
         {"named": "all available named agents rostered", "fee": 556.0, "hourly": 32.0,
          "price": 20.0}),
        ("something new", "other", {"text": "something new"}),
    ],
)  # fmt: skip
def test_classify_binding_reads_every_engine_wording(text, kind, values):
    binding = classify_binding(text)
    assert (binding.kind, binding.values) == (kind, values)
    assert binding.temps_help == (kind in ("pool_exhausted", "no_temps", "temps_unused",
                                           "temp_too_dear"))  # fmt: skip


def test_materiality_drops_slivers():
    unmet = pd.DataFrame({"agent_hours_short": [0.01, 0.49, 0.5, 51.7]})
    assert list(material_unmet(unmet)["agent_hours_short"]) == [0.5, 51.7]
    coverage = pd.DataFrame({"shortfall": [0.0, 0.04, 0.49, 0.5, 3.0]})
    assert list(short_intervals(coverage)) == [False, False, False, True, True]


def _coverage() -> pd.DataFrame:
    ts = pd.date_range("2026-11-10", periods=96, freq="30min")
    short = np.zeros(96)
    short[48:52] = [4.5, 4.5, 1.2, 1.2]  # 11-11 00:00-02:00
    short[10] = 0.03  # a sliver on 11-10
    service = np.where(short >= 0.5, 0.3, 0.95)
    service[60] = 0.75  # 11-11 06:00 under the 0.8 target though covered
    return pd.DataFrame({
        "timestamp": ts, "required": 20.0, "scheduled": 20.0 - short, "shortfall": short,
        "surplus": 0.0, "expected_service_level": service,
    })  # fmt: skip


def _unmet(binding: str) -> pd.DataFrame:
    return pd.DataFrame({
        "start": pd.to_datetime(["2026-11-10T05:00", "2026-11-11T00:00"]),
        "end": pd.to_datetime(["2026-11-10T05:30", "2026-11-11T02:00"]),
        "agent_hours_short": [0.02, 5.7], "peak_agents_short": [0.03, 4.5],
        "binding": [binding, binding],
    })  # fmt: skip


def test_peak_at_a_glance_acts_on_the_worst_days_largest_period():
    peak = peak_at_a_glance(_coverage(), _unmet("temporary pool exhausted (6 of 6 hired)"), 30,
                            "2026-11-11", 0.83, 0.8, _price())  # fmt: skip
    assert peak.day == dt.date(2026, 11, 11)
    assert peak.agents_short_max == 4.5
    assert peak.agent_hours_short == pytest.approx((4.5 + 4.5 + 1.2 + 1.2) * 0.5)
    # intervals short or under target, worst service first: the four short ones, then 06:00
    assert list(peak.worst["timestamp"].dt.strftime("%H:%M")) == [
        "00:00", "00:30", "01:00", "01:30", "06:00"
    ]
    assert peak.period["start"] == pd.Timestamp("2026-11-11T00:00")
    assert peak.binding.kind == "pool_exhausted"
    assert (peak.action.temps, peak.action.cost_cny) == (2, 440.0)
    assert peak.action.value_cny == pytest.approx(640.0)  # as in the first test


def test_peak_without_a_price_or_with_another_limit_has_no_priced_action():
    unpriced = peak_at_a_glance(_coverage(), _unmet("temporary pool exhausted (6 of 6 hired)"),
                                30, "2026-11-11", None, 0.8, None)  # fmt: skip
    assert unpriced.binding.kind == "pool_exhausted" and unpriced.action is None
    rules = peak_at_a_glance(_coverage(), _unmet("no permitted shift start covers this time"),
                             30, "2026-11-11", None, 0.8, _price())  # fmt: skip
    assert rules.binding == Binding("no_shift_start", {}, "no permitted shift start covers "
                                    "this time")  # fmt: skip
    assert rules.action is None
    covered = peak_at_a_glance(_coverage(), _unmet("x").iloc[:1], 30, None, None, 0.8, _price())
    assert covered.period is None and covered.action is None  # only a sliver: nothing to do
    assert covered.day == dt.date(2026, 11, 11)  # worst_day_of: lowest service


def test_worst_day_of_without_service_columns_takes_the_most_shortfall():
    coverage = _coverage().drop(columns="expected_service_level")
    assert worst_day_of(coverage) == dt.date(2026, 11, 11)


def test_temp_price_of_the_sample_scenario_matches_the_pipeline():
    from scenarios.pipeline import answered_per_agent_hour as pipeline_rate

    scenario = load_scenario(SAMPLE)
    assert answered_per_agent_hour(scenario) == pipeline_rate(scenario.service)
    price = temp_price(scenario)
    # AOV 260 x conversion 0.35 x margin 0.30 = 27.3 CNY per answer; 3600 / (240 x 1.5) x 3
    # chats x 0.85 occupancy = 25.5 answers per agent-hour -> 696.15 CNY per agent-hour
    assert price.shortfall_price_cny == pytest.approx(696.15)
    assert (price.hourly_cny, price.fee_cny) == (32.0, 300.0 + 8 * 32.0)
    assert (price.paid_hours_min, price.efficiency, price.max_headcount) == (6.0, 0.7, 50)
    assert price.available_from == dt.date(2026, 11, 3)


def test_load_temp_price_reads_the_runs_resolved_scenario(tmp_path: Path):
    assert load_temp_price(tmp_path) is None  # no scenario.resolved.toml
    write_resolved_scenario(tmp_path)
    loaded = load_temp_price(tmp_path)
    assert dataclasses.replace(loaded, service=None) == _price()
    assert loaded.service == load_scenario(SAMPLE).service  # to evaluate the action's service
    (tmp_path / "scenario.resolved.toml").write_text("not = [toml", encoding="utf-8")
    assert load_temp_price(tmp_path) is None


def test_service_with_temps_evaluates_the_period_as_scheduled():
    service = load_scenario(SAMPLE).service
    ts = pd.date_range("2026-11-11", periods=4, freq="30min")
    window = pd.DataFrame({"timestamp": ts, "scheduled": [20.0, 20.0, 30.0, 30.0]})
    requirements = pd.DataFrame({"timestamp": ts, "volume": [600.0, 600.0, 300.0, 300.0]})
    before, same = service_with_temps(window, requirements, 0.0, service, 30)
    assert before == same  # no temps, no change
    _, after = service_with_temps(window, requirements, 10.0, service, 30)
    _, more = service_with_temps(window, requirements, 20.0, service, 30)
    assert 0.0 <= before < after < more <= 1.0  # more agents on duty, better service


def test_peak_action_reports_the_service_it_would_give():
    coverage = _coverage()
    requirements = pd.DataFrame({"timestamp": coverage["timestamp"], "volume": 150.0})
    price = dataclasses.replace(_price(), service=load_scenario(SAMPLE).service)
    peak = peak_at_a_glance(coverage, _unmet("temporary pool exhausted (6 of 6 hired)"), 30,
                            "2026-11-11", None, 0.8, price, requirements=requirements)  # fmt: skip
    a = peak.action
    assert a.on_duty == a.temps == 2
    span = coverage.iloc[48:52]
    assert (a.service_before, a.service_after) == service_with_temps(
        span, requirements, 2 * 1.0, price.service, 30
    )
    assert a.service_after > a.service_before


BINDINGS = [
    "no permitted shift start covers this time",
    "temporaries not available before 2026-11-03 (lead_days 2)",
    "temporary pool exhausted (50 of 50 hired)",
    "cheaper to leave short than to staff (shortfall penalty 696.15 CNY per agent-hour)",
    "weekly hour limits of named agents; no temporaries allowed",
    "all available named agents rostered; 3 more temporaries were allowed (47 of 50 hired) "
    "and one would pay for itself here: the solver found no roster using them within the "
    "time limit",
    "all available named agents rostered; a temporary (hire 556 CNY + 32 CNY/h) costs more "
    "than the shortfall (20 CNY per agent-hour)",  # runs written before 2026-12-08
    "all available named agents rostered; a temporary (hire 556 CNY + 32 CNY/h) costs more "
    "than the shortfall it could remove (696.15 CNY per agent-hour)",
]


@pytest.mark.parametrize("text", BINDINGS)
def test_every_binding_limit_reads_in_chinese(monkeypatch, text):
    import re

    from dashboard import i18n
    from dashboard.peak_view import binding_text

    binding = classify_binding(text)
    assert binding.kind != "other"  # the engine's wording is known, so it is translated
    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    shown = binding_text(binding)
    assert shown and not re.search(r"[A-Za-z]{2,}", shown), shown
