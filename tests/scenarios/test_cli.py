"""The peakplan CLI: help texts, each step alone, the whole run, and bad input handling."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from scenarios.cli import main


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_every_step():
    proc = subprocess.run(
        [sys.executable, "-m", "scenarios.cli", "--help"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    for command in ("forecast", "staff", "roster", "run"):
        assert command in proc.stdout


@pytest.mark.parametrize(
    "command,columns",
    [
        ("forecast", ["lower_80", "upper_80", "volume"]),
        ("staff", ["agents_required", "agents_fractional", "expected_service_level"]),
        ("roster", ["agent_id,agent_name,agent_type", "coverage.csv"]),
        ("run", ["summary.json", "roster.csv"]),
    ],
)
def test_subcommand_help_documents_columns(capsys, command, columns):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for column in columns:
        assert column in out


def test_run_end_to_end(capsys, tiny):
    out_dir = tiny["dir"] / "run"
    code, out, err = run_cli(capsys, "run", str(tiny["scenario"]), "--out", str(out_dir), "--quiet")
    assert code == 0, err
    assert str(out_dir.resolve()) in out
    assert "worst interval 2026-10-2" in out  # the plan's weakest interval next to the average
    summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["schema_version"] == 2
    assert summary["validation"]["violations"] == 0, summary["validation"]
    roster = pd.read_csv(out_dir / "roster.csv", encoding="utf-8-sig", dtype=str)
    assert (out_dir / "roster.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert set(roster["agent_type"]) <= {"permanent", "part_time", "temporary"}
    coverage = pd.read_csv(out_dir / "coverage.csv")
    assert len(coverage) == 2 * 48
    assert list(coverage.columns[:4]) == ["timestamp", "required", "scheduled", "shortfall"]
    short = (coverage["required"] - coverage["scheduled"]).clip(lower=0)
    assert coverage["shortfall"].to_numpy() == pytest.approx(short.to_numpy(), abs=1e-6)
    cost = float(pd.to_numeric(roster["cost_cny"]).sum())
    assert summary["cost_cny"]["wages_total"] == pytest.approx(cost, abs=0.05)
    assert not [p for p in tiny["dir"].iterdir() if p.name.startswith(".run")]


def test_steps_alone_chain(capsys, tiny):
    d = tiny["dir"]
    code, _, err = run_cli(
        capsys,
        "forecast",
        "--history",
        str(tiny["history"]),
        "--start",
        "2026-10-27T00:00",
        "--end",
        "2026-10-28T23:30",
        "--interval",
        "30",
        "--out",
        str(d / "f.csv"),
    )
    assert code == 0, err
    fc = pd.read_csv(d / "f.csv")
    assert len(fc) == 96 and (fc["lower_80"] <= fc["upper_80"]).all()
    code, _, err = run_cli(
        capsys,
        "staff",
        "--forecast",
        str(d / "f.csv"),
        "--scenario",
        str(tiny["scenario"]),
        "--out",
        str(d / "r.csv"),
    )
    assert code == 0, err
    req = pd.read_csv(d / "r.csv")
    for column in (
        "agents_fractional",
        "expected_service_level",
        "expected_asa_s",
        "expected_abandon_rate",
        "agents_required",
    ):
        assert column in req.columns
    code, out, err = run_cli(
        capsys,
        "roster",
        "--requirements",
        str(d / "r.csv"),
        "--scenario",
        str(tiny["scenario"]),
        "--out",
        str(d / "roster.csv"),
        "--time-limit",
        "5",
        "--workers",
        "1",
        "--quiet",
    )
    assert code == 0, err
    assert (d / "coverage.csv").exists() and (d / "unmet.csv").exists()
    assert "validator: ok" in out


def forecast_one_day(capsys, tiny, out) -> tuple[int, str, str]:
    return run_cli(
        capsys,
        "forecast",
        "--history",
        str(tiny["history"]),
        "--start",
        "2026-10-27T00:00",
        "--end",
        "2026-10-27T23:00",
        "--out",
        str(out),
    )


def assert_clean_failure(code: int, err: str, *needles: str) -> None:
    assert code == 2
    lines = [line for line in err.strip().splitlines() if line]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0]


def test_unknown_scenario_key(capsys, tiny):
    bad = tiny["dir"] / "bad.toml"
    bad.write_text(
        tiny["scenario"].read_text(encoding="utf-8").replace("shrinkage =", "shrinkge =", 1),
        encoding="utf-8",
    )
    out_dir = tiny["dir"] / "out"
    code, _, err = run_cli(capsys, "run", str(bad), "--out", str(out_dir))
    assert_clean_failure(code, err, "bad.toml", "shrinkge")
    assert not out_dir.exists()


def test_history_missing_volume_column(capsys, tiny):
    frame = pd.read_csv(tiny["history"]).rename(columns={"volume": "inquiries"})
    frame.to_csv(tiny["history"], index=False)
    out_dir = tiny["dir"] / "out"
    code, _, err = run_cli(capsys, "run", str(tiny["scenario"]), "--out", str(out_dir))
    assert_clean_failure(code, err, "history.csv", "volume")
    assert not out_dir.exists()


def test_negative_volume(capsys, tiny):
    frame = pd.read_csv(tiny["history"])
    frame.loc[10, "volume"] = -4
    frame.to_csv(tiny["history"], index=False)
    out = tiny["dir"] / "f.csv"
    code, _, err = forecast_one_day(capsys, tiny, out)
    assert_clean_failure(code, err, "history.csv", "row 12", "volume")
    assert not out.exists()


def test_gbk_history_is_read(capsys, tiny):
    frame = pd.read_csv(tiny["history"])
    frame["queue"] = "售前"
    frame.to_csv(tiny["history"], index=False, encoding="gbk")
    out = tiny["dir"] / "f.csv"
    code, _, err = forecast_one_day(capsys, tiny, out)
    assert code == 0, err
    assert set(pd.read_csv(out)["queue"]) == {"售前"}


def test_empty_history(capsys, tiny):
    tiny["history"].write_bytes(b"")
    code, _, err = forecast_one_day(capsys, tiny, tiny["dir"] / "f.csv")
    assert_clean_failure(code, err, "history.csv", "empty")


def test_unmeetable_demand_still_gives_a_roster_and_a_warning(capsys, tiny):
    frame = pd.read_csv(tiny["history"])
    frame["volume"] = frame["volume"] * 8  # far beyond 9 agents and no temporaries
    frame.to_csv(tiny["history"], index=False)
    text = (
        tiny["scenario"]
        .read_text(encoding="utf-8")
        .replace("max_headcount = 4", "max_headcount = 0")
    )
    tiny["scenario"].write_text(text, encoding="utf-8")
    out_dir = tiny["dir"] / "run"
    code, _, err = run_cli(capsys, "run", str(tiny["scenario"]), "--out", str(out_dir), "--quiet")
    assert code == 0, err
    assert "warning: demand not met" in err
    unmet = pd.read_csv(out_dir / "unmet.csv")
    assert len(unmet) > 0 and (unmet["agent_hours_short"] > 0).all()
    assert unmet["binding"].str.len().gt(0).all()
    roster = pd.read_csv(out_dir / "roster.csv", encoding="utf-8-sig", dtype=str)
    assert len(roster) > 0
    summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["hours"]["short_agent_hours"] == pytest.approx(
        unmet["agent_hours_short"].sum(), rel=0.02
    )


def test_contradictory_rules_rejected_before_solving(capsys, tiny):
    frame = pd.read_csv(tiny["agents"], encoding="utf-8-sig", dtype=str)
    frame.loc[0, "min_hours_per_week"] = "60"
    frame.to_csv(tiny["agents"], index=False, encoding="utf-8-sig")
    out_dir = tiny["dir"] / "run"
    code, _, err = run_cli(capsys, "run", str(tiny["scenario"]), "--out", str(out_dir))
    assert_clean_failure(code, err, "agents.csv", "row 2", "min_hours_per_week")
    assert not out_dir.exists()


def test_run_plans_closed_hours_of_the_history_with_zero_agents(capsys, tiny):
    """A shop open 08:00-20:59 (absent rows at night, as in the real bank data): the forecast has
    no night intervals, and the run plans them closed instead of failing on the requirements."""
    history = pd.read_csv(tiny["history"])
    hours = pd.to_datetime(history["timestamp"]).dt.hour
    history[(hours >= 8) & (hours <= 20)].to_csv(tiny["history"], index=False)
    out_dir = tiny["dir"] / "run"
    code, _out, err = run_cli(capsys, "run", str(tiny["scenario"]), "--out", str(out_dir),
                              "--quiet")
    assert code == 0, err
    assert "intervals closed in the history" in err
    req = pd.read_csv(out_dir / "requirements.csv", parse_dates=["timestamp"])
    night = req["timestamp"].dt.hour < 8
    assert len(req) == 2 * 48 and night.any()
    assert (req.loc[night, "agents_required"] == 0).all()
    day = req["timestamp"].dt.hour.between(10, 19)
    assert (req.loc[day, "agents_required"] > 0).all()
