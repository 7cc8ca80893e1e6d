"""The Streamlit app end to end on a fake run directory (headless AppTest)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from dashboard_fake_run import POOL_EXHAUSTED, ROSTER_ROWS, SUMMARY, write_resolved_scenario
from streamlit.testing.v1 import AppTest

from dashboard.data import load_run
from dashboard.i18n import percent
from dashboard.peak import load_temp_price, peak_at_a_glance

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


def _app(monkeypatch: pytest.MonkeyPatch, run_dir: Path | str) -> AppTest:
    monkeypatch.setenv("PEAKPLAN_RUN", str(run_dir))
    at = AppTest.from_file(APP, default_timeout=30)
    return at.run()


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _chart_values(chart, field: str) -> list[float]:
    """Every value of ``field`` in the datasets Streamlit sent with a Vega-Lite chart."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    frames = [convert_arrow_bytes_to_pandas_df(d.data.data) for d in chart.proto.datasets]
    return [v for f in frames if field in f.columns for v in f[field].tolist()]


def test_overview_shows_summary_kpis(monkeypatch, fake_run):
    at = _app(monkeypatch, fake_run)
    assert not at.exception
    assert at.title[0].value == SUMMARY["scenario"]["name"]
    m = _metrics(at)
    assert m["Total cost"] == "¥76,060"  # 76060.5 rounds half to even
    assert m["Cost permanent"] == "¥52,340"
    assert m["Cost part-time"] == "¥8,120"
    assert m["Cost temporary"] == "¥15,600"
    assert m["Headcount permanent"] == "12"
    assert m["Headcount part-time"] == "4"
    assert m["Headcount temporary"] == "6"
    assert m["Agent-hours short"] == "7.5"
    assert m["Expected service level"] == "83.4%"
    assert m["Target within 30 s"] == "80%"
    assert (m["Expected ASA"], m["Abandon rate"]) == ("14 s", "3.1%")
    assert m["Solver status"] == "FEASIBLE"
    assert (m["Optimality gap"], m["Solve time"]) == ("1.2%", "42.7 s")
    gap_tile = next(x for x in at.metric if x.label == "Optimality gap")
    assert "at most ¥1,080 above the optimum" in gap_tile.help  # 79,180.5 - 78,100
    assert gap_tile.help.endswith("(roster − the LP bound's solution, CNY): temporaries +700, "
                                  "part-time +400, shortfall -20.")
    # one tile each, so neither is cut to "…" at 1280 px
    assert (m["Objective"], m["Best bound"]) == ("¥79,180", "¥78,100")
    assert any("0 violations" in s.value for s in at.success)
    unmet = _frame(at, "Binding limit")
    assert list(unmet["Binding limit"]) == ["temp pool exhausted (6 of 6 hired)"]


def _frame(at: AppTest, column: str):
    """The first table (st.table or st.dataframe) on the page that has ``column``."""
    tables = [*at.table, *at.dataframe]
    return next(d.value for d in tables if column in d.value.columns)


def test_overview_opens_on_the_worst_day_with_a_priced_action(monkeypatch, fake_run):
    write_resolved_scenario(fake_run)
    at = _app(monkeypatch, fake_run)
    assert not at.exception
    # the first section is the worst day (summary.json service.worst_day), before the costs
    assert at.subheader[0].value == "The peak at a glance: worst day 11-11 Wed"
    labels = [m.label for m in at.metric]
    assert labels[:4] == ["Worst-day service", "Worst interval", "Most agents short",
                          "Hours short that day"]  # fmt: skip
    m = _metrics(at)
    assert (m["Worst-day service"], m["Worst interval"]) == ("81.0%", "40.0%")
    assert (m["Most agents short"], m["Hours short that day"]) == ("3.0", "6.0")
    worst = _frame(at, "Service as scheduled")  # per interval, not a horizon average
    assert list(worst["Interval start"]) == ["11-11 06:00", "11-11 06:30", "11-11 07:00",
                                             "11-11 07:30"]  # fmt: skip
    assert set(worst["Service as scheduled"]) == {"40.0%"}
    assert set(worst["Agents short"]) == {"3.0"}

    # the action's figures are the function's: 3 temps x (100 + 4 h x 30) = 660 CNY remove
    # 6 agent-hours x 200 CNY = 1,200 CNY of shortfall value (dashboard_fake_run's prices)
    run = load_run(fake_run)
    peak = peak_at_a_glance(run.coverage, run.unmet, 30, "2026-11-11", 0.81, 0.8,
                            load_temp_price(fake_run))  # fmt: skip
    a = peak.action
    assert (a.temps, a.cost_cny, a.value_cny) == (3, 660.0, 1200.0)
    text = at.warning[0].value
    assert "Binding limit: temp pool exhausted (6 of 6 hired)." in text
    assert f"hire {a.temps} more temps for 11-11 06:00–08:00" in text
    assert f"+¥{a.cost_cny:,.0f} wages and hiring fees, −¥{a.value_cny:,.0f} shortfall" in text
    assert f"(net saving ¥{-a.net_cny:,.0f})" in text
    assert "+¥660 wages and hiring fees, −¥1,200 shortfall value (net saving ¥540)" in text
    # and the service the period would get with them, by the pipeline's own evaluation
    with_service = peak_at_a_glance(run.coverage, run.unmet, 30, "2026-11-11", 0.81, 0.8,
                                    load_temp_price(fake_run), requirements=run.requirements)
    b = with_service.action
    assert b.service_after > b.service_before
    assert f"go from {percent(b.service_before)} to {percent(b.service_after)} service" in text


