"""The run store (issue 19, point 2, acceptance 2): the resolved scenario and input checksums in a
run directory, `peakplan runs`, `peakplan rerun` reproducing a run exactly, and the summary model
shared by the pipeline and the dashboard."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from dashboard.data import RunDirError, load_run
from scenarios.cli import main
from scenarios.load import load_scenario
from scenarios.output import RUN_MARKER
from scenarios.run_store import differences, flatten, list_runs
from scenarios.summary_model import SCHEMA_VERSION, RunSummary, parse_summary
from scenarios.variants import parse_set

#: deterministic mode: the roster depends on work counts, not the clock
SOLVE = ("--quiet", "--deterministic", "--workers", "1", "--time-limit", "2")
FAKE_RUN = Path(__file__).resolve().parents[1] / "dashboard" / "dashboard_fake_run.py"


def write_fake_run(path: Path) -> Path:
    """The dashboard tests' fake run directory (a valid schema_version 2 summary.json)."""
    module = sys.modules.get("dashboard_fake_run")
    if module is None:
        spec = importlib.util.spec_from_file_location("dashboard_fake_run", FAKE_RUN)
        module = importlib.util.module_from_spec(spec)
        sys.modules["dashboard_fake_run"] = module
        spec.loader.exec_module(module)
    return module.write_fake_run(path)


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@pytest.fixture()
def variant_run(tiny, capsys) -> dict[str, Path]:
    """The tiny scenario with a variant, run with a variant and a --set override."""
    text = tiny["scenario"].read_text(encoding="utf-8")
    text += "\n[variants.lean]\nworkforce.temporary.max_headcount = 2\n"
    tiny["scenario"].write_text(text, encoding="utf-8")
    out = tiny["dir"] / "runs" / "lean"
    code, _out, err = run_cli(
        capsys, "run", str(tiny["scenario"]), "--out", str(out), "--variant", "lean",
        "--set", "service.bot_deflection=0.4", *SOLVE,
    )
    assert code == 0, err
    return {**tiny, "run": out}


@pytest.mark.slow
def test_rerun_reproduces_the_summary_exactly(variant_run, capsys):
    run, new = variant_run["run"], variant_run["dir"] / "runs" / "again"
    code, out, err = run_cli(capsys, "rerun", str(run), "--out", str(new), "--quiet")
    assert code == 0, err
    old_summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    new_summary = json.loads((new / "summary.json").read_text(encoding="utf-8"))
    compared = len([k for k in flatten(old_summary) if k not in (
        "run.created_at", "solver.wall_time_s", "scenario.file", "inputs.scenario.path")
        and not k.startswith("solver.stage_seconds.")])
    assert f"rerun: summary reproduced ({compared} figures identical)" in out, out
    assert "rerun: roster.csv identical" in out
    assert (new / "roster.csv").read_bytes() == (run / "roster.csv").read_bytes()
    assert (new / "scenario.resolved.toml").read_bytes() == (
        run / "scenario.resolved.toml"
    ).read_bytes()
    assert new_summary["solver"]["deterministic"] is True
    assert new_summary["scenario"]["variant"] == "lean"
    assert new_summary["scenario"]["overrides"] == {"service.bot_deflection": 0.4}
    # every figure equal except those that cannot repeat
    diff, _count = differences(old_summary, new_summary, ignore=())
    assert {key for key, _a, _b in diff if not key.startswith("solver.stage_seconds.")} <= {
        "run.created_at", "solver.wall_time_s", "inputs.scenario.path"
    }

    # the comparison itself can fail: an edited figure is reported by its dotted key
    changed = {**new_summary, "cost_cny": {**new_summary["cost_cny"], "wages_total": 1.0}}
    diff, _count = differences(old_summary, changed)
    assert [key for key, _a, _b in diff] == ["cost_cny.wages_total"]

    # runs lists both, complete; editing a file marks that run modified
    code, out, err = run_cli(capsys, "runs", str(variant_run["dir"]))
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0].split()[0] == "path" and len(lines) == 3
    assert lines[1].startswith(str(new)) and lines[2].startswith(str(run))  # sorted by path
    wages = f"{old_summary['cost_cny']['wages_total']:,.0f}"
    for line in lines[1:]:
        assert line.endswith("complete") and " lean " in line and wages in line
        assert old_summary["run"]["created_at"] in lines[2]
    before = snapshot(variant_run["dir"])
    with (new / "roster.csv").open("ab") as handle:
        handle.write(b"extra,row\r\n")
    code, out, err = run_cli(capsys, "runs", str(variant_run["dir"] / "runs"))
    assert code == 0, err
    states = {line.split()[0]: line for line in out.strip().splitlines()[1:]}
    assert states[str(variant_run["dir"] / "runs" / "again")].endswith(
        "modified ('roster.csv' was changed after peakplan wrote it)"
    )
    assert states[str(run)].endswith("complete")
    after = snapshot(variant_run["dir"])
    assert after.pop("runs/again/roster.csv") != before.pop("runs/again/roster.csv")
    assert after == before  # `runs` never writes


