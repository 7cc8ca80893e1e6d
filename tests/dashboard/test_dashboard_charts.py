"""Altair chart builders (dashboard.charts), checked through their Vega-Lite specs."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.charts import (
    coverage_long,
    forecast_chart,
    phase_frame,
    service_level_chart,
    staffing_chart,
)
from dashboard.data import load_run


@pytest.fixture
def run(fake_run):
    return load_run(fake_run)


def _layer_data(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][layer["data"]["name"]]


def test_phase_frame_keeps_and_clips_phases_in_range(run):
    start, end = pd.Timestamp("2026-11-10"), pd.Timestamp("2026-11-13")
    phases = phase_frame(run.events, start, end)
    assert list(phases["phase"]) == ["presale", "peak", "return"]
    assert phases["start"].min() == start  # presale began 11-09 20:00, clipped
    assert phases["end"].max() == end  # return ends 11-20, clipped
    assert phases["label"].iloc[1] == "double11 · peak"


def test_phase_frame_empty_events():
    empty = pd.DataFrame({c: pd.Series(dtype="datetime64[ns]") for c in ("start", "end")}).assign(
        event=pd.Series(dtype=str), phase=pd.Series(dtype=str)
    )
    assert phase_frame(empty, pd.Timestamp("2026-11-10"), pd.Timestamp("2026-11-11")).empty


def test_forecast_chart_has_phase_rects_bands_and_line(run):
    spec = forecast_chart(run.forecast, run.events).to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["rect", "text", "area", "area", "line"]
    rect_rows = _layer_data(spec, spec["layer"][0])
    assert [r["phase"] for r in rect_rows] == ["presale", "peak", "return"]
    assert rect_rows[-1]["end"].startswith("2026-11-13T00:00:00")  # end of the last interval
    band_rows = _layer_data(spec, spec["layer"][2])
    for col in ("lower_80", "upper_80", "lower_95", "upper_95", "volume"):
        assert col in band_rows[0]
    assert spec["layer"][2]["encoding"]["y2"]["field"] == "upper_95"
    assert spec["layer"][3]["encoding"]["y2"]["field"] == "upper_80"
    color = spec["layer"][0]["encoding"]["color"]
    assert color["title"] == "Promotion phase"
    assert color["sort"] == ["double11 · presale", "double11 · peak", "double11 · return"]


def test_forecast_chart_without_events_has_no_rects(run):
    spec = forecast_chart(run.forecast, run.events.iloc[0:0]).to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["area", "area", "line"]


def test_staffing_chart_highlights_only_short_intervals(run):
    spec = staffing_chart(run.coverage).to_dict()
    bars, lines = spec["layer"]
    assert bars["mark"]["type"] == "rect" and lines["mark"]["type"] == "line"
    assert (bars["encoding"]["y"]["field"], bars["encoding"]["y2"]["field"]) == (
        "scheduled",
        "required",
    )
    short_rows = _layer_data(spec, bars)
    assert len(short_rows) == 4 and all(r["shortfall"] == 3 for r in short_rows)
    assert short_rows[0]["timestamp"].startswith("2026-11-11T06:00")
    assert short_rows[0]["end"].startswith("2026-11-11T06:30")
    assert len(_layer_data(spec, lines)) == 2 * len(run.coverage)


def test_coverage_long_shape(run):
    long = coverage_long(run.coverage)
    assert set(long["series"]) == {"required", "scheduled"}
    assert list(long.columns) == ["timestamp", "series", "agents"]


def test_service_level_chart_target_rule(run):
    spec = service_level_chart(run.requirements, 0.8).to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["line", "rule"]
    assert _layer_data(spec, spec["layer"][1]) == [{"target": 0.8}]
    assert len(service_level_chart(run.requirements, None).to_dict()["layer"]) == 1
