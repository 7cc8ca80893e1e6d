"""The Plan page's runner (issue 20 point 2, acceptance 2): ``run_scenario`` in a spawned child
process on the `tiny` scenario of tests/scenarios/conftest.py (one worker, fixed seed, short
deterministic solves): it completes with stage and progress messages and a complete run
directory; Cancel stops it within 2 s and leaves no complete run and no staging directory.
Also the upload saving of dashboard.plan_form (a new folder, nothing overwritten)."""

from __future__ import annotations

import json
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from tiny_scenario import tiny_files

from dashboard import plan_form, plan_runner
from scenarios.load import load_scenario
from scenarios.output import RUN_MARKER

#: A short deterministic solve on one worker that improves on the constructive roster (so
#: progress messages come), on 3 days instead of 2.
QUICK = (
    ("campaign.end", date(2026, 10, 29)),
    ("solver.time_limit_s", 2.0),
    ("solver.num_workers", 1),
    ("solver.random_seed", 0),
    ("solver.deterministic", True),
    ("solver.lp_bound", False),
)


def wait(run: plan_runner.PlanRun, until, timeout_s: float = 180.0) -> list[dict]:
    """Poll ``run`` until ``until(run)`` or it has finished; returns every message read."""
    seen: list[dict] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        seen += run.poll()
        if until(run) or run.state != plan_runner.RUNNING:
            return seen
        time.sleep(0.05)
    run.cancel()
    pytest.fail(f"no result within {timeout_s} s (stage {run.stage})")


def leftovers(root: Path) -> list[Path]:
    """Hidden (staging) entries and run markers anywhere below ``root``."""
    return [p for p in root.rglob("*") if p.name.startswith(".") or p.name == RUN_MARKER]


def test_run_completes_with_progress(tmp_path: Path) -> None:
    files = tiny_files(tmp_path)
    overrides = (*QUICK, ("forecast.volume_scale", 1.3))
    out = plan_runner.new_out_dir(tmp_path, "quick", datetime(2026, 12, 5, 9, 0, 0))
    assert out == tmp_path / "out" / "plan-20261205-090000-quick"
    run = plan_runner.start_run(files["scenario"], out, overrides=overrides)
    messages = wait(run, lambda r: False)
    assert run.state == plan_runner.DONE, run.error
    stages = [m["stage"] for m in messages if m["kind"] == "stage"]
    assert [s for s in stages if s != "warning"] == ["load", "forecast", "staffing", "roster"]
    progress = [m for m in messages if m["kind"] == "progress"]
    assert progress, "no progress message from the solve"
    assert all(m["objective_cny"] > 0 and m["solver_s"] >= 0 for m in progress)
    assert messages[-1]["kind"] == "done"
    # the run directory is complete (marker written by the pipeline) and records the levers
    assert (out / RUN_MARKER).is_file()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["scenario"]["overrides"]["forecast.volume_scale"] == 1.3
    assert run.figures["wages_cny"] == summary["cost_cny"]["wages_total"]
    assert [p.name for p in (tmp_path / "out").iterdir()] == [out.name]  # no staging left
    run.close()


@pytest.mark.parametrize(("moment", "grace_s"), [("roster", 1.4), ("load", 1.4), ("roster", 0.0)])
def test_cancel_stops_within_2s_and_stores_nothing(
    tmp_path: Path, moment: str, grace_s: float
) -> None:
    """Cancel during the solve (after the roster stage begins) or at the very start; with no
    grace time the child is killed at once (what happens when SIGINT does not stop it)."""
    files = tiny_files(tmp_path)
    overrides = [(k, v) for k, v in QUICK if k != "solver.time_limit_s"]
    overrides.append(("solver.time_limit_s", 60.0))
    out = plan_runner.new_out_dir(tmp_path, None)
    run = plan_runner.start_run(files["scenario"], out, overrides=overrides)
    wait(run, lambda r: r.stage == moment and bool(r.log))
    assert run.state == plan_runner.RUNNING
    t0 = time.monotonic()
    took = run.cancel(grace_s)
    assert time.monotonic() - t0 <= 2.0 and took <= 2.0
    assert not run.process.is_alive()
    if moment == "roster" and grace_s:  # the pipeline handled the interrupt (no SIGKILL)
        assert run.process.exitcode == 0
    assert run.state == plan_runner.CANCELLED
    assert not out.exists()
    assert leftovers(tmp_path) == []
    run.close()


def test_bad_agents_file_fails_with_one_line(tmp_path: Path) -> None:
    files = tiny_files(tmp_path)
    text = files["agents"].read_text(encoding="utf-8-sig").replace("agent_type,", "kind,", 1)
    files["agents"].write_text(text, encoding="utf-8")
    out = plan_runner.new_out_dir(tmp_path, None)
    run = plan_runner.start_run(files["scenario"], out, overrides=QUICK)
    wait(run, lambda r: False)
    assert run.state == plan_runner.FAILED
    assert "agents.csv" in run.error and "agent_type" in run.error and "\n" not in run.error
    assert not out.exists()


def test_new_out_dir_never_reuses(tmp_path: Path) -> None:
    now = datetime(2026, 12, 5, 9, 0, 0)
    first = plan_runner.new_out_dir(tmp_path, "high volume/../x", now)
    assert first.parent == tmp_path / "out" and "/" not in first.name and ".." not in first.name
    first.mkdir(parents=True)
    second = plan_runner.new_out_dir(tmp_path, "high volume/../x", now)
    assert second != first and second.name == first.name + "-2"


def test_save_upload_csv_only_replaces_by_name(tmp_path: Path) -> None:
    files = tiny_files(tmp_path / "base")
    agents = files["agents"].read_bytes().replace(b"30,", b"31,")
    now = datetime(2026, 12, 5, 9, 0, 0)
    saved = plan_form.save_upload([("agents.csv", agents)], tmp_path, files["scenario"], now)
    assert saved.parent == tmp_path / "out" / "uploads" / "20261205-090000"
    assert (saved.parent / "agents.csv").read_bytes() == agents
    assert (saved.parent / "history.csv").read_bytes() == files["history"].read_bytes()
    scenario = load_scenario(saved)  # confined to the upload folder
    assert scenario.workforce.agents == saved.parent / "agents.csv"
    plan_form.check_inputs(scenario)
    # a second upload in the same second goes to a new folder; the first is untouched
    again = plan_form.save_upload([("agents.csv", b"x")], tmp_path, files["scenario"], now)
    assert again.parent.name == "20261205-090000-2"
    assert (saved.parent / "agents.csv").read_bytes() == agents


def test_save_upload_refuses_before_writing(tmp_path: Path) -> None:
    files = tiny_files(tmp_path / "base")
    for upload, words in (
        ([("roster.csv", b"a\n")], "roster.csv: not a file of the scenario"),
        ([("a.toml", b""), ("b.toml", b"")], "one scenario TOML"),
        ([("../agents.csv", b"")], None),
        ([("evil.sh", b"")], "expected a .toml or .csv"),
        ([], "no files"),
    ):
        if words is None:  # a path is reduced to its file name, never written outside
            saved = plan_form.save_upload(upload, tmp_path, files["scenario"])
            assert saved.parent.parent == tmp_path / "out" / "uploads"
            continue
        with pytest.raises(plan_form.UploadError, match=words):
            plan_form.save_upload(upload, tmp_path, files["scenario"])
    assert len(list((tmp_path / "out" / "uploads").iterdir())) == 1
