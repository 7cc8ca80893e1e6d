"""Acceptance specs and the tracking table: evaluation on hand-made measures, read-back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scenarios.io import InputFileError, write_csv
from scenarios.review import tracking as tr


def _measures() -> tr.Measures:
    stamps = pd.date_range("2026-11-10 20:00", periods=10, freq="h")  # 20:00 .. 05:00
    intervals = pd.DataFrame({
        "timestamp": stamps,
        "phase": ["deposit_payment"] * 4 + ["peak"] * 2 + ["main"] * 4,
        "volume": [100.0, 100, 200, 200, 400, 400, 100, 100, 100, 100],
        "three_min_rate": [1.0, 1.0, 0.5, 0.5, 0.6, 0.7, 1.0, 1.0, 1.0, 1.0],
        "abandoned_chats": [0.0, 0, 20, 20, 50, 30, 0, 0, 0, 0],
        "forecast": [100.0, 100, 150, 150, 300, 300, 100, 100, 100, np.nan],
        "scheduled": [10.0] * 10, "logged_in": [10.0] * 4 + [8.0, 8.0] + [10.0] * 4,
    })
    types = pd.DataFrame({
        "timestamp": [stamps[0]] * 2 + [stamps[4]] * 2,
        "question_type": ["物流", "售前咨询", "物流", "售前咨询"],
        "volume": [10.0, 90, 30, 370], "avg_response_s": [10.0, 12, 40, 20],
        "phase": ["deposit_payment"] * 2 + ["peak"] * 2,
    })
    agents = pd.DataFrame({"date": pd.Timestamp("2026-11-10"), "agent_id": ["007", "A1", "A2"],
                           "handled_chats": [100.0, 300, 200], "avg_response_s": [30.0, 10, 20],
                           "csat": [4.0, 5.0, np.nan]})
    return tr.Measures(intervals, types, agents)


@pytest.mark.parametrize(
    ("metric", "kind", "scope", "expected"),
    [
        ("three_min_rate", "all", "", (200 + 100 + 100 + 240 + 280 + 400) / 1800),
        ("three_min_rate", "phase", "peak", (0.6 * 400 + 0.7 * 400) / 800),
        ("three_min_rate", "phase", "deposit_payment+peak", (200 + 100 + 100 + 240 + 280) / 1400),
        ("three_min_rate", "hours", "22:00-24:00", 0.5),
        ("three_min_rate", "hours", "22:00-02:00", (100 + 100 + 240 + 280) / 1200),
        ("three_min_rate", "hours", "peak 00:00-01:00", 0.6),
        ("abandon_rate", "hours", "deposit_payment+peak 22:00-02:00", 120 / 1200),
        ("adherence", "phase", "peak", 0.8),
        ("wape", "phase", "deposit_payment+peak", (100 + 200) / 1400),
        ("wape", "phase", "main", 0.0),
        ("avg_response_s", "question_type", "物流", (100 + 1200) / 40),
        ("avg_response_s", "agent", "007;A2", (3000 + 4000) / 300),
        ("csat", "agent", "007;A1;A2", (400 + 1500) / 400),
    ],
)
def test_evaluate_spec(metric: str, kind: str, scope: str, expected: float) -> None:
    spec = tr.Spec(metric, kind, scope, ">=", 0.95)
    assert tr.evaluate_spec(spec, _measures()) == pytest.approx(expected)


def test_out_of_scope_or_absent_measure_is_nan_and_not_judged() -> None:
    measures = _measures()
    for spec in (tr.Spec("three_min_rate", "phase", "tail", ">=", 0.95),
                 tr.Spec("csat", "all", "", ">=", 4.5),
                 tr.Spec("avg_response_s", "agent", "nobody", "<=", 10)):
        value = tr.evaluate_spec(spec, measures)
        assert np.isnan(value)
        assert tr.met(value, spec) == ""
    spec = tr.Spec("avg_response_s", "question_type", "物流", "<=", 10)
    assert tr.met(9.5, spec) == "yes" and tr.met(10.5, spec) == "no"
    assert tr.met(0.95, tr.Spec("three_min_rate", "all", "", ">=", 0.95)) == "yes"


def test_acceptance_text() -> None:
    spec = tr.Spec("avg_response_s", "question_type", "物流", "<=", 10)
    assert tr.acceptance_text(spec, 35.2) == "物流 average response 平均响应: 35 s → ≤ 10 s"
    spec = tr.Spec("three_min_rate", "hours", "peak 00:00-02:00", ">=", 0.95)
    assert tr.acceptance_text(spec, 0.62) == (
        "3-minute response rate 三分钟响应率, peak 00:00–02:00: 62 % → ≥ 95 %")


def _tracking_file(tmp_path: Path) -> Path:
    findings = pd.DataFrame({
        "finding_id": ["20261115-F01", "20261115-F02", "20261115-F03"],
        "finding": ["peak short", "物流 slow", "gone agent"], "owner": ["a", "b", "c"],
        "deadline": ["2026-11-17"] * 3,
        "metric": ["three_min_rate", "avg_response_s", "avg_response_s"],
        "scope_kind": ["hours", "question_type", "agent"],
        "scope": ["peak 00:00-02:00", "物流", "X99"], "direction": [">=", "<=", "<="],
        "before": [0.62, 35.0, 50.0], "target": [0.95, 10.0, 20.0],
    })
    path = tmp_path / "tracking.csv"
    write_csv(tr.tracking_table(findings), path, for_people=True)
    return path


def test_tracking_round_trip_fills_after_and_met(tmp_path: Path) -> None:
    path = _tracking_file(tmp_path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    previous = tr.read_tracking(tr.previous_tracking_path(tmp_path))
    assert previous["after"].isna().all()
    out = tr.evaluate_tracking(previous, _measures())
    assert out["after"].iloc[0] == pytest.approx(0.65)
    assert list(out["met"]) == ["no", "no", ""]
    assert out["after"].iloc[1] == pytest.approx(32.5)
    assert list(out.columns[:12]) == tr.TRACKING_COLUMNS
    assert path.read_bytes() == raw  # the previous file is never modified


@pytest.mark.parametrize(
    ("column", "value", "field"),
    [("metric", "speed", "metric"), ("scope_kind", "team", "scope_kind"),
     ("direction", ">", "direction"), ("target", "lots", "target"), ("scope", "25:00-", "scope")],
)
def test_bad_tracking_file_one_line_row_and_field(
    tmp_path: Path, column: str, value: str, field: str
) -> None:
    path = _tracking_file(tmp_path)
    frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    frame.loc[0, column] = value
    frame.to_csv(path, index=False)
    with pytest.raises(InputFileError) as info:
        tr.read_tracking(path)
    message = str(info.value)
    assert message.startswith(f"tracking.csv: row 2, field '{field}'")
    assert "\n" not in message and value not in message.split(":", 2)[-1].split("not")[0]
