"""The Streamlit app end to end on a fake run directory (headless AppTest)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from dashboard_fake_run import ROSTER_ROWS, SUMMARY
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


def _app(monkeypatch: pytest.MonkeyPatch, run_dir: Path | str) -> AppTest:
    monkeypatch.setenv("PEAKPLAN_RUN", str(run_dir))
    at = AppTest.from_file(APP, default_timeout=30)
    return at.run()


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


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
    assert m["Target service level"] == "80% in 30 s"
    assert m["Expected ASA / abandon"] == "14 s / 3.1%"
    assert m["Unmet periods"] == "1"
    assert m["Solver status"] == "FEASIBLE"
    assert (m["Optimality gap"], m["Solve time"]) == ("1.2%", "42.7 s")
    assert m["Objective / best bound"] == "79,180 / 78,100"
    assert any("0 violations" in s.value for s in at.success)
    unmet = at.dataframe[0].value
    assert list(unmet["binding"]) == ["temporary.max_headcount"]


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


def test_forecast_page_renders_chart_and_phases(monkeypatch, fake_run):
    at = _app(monkeypatch, fake_run)
    at.switch_page("views/forecast.py").run()
    assert not at.exception
    assert at.title[0].value == "Forecast"
    phases = at.dataframe[0].value
    assert list(phases["phase"]) == ["presale", "peak", "return"]  # warmup is out of range
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
    assert m["Agent-hours short"] == "6.0"  # 4 intervals x 3 agents x 0.5 h
    assert m["Lowest interval"] == "85.0%"
    specs = [c.proto.spec for c in at.get("vega_lite_chart")]
    assert len(specs) == 2
    assert "shortfall" in specs[0] and "expected_service_level" in specs[1]

    days = at.select_slider(key="staffing_days")
    assert days.options == ["11-10 Tue", "11-11 Wed", "11-12 Thu"]
    days.set_range(dt.date(2026, 11, 11), dt.date(2026, 11, 11)).run()
    assert not at.exception
    m = _metrics(at)
    assert m["Intervals short"] == "4 of 48"
    assert m["Agent-hours short"] == "6.0"
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
    assert len(at.get("download_button")) == 1

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
    assert at.selectbox(key="run_select").options == ["out/double11-2026"]
    assert _metrics(at)["Headcount temporary"] == "6"
