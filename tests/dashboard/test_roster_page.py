"""The Roster page (headless AppTest on the fake run): the Gantt of a chosen day, filters, the
day x hour heatmap, the HR downloads (BOM, chosen headers, the filtered rows, the workbook) and
the Chinese UI without raw identifiers; plus the chart builders on their own."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pytest
from dashboard_fake_run import ROSTER_ROWS
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from dashboard.data import load_run
from dashboard.roster_charts import agent_labels, break_spans, duty_by_hour
from scenarios.hr_export import COLUMNS, HEADERS_ZH

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
ZH_HEADER = ",".join(HEADERS_ZH[c] for c in COLUMNS)


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """File name -> bytes of every download button's data, as the page hands it to Streamlit."""
    seen: dict[str, bytes] = {}
    real = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        if filename and isinstance(path_or_data, bytes):
            seen[filename] = path_or_data
        return real(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return seen


def _roster_page(monkeypatch, run_dir: Path, lang: str = "en") -> AppTest:
    monkeypatch.setenv("PEAKPLAN_RUN", str(run_dir))
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("views/roster.py").run()
    assert not at.exception, at.exception
    return at


def _chart_data(at: AppTest, layer: int) -> pd.DataFrame:
    """The data of layer ``layer`` of the page's first chart (the Gantt)."""
    proto = at.get("vega_lite_chart")[0].proto
    name = json.loads(proto.spec)["layer"][layer]["data"]["name"]
    data = next(d.data.data for d in proto.datasets if d.name == name)
    return pa.ipc.open_stream(data).read_pandas()


def test_gantt_renders_for_the_chosen_day(monkeypatch, fake_run):
    at = _roster_page(monkeypatch, fake_run)
    assert len(at.get("vega_lite_chart")) == 2  # Gantt and heatmap
    gantt_day = at.selectbox(key="roster_gantt_day")
    assert gantt_day.value == dt.date(2026, 11, 10)  # the busiest day (first of a tie)
    assert list(_chart_data(at, 0)["agent"]) == ["0001 张三", "0002 李四"]

    gantt_day.set_value(dt.date(2026, 11, 11)).run()
    shifts, breaks = _chart_data(at, 0), _chart_data(at, 1)
    assert list(shifts["agent"]) == ["0003 王五", "TEMP-001 临时工 1"]
    assert list(shifts["type"]) == ["part-time", "temporary"]
    assert list(shifts["shift"]) == ["18:00–22:00", "20:00–04:00"]
    assert list(breaks["agent"]) == ["TEMP-001 临时工 1"]  # 00:00-00:30 after midnight
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "rule"]

    at.selectbox(key="roster_date").set_value(dt.date(2026, 11, 12)).run()
    gantt_day = at.selectbox(key="roster_gantt_day")
    assert gantt_day.value == dt.date(2026, 11, 12) and gantt_day.disabled  # follows the filter
    assert list(_chart_data(at, 0)["agent"]) == ["0001 张三"]
    at.selectbox(key="roster_date").set_value("All dates").run()
    assert not at.selectbox(key="roster_gantt_day").disabled
    assert list(_chart_data(at, 0)["agent"]) == ["0001 张三"]  # the last day drawn stays


def test_filters_change_the_rows_gantt_and_heatmap(monkeypatch, fake_run):
    at = _roster_page(monkeypatch, fake_run)
    heat = at.get("vega_lite_chart")[1].proto
    before = pa.ipc.open_stream(heat.datasets[0].data.data).read_pandas()
    at.multiselect(key="roster_types").set_value(["permanent"]).run()
    assert list(at.dataframe[0].value["agent_id"]) == ["0001", "0002", "0001"]
    heat = at.get("vega_lite_chart")[1].proto
    after = pa.ipc.open_stream(heat.datasets[0].data.data).read_pandas()
    assert after["agents"].sum() < before["agents"].sum()
    at.text_input(key="roster_search").input("李").run()
    assert list(at.dataframe[0].value["agent_name"]) == ["李四"]
    assert list(_chart_data(at, 0)["agent"]) == ["0002 李四"]


def test_download_whole_roster_and_filtered_view(monkeypatch, fake_run, downloads):
    at = _roster_page(monkeypatch, fake_run)
    assert at.radio(key="roster_hr_lang").value == "en"  # the UI language
    name = f"roster-{fake_run.name}"
    data = downloads[f"{name}.csv"]
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert len(lines) == 1 + len(ROSTER_ROWS)

    at.multiselect(key="roster_types").set_value(["temporary"]).run()
    at.radio(key="roster_scope").set_value("view").run()
    at.radio(key="roster_hr_lang").set_value("zh").run()
    data = downloads[f"{name}-filtered.csv"]
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == ZH_HEADER
    assert lines[1:] == ["TEMP-001,临时工 1,临时工,2026-11-11,2026-11-11 20:00,2026-11-12 04:00,"
                         "00:00-00:30,7.5,300.0"]  # fmt: skip
    book = openpyxl.load_workbook(io.BytesIO(downloads[f"{name}-filtered.xlsx"]))
    assert book.sheetnames == ["第46周", "每日班次"]
    assert [c.value for c in book["第46周"][1]] == [HEADERS_ZH[c] for c in COLUMNS]
    assert book["第46周"]["A2"].value == "TEMP-001"