@pytest.mark.slow
def test_resolved_scenario_and_input_checksums(variant_run):
    run = variant_run["run"]
    resolved = load_scenario(run / "scenario.resolved.toml", allow_outside_paths=True)
    planned = load_scenario(
        variant_run["scenario"], variant="lean", overrides=[parse_set("service.bot_deflection=0.4")]
    )
    assert resolved == planned
    assert resolved.workforce.temporary.max_headcount == 2
    assert resolved.forecast.history.is_absolute() and resolved.workforce.agents.is_absolute()
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    assert summary["schema_version"] == SCHEMA_VERSION == 2
    assert set(summary["inputs"]) == {"scenario", "history", "agents"}  # tiny has no events
    for role in ("scenario", "history", "agents"):
        path = Path(summary["inputs"][role]["path"])
        assert path == variant_run[role].absolute()
        data = path.read_bytes()
        assert summary["inputs"][role] == {
            "path": str(path), "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)
        }
    assert summary["files"]["resolved"] == "scenario.resolved.toml"
    marker = json.loads((run / RUN_MARKER).read_text(encoding="utf-8"))
    assert "scenario.resolved.toml" in marker["files"]

    # the model round trip: summary.json is exactly the model's JSON dump
    text = (run / "summary.json").read_text(encoding="utf-8")
    model = RunSummary.model_validate_json(text)
    assert model.model_dump(mode="json") == summary
    assert parse_summary(json.dumps(model.model_dump(mode="json")), "x") == model
    # the dashboard opens the real run through the same model
    shown = load_run(run)
    assert shown.model == model and shown.summary == summary


@pytest.mark.slow
def test_rerun_refuses_a_changed_input_and_writes_nothing(variant_run, capsys):
    run, new = variant_run["run"], variant_run["dir"] / "runs" / "again"
    history = variant_run["history"]
    history.write_bytes(history.read_bytes() + b"2026-10-27T00:00:00,5\n")
    before = snapshot(variant_run["dir"])
    code, out, err = run_cli(capsys, "rerun", str(run), "--out", str(new), "--quiet")
    assert code == 2 and out == ""
    assert err == f"peakplan: error: {history} changed since the run (sha256 differs)\n"
    assert snapshot(variant_run["dir"]) == before and not new.exists()

    history.unlink()
    code, _out, err = run_cli(capsys, "rerun", str(run), "--out", str(new), "--quiet")
    assert code == 2 and err == f"peakplan: error: {history} is missing since the run\n"
    assert not new.exists()


