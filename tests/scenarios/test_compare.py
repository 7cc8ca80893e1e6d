"""``peakplan compare`` (issue 19, point 3, acceptance 1): the per-run table equals each run's
summary.json exactly, --out round-trips, per-interval differences, and refused directories."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from scenarios import compare
from scenarios.cli import main
from scenarios.output import RUN_MARKER, marker_bytes


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _fake_run(path: Path, summary: dict, coverage: pd.DataFrame, kind: str = "run") -> Path:
    """A directory laid out like a run (marker last), without solving anything."""
    path.mkdir(parents=True)
    contents = {
        "summary.json": json.dumps(summary).encode("utf-8"),
        "coverage.csv": coverage.to_csv(index=False).encode("utf-8"),
    }
    for name, data in contents.items():
        (path / name).write_bytes(data)
    (path / RUN_MARKER).write_bytes(marker_bytes(contents, kind=kind))
    return path


def _summary(name: str, temp_cost: float) -> dict:
    return {
        "schema_version": 1,
        "scenario": {"name": name},
        "run": {"interval_minutes": 30},
        "cost_cny": {"permanent": 10.5, "part_time": 0.0, "temporary": temp_cost},
        "headcount": {"temporary": 3},
        "service": {"worst_day": {"date": "2026-11-11", "expected_service_level": 0.61}},
        "solver": {"gap": None, "deterministic": True},
    }


def _coverage(start: str, periods: int, scheduled: float) -> pd.DataFrame:
    stamps = pd.date_range(start, periods=periods, freq="30min").strftime("%Y-%m-%dT%H:%M:%S")
    return pd.DataFrame(
        {"timestamp": stamps, "required": 5, "scheduled": scheduled, "shortfall": 0.5}
    )


@pytest.mark.slow
def test_compare_two_tiny_runs(capsys, tiny):
    smaller = tiny["dir"] / "small-pool.toml"
    text = tiny["scenario"].read_text(encoding="utf-8")
    assert "max_headcount = 4" in text
    smaller.write_text(text.replace("max_headcount = 4", "max_headcount = 1"), encoding="utf-8")
    runs = [tiny["dir"] / "base", tiny["dir"] / "small"]
    for scenario, out in zip((tiny["scenario"], smaller), runs, strict=True):
        code, _out, err = run_cli(
            capsys, "run", str(scenario), "--out", str(out), "--quiet", "--time-limit", "2"
        )
        assert code == 0, err
    table_csv, intervals_csv = tiny["dir"] / "cmp.csv", tiny["dir"] / "iv.csv"
    code, out, err = run_cli(
        capsys, "compare", *map(str, runs), "--out", str(table_csv), "--intervals",
        str(intervals_csv),
    )
    assert code == 0, err
    summaries = [json.loads((r / "summary.json").read_text(encoding="utf-8")) for r in runs]

    # every figure equals the summary's value exactly, and the terminal shows it
    table = compare.run_table(compare.load_runs(runs))
    for (_label, key), row in zip(compare.FIGURES, table.itertuples(index=False), strict=True):
        for summary, value in zip(summaries, row[2:], strict=True):
            assert value == compare.figure(summary, key), key
            assert compare.shown(value) in out, key
    assert compare.figure(summaries[0], "cost_cny.temporary") == summaries[0]["cost_cny"][
        "temporary"
    ]
    assert "base" in out.splitlines()[0] and "small" in out.splitlines()[0]

    # --out: UTF-8 with BOM, round-trips to the same numbers
    assert table_csv.read_bytes().startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(table_csv, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(back.columns) == ["figure", "key", "base", "small"]
    for _, row in back.iterrows():
        for name, summary in zip(("base", "small"), summaries, strict=True):
            want = compare.figure(summary, row["key"])
            if isinstance(want, bool) or want is None:
                assert row[name] == ("" if want is None else str(want)), row["key"]
            elif isinstance(want, int | float):
                assert float(row[name]) == want, row["key"]
            else:
                assert row[name] == str(want), row["key"]

    # per-interval differences: the second run minus the first
    iv = pd.read_csv(intervals_csv, encoding="utf-8-sig")
    coverage = [pd.read_csv(r / "coverage.csv") for r in runs]
    assert len(iv) == len(coverage[0])
    assert iv["small shortfall"].tolist() == pytest.approx(coverage[1]["shortfall"].tolist())
    diff = coverage[1]["scheduled"] - coverage[0]["scheduled"]
    assert iv["small scheduled - base"].tolist() == pytest.approx(diff.tolist())

    # outputs exist now: refused without --overwrite, nothing touched
    before = table_csv.read_bytes()
    code, _out, err = run_cli(capsys, "compare", *map(str, runs), "--out", str(table_csv))
    assert code == 2 and "--overwrite" in err and len(err.strip().splitlines()) == 1
    assert table_csv.read_bytes() == before
    # an output inside a run is refused before any work
    code, _out, err = run_cli(capsys, "compare", *map(str, runs), "--out", str(runs[0] / "x.csv"))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert not (runs[0] / "x.csv").exists()


def test_interval_differences_cover_the_common_horizon(tmp_path, capsys):
    a = _fake_run(tmp_path / "a", _summary("A", 100.0), _coverage("2026-11-10", 6, 4.0))
    b = _fake_run(tmp_path / "b", _summary("B", 80.25), _coverage("2026-11-10T01:00", 6, 3.5))
    iv_path = tmp_path / "iv.csv"
    code, out, err = run_cli(capsys, "compare", str(a), str(b), "--intervals", str(iv_path))
    assert code == 0, err
    assert "80.25" in out and "100.0" in out and "n/a" in out and "yes" in out
    assert "horizons differ" in err and "4 intervals" in err
    iv = pd.read_csv(iv_path, encoding="utf-8-sig")
    assert iv["timestamp"].iloc[0] == "2026-11-10T01:00:00" and len(iv) == 4
    assert (iv["b scheduled - a"] == -0.5).all() and (iv["b shortfall - a"] == 0).all()


def test_same_directory_names_are_told_apart(tmp_path):
    a = _fake_run(tmp_path / "x" / "run", _summary("A", 1.0), _coverage("2026-11-10", 2, 1.0))
    b = _fake_run(tmp_path / "y" / "run", _summary("B", 2.0), _coverage("2026-11-10", 2, 1.0))
    assert [r.name for r in compare.load_runs([a, b])] == ["run", "run (2)"]


@pytest.mark.parametrize("case", ["plain", "review", "edited", "missing", "one"])
def test_refused_directories_exit_2_one_line(tmp_path, capsys, case):
    good = _fake_run(tmp_path / "good", _summary("A", 1.0), _coverage("2026-11-10", 2, 1.0))
    bad = tmp_path / "bad"
    if case == "plain":
        bad.mkdir()
        (bad / "summary.json").write_text("{}", encoding="utf-8")
    elif case == "review":
        _fake_run(bad, _summary("A", 1.0), _coverage("2026-11-10", 2, 1.0), kind="review")
    elif case == "edited":
        _fake_run(bad, _summary("A", 1.0), _coverage("2026-11-10", 2, 1.0))
        (bad / "summary.json").write_text(json.dumps(_summary("A", 0.0)), encoding="utf-8")
    out_csv = tmp_path / "cmp.csv"
    argv = [str(good)] if case == "one" else [str(good), str(bad)]
    code, _out, err = run_cli(capsys, "compare", *argv, "--out", str(out_csv))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("peakplan: error:")
    if case != "one":
        assert str(bad) in lines[0]
    if case == "review":
        assert "review" in lines[0]
    assert not out_csv.exists()


@pytest.mark.slow
def test_compare_the_four_bundled_variants(capsys, tiny):
    """Acceptance 1 on the bundled variants (base, high_volume, more_bot, small_temp_pool), run on
    the tiny horizon: every figure of the table equals that run's summary.json."""
    names = ("base", "high_volume", "more_bot", "small_temp_pool")
    runs = [tiny["dir"] / name for name in names]
    for name, out in zip(names, runs, strict=True):
        code, _out, err = run_cli(capsys, "run", str(tiny["scenario"]), "--variant", name,
                                  "--out", str(out), "--quiet", "--time-limit", "2")
        assert code == 0, err
    code, out, err = run_cli(capsys, "compare", *map(str, runs))
    assert code == 0, err
    summaries = [json.loads((r / "summary.json").read_text(encoding="utf-8")) for r in runs]
    assert [s["scenario"]["variant"] for s in summaries] == list(names)
    table = compare.run_table(compare.load_runs(runs))
    for (_label, key), row in zip(compare.FIGURES, table.itertuples(index=False), strict=True):
        for summary, value in zip(summaries, row[2:], strict=True):
            assert value == compare.figure(summary, key), key
            assert compare.shown(value) in out, key
    high, base = summaries[1]["service"]["volume_total"], summaries[0]["service"]["volume_total"]
    assert high == pytest.approx(1.2 * base, rel=1e-3)


def test_schema_2_summary_is_checked_by_the_run_summary_model(tmp_path, capsys):
    """A schema_version 2 summary is read through scenarios.summary_model: one that the model
    refuses (a field of the wrong type) is one line naming the file and the field."""
    good = _fake_run(tmp_path / "good", _summary("A", 1.0), _coverage("2026-11-10", 2, 1.0))
    bad_summary = {**_summary("B", 2.0), "schema_version": 2}
    bad = _fake_run(tmp_path / "bad", bad_summary, _coverage("2026-11-10", 2, 1.0))
    code, _out, err = run_cli(capsys, "compare", str(good), str(bad))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "bad" in lines[0] and "summary.json: field '" in lines[0]
