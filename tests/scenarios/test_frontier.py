"""``peakplan frontier`` (issue 19, point 4, acceptance 3): dominance, the frontier table equal to
each sub-run's summary, one-line errors before any work, sweep directory safety, the chart."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scenarios.cli import main
from scenarios.frontier import COLUMNS, FIGURE_KEYS, frontier_table, mark_dominated
from scenarios.output import RUN_MARKER, marker_bytes
from scenarios.sweep import RAY_MISSING
from scenarios.sweep_output import SWEEP_MARKER

ROOT = Path(__file__).resolve().parents[2]


def _points(cost, service, labels=None) -> pd.DataFrame:
    labels = labels or [f"p{i}" for i in range(len(cost))]
    return pd.DataFrame(
        {"label": labels, "wages_total_cny": cost, "expected_service_level": service}
    )


def test_dominance_basic():
    out = mark_dominated(_points([100, 120, 110, 90], [0.8, 0.75, 0.85, 0.7]))
    # p1 (120, 0.75) is beaten by p0 (100, 0.80) and p2 (110, 0.85): the cheapest is named.
    assert out["dominated"].tolist() == [False, True, False, False]
    assert out.loc[1, "dominated_by"] == "p0"
    assert out[["dominated_by"]].isna().sum().item() == 3
    assert out["dominated"].dtype == bool


def test_dominance_ties():
    # Identical points do not dominate each other; equal cost with better service does.
    out = mark_dominated(_points([100, 100, 100, 90], [0.8, 0.8, 0.9, 0.9]))
    assert out["dominated"].tolist() == [True, True, True, False]
    assert out["dominated_by"].iloc[:3].tolist() == ["p3"] * 3
    assert pd.isna(out.loc[3, "dominated_by"])
    same = mark_dominated(_points([100, 100], [0.8, 0.8]))
    assert not same["dominated"].any()
    equal_service = mark_dominated(_points([100, 101], [0.8, 0.8]))
    assert equal_service["dominated"].tolist() == [False, True]
    assert equal_service.loc[1, "dominated_by"] == "p0"


def test_dominance_nan_service_never_dominates():
    out = mark_dominated(_points([50, 100], [np.nan, 0.8]))
    assert not out["dominated"].any()
    out = mark_dominated(_points([50, 100, 120], [np.nan, 0.8, 0.7]))
    assert out["dominated"].tolist() == [False, False, True]
    assert out.loc[2, "dominated_by"] == "p1"


def test_dominance_custom_columns_and_untouched_input():
    frame = pd.DataFrame({"label": ["a", "b"], "cost": [2.0, 1.0], "svc": [0.5, 0.6]})
    out = mark_dominated(frame, cost="cost", service="svc")
    assert out["dominated"].tolist() == [True, False]
    assert out.loc[0, "dominated_by"] == "b"
    assert "dominated" not in frame.columns


def test_a_rule_breaking_run_never_dominates_a_legal_one():
    # p0 is cheapest and serves best, but its roster breaks a rule: it dominates nobody
    frame = _points([80, 100, 120], [0.9, 0.8, 0.7])
    out = mark_dominated(frame, can_dominate=np.array([False, True, True]))
    assert out["dominated"].tolist() == [False, False, True]
    assert out.loc[2, "dominated_by"] == "p1"
    assert mark_dominated(frame)["dominated"].tolist() == [False, True, True]


def test_frontier_table_lets_only_legal_or_accepted_runs_dominate():
    def summary(wages: float, service: float, by_rule: dict, soft: list) -> dict:
        return {"cost_cny": {"wages_total": wages}, "service": {"expected_service_level": service},
                "validation": {"violations": sum(by_rule.values()), "by_rule": by_rule,
                               "soft_rules": soft}}

    table = frontier_table("p", [1, 2, 3], ["a", "b", "c"], [
        summary(900.0, 0.9, {"min_rest": 2}, []),  # cheapest, best, illegal
        summary(1000.0, 0.85, {"weekly_min_hours": 1}, ["weekly_min_hours"]),  # accepted
        summary(1100.0, 0.80, {}, []),
    ])
    assert table["dominated"].tolist() == [False, False, True]
    assert table["dominated_by"].tolist()[2] == "b"
    assert table["violated_rules"].tolist()[0] == "min_rest 2"


# ------------------------------------------------------------------------- the frontier command


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _frontier(tiny, out: Path, values: str = "0.35,0.6", *extra: str) -> list[str]:
    return [
        "frontier", str(tiny["scenario"]), "--param", "service.bot_deflection",
        "--values", values, "--out", str(out), "--time-limit", "2", "--seed", "0",
        "--no-lp-bound", "--quiet", *extra,
    ]


def _dig(summary: dict, dotted: str) -> object:
    for part in dotted.split("."):
        summary = summary[part]
    return summary


def _siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


@pytest.mark.slow
def test_frontier_table_equals_each_run_and_replaces_an_earlier_frontier(capsys, tiny):
    out = tiny["dir"] / "frontier"
    code, printed, err = run_cli(capsys, *_frontier(tiny, out))
    assert code == 0, err
    table = pd.read_csv(out / "frontier.csv")
    assert list(table.columns) == list(COLUMNS)
    assert table["value"].tolist() == [0.35, 0.6]
    assert table["label"].tolist() == [
        "service.bot_deflection=0.35", "service.bot_deflection=0.6"
    ]
    for _, row in table.iterrows():
        summary = json.loads((out / row["run"] / "summary.json").read_text(encoding="utf-8"))
        assert summary["scenario"]["overrides"] == {"service.bot_deflection": row["value"]}
        assert summary["solver"]["num_workers"] == 1 and summary["solver"]["deterministic"]
        for column, key in FIGURE_KEYS:
            expected = _dig(summary, key)
            if expected is None:
                assert pd.isna(row[column]), column
            else:
                assert row[column] == expected, column
    again = mark_dominated(table.drop(columns=["dominated", "dominated_by"]))
    assert again["dominated"].tolist() == table["dominated"].tolist()
    # The tiny scenario is short of people: the same wages, and more bot deflection serves
    # better, so 0.35 is dominated by 0.6.
    assert table["dominated"].tolist() == [True, False]
    assert table.loc[0, "dominated_by"] == "service.bot_deflection=0.6"
    assert "service.bot_deflection=0.6" in printed and "frontier: 2 runs" in printed
    assert (out / "frontier.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = (out / "frontier.html").read_text(encoding="utf-8")
    assert "dominated: service.bot_deflection=0.35" in html
    marker = json.loads((out / SWEEP_MARKER).read_text(encoding="utf-8"))
    assert marker["kind"] == "frontier"
    assert set(marker["files"]) == {"frontier.csv", "frontier.png", "frontier.html"}
    assert set(marker["runs"]) == set(table["run"])
    # An earlier, unchanged frontier is replaced as a whole.
    code, _out, err = run_cli(capsys, *_frontier(tiny, out, "0.5"))
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == [
        SWEEP_MARKER, "frontier.csv", "frontier.html", "frontier.png",
        "service.bot_deflection=0.5",
    ]
    assert not [n for n in _siblings(out) if "peakplan-" in n]
    # ... but not once a file in it was changed (refused before any work).
    (out / "service.bot_deflection=0.5" / "roster.csv").write_text("edited", encoding="utf-8")
    code, _out, err = run_cli(capsys, *_frontier(tiny, out))
    assert code == 2
    assert err.strip().count("\n") == 0 and "was changed after peakplan wrote it" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--param", "service.nope", "--values", "1,2"],
         "--param service.nope (value 1): unknown key"),
        (["--param", "service.bot_deflection", "--values", "0.4,abc"],
         "--param service.bot_deflection (value abc): expected a number"),
        (["--param", "service.bot_deflection", "--values", "0.4,1.5"],
         "--param service.bot_deflection (value 1.5): must be < 1"),
        (["--param", "service.bot_deflection", "--values", "0.4", "--variant", "nope"],
         "unknown variant 'nope'"),
        (["--param", "service.bot_deflection", "--values", "0.4,,0.5"], "--values: expected"),
        (["--param", "service.bot_deflection", "--values", "0.4,0.4"],
         "--values: '0.4' given twice"),
        (["--param", "service.bot_deflection", "--values", "0.4", "--set",
          "service.bot_deflection=0.3"], "--param service.bot_deflection: also given with --set"),
        (["--param", "service.bot_deflection", "--values", "0.4", "--jobs", "0"],
         "--jobs: expected at least 1"),
    ],
)
def test_bad_param_value_or_variant_is_one_line_and_writes_nothing(capsys, tiny, argv, message):
    out = tiny["dir"] / "frontier"
    before = _siblings(out)
    code, printed, err = run_cli(
        capsys, "frontier", str(tiny["scenario"]), "--out", str(out), *argv
    )
    assert code == 2
    assert err.count("\n") == 1 and message in err, err
    assert printed == ""
    assert _siblings(out) == before  # no output, no staging


def test_refused_output_directories(capsys, tiny):
    args = ["--param", "service.bot_deflection", "--values", "0.4"]
    foreign = tiny["dir"] / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    run = tiny["dir"] / "a-run"
    run.mkdir()
    (run / RUN_MARKER).write_bytes(marker_bytes({}, kind="run"))
    cases = {
        foreign: "holds files peakplan did not write ('notes.txt')",
        run: "is a peakplan run, not a frontier",
        tiny["dir"]: "contains the input",
        tiny["scenario"]: "is the input",
    }
    for out, message in cases.items():
        before = _siblings(out)
        code, _printed, err = run_cli(
            capsys, "frontier", str(tiny["scenario"]), "--out", str(out), *args
        )
        assert code == 2 and message in err and err.count("\n") == 1, err
        assert _siblings(out) == before
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.slow
def test_a_failing_run_fails_the_sweep_naming_it_and_leaves_nothing(capsys, tiny):
    out = tiny["dir"] / "frontier"
    before = _siblings(out)
    code, printed, err = run_cli(
        capsys, "frontier", str(tiny["scenario"]), "--param", "forecast.train_end",
        "--values", "2026-10-26T23:00:00,2020-01-01T00:00:00", "--out", str(out),
        "--time-limit", "1", "--no-lp-bound", "--quiet",
    )
    assert code == 2, err
    assert err.count("\n") == 1
    assert "sweep run 'forecast.train_end=2020-01-01T00_00_00'" in err
    assert "train_end" in err
    assert _siblings(out) == before


def test_missing_ray_is_one_line(capsys, tiny, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)
    out = tiny["dir"] / "frontier"
    code, _printed, err = run_cli(
        capsys, "frontier", str(tiny["scenario"]), "--param", "service.bot_deflection",
        "--values", "0.4", "--out", str(out), "--backend", "ray",
    )
    assert code == 2
    assert err == f"peakplan: error: {RAY_MISSING}\n"
    assert not out.exists()


@pytest.mark.slow
def test_ctrl_c_stops_the_runs_and_leaves_nothing(tiny):
    out = tiny["dir"] / "frontier"
    before = _siblings(out)
    proc = subprocess.Popen(
        [sys.executable, "-m", "scenarios.cli", *_frontier(tiny, out)[:-1]]
        + ["--time-limit", "60"],
        cwd=ROOT, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    lines: list[str] = []
    started = threading.Event()

    def read() -> None:
        for line in proc.stderr:  # type: ignore[union-attr]
            lines.append(line.rstrip("\n"))
            if line.startswith("sweep: 2 runs"):
                started.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert started.wait(60), lines
    staging = tiny["dir"].glob(".frontier.peakplan-staging-*")
    time.sleep(8)  # the workers are solving (60 s limit)
    assert list(staging), "no staging directory while running"
    os.killpg(proc.pid, signal.SIGINT)  # like Ctrl-C in a terminal: the whole process group
    assert proc.wait(60) == 130, lines
    reader.join(5)
    assert lines[-1] == "peakplan: interrupted", lines
    assert not any("Traceback" in line for line in lines), lines
    assert _siblings(out) == before
