"""Forecast page: the learned event effects (event_effects.csv) as a table and an intraday shape
chart; runs written before the file existed show the page without them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.data import RunDirError, load_run

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


def _effects(path: Path) -> None:
    shape = {f"shape_h{h:02d}": (np.nan if h in (5, 6) else 1.0 + h / 10) for h in range(24)}
    rows = [
        {"family": "double11", "phase": "peak", "occurrences": 2,
         "latest_start": "2025-11-11T00:00:00", "hours": 2, "uplift": 17.9,
         "uplift_lo_80": 15.1, "uplift_hi_80": 21.0, "peak_hour": 0, "pooled": 0.02, **shape},
        {"family": "618", "phase": "presale", "occurrences": 1,
         "latest_start": "2026-05-20T20:00:00", "hours": 260, "uplift": 1.17,
         "uplift_lo_80": 0.9, "uplift_hi_80": 1.5, "peak_hour": 20, "pooled": 0.4, **shape},
    ]
    pd.DataFrame(rows).to_csv(path / "event_effects.csv", index=False)


def _forecast_page(monkeypatch, run_dir: Path) -> AppTest:
    monkeypatch.setenv("PEAKPLAN_RUN", str(run_dir))
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("views/forecast.py").run()
    assert not at.exception
    return at


def test_forecast_page_lists_learned_effects_with_intervals(monkeypatch, fake_run):
    _effects(fake_run)
    at = _forecast_page(monkeypatch, fake_run)
    table = at.dataframe[1].value
    assert list(table["Times seen"]) == [2, 1]
    assert list(table["Uplift"]) == ["×17.90", "×1.17"]
    assert list(table["80 % interval"]) == ["×15.10 – ×21.00", "×0.90 – ×1.50"]
    assert list(table["Hour of largest uplift"]) == ["00:00", "20:00"]
    assert list(table["Borrowed from peers"]) == ["2%", "40%"]
    assert "Double 11" in table["Promotion phase"].iloc[0]
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2  # the forecast and the intraday shape
    assert "Hour of day" in charts[1].proto.spec and "05:00" not in charts[1].proto.spec


def test_a_run_without_event_effects_shows_the_forecast_alone(monkeypatch, fake_run):
    at = _forecast_page(monkeypatch, fake_run)
    assert len(at.dataframe) == 1  # the phases table only
    assert load_run(fake_run).event_effects is None


def test_a_malformed_effects_file_names_row_and_field(fake_run):
    _effects(fake_run)
    frame = pd.read_csv(fake_run / "event_effects.csv")
    frame["uplift"] = frame["uplift"].astype(object)
    frame.loc[1, "uplift"] = "lots"
    frame.to_csv(fake_run / "event_effects.csv", index=False)
    with pytest.raises(RunDirError, match=r"event_effects.csv: row 3, field 'uplift'"):
        load_run(fake_run)