def test_overview_names_the_limit_when_it_cannot_price_it(monkeypatch, fake_run):
    at = _app(monkeypatch, fake_run)  # no scenario.resolved.toml in this run
    text = at.info[0].value
    assert "temp pool exhausted (6 of 6 hired)" in text and "cannot be priced" in text


def test_overview_names_a_limit_that_is_not_the_temp_pool(monkeypatch, fake_run):
    write_resolved_scenario(fake_run)
    unmet = (fake_run / "unmet.csv").read_text(encoding="utf-8")
    (fake_run / "unmet.csv").write_text(
        unmet.replace(POOL_EXHAUSTED, "no permitted shift start covers this time"),
        encoding="utf-8",
    )
    at = _app(monkeypatch, fake_run)
    assert not at.exception
    text = at.info[0].value
    assert "Binding limit: no permitted shift start covers this time (shift rules)." in text
    assert "hire" not in text and "Change the shift rules" in text


def test_unmet_slivers_are_not_counted(monkeypatch, fake_run):
    # unmet.csv: 6 agent-hours on 11-11 and a 0.02 agent-hour sliver on 11-10 01:30
    at = _app(monkeypatch, fake_run)
    tile = next(m for m in at.metric if m.label == "Unmet periods")
    assert tile.value == "1"
    assert "at least 0.5 agent-hours; 1 smaller sliver(s) (0.02 agent-hours" in tile.help
    assert len(_frame(at, "Binding limit")) == 1
    at.switch_page("views/staffing.py").run()
    tile = next(m for m in at.metric if m.label == "Intervals short")
    assert tile.value == "4 of 144"  # not 5: the 0.04-agent sliver
    assert "1 more are short by a sliver" in tile.help


