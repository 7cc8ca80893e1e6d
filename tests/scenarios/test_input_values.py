"""Non-finite and absurd values, CLI solver flags, time zones and warnings (issue 17, part 2).

Every bad value exits 2 with one line naming file, row and field (or the scenario key / flag)
before any work, and writes nothing. CSV messages never echo cell values.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from pydantic import ValidationError

from scenarios.cli import main
from scenarios.load import ScenarioError, load_scenario, parse_scenario
from scenarios.plausibility import plausibility_warnings
from scheduler.roster.schema import CostParams, SolverConfig, TemporaryPool
from scheduler.staffing import ServiceParams

SLOTS = pd.date_range("2026-10-27", periods=96, freq="30min")


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def clean_failure(code: int, err: str, *needles: str) -> str:
    assert code == 2, err
    lines = [line for line in err.strip().splitlines() if line]
    assert len(lines) == 1, err
    assert lines[0].startswith("peakplan: error: "), err
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def write_requirements(path: Path, values=None, stamps=None) -> Path:
    stamps = SLOTS.strftime("%Y-%m-%dT%H:%M:%S") if stamps is None else stamps
    values = ["2"] * len(stamps) if values is None else values
    pd.DataFrame({"timestamp": stamps, "agents_required": values}).to_csv(path, index=False)
    return path


def write_forecast(path: Path, stamps, volumes=None, queue=None) -> Path:
    frame = pd.DataFrame({"timestamp": stamps, "volume": volumes or ["40"] * len(stamps)})
    if queue is not None:
        frame.insert(1, "queue", queue)
    frame.to_csv(path, index=False)
    return path


def edit_scenario(tiny, old: str, new: str) -> Path:
    text = tiny["scenario"].read_text(encoding="utf-8")
    assert old in text
    tiny["scenario"].write_text(text.replace(old, new, 1), encoding="utf-8")
    return tiny["scenario"]


# ------------------------------------------------------------------ non-finite values


def test_roster_rejects_infinite_agents_required(capsys, tiny):
    values = ["2"] * 96
    values[10] = "inf"
    req = write_requirements(tiny["dir"] / "req.csv", values)
    out = tiny["dir"] / "roster.csv"
    code, _, err = cli(capsys, "roster", "--requirements", req, "--scenario", tiny["scenario"],
                       "--out", out, "--quiet")
    clean_failure(code, err, "req.csv", "row 12", "agents_required", "infinite")
    assert not out.exists() and not (tiny["dir"] / "coverage.csv").exists()


def test_roster_rejects_absurd_agents_required(capsys, tiny):
    values = ["2"] * 96
    values[3] = "1e308"
    req = write_requirements(tiny["dir"] / "req.csv", values)
    out = tiny["dir"] / "roster.csv"
    code, _, err = cli(capsys, "roster", "--requirements", req, "--scenario", tiny["scenario"],
                       "--out", out, "--quiet")
    line = clean_failure(code, err, "req.csv", "row 5", "agents_required", "above")
    assert "1e308" not in line and "1e+308" not in line
    assert not out.exists()


def test_run_rejects_infinite_shortfall_price(capsys, tiny):
    edit_scenario(tiny, "average_order_value_cny = 260",
                  "shortfall_cost_per_agent_hour_cny = inf\naverage_order_value_cny = 260")
    out = tiny["dir"] / "run"
    code, _, err = cli(capsys, "run", tiny["scenario"], "--out", out, "--quiet")
    clean_failure(code, err, "tiny.toml", "costs.shortfall_cost_per_agent_hour_cny", "finite")
    assert not out.exists()


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("aht_seconds = 240", "aht_seconds = inf", "service.aht_seconds"),
        ("aht_seconds = 240", "aht_seconds = 1e308", "service.aht_seconds"),
        ("shrinkage = 0.12", "shrinkage = nan", "service.shrinkage"),
        ("time_limit_s = 60", "time_limit_s = inf", "solver.time_limit_s"),
        ("num_workers = 8", "num_workers = 1000", "solver.num_workers"),
        ("hourly_cost_cny = 32", "hourly_cost_cny = inf", "workforce.temporary.hourly_cost_cny"),
        ("overtime_premium = 1.5", "overtime_premium = nan", "costs.overtime_premium"),
        ("margin = 0.30", "margin = nan", "costs.margin"),
        ("start = 2026-11-01", "start = 2300-11-01", "campaign.start"),
        ("train_end = 2026-10-19T23:00:00", "train_end = 1970-01-01T00:00:00",
         "forecast.train_end"),
    ],
)
def test_scenario_rejects_non_finite_and_absurd_values(old, new, key):
    text = (Path(__file__).resolve().parents[2] / "data/sample/double11-2026.toml").read_text(
        encoding="utf-8")
    assert old in text
    with pytest.raises(ScenarioError) as e:
        parse_scenario(text.replace(old, new, 1), "s.toml")
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith("s.toml: ") and key in msg, msg


@pytest.mark.parametrize(
    ("model", "kwargs"),
    [
        (ServiceParams, {"aht_seconds": math.inf, "service_level": 0.8}),
        (ServiceParams, {"aht_seconds": 240, "service_level": math.nan}),
        (SolverConfig, {"time_limit_s": math.inf}),
        (SolverConfig, {"relative_gap_limit": math.nan}),
        (CostParams, {"shortfall_cost_per_agent_hour_cny": math.inf}),
        (TemporaryPool, {"max_headcount": 1, "hourly_cost_cny": math.nan}),
    ],
)
def test_models_reject_inf_and_nan(model, kwargs):
    with pytest.raises(ValidationError):
        model(**kwargs)


# ------------------------------------------------------------------ solver flags


@pytest.mark.parametrize(
    ("flag", "value", "why"),
    [
        ("--time-limit", "inf", "finite"),
        ("--time-limit", "nan", "finite"),
        ("--time-limit", "0", "> 0"),
        ("--time-limit", "-5", "> 0"),
        ("--time-limit", "1e9", "<= 86400"),
        ("--workers", "0", ">= 1"),
        ("--workers", "-1", ">= 1"),
        ("--workers", "1000", "<= 64"),
    ],
)
def test_solver_flags_go_through_the_schema(capsys, tiny, flag, value, why):
    req = write_requirements(tiny["dir"] / "req.csv")
    out = tiny["dir"] / "roster.csv"
    code, _, err = cli(capsys, "roster", "--requirements", req, "--scenario", tiny["scenario"],
                       "--out", out, "--quiet", flag, value)
    clean_failure(code, err, f"{flag}: must be", why)
    assert not out.exists()
    out_dir = tiny["dir"] / "run"
    code, _, err = cli(capsys, "run", tiny["scenario"], "--out", out_dir, flag, value)
    clean_failure(code, err, f"{flag}: must be", why)
    assert not out_dir.exists()


# ------------------------------------------------------------------ staff input


def test_staff_rejects_duplicate_timestamps(capsys, tiny):
    stamps = list(SLOTS.strftime("%Y-%m-%dT%H:%M:%S"))
    stamps[5] = stamps[4]
    fc = write_forecast(tiny["dir"] / "f.csv", stamps)
    out = tiny["dir"] / "r.csv"
    code, _, err = cli(capsys, "staff", "--forecast", fc, "--scenario", tiny["scenario"],
                       "--out", out)
    clean_failure(code, err, "f.csv", "row 7", "timestamp", "duplicate", "row 6")
    assert not out.exists()


def test_staff_duplicates_are_of_timestamp_and_queue(capsys, tiny):
    stamps = list(SLOTS.strftime("%Y-%m-%dT%H:%M:%S"))
    fc = write_forecast(tiny["dir"] / "f.csv", stamps * 2, queue=["pre"] * 96 + ["post"] * 96)
    out = tiny["dir"] / "r.csv"
    code, _, err = cli(capsys, "staff", "--forecast", fc, "--scenario", tiny["scenario"],
                       "--out", out)
    assert code == 0, err
    assert len(pd.read_csv(out)) == 96
    fc = write_forecast(fc, stamps * 2, queue=["pre"] * 97 + ["post"] * 95)
    out.unlink()
    code, _, err = cli(capsys, "staff", "--forecast", fc, "--scenario", tiny["scenario"],
                       "--out", out)
    clean_failure(code, err, "f.csv", "row 98", "timestamp", "duplicate")
    assert not out.exists()


def test_staff_converts_utc_timestamps_to_the_campaign_zone(capsys, tiny):
    utc = (SLOTS - pd.Timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%SZ")
    fc = write_forecast(tiny["dir"] / "f.csv", list(utc))
    out = tiny["dir"] / "r.csv"
    code, _, err = cli(capsys, "staff", "--forecast", fc, "--scenario", tiny["scenario"],
                       "--out", out)
    assert code == 0, err
    assert pd.read_csv(out)["timestamp"].iloc[0] == "2026-10-27T00:00:00"


def test_staff_rejects_mixed_naive_and_offset_timestamps(capsys, tiny):
    stamps = list(SLOTS.strftime("%Y-%m-%dT%H:%M:%S"))
    stamps[3] = "2026-10-26T17:30:00Z"
    fc = write_forecast(tiny["dir"] / "f.csv", stamps)
    out = tiny["dir"] / "r.csv"
    code, _, err = cli(capsys, "staff", "--forecast", fc, "--scenario", tiny["scenario"],
                       "--out", out)
    clean_failure(code, err, "f.csv", "row 5", "timestamp", "offset")
    assert not out.exists()


def test_staff_messages_do_not_echo_cell_values(capsys, tiny):
    stamps = list(SLOTS.strftime("%Y-%m-%dT%H:%M:%S"))
    volumes = ["40"] * 96
    volumes[2] = "db_password=hunter2"
    fc = write_forecast(tiny["dir"] / "f.csv", stamps, volumes)
    code, _, err = cli(capsys, "staff", "--forecast", fc, "--scenario", tiny["scenario"],
                       "--out", tiny["dir"] / "r.csv")
    line = clean_failure(code, err, "f.csv", "row 4", "volume", "not a number")
    assert "hunter2" not in line
    stamps[1] = "db_password=hunter2"
    fc = write_forecast(fc, stamps)
    code, _, err = cli(capsys, "staff", "--forecast", fc, "--scenario", tiny["scenario"],
                       "--out", tiny["dir"] / "r.csv")
    line = clean_failure(code, err, "f.csv", "row 3", "timestamp", "not a date-time")
    assert "hunter2" not in line


def test_requirements_with_offsets_are_converted(tiny):
    from scenarios.parse import parse_requirements

    utc = (SLOTS - pd.Timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    frame = pd.DataFrame({"timestamp": utc, "agents_required": ["3"] * 96})
    parsed = parse_requirements(frame, "req.csv", "Asia/Shanghai")
    assert parsed["timestamp"].iloc[0] == pd.Timestamp("2026-10-27 00:00")
    assert parsed["agents_required"].dtype == float


# ------------------------------------------------------------------ forecast command


def forecast_cli(capsys, tiny, *extra: str, out: str = "f.csv") -> tuple[int, str, str]:
    return cli(capsys, "forecast", "--history", tiny["history"], "--out", tiny["dir"] / out,
               *extra)


def test_forecast_flags_with_offsets_are_converted(capsys, tiny):
    code, _, err = forecast_cli(capsys, tiny, "--start", "2026-10-26T16:00Z", "--end",
                                "2026-10-27T15:00:00+00:00")
    assert code == 0, err
    stamps = pd.read_csv(tiny["dir"] / "f.csv")["timestamp"]
    assert (stamps.iloc[0], stamps.iloc[-1], len(stamps)) == (
        "2026-10-27T00:00:00", "2026-10-27T23:00:00", 24)
    code, _, err = forecast_cli(capsys, tiny, "--timezone", "UTC", "--start", "2026-10-27T00:00Z",
                                "--end", "2026-10-27T01:00Z", out="g.csv")
    assert code == 0, err
    assert pd.read_csv(tiny["dir"] / "g.csv")["timestamp"].iloc[0] == "2026-10-27T00:00:00"


def test_forecast_rejects_bad_timezone_and_absurd_flag_years(capsys, tiny):
    code, _, err = forecast_cli(capsys, tiny, "--timezone", "Mars/Olympus", "--start",
                                "2026-10-27T00:00", "--end", "2026-10-27T01:00")
    clean_failure(code, err, "--timezone")
    code, _, err = forecast_cli(capsys, tiny, "--start", "2026-10-27T00:00", "--end",
                                "2300-01-01T00:00")
    clean_failure(code, err, "--end", "2000..2100")
    assert not (tiny["dir"] / "f.csv").exists()


def test_forecast_with_three_days_of_history_says_what_is_needed(capsys, tiny):
    frame = pd.read_csv(tiny["history"]).tail(72)
    frame.to_csv(tiny["history"], index=False)
    code, _, err = forecast_cli(capsys, tiny, "--start", "2026-10-27T00:00", "--end",
                                "2026-10-27T23:00")
    clean_failure(code, err, "history", "14 days", "3.0 days")
    assert not (tiny["dir"] / "f.csv").exists()


@pytest.mark.parametrize(
    ("column", "value", "field"),
    [("volume", "1e308", "volume"), ("timestamp", "2300-01-01T00:00:00", "timestamp")],
)
def test_forecast_absurd_history_values(capsys, tiny, column, value, field):
    frame = pd.read_csv(tiny["history"], dtype=str)
    frame.loc[20, column] = value
    frame.to_csv(tiny["history"], index=False)
    code, _, err = forecast_cli(capsys, tiny, "--start", "2026-10-27T00:00", "--end",
                                "2026-10-27T23:00")
    line = clean_failure(code, err, "history.csv", "row 22", f"field '{field}'")
    assert value not in line
    assert not (tiny["dir"] / "f.csv").exists()


# ------------------------------------------------------------------ warnings


def test_plausibility_warnings_name_key_and_reason(tiny):
    edit_scenario(tiny, "shrinkage = 0.12", "shrinkage = 0.999")
    edit_scenario(tiny, "max_occupancy = 0.85", "max_occupancy = 0.2")
    edit_scenario(tiny, "aht_seconds = 240", "aht_seconds = 7200")
    edit_scenario(tiny, "concurrency = 3", "concurrency = 15")
    found = plausibility_warnings(load_scenario(tiny["scenario"]))
    keys = [w.split(":")[0] for w in found]
    assert keys == sorted(set(keys), key=keys.index)  # once each
    for key in ("service.shrinkage", "service.max_occupancy", "service.aht_seconds",
                "service.concurrency"):
        assert key in keys, found
    edit_scenario(tiny, "shrinkage = 0.999", "shrinkage = 0.12")
    assert "service.shrinkage" not in [w.split(":")[0] for w in
                                       plausibility_warnings(load_scenario(tiny["scenario"]))]


def test_cli_prints_warnings_once_and_continues(capsys, tiny):
    edit_scenario(tiny, "shrinkage = 0.12", "shrinkage = 0.95")
    fc = write_forecast(tiny["dir"] / "f.csv", list(SLOTS.strftime("%Y-%m-%dT%H:%M:%S")))
    out = tiny["dir"] / "r.csv"
    code, _, err = cli(capsys, "staff", "--forecast", fc, "--scenario", tiny["scenario"],
                       "--out", out)
    assert code == 0, err
    warned = [ln for ln in err.splitlines() if ln.startswith("peakplan: warning: ")]
    assert warned == [ln for ln in warned if "tiny.toml: service.shrinkage: " in ln], err
    assert len(warned) == 1
    assert out.exists()


def test_huge_event_uplift_warns(capsys, tiny):
    tiny["events"].write_text(
        "event,phase,start,end,uplift\nnewshop,main,2026-10-27T10:00,2026-10-27T12:00,1000\n",
        encoding="utf-8")
    code, _, err = forecast_cli(capsys, tiny, "--events", tiny["events"], "--start",
                                "2026-10-27T00:00", "--end", "2026-10-27T23:00")
    assert code == 0, err
    warned = [ln for ln in err.splitlines() if ln.startswith("peakplan: warning: ")]
    assert len(warned) == 1, err
    assert "events.csv: row 2, field 'uplift':" in warned[0] and "1000" not in warned[0]


def test_scenario_train_end_with_offset_is_converted_to_campaign_zone():
    text = (Path(__file__).resolve().parents[2] / "data/sample/double11-2026.toml").read_text(
        encoding="utf-8")
    text = text.replace("train_end = 2026-10-19T23:00:00", "train_end = 2026-10-19T15:00:00Z")
    scenario = parse_scenario(text, "s.toml")
    assert scenario.forecast.train_end == pd.Timestamp("2026-10-19 23:00").to_pydatetime()
    assert scenario.forecast.train_end.tzinfo is None
