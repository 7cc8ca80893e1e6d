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
    assert phases["label"].iloc[1] == "Double 11 · peak"  # display names (English here)
    assert list(phases["name"]) == ["pre-sale", "peak", "return"]  # unknown ids kept


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
    assert color["sort"] == ["Double 11 · pre-sale", "Double 11 · peak", "Double 11 · return"]


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
    # the 4 intervals short by 3 agents; the 0.04-agent sliver on 11-10 01:30 is not shaded
    assert len(short_rows) == 4 and all(r["shortfall"] == 3 for r in short_rows)
    assert short_rows[0]["timestamp"].startswith("2026-11-11T06:00")
    assert short_rows[0]["end"].startswith("2026-11-11T06:30")
    assert len(_layer_data(spec, lines)) == 2 * len(run.coverage)


def test_coverage_long_shape(run):
    long = coverage_long(run.coverage)
    assert set(long["series"]) == {"required", "scheduled"}
    assert set(long["label"]) == {"required", "scheduled"}  # English outside a session
    assert list(long.columns) == ["timestamp", "series", "label", "agents"]


def test_service_level_chart_shows_service_as_scheduled(run):
    spec = service_level_chart(run.coverage, 0.8).to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["line", "rule"]
    assert _layer_data(spec, spec["layer"][1]) == [{"target": 0.8}]
    levels = [r["expected_service_level"] for r in _layer_data(spec, spec["layer"][0])]
    assert levels == list(run.coverage["expected_service_level"])  # coverage.csv, as scheduled
    assert min(levels) == 0.4  # the short intervals; the requirement says 0.85 throughout
    assert spec["layer"][0]["encoding"]["y"]["title"] == "Service level as scheduled"
    assert len(service_level_chart(run.coverage, None).to_dict()["layer"]) == 1


def test_phase_ending_where_the_range_ends_is_dropped(run):
    # days 11-10..11-11: "return" starts at 11-12 00:00, exactly the range's end
    phases = phase_frame(run.events, pd.Timestamp("2026-11-10"), pd.Timestamp("2026-11-12"))
    assert list(phases["phase"]) == ["presale", "peak"]
    assert (phases["end"] > phases["start"]).all()


def test_short_phases_are_not_labelled_over_their_neighbours():
    events = pd.DataFrame({
        "event": ["double11"] * 3,
        "phase": ["deposit_payment", "peak", "main"],
        "start": pd.to_datetime(["2026-11-01T00:00", "2026-11-11T00:00", "2026-11-11T02:00"]),
        "end": pd.to_datetime(["2026-11-10T23:59", "2026-11-11T01:59", "2026-11-11T23:59"]),
    })  # fmt: skip
    ts = pd.Series(pd.date_range("2026-11-01", "2026-11-14T23:30", freq="30min"))
    fc = pd.DataFrame({"timestamp": ts, "volume": 1.0, "lower_80": 1.0, "upper_80": 1.0,
                       "lower_95": 1.0, "upper_95": 1.0})  # fmt: skip
    spec = forecast_chart(fc, events).to_dict()
    text = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "text")
    # full 14 days: the 2-hour peak is too narrow for a label (legend and tooltip name it)
    assert [r["name"] for r in _layer_data(spec, text)] == ["deposit & balance", "main"]
    one_day = fc.loc[fc["timestamp"].dt.date == pd.Timestamp("2026-11-11").date()]
    spec = forecast_chart(one_day, events).to_dict()
    text = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "text")
    assert [r["name"] for r in _layer_data(spec, text)] == ["peak", "main"]
