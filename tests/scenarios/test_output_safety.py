"""Output safety (issue 17, point 1): peakplan never deletes, renames or overwrites a file it did
not write, never writes over an input, writes each command's outputs as one unit with the
umask's permissions, and finds output-path problems before any work. (Ctrl-C and SIGTERM:
test_kill.py and test_deferred_signals.py; formula-neutral CSV cells: test_hr_export.py.)"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from scenarios import file_output, io, output, pipeline
from scenarios.cli import main
from scenarios.load import load_scenario

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every entry under ``root`` (hidden ones too): file bytes, or None for a directory."""
    return {
        p.relative_to(root).as_posix(): (None if p.is_dir() else p.read_bytes())
        for p in sorted(root.rglob("*"))
    }


def assert_refused(code: int, err: str, *names: str) -> None:
    """Exit 2 with one ``peakplan: error:`` line that names every string in ``names``."""
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("peakplan: error: "), err
    for name in names:
        assert name in lines[0], (name, err)


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    """Run with ``mask`` as the process umask (and peakplan's cached copy of it)."""
    old = os.umask(mask)
    output.process_umask.cache_clear()
    try:
        yield
    finally:
        os.umask(old)
        output.process_umask.cache_clear()


@pytest.fixture()
def no_work(monkeypatch):
    """Any forecasting, staffing or solving fails the test: refusals must come before work."""

    def boom(*_a, **_k):
        raise AssertionError("the pipeline ran before the output path was checked")

    for name in ("prepare_plan", "forecast_step", "staffing_step", "roster_step"):
        monkeypatch.setattr(pipeline, name, boom)
    from scenarios.samples import generate as sample_data

    monkeypatch.setattr(sample_data, "make_actuals", boom)


