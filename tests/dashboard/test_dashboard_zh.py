"""The Overview, Forecast and Staffing pages in Chinese: phase names such as 峰值, and no English
identifier (raw ids, English headers, chart titles) anywhere in what the pages show."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from dashboard_fake_run import write_resolved_scenario
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
PAGES = ("views/overview.py", "views/forecast.py", "views/staffing.py")

#: What may stay Latin in the zh UI: file names, code spans, the product and engine names.
ALLOWED = re.compile(r"`[^`]*`|\b[\w.-]+\.(?:csv|toml|json)\b|peakplan|CP-SAT|HiGHS|CNY")
ASCII_WORD = re.compile(r"[A-Za-z]{2,}")


def _zh_app(monkeypatch: pytest.MonkeyPatch, run_dir: Path) -> AppTest:
    """The app in Chinese on ``run_dir``, whose phases are all known ones (the fake's
    ``return`` phase, a user-named id shown as it is, becomes ``tail``)."""
    events = run_dir / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace(",return,", ",tail,"),
                      encoding="utf-8")  # fmt: skip
    monkeypatch.setenv("PEAKPLAN_RUN", str(run_dir))
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["lang"] = "zh"
    return at.run()


def _chart_titles(spec: object) -> list[str]:
    """Every axis, legend and tooltip title of a Vega-Lite spec, and the phase names drawn."""
    found: list[str] = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "title" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(_chart_titles(value))
    elif isinstance(spec, list):
        for item in spec:
            found.extend(_chart_titles(item))
    return found


def _page_texts(at: AppTest) -> list[str]:
    """The main area's texts (the scenario's own name, the title, is the user's data)."""
    texts: list[str] = []
    for kind in ("markdown", "caption", "subheader", "header", "warning", "info", "success",
                 "error", "expander"):  # fmt: skip
        texts += [str(el.label if kind == "expander" else el.value) for el in at.get(kind)]
    for m in at.metric:
        texts += [m.label, m.value, m.help or "", str(m.proto.delta or "")]
    for frame in (d.value for d in [*at.table, *at.dataframe]):
        texts += [str(c) for c in frame.columns]
        texts += [v for col in frame.columns for v in frame[col] if isinstance(v, str)]
    for slider in at.select_slider:
        texts += [slider.label, *map(str, slider.options)]
    for chart in at.get("vega_lite_chart"):
        texts += _chart_titles(json.loads(chart.proto.spec))
    return [t for t in texts if t]


def _leaks(texts: list[str]) -> list[str]:
    return [t for t in texts if ASCII_WORD.search(ALLOWED.sub("", t))]


def test_zh_pages_show_no_english_identifiers(monkeypatch, fake_run):
    write_resolved_scenario(fake_run)
    at = _zh_app(monkeypatch, fake_run)
    shown: dict[str, list[str]] = {}
    for page in PAGES:
        if page != PAGES[0]:
            at.switch_page(page).run()
        assert not at.exception, page
        shown[page] = _page_texts(at)
        assert _leaks(shown[page]) == [], page
    overview = " ".join(shown["views/overview.py"])
    assert "峰值速览：最差日 11月11日 周三" in overview
    assert "临时工池已用尽（已招 6 / 上限 6）" in overview
    assert "再招 3 名临时工" in overview and "+¥660" in overview and "−¥1,200" in overview
    forecast = " ".join(shown["views/forecast.py"])
    assert "双11 · 峰值" in forecast  # the phase table and the chart's legend
    assert "预售" in forecast and "峰值" in forecast
    staffing = " ".join(shown["views/staffing.py"])
    assert "预计服务水平（按排班）" in staffing  # the service chart's axis


def test_zh_phase_names_in_the_forecast_chart(monkeypatch, fake_run):
    at = _zh_app(monkeypatch, fake_run)
    at.switch_page("views/forecast.py").run()
    titles = _chart_titles(json.loads(at.get("vega_lite_chart")[0].proto.spec))
    assert "大促阶段" in titles and "当地时间" in titles and "每时段咨询量" in titles
    assert "Promotion phase" not in titles and "Local time" not in titles
    assert list(at.dataframe[0].value.columns) == ["大促阶段", "开始", "结束"]
    assert list(at.dataframe[0].value["大促阶段"]) == ["双11 · 预售", "双11 · 峰值", "双11 · 收尾"]


def test_leak_scanner_catches_raw_identifiers():
    assert _leaks(["缺口 part_time", "Objective / best bound", "11月11日 00:00"]) == [
        "缺口 part_time", "Objective / best bound"
    ]
    assert _leaks(["见 `peakplan run`", "roster.csv 的列", "¥1,200 / 30 秒 96.3%"]) == []