def test_workbook_download_keeps_leading_zeros(monkeypatch, fake_run, downloads):
    _roster_page(monkeypatch, fake_run)
    sheets = pd.read_excel(
        io.BytesIO(downloads[f"roster-{fake_run.name}.xlsx"]), sheet_name=None, dtype=str
    )
    grid = sheets.pop("Shifts by day")
    rows = pd.concat(sheets.values(), ignore_index=True)
    assert list(rows["agent_id"]) == [r[0] for r in ROSTER_ROWS]  # "0001" stays "0001"
    assert list(grid["agent_id"]) == ["0001", "0002", "0003", "TEMP-001"]
    assert grid.loc[0, "2026-11-12 Thu"] == "08:00-17:00"


def _visible_texts(at: AppTest) -> list[str]:
    """Every label, value, caption and table header the page shows (not the data values)."""
    kinds = ("title", "subheader", "caption", "markdown")
    texts = [e.value for kind in kinds for e in at.get(kind)]
    for widget in ("selectbox", "multiselect", "radio", "text_input"):
        for w in at.get(widget):
            texts.append(w.label)
            texts += [str(o) for o in getattr(w, "options", [])]
    texts += [m.label for m in at.metric] + [b.proto.label for b in at.get("download_button")]
    for frame in at.get("arrow_data_frame") + at.get("dataframe"):
        config = json.loads(frame.proto.columns or "{}")
        texts += [c.get("label", "") for c in config.values() if isinstance(c, dict)]
    for chart in at.get("vega_lite_chart"):
        spec = json.dumps(json.loads(chart.proto.spec), ensure_ascii=False)
        texts += re.findall(r'"title": "([^"]*)"', spec)
        texts += re.findall(r'"domain": \[([^\]]*)\]', spec)
    return texts


def test_chinese_ui_shows_no_raw_identifiers(monkeypatch, fake_run, downloads):
    at = _roster_page(monkeypatch, fake_run, lang="zh")
    texts = _visible_texts(at)
    assert "排班" in texts and "员工类型" in texts
    shown = "\n".join(texts)
    for raw in ("permanent", "part_time", "temporary", "agent_id", "shift_start", "cost_cny",
                "Agent", "Time", "Hour", "All dates", "Download"):  # fmt: skip
        assert raw not in shown, raw
    assert "正式员工" in at.multiselect(key="roster_types").options
    table = at.dataframe[0].value
    assert set(table["agent_type"]) == {"正式员工", "兼职", "临时工"}
    assert at.radio(key="roster_hr_lang").value == "zh"  # HR headers follow the UI language
    assert downloads[f"roster-{fake_run.name}.csv"].decode("utf-8-sig").startswith(ZH_HEADER)


def test_break_spans_and_duty_by_hour(fake_run):
    roster = load_run(fake_run).roster
    spans = break_spans(roster)
    night = spans.loc[spans["row"] == 3].iloc[0]  # TEMP-001's break after midnight
    assert (night["start"], night["end"]) == (
        pd.Timestamp("2026-11-12 00:00"), pd.Timestamp("2026-11-12 00:30")
    )  # fmt: skip
    duty = duty_by_hour(roster)
    assert len(duty) == 3 * 24  # 11-10 .. 11-12
    at = duty.set_index(["day", "hour"])["agents"]
    assert at[("2026-11-10", 8)] == 1.0  # 0001 from 08:00, 0002 from 09:00
    assert at[("2026-11-10", 12)] == 1.0  # 0001 on break 12-13
    assert at[("2026-11-10", 13)] == 1.0  # 0002 on break 13-14
    assert at[("2026-11-10", 10)] == 2.0
    assert at[("2026-11-12", 0)] == 0.5  # TEMP-001 on break 00:00-00:30
    assert at[("2026-11-12", 3)] == 1.0
    assert at[("2026-11-12", 4)] == 0.0  # TEMP-001 ended at 04:00; 0001 starts at 08:00
    assert list(agent_labels(roster.iloc[[0, 3]])) == ["0001 张三", "TEMP-001 临时工 1"]


def test_team_filter_when_the_roster_has_teams(monkeypatch, fake_run):
    path = fake_run / "roster.csv"
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    frame["team"] = ["A", "B", "B", "A", "A"]
    path.write_bytes(frame.to_csv(index=False).encode("utf-8-sig"))
    at = _roster_page(monkeypatch, fake_run, lang="zh")
    teams = at.multiselect(key="roster_teams")
    assert teams.label == "组别" and teams.options == ["A", "B"]
    teams.set_value(["B"]).run()
    assert list(at.dataframe[0].value["agent_id"]) == ["0002", "0003"]


def test_filter_that_leaves_nothing(monkeypatch, fake_run):
    at = _roster_page(monkeypatch, fake_run)
    at.text_input(key="roster_search").input("nobody").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 0
    assert [i.value for i in at.info] == [
        "No shifts on 11-10 Tue with these filters.", "No shifts with these filters.",
    ]  # fmt: skip
    assert not at.get("vega_lite_chart")
