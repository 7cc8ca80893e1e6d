"""Loading and validating a run directory (dashboard.data)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from dashboard_fake_run import ROSTER_ROWS, SUMMARY

from dashboard.data import RunDirError, list_runs, load_run, parse_local_times


def test_load_run_parses_frames(fake_run):
    run = load_run(fake_run)
    assert run.summary == SUMMARY
    assert run.interval_minutes == 30
    assert len(run.forecast) == 144
    assert run.forecast["timestamp"].dtype.kind == "M"
    assert run.forecast["timestamp"].dt.tz is None
    assert run.forecast["timestamp"].iloc[1] == pd.Timestamp("2026-11-10 00:30")
    assert run.coverage["shortfall"].sum() == pytest.approx(12.04)  # 4 x 3 agents + a sliver
    assert run.requirements is not None and len(run.requirements) == 144
    assert run.events["start"].dtype.kind == "M"
    assert list(run.unmet["start"]) == [pd.Timestamp("2026-11-10 01:30"),
                                        pd.Timestamp("2026-11-11 06:00")]  # fmt: skip
    assert run.missing_optional == ()


def test_roster_keeps_ids_and_bytes(fake_run):
    run = load_run(fake_run)
    assert list(run.roster["agent_id"]) == [r[0] for r in ROSTER_ROWS]
    assert list(run.roster["agent_name"]) == [r[1] for r in ROSTER_ROWS]
    assert run.roster["shift_end"].iloc[3] == pd.Timestamp("2026-11-12 04:00")
    assert run.roster_bytes == (fake_run / "roster.csv").read_bytes()
    assert run.roster_bytes.startswith(b"\xef\xbb\xbf")
    assert run.roster.columns[0] == "agent_id"  # BOM not glued to the first header


def test_missing_directory(tmp_path):
    with pytest.raises(RunDirError, match="does not exist"):
        load_run(tmp_path / "absent")


def test_missing_required_files_are_all_named(fake_run):
    (fake_run / "summary.json").unlink()
    (fake_run / "forecast.csv").unlink()
    with pytest.raises(RunDirError) as info:
        load_run(fake_run)
    message = str(info.value)
    assert "missing summary.json, forecast.csv" in message
    assert "\n" not in message


def test_optional_files_may_be_absent(fake_run):
    for name in ("events.csv", "requirements.csv", "unmet.csv"):
        (fake_run / name).unlink()
    run = load_run(fake_run)
    assert run.requirements is None
    assert run.events.empty and list(run.events.columns)[:4] == ["event", "phase", "start", "end"]
    assert run.unmet.empty
    assert set(run.missing_optional) == {"events.csv", "requirements.csv", "unmet.csv"}


def test_missing_column_is_named(fake_run):
    frame = pd.read_csv(fake_run / "forecast.csv").drop(columns=["upper_95"])
    frame.to_csv(fake_run / "forecast.csv", index=False)
    with pytest.raises(RunDirError, match=r"forecast.csv: missing column\(s\) 'upper_95'"):
        load_run(fake_run)


def test_bad_number_names_row_and_field(fake_run):
    frame = pd.read_csv(fake_run / "coverage.csv")
    frame["required"] = frame["required"].astype(str)
    frame.loc[9, "required"] = "lots"
    frame.to_csv(fake_run / "coverage.csv", index=False)
    with pytest.raises(RunDirError, match=r"coverage.csv: row 11, field 'required': not a number"):
        load_run(fake_run)


def test_invalid_summary_json(fake_run):
    (fake_run / "summary.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(RunDirError, match="summary.json: not valid JSON"):
        load_run(fake_run)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda s: s.update(schema_version=1),
            "summary.json: field 'schema_version': 1 is not 2 (written by another peakplan "
            "version; rerun `peakplan run`)",
        ),
        (
            lambda s: s["service"].update(expected_service_level=float("nan")),
            "summary.json: field 'service.expected_service_level': ",
        ),
        (
            lambda s: s["cost_cny"].update(total=76060.5),
            "summary.json: field 'cost_cny.total': unknown key",
        ),
        (lambda s: s.pop("inputs"), "summary.json: field 'inputs': Field required"),
        (
            lambda s: s["headcount"].update(temporary="six"),
            "summary.json: field 'headcount.temporary': ",
        ),
    ],
)
def test_summary_that_does_not_validate_is_one_line(fake_run, change, message):
    summary = json.loads((fake_run / "summary.json").read_text(encoding="utf-8"))
    change(summary)
    (fake_run / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    with pytest.raises(RunDirError) as info:
        load_run(fake_run)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_parse_local_times_drops_offset_keeps_wall_clock():
    values = pd.Series(["2026-11-11T00:00:00+08:00", "2026-11-11T00:30:00+08:00"])
    parsed = parse_local_times(values, "x.csv", "timestamp")
    assert parsed.dt.tz is None
    assert parsed.iloc[0] == pd.Timestamp("2026-11-11 00:00")


def test_parse_local_times_rejects_blank():
    with pytest.raises(RunDirError, match="x.csv: row 3, field 'start'"):
        parse_local_times(pd.Series(["2026-11-11T00:00:00", None]), "x.csv", "start")


def test_list_runs_finds_run_dirs(tmp_path):
    from dashboard_fake_run import write_fake_run

    write_fake_run(tmp_path / "out" / "a")
    write_fake_run(tmp_path / "out" / "nested" / "b")
    (tmp_path / "out" / "not-a-run").mkdir()
    found = {p.name for p in list_runs(tmp_path / "out")}
    assert found == {"a", "b"}
    assert list_runs(tmp_path / "absent") == []


def test_list_runs_skips_runs_being_staged_or_replaced(tmp_path):
    from dashboard_fake_run import write_fake_run

    write_fake_run(tmp_path / "out" / "a")
    write_fake_run(tmp_path / "out" / ".a.peakplan-staging-123-x")
    write_fake_run(tmp_path / "out" / "nested" / ".b.peakplan-old-9-y")
    assert {p.name for p in list_runs(tmp_path / "out")} == {"a"}
