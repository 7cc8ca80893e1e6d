"""The README's "Each step alone" commands run as written (issue 23, acceptance 5), and a
forecast at another resolution than the scenario's is refused instead of silently re-read.

The commands are read from README.md itself (so an edit there is what gets tested) and run in a
temporary directory holding a copy of data/sample. The only change: the roster step's
``--time-limit`` is cut to 5 s (the roster's quality is measured by the benchmarks)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pandas as pd
import pytest

from scenarios.cli import main

ROOT = Path(__file__).resolve().parents[2]


def readme_steps() -> list[list[str]]:
    """argv of each ``peakplan`` line in the README's "Each step alone" block (continuations
    joined, comments dropped)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Each step alone\s+```bash\n(.*?)```", text, re.S)
    assert block, "README.md lost its 'Each step alone' block"
    lines = block.group(1).replace("\\\n", " ").splitlines()
    return [shlex.split(line, comments=True) for line in lines if line.startswith("peakplan ")]


def test_the_readme_lists_forecast_staff_and_roster_with_the_scenario_interval():
    steps = readme_steps()
    assert [s[1] for s in steps[:3]] == ["forecast", "staff", "roster"]
    forecast = steps[0]
    assert forecast[forecast.index("--interval") + 1] == "30"  # the demo plans 30-min slots


def test_readme_step_commands_run_as_written(tmp_path, monkeypatch, capsys):
    shutil.copytree(ROOT / "data" / "sample", tmp_path / "data" / "sample")
    monkeypatch.chdir(tmp_path)
    steps = readme_steps()[:3]
    roster = steps[2]
    roster[roster.index("--time-limit") + 1] = "5"
    for argv in steps:
        assert main([*argv[1:], "--quiet"] if argv[1] == "roster" else argv[1:]) == 0, argv
    forecast = pd.read_csv("forecast.csv")
    req = pd.read_csv("requirements.csv")
    assert len(forecast) == len(req) == 14 * 48  # 30-minute rows over the 14 days
    # volume per 30-minute row: half an hour's, not the hour's read as a half hour
    hourly = pd.to_datetime(forecast["timestamp"]).dt.floor("h")
    assert forecast.groupby(hourly)["volume"].count().eq(2).all()
    assert Path("roster.csv").exists() and Path("coverage.csv").exists()
    capsys.readouterr()


def test_staff_refuses_an_hourly_forecast_for_a_30_minute_scenario(tmp_path, capsys):
    hourly = pd.DataFrame({
        "timestamp": pd.date_range("2026-11-01", periods=48, freq="h").strftime(
            "%Y-%m-%dT%H:%M:%S"),
        "volume": 100.0,
    })
    src = tmp_path / "forecast_hourly.csv"
    hourly.to_csv(src, index=False)
    out = tmp_path / "req.csv"
    code = main(["staff", "--forecast", str(src), "--scenario",
                 str(ROOT / "data" / "sample" / "double11-2026.toml"), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert not out.exists()
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1
    assert "forecast_hourly.csv: row 3, field 'timestamp'" in lines[0]
    assert "60 minutes apart" in lines[0] and "--interval 30" in lines[0]


@pytest.mark.parametrize("freq,gap_rows,ok", [
    ("30min", (), True),
    ("30min", (5, 6, 7), True),  # closed hours: gaps of whole intervals
    ("15min", (), False),
    ("45min", (), False),
])
def test_staff_accepts_the_scenario_interval_with_gaps_only(tmp_path, capsys, freq, gap_rows, ok):
    ts = pd.date_range("2026-11-01", periods=48, freq=freq).delete(list(gap_rows))
    src = tmp_path / "f.csv"
    pd.DataFrame({"timestamp": ts.strftime("%Y-%m-%dT%H:%M:%S"), "volume": 10.0}).to_csv(
        src, index=False)
    code = main(["staff", "--forecast", str(src), "--scenario",
                 str(ROOT / "data" / "sample" / "double11-2026.toml"),
                 "--out", str(tmp_path / "r.csv")])
    capsys.readouterr()
    assert code == (0 if ok else 2)
    assert (tmp_path / "r.csv").exists() == ok