def test_overview_reports_validator_violations(monkeypatch, fake_run):
    import json

    summary = json.loads((fake_run / "summary.json").read_text(encoding="utf-8"))
    summary["validation"] = {
        "ok": False,
        "violations": 2,
        "by_rule": {"min_rest": 1, "max_consecutive_days": 1},
        "first": ["0001: rest 9.0 h < 11 h on 11-11", "0002: 7 consecutive days"],
    }
    (fake_run / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    at = _app(monkeypatch, fake_run)
    assert not at.exception
    assert "2 violation(s)" in at.error[0].value
    assert any("rest 9.0 h" in md.value for md in at.markdown)


def test_overview_lists_rules_and_agents_and_accepted_weekly_minimums(monkeypatch, fake_run):
    """Refused rules are an error naming each rule, count and agents; missed weekly minimums the
    scenario accepts (soft_weekly_minimums) are a warning, the rule marked accepted."""
    import json

    path = fake_run / "summary.json"
    summary = json.loads(path.read_text(encoding="utf-8"))
    soft = ["weekly_min_hours", "temp_weekly_min_hours"]
    summary["validation"] = {
        "ok": False, "violations": 3, "by_rule": {"weekly_min_hours": 3},
        "agents": {"weekly_min_hours": ["P012", "P031", "T004"]},
        "first": ["weekly_min_hours P012: week 1: 0.00 paid hours < min 20.00"],
        "soft_rules": soft, "accepted": True,
    }
    path.write_text(json.dumps(summary), encoding="utf-8")
    at = _app(monkeypatch, fake_run)
    assert not at.exception
    assert not at.error
    assert any("3 violation(s)" in w.value and "soft_weekly_minimums" in w.value
               for w in at.warning)
    rule = "`weekly_min_hours`: 3 (agents P012, P031, T004) (accepted)"
    assert any(rule in md.value for md in at.markdown)
    summary["validation"].update(soft_rules=[], accepted=False)
    path.write_text(json.dumps(summary), encoding="utf-8")
    at = _app(monkeypatch, fake_run)
    assert "3 violation(s)" in at.error[0].value and "exited with code 3" in at.error[0].value
    assert any("`weekly_min_hours`: 3 (agents P012, P031, T004)" in md.value
               and "accepted" not in md.value for md in at.markdown)


def test_forecast_page_renders_chart_and_phases(monkeypatch, fake_run):
    at = _app(monkeypatch, fake_run)
    at.switch_page("views/forecast.py").run()
    assert not at.exception
    assert at.title[0].value == "Forecast"
    phases = at.dataframe[0].value
    assert list(phases["Promotion phase"]) == [  # warmup is out of range
        "Double 11 · pre-sale", "Double 11 · peak", "Double 11 · return"
    ]
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    spec = charts[0].proto.spec
    assert "Promotion phase" in spec and "upper_95" in spec


def test_staffing_page_shows_shortfall(monkeypatch, fake_run):
    at = _app(monkeypatch, fake_run)
    at.switch_page("views/staffing.py").run()
    assert not at.exception
    m = _metrics(at)
    assert m["Intervals short"] == "4 of 144"
    assert m["Agent-hours short"] == "6.0"  # 4 intervals x 3 agents x 0.5 h (+ 0.02 sliver)
    assert m["Lowest interval"] == "40.0%"  # as scheduled; the requirement says 85 %
    specs = [c.proto.spec for c in at.get("vega_lite_chart")]
    assert len(specs) == 2
    assert "shortfall" in specs[0] and "expected_service_level" in specs[1]
    levels = _chart_values(at.get("vega_lite_chart")[1], "expected_service_level")
    assert sorted(set(levels)) == [0.4, 0.9]  # coverage.csv expected_service_level
    assert 0.85 not in levels  # requirements.csv: the level the requirement was sized for

    days = at.select_slider(key="staffing_days")
    assert days.options == ["11-10 Tue", "11-11 Wed", "11-12 Thu"]
    days.set_range(dt.date(2026, 11, 11), dt.date(2026, 11, 11)).run()
    assert not at.exception
    m = _metrics(at)
    assert m["Intervals short"] == "4 of 48"
    assert m["Agent-hours short"] == "6.0"
    assert m["Lowest interval"] == "40.0%"
    days.set_range(dt.date(2026, 11, 12), dt.date(2026, 11, 12)).run()
    assert _metrics(at)["Intervals short"] == "0 of 48"


def test_roster_page_table_filters_and_download(monkeypatch, fake_run):
    at = _app(monkeypatch, fake_run)
    at.switch_page("views/roster.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == len(ROSTER_ROWS)
    assert "张三" in set(table["agent_name"])
    assert table["agent_id"].iloc[0] == "0001"  # leading zeros kept
    assert "roster_download" in [b.key for b in at.get("download_button")]  # the HR CSV

    at.multiselect(key="roster_types").set_value(["temporary"]).run()
    table = at.dataframe[0].value
    assert list(table["agent_id"]) == ["TEMP-001"]
    assert _metrics(at)["Paid hours"] == "7.5"


def test_roster_date_filter(monkeypatch, fake_run):
    at = _app(monkeypatch, fake_run)
    at.switch_page("views/roster.py").run()
    date = at.selectbox(key="roster_date")
    date.select(date.options[-1]).run()  # 2026-11-12
    assert list(at.dataframe[0].value["agent_name"]) == ["张三"]

    date.select("All dates").run()
    at.text_input(key="roster_search").input("张").run()
    assert list(at.dataframe[0].value["agent_id"]) == ["0001", "0001"]
    at.text_input(key="roster_search").input("temp").run()
    assert list(at.dataframe[0].value["agent_id"]) == ["TEMP-001"]


@pytest.mark.parametrize("page", ["views/overview.py", "views/roster.py"])
def test_missing_run_dir_shows_error(monkeypatch, tmp_path, page):
    at = _app(monkeypatch, tmp_path / "nope")
    at.switch_page(page).run()
    assert not at.exception
    assert "does not exist" in at.error[0].value


def test_incomplete_run_dir_names_missing_files(monkeypatch, fake_run):
    (fake_run / "coverage.csv").unlink()
    (fake_run / "roster.csv").unlink()
    at = _app(monkeypatch, fake_run)
    assert not at.exception
    assert "missing coverage.csv, roster.csv" in at.error[0].value


def test_malformed_file_names_row_and_field(monkeypatch, fake_run):
    text = (fake_run / "coverage.csv").read_text(encoding="utf-8").splitlines()
    text[3] = "not-a-time," + text[3].split(",", 1)[1]
    (fake_run / "coverage.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    at = _app(monkeypatch, fake_run)
    assert not at.exception
    assert "coverage.csv: row 4, field 'timestamp'" in at.error[0].value


def test_sidebar_text_input_overrides_run(monkeypatch, fake_run, tmp_path):
    at = _app(monkeypatch, tmp_path / "nope")
    assert at.error
    at.text_input(key="run_text").input(str(fake_run)).run()
    assert not at.exception
    assert not at.error
    assert _metrics(at)["Headcount permanent"] == "12"


def test_roster_shifts_per_day(monkeypatch, fake_run):
    at = _app(monkeypatch, fake_run)
    at.switch_page("views/roster.py").run()
    per_day = at.dataframe[1].value
    assert list(per_day.columns) == ["date", "permanent", "part_time", "temporary"]
    assert list(per_day["permanent"]) == [2, 0, 1]
    assert list(per_day["temporary"]) == [0, 1, 0]


def test_empty_unmet_and_roster_render(monkeypatch, fake_run):
    (fake_run / "unmet.csv").write_text(
        "start,end,agent_hours_short,peak_agents_short,binding\n", encoding="utf-8"
    )
    roster_header = (fake_run / "roster.csv").read_bytes().splitlines()[0] + b"\r\n"
    (fake_run / "roster.csv").write_bytes(roster_header)
    at = _app(monkeypatch, fake_run)
    assert not at.exception
    assert any("no unmet demand" in s.value for s in at.success)
    at.switch_page("views/roster.py").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 0
    assert _metrics(at)["Shifts"] == "0"


def test_staffing_without_shortfall_and_forecast_with_queues(monkeypatch, fake_run):
    import pandas as pd

    cov = pd.read_csv(fake_run / "coverage.csv")
    cov["scheduled"] = cov["required"]
    cov["shortfall"] = 0.0
    cov.to_csv(fake_run / "coverage.csv", index=False)
    fc = pd.read_csv(fake_run / "forecast.csv")
    two = pd.concat([fc.assign(queue="presales"), fc.assign(queue="aftersales", volume=1.0)])
    two.to_csv(fake_run / "forecast.csv", index=False)

    at = _app(monkeypatch, fake_run)
    at.switch_page("views/staffing.py").run()
    assert not at.exception
    assert _metrics(at)["Intervals short"] == "0 of 144"
    assert not at.expander

    at.switch_page("views/forecast.py").run()
    assert not at.exception
    assert at.selectbox(key="forecast_queue").options == ["aftersales", "presales"]
    assert _metrics(at)["Total forecast volume"] == "144 inquiries"  # aftersales: 1 per interval


def test_no_run_configured_lists_runs_under_out(monkeypatch, tmp_path):
    from dashboard_fake_run import write_fake_run

    monkeypatch.delenv("PEAKPLAN_RUN", raising=False)
    monkeypatch.chdir(tmp_path)
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "Choose a run directory" in at.info[0].value
    assert not at.selectbox  # nothing under out/ yet

    write_fake_run(tmp_path / "out" / "double11-2026")
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert at.radio(key="run_select").options == ["out/double11-2026"]
    assert _metrics(at)["Headcount temporary"] == "6"


def test_run_without_service_as_scheduled_still_renders(monkeypatch, fake_run):
    import pandas as pd

    cov = pd.read_csv(fake_run / "coverage.csv")
    cov.drop(columns=[c for c in cov.columns if c.startswith("expected_")]).to_csv(
        fake_run / "coverage.csv", index=False
    )
    at = _app(monkeypatch, fake_run)
    assert not at.exception
    worst = _frame(at, "Agents short")  # the short intervals, most short first
    assert "Service as scheduled" not in worst.columns and len(worst) == 4
    at.switch_page("views/staffing.py").run()
    assert not at.exception
    assert "no service-as-scheduled columns" in at.info[0].value
