"""``--strict-calendar`` (issue 23, acceptance 4): planning 618 2027 with a calendar that has no
2027 rows warns in one line naming the family and its dates; strict, it exits 2 with nothing
written (forecast and run)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from scenarios.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"

FORECAST_618 = ["forecast", "--history", str(SAMPLE / "history.csv"), "--events",
                str(SAMPLE / "events.csv"), "--start", "2027-06-01T00:00", "--end",
                "2027-06-18T23:30", "--interval", "30"]


def test_strict_calendar_refuses_the_missing_618_with_nothing_written(tmp_path, capsys):
    out = tmp_path / "f618.csv"
    code = main([*FORECAST_618, "--out", str(out), "--strict-calendar"])
    err = [x for x in capsys.readouterr().err.splitlines() if x.strip()]
    assert code == 2 and not out.exists()
    assert len(err) == 1 and err[0].startswith("peakplan: error: events.csv: event family '618'")
    assert re.search(r"2026-05-20\.\.2026-06-\d\d", err[0]) and "--strict-calendar" in err[0]


def test_the_missing_618_is_a_one_line_warning_and_the_forecast_is_written(tmp_path, capsys):
    out = tmp_path / "f618.csv"
    code = main([*FORECAST_618, "--out", str(out)])
    err = capsys.readouterr().err
    warnings = [x for x in err.splitlines() if "event family '618'" in x]
    assert code == 0 and out.exists()
    assert len(warnings) == 1 and warnings[0].startswith("peakplan: warning: events.csv:")


def test_run_with_strict_calendar_refuses_a_june_2027_campaign(tmp_path, capsys):
    shop = tmp_path / "shop"
    shutil.copytree(SAMPLE, shop)
    toml = (shop / "double11-2026.toml").read_text(encoding="utf-8")
    toml = toml.replace("start = 2026-11-01", "start = 2027-06-01").replace(
        "end = 2026-11-14", "end = 2027-06-18").replace(
        "train_end = 2026-10-19T23:00:00", "train_end = 2026-12-31T23:00:00")
    (shop / "june.toml").write_text(toml, encoding="utf-8")
    out = tmp_path / "run"
    code = main(["run", str(shop / "june.toml"), "--out", str(out), "--strict-calendar"])
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert "event family '618'" in err and "Traceback" not in err


def test_forecast_explain_prints_each_learned_phase(capsys):
    code = main(["forecast", "--history", str(SAMPLE / "history.csv"), "--events",
                 str(SAMPLE / "events.csv"), "--train-end", "2026-10-19T23:00", "--explain"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert "80 % interval" in out[0]
    rows = {tuple(line.split()[:2]) for line in out[1:]}
    assert {("618", "peak"), ("double11", "presale"), ("double11", "peak")} <= rows