@pytest.mark.slow
def test_rerun_output_safety(variant_run, capsys):
    run = variant_run["run"]
    before = snapshot(variant_run["dir"])
    for out in (run, run / "inner", variant_run["dir"] / "runs"):
        code, _out, err = run_cli(capsys, "rerun", str(run), "--out", str(out), "--quiet")
        assert code == 2 and len(err.strip().splitlines()) == 1, err
        assert "input" in err, err
    (variant_run["dir"] / "taken").mkdir()
    (variant_run["dir"] / "taken" / "notes.txt").write_text("mine\n")
    code, _out, err = run_cli(
        capsys, "rerun", str(run), "--out", str(variant_run["dir"] / "taken"), "--quiet"
    )
    assert code == 2 and "notes.txt" in err and len(err.strip().splitlines()) == 1
    (variant_run["dir"] / "taken" / "notes.txt").unlink()
    (variant_run["dir"] / "taken").rmdir()
    assert snapshot(variant_run["dir"]) == before
    # an edited resolved scenario is not rerun
    resolved = run / "scenario.resolved.toml"
    resolved.write_text(resolved.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    code, _out, err = run_cli(
        capsys, "rerun", str(run), "--out", str(variant_run["dir"] / "x"), "--quiet"
    )
    assert code == 2
    assert err.strip().endswith("'scenario.resolved.toml' was changed after peakplan wrote it; "
                                "cannot rerun it")


def test_runs_lists_unreadable_and_skips_other_kinds(tmp_path, capsys):
    from scenarios.output import marker_bytes

    good = write_fake_run(tmp_path / "store" / "b-good")
    old = write_fake_run(tmp_path / "store" / "a-old")
    for path in (good, old):
        contents = {p.name: p.read_bytes() for p in path.iterdir()}
        (path / RUN_MARKER).write_bytes(marker_bytes(contents, kind="run"))
    summary = json.loads((old / "summary.json").read_text(encoding="utf-8"))
    summary["schema_version"] = 1
    (old / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    review = tmp_path / "store" / "c-review"
    review.mkdir()
    (review / RUN_MARKER).write_bytes(marker_bytes({}, kind="review"))
    hidden = write_fake_run(tmp_path / "store" / ".d.peakplan-staging-1-x")
    (hidden / RUN_MARKER).write_bytes(marker_bytes({}, kind="run"))

    entries = list_runs(tmp_path / "store")
    assert [(e.path.name, e.state) for e in entries] == [
        ("a-old", "unreadable"), ("b-good", "complete")
    ]
    assert "schema_version': 1 is not 2" in entries[0].note
    code, out, err = run_cli(capsys, "runs", str(tmp_path / "store"))
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 3 and "unreadable (summary.json: field 'schema_version'" in lines[1]
    assert "双11 test shop 2026" in lines[2] and "76,060" in lines[2] and "83.4%" in lines[2]

    code, out, _err = run_cli(capsys, "runs", str(tmp_path / "store" / "c-review"))
    assert code == 0 and out.startswith("runs: no run directories")
    code, _out, err = run_cli(capsys, "runs", str(tmp_path / "absent"))
    assert code == 2 and err == f"peakplan: error: {tmp_path / 'absent'}: not a directory\n"


def test_rerun_refuses_what_is_not_a_rerunnable_run(tmp_path, capsys):
    code, _out, err = run_cli(capsys, "rerun", str(tmp_path), "--out", str(tmp_path / "n"))
    assert code == 2 and err.strip().endswith(f"{tmp_path}: not a peakplan run directory "
                                              f"(no {RUN_MARKER})")
    from scenarios.output import marker_bytes

    old = write_fake_run(tmp_path / "old")  # a run without scenario.resolved.toml
    contents = {p.name: p.read_bytes() for p in old.iterdir()}
    (old / RUN_MARKER).write_bytes(marker_bytes(contents, kind="run"))
    code, _out, err = run_cli(capsys, "rerun", str(old), "--out", str(tmp_path / "n"))
    assert code == 2 and "has no scenario.resolved.toml" in err
    assert len(err.strip().splitlines()) == 1 and not (tmp_path / "n").exists()


def test_dashboard_refuses_an_invalid_summary_in_one_line(tmp_path):
    run = write_fake_run(tmp_path / "run")
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    summary["hours"]["short_agent_hours"] = -1.0
    (run / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    with pytest.raises(RunDirError) as info:
        load_run(run)
    message = str(info.value)
    assert message.startswith("summary.json: field 'hours.short_agent_hours': ")
    assert "\n" not in message


def test_flatten_and_differences():
    old = {"a": {"b": 1, "c": [1, 2], "d": {}}, "e": None, "t": 5}
    new = {"a": {"b": 1, "c": [1, 3], "d": {}}, "e": {"f": 2}, "t": 6}
    assert flatten(old) == {"a.b": 1, "a.c": [1, 2], "a.d": {}, "e": None, "t": 5}
    diff, count = differences(old, new, ignore=("t",))
    assert diff == [("a.c", [1, 2], [1, 3]), ("e", None, None), ("e.f", None, 2)]
    assert count == 5