def quick_run(capsys, tiny, out: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli(
        capsys, "run", str(tiny["scenario"]), "--out", str(out), "--quiet",
        "--time-limit", "1", "--workers", "1", *extra,
    )


# ------------------------------------------------------------------------------------ run --out


def test_run_out_is_the_scenario_folder(capsys, tiny, no_work):
    d = tiny["dir"]
    before = snapshot(d)
    code, _, err = quick_run(capsys, tiny, d)
    assert_refused(code, err, str(d))
    assert snapshot(d) == before
    assert not [p for p in d.parent.iterdir() if p.name.startswith(f".{d.name}.")]


def test_run_out_through_a_symlink_to_the_inputs(capsys, tiny, no_work):
    link = tiny["dir"] / "link"
    link.symlink_to(tiny["dir"], target_is_directory=True)
    before = snapshot(tiny["dir"])
    code, _, err = quick_run(capsys, tiny, link)
    assert_refused(code, err, str(link))
    assert snapshot(tiny["dir"]) == before and link.is_symlink()


def test_run_into_a_directory_with_foreign_files(capsys, tiny, no_work):
    out = tiny["dir"] / "plans"
    out.mkdir()
    (out / "notes.txt").write_text("my notes\n")
    (out / "roster_v1_final.csv").write_text("agent_id\n001\n")
    before = snapshot(tiny["dir"])
    code, _, err = quick_run(capsys, tiny, out)
    assert_refused(code, err, str(out))
    assert "notes.txt" in err or "roster_v1_final.csv" in err
    assert snapshot(tiny["dir"]) == before


def test_run_out_is_an_existing_file(capsys, tiny, no_work):
    target = tiny["dir"] / "f.txt"
    target.write_text("keep me\n")
    before = snapshot(tiny["dir"])
    code, _, err = quick_run(capsys, tiny, target)
    assert_refused(code, err, str(target))
    assert snapshot(tiny["dir"]) == before


def test_run_out_dot_is_refused_before_any_work(capsys, tiny, no_work, monkeypatch):
    monkeypatch.chdir(tiny["dir"])
    before = snapshot(tiny["dir"])
    code, _, err = run_cli(capsys, "run", "tiny.toml", "--out", ".", "--quiet")
    assert_refused(code, err, str(tiny["dir"]))
    assert snapshot(tiny["dir"]) == before


def test_run_scenario_checks_the_output_itself(tiny, no_work):
    (tiny["dir"] / "o").mkdir()
    (tiny["dir"] / "o" / "notes.txt").write_text("x")
    with pytest.raises(io.InputFileError, match="notes.txt"):
        pipeline.run_scenario(tiny["scenario"], tiny["dir"] / "o")


def test_run_replaces_only_its_own_run_with_umask_permissions(capsys, tiny, monkeypatch):
    events = tiny["dir"] / "events.csv"
    events.write_text(
        "event,phase,start,end,uplift\ndouble11,=HYPERLINK(1),2026-10-27T10:00,"
        "2026-10-27T12:00,1.5\n",
        encoding="utf-8",
    )
    text = tiny["scenario"].read_text(encoding="utf-8")
    tiny["scenario"].write_text(
        text.replace("[forecast]\n", f'[forecast]\nevents = "{events.as_posix()}"\n'),
        encoding="utf-8",
    )
    with umask(0o022):
        out = tiny["dir"] / "runs" / "d11"
        code, _, err = quick_run(capsys, tiny, out)
        assert code == 0, err
        assert (out.stat().st_mode & 0o777) == 0o755
        assert (out.parent.stat().st_mode & 0o777) == 0o755
        for p in out.iterdir():
            assert (p.stat().st_mode & 0o777) == 0o644, p
        marker = json.loads((out / output.RUN_MARKER).read_text(encoding="utf-8"))
        assert set(marker["files"]) == {p.name for p in out.iterdir()} - {output.RUN_MARKER}
        assert "'=HYPERLINK(1)" in (out / "events.csv").read_text(encoding="utf-8")
        assert not (out / "events.csv").read_bytes().startswith(b"\xef\xbb\xbf")
        # an earlier run is replaced, nothing left beside it
        code, _, err = quick_run(capsys, tiny, out)
        assert code == 0, err
        assert sorted(p.name for p in out.parent.iterdir()) == ["d11"]
        # a foreign file in the run directory: refused, untouched
        (out / "notes.txt").write_text("mine\n")
        before = snapshot(out.parent)
        code, _, err = quick_run(capsys, tiny, out)
        assert_refused(code, err, str(out), "notes.txt")
        assert snapshot(out.parent) == before
        # a file of the run edited by hand is no longer peakplan's
        (out / "notes.txt").unlink()
        (out / "roster.csv").write_text("edited by HR\n")
        before = snapshot(out.parent)
        code, _, err = quick_run(capsys, tiny, out)
        assert_refused(code, err, str(out), "roster.csv")
        assert snapshot(out.parent) == before


# ----------------------------------------------------------------------- single-file commands


def forecast_args(tiny, out: Path, *extra: str) -> list[str]:
    return [
        "forecast", "--history", str(tiny["history"]), "--start", "2026-10-27T00:00",
        "--end", "2026-10-27T23:00", "--out", str(out), *extra,
    ]


def test_forecast_never_overwrites_without_flag(capsys, tiny, no_work):
    out = tiny["dir"] / "f.csv"
    out.write_text("precious\n")
    before = snapshot(tiny["dir"])
    code, _, err = run_cli(capsys, *forecast_args(tiny, out))
    assert_refused(code, err, str(out), "--overwrite")
    assert snapshot(tiny["dir"]) == before


def test_forecast_never_writes_over_its_input(capsys, tiny, no_work):
    before = snapshot(tiny["dir"])
    code, _, err = run_cli(capsys, *forecast_args(tiny, tiny["history"], "--overwrite"))
    assert_refused(code, err, str(tiny["history"]))
    assert snapshot(tiny["dir"]) == before


def test_forecast_overwrite_follows_umask(capsys, tiny):
    out = tiny["dir"] / "f.csv"
    out.write_text("old\n")
    with umask(0o027):
        code, _, err = run_cli(capsys, *forecast_args(tiny, out, "--overwrite"))
    assert code == 0, err
    assert out.read_text().startswith("timestamp,volume")
    assert (out.stat().st_mode & 0o777) == 0o640
    assert not [p for p in tiny["dir"].iterdir() if p.name.startswith(".")]


def test_staff_never_writes_over_its_forecast(capsys, tiny, no_work):
    fc = tiny["dir"] / "f.csv"
    fc.write_text("timestamp,volume\n2026-10-27T00:00:00,1\n")
    before = snapshot(tiny["dir"])
    code, _, err = run_cli(
        capsys, "staff", "--forecast", str(fc), "--scenario", str(tiny["scenario"]),
        "--out", str(fc), "--overwrite",
    )
    assert_refused(code, err, str(fc))
    assert snapshot(tiny["dir"]) == before


# ------------------------------------------------------------------------------------- roster


def requirements_csv(tiny) -> Path:
    slots = load_scenario(tiny["scenario"]).campaign.slot_starts()
    path = tiny["dir"] / "req.csv"
    pd.DataFrame(
        {"timestamp": [s.isoformat() for s in slots], "agents_required": 2}
    ).to_csv(path, index=False)
    return path


def roster_args(tiny, out: Path, *extra: str) -> list[str]:
    return [
        "roster", "--requirements", str(requirements_csv(tiny)), "--scenario",
        str(tiny["scenario"]), "--out", str(out), "--time-limit", "1", "--workers", "1",
        "--quiet", *extra,
    ]


@pytest.mark.parametrize("name", ["coverage.csv", "unmet.csv", "Coverage.CSV"])
def test_roster_out_named_like_a_companion_file(capsys, tiny, no_work, name):
    args = roster_args(tiny, tiny["dir"] / name, "--overwrite")
    before = snapshot(tiny["dir"])
    code, _, err = run_cli(capsys, *args)
    assert_refused(code, err, name)
    assert snapshot(tiny["dir"]) == before


def test_roster_into_a_run_directory(capsys, tiny, no_work):
    run = tiny["dir"] / "run"
    run.mkdir()
    (run / "summary.json").write_text("{}\n")
    (run / output.RUN_MARKER).write_text('{"files": ["summary.json"]}\n')
    args = roster_args(tiny, run / "roster.csv", "--overwrite")
    before = snapshot(tiny["dir"])
    code, _, err = run_cli(capsys, *args)
    assert_refused(code, err, str(run), "peakplan run")
    assert snapshot(tiny["dir"]) == before


def test_roster_checks_all_three_paths(capsys, tiny, no_work):
    (tiny["dir"] / "unmet.csv").write_text("old unmet\n")
    args = roster_args(tiny, tiny["dir"] / "roster.csv")
    before = snapshot(tiny["dir"])
    code, _, err = run_cli(capsys, *args)
    assert_refused(code, err, str(tiny["dir"] / "unmet.csv"), "--overwrite")
    assert snapshot(tiny["dir"]) == before


def test_roster_writes_its_three_files_as_one_unit(capsys, tiny, monkeypatch):
    args = roster_args(tiny, tiny["dir"] / "roster.csv", "--overwrite")
    for name in ("roster.csv", "coverage.csv", "unmet.csv"):
        (tiny["dir"] / name).write_text(f"old {name}\n")
    before = snapshot(tiny["dir"])
    real, calls = io.csv_bytes, []

    def third_fails(frame, **kw):
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk full")
        return real(frame, **kw)

    monkeypatch.setattr(io, "csv_bytes", third_fails)
    code, _, err = run_cli(capsys, *args)
    assert code == 2 and "disk full" in err
    assert snapshot(tiny["dir"]) == before
    monkeypatch.setattr(io, "csv_bytes", real)
    code, out, err = run_cli(capsys, *args)
    assert code == 0, err
    assert (tiny["dir"] / "roster.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (tiny["dir"] / "coverage.csv").read_text().startswith("timestamp,required")
    assert (tiny["dir"] / "unmet.csv").read_text().startswith("start,end")


def test_write_unit_undoes_a_failed_rename(tmp_path, monkeypatch):
    paths = [tmp_path / n for n in ("a.csv", "b.csv", "c.csv")]
    for p in paths:
        p.write_text(f"old {p.name}\n")
    before = snapshot(tmp_path)
    real, calls = os.replace, []

    def third_fails(src, dst):
        if Path(dst) in paths:
            calls.append(dst)
            if len(calls) == 3:
                raise OSError("EIO")
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", third_fails)
    with pytest.raises(OSError, match="EIO"):
        file_output.write_unit({p: b"new\n" for p in paths}, overwrite=True)
    assert snapshot(tmp_path) == before


# -------------------------------------------------------------------------------- sample-data


def test_sample_data_refuses_to_overwrite_a_file_it_did_not_write(capsys, tmp_path, no_work):
    (tmp_path / "history.csv").write_text("timestamp,volume\nmine,1\n")
    (tmp_path / "notes.md").write_text("mine\n")
    before = snapshot(tmp_path)
    code, _, err = run_cli(capsys, "sample-data", "--out", str(tmp_path))
    assert_refused(code, err, "history.csv")
    assert snapshot(tmp_path) == before


def test_sample_data_leaves_foreign_files_and_rewrites_its_own(capsys, tmp_path):
    (tmp_path / "README.md").write_text("mine\n")
    code, _, err = run_cli(capsys, "sample-data", "--out", str(tmp_path))
    assert code == 0, err
    code, _, err = run_cli(capsys, "sample-data", "--out", str(tmp_path))
    assert code == 0, err
    assert (tmp_path / "README.md").read_text() == "mine\n"
    marker = json.loads((tmp_path / output.SAMPLE_MARKER).read_text(encoding="utf-8"))
    assert "README.md" not in marker["files"]


def test_committed_sample_marker_lists_the_generated_files():
    marker = json.loads((SAMPLE / output.SAMPLE_MARKER).read_text(encoding="utf-8"))
    assert set(marker["files"]) == {
        "history.csv", "events.csv", "agents.csv",
        "actuals/hourly.csv", "actuals/question_types.csv", "actuals/agents.csv",
    }
    assert output.foreign_or_changed(SAMPLE, marker["files"], marker) is None


def test_run_never_replaces_a_review(capsys, tiny, tmp_path):
    """A directory peakplan wrote as a review (marker kind 'review') is not a run to replace."""
    review = tmp_path / "review"
    review.mkdir()
    (review / "review.json").write_text("{}\n", encoding="utf-8")
    marker = output.marker_bytes({"review.json": b"{}\n"}, kind="review")
    (review / output.RUN_MARKER).write_bytes(marker)
    before = {p.name: p.read_bytes() for p in review.iterdir()}
    code = main(["run", str(tiny["scenario"]), "--out", str(review), "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err == [f"peakplan: error: {review}: is a peakplan review, not a run; give a new "
                   "directory"]
    assert {p.name: p.read_bytes() for p in review.iterdir()} == before
