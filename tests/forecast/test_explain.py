"""``forecast.explain``: the learned uplift per family x phase recovers a known effect, its
interval is wider for a phase seen once than for one seen twice, and the CLI prints it."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from forecast_synth import double11_events, make_series

from forecast.explain import SHAPE_COLUMNS, explain_events, explain_report
from forecast.model import PromoGLM
from forecast.validate import validate_events


@pytest.fixture(scope="module")
def fitted():
    events = validate_events(double11_events([2024, 2025]), "events")
    # presale 2024 lies before the history: seen once; the other phases twice
    hist = make_series(start="2024-11-01", end="2026-10-20 23:00", events=events, seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = PromoGLM().fit(hist["timestamp"], hist["volume"], events)
    return model, events, hist


def test_uplift_recovers_the_true_phase_multiplier(fitted):
    model, events, hist = fitted
    table = explain_events(model, events, hist["timestamp"]).set_index("phase")
    # synthetic truth (forecast_synth.phase_multiplier): main x3, tail x1.5, deposit x2.5
    for phase, true in (("main", 3.0), ("tail", 1.5), ("deposit_payment", 2.5)):
        row = table.loc[phase]
        assert row["uplift"] == pytest.approx(true, rel=0.12), phase
        assert row["uplift_lo_80"] < row["uplift"] < row["uplift_hi_80"]
    assert table.loc["peak", "peak_hour"] == 0  # the 00:00 hour is x9, 01:00 x6
    assert table.loc["peak", "shape_h00"] > table.loc["peak", "shape_h01"]
    assert table.loc["main", "occurrences"] == 2


def test_a_phase_seen_once_has_a_wider_relative_interval(fitted):
    model, events, hist = fitted
    table = explain_events(model, events, hist["timestamp"]).set_index("phase")
    assert table.loc["presale", "occurrences"] == 1

    def width(phase: str) -> float:
        r = table.loc[phase]
        return (r["uplift_hi_80"] - r["uplift_lo_80"]) / r["uplift"]

    assert width("presale") > width("tail")


def test_report_lists_every_phase_with_its_interval(fitted):
    model, events, hist = fitted
    table = explain_events(model, events, hist["timestamp"])
    text = explain_report(table)
    assert len(text.splitlines()) == 1 + len(table)
    assert "double11" in text and "80 % interval" in text
    assert set(SHAPE_COLUMNS) <= set(table.columns)


def test_no_events_in_the_history_says_so(fitted):
    model, events, hist = fitted
    late = hist[hist["timestamp"] >= pd.Timestamp("2026-01-01")]
    assert explain_report(explain_events(model, events, late["timestamp"])).startswith(
        "explain: no event phase")
