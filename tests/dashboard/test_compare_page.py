"""The Compare page (issue 19 point 7) and its data/chart helpers: real tiny runs (one solver
worker, 1-second limit) in a runs folder with a ``peakplan frontier``-style sweep, and hand-made
runs (marker written like a run, nothing solved) for exact dominance and broken folders."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from tiny_scenario import tiny_files

from dashboard.compare_charts import difference_chart, frontier_chart, scheduled_chart
from dashboard.compare_data import (
    SWEEP_MARKER,
    comparison_fingerprint,
    default_selection,
    display_table,
    download_bytes,
    find_runs,
    find_sweeps,
    frontier_points,
    interval_differences,
    load_comparison,
    open_runs,
    scheduled_by_run,
    shown,
)
from scenarios.compare import FIGURES, figure
from scenarios.output import RUN_MARKER, marker_bytes

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")


# ------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def runs_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``ROOT/out`` with a plain run ``base`` and, written after it, a ``peakplan frontier``
    sweep ``sweep/`` over forecast.volume_scale 1.3 and 0.5 (one worker, 1-second solves)."""
    from scenarios.cli import main
    from scenarios.pipeline import run_scenario
    from scheduler.roster.schema import SolverConfig

    root = tmp_path_factory.mktemp("compare")
    scenario = tiny_files(root)["scenario"]
    out = root / "out"
    run_scenario(scenario, out / "base", solver=SolverConfig(time_limit_s=1, num_workers=1))
    code = main(["frontier", str(scenario), "--param", "forecast.volume_scale", "--values",
                 "1.3,0.5", "--out", str(out / "sweep"), "--jobs", "1", "--time-limit", "1",
                 "--quiet"])  # fmt: skip
    assert code == 0
    return root


HIGH, LOW = "sweep/forecast.volume_scale=1.3", "sweep/forecast.volume_scale=0.5"


def _summary(path: Path) -> dict:
    return json.loads((path / "summary.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def template(runs_root: Path) -> Path:
    """A real run whose summary.json and coverage.csv the hand-made runs start from."""
    return runs_root / "out" / "base"


def _fake_run(
    path: Path, template: Path, wages: float, service: float, scheduled: float = 4.0
) -> Path:
    """A run directory made by hand from ``template`` (a real run): its summary with the wages
    (CNY) and service level (share) replaced, its coverage with ``scheduled`` agents everywhere,
    and a marker written like scenarios/output.py does; nothing is solved."""
    summary = _summary(template)
    summary["scenario"].update(variant=None, overrides={})
    summary["cost_cny"].update(wages_total=wages, objective_total=wages + 10.0)
    summary["service"].update(expected_service_level=service, target_service_level=0.8,
                              expected_three_min_rate=service + 0.05)  # fmt: skip
    summary["solver"].update(gap=0.0, deterministic=True)
    coverage = pd.read_csv(template / "coverage.csv").assign(scheduled=scheduled)
    contents = {
        "summary.json": json.dumps(summary, ensure_ascii=False).encode("utf-8"),
        "coverage.csv": coverage.to_csv(index=False).encode("utf-8"),
    }
    path.mkdir(parents=True)
    for name, data in contents.items():
        (path / name).write_bytes(data)
    (path / RUN_MARKER).write_bytes(marker_bytes(contents, kind="run"))
    return path


def _page(monkeypatch: pytest.MonkeyPatch, cwd: Path, selection: list[str] | None = None,
          lang: str = "en"):  # fmt: skip
    monkeypatch.chdir(cwd)
    monkeypatch.delenv("PEAKPLAN_RUN", raising=False)
    monkeypatch.delenv("PEAKPLAN_REVIEW", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("views/compare.py").run()
    if selection is not None:
        at.multiselect(key="compare_runs").set_value(selection).run()
    return at


def _frame(at: AppTest, column: str) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if column in df.value.columns)


# ------------------------------------------------------------------------------ page


@pytest.mark.slow
def test_page_defaults_to_the_sweep_and_shows_summary_figures(monkeypatch, runs_root):
    at = _page(monkeypatch, runs_root)
    assert not at.exception, at.exception
    assert not at.warning and not at.error, [w.value for w in at.warning]
    chosen = at.multiselect(key="compare_runs").value
    assert chosen == [HIGH, LOW]  # the newest sweep's runs, in its jobs' order
    table = _frame(at, "key")
    assert list(table.columns) == ["figure", "key", *chosen]
    assert list(table["key"]) == [key for _, key in FIGURES]
    for name in chosen:
        summary = _summary(runs_root / "out" / name)
        for key, cell in zip(table["key"], table[name], strict=True):
            assert cell == shown(figure(summary, key)), (name, key)
    wages = table.loc[table["key"] == "cost_cny.wages_total", chosen[1]].iloc[0]
    assert float(wages) == _summary(runs_root / "out" / chosen[1])["cost_cny"]["wages_total"]
    points = _frame(at, "dominated_by")
    assert list(points["run"]) == chosen
    assert list(points["label"]) == ["forecast.volume_scale=1.3", "forecast.volume_scale=0.5"]
    frontier = pd.read_csv(runs_root / "out" / "sweep" / "frontier.csv")  # peakplan frontier's
    assert list(points["dominated"]) == list(frontier["dominated"])
    assert list(points["wages_total_cny"]) == list(frontier["wages_total_cny"])
    assert len(at.get("vega_lite_chart")) == 4  # frontier, scheduled, 2 differences
    assert len(at.get("download_button")) == 2


@pytest.mark.slow
def test_page_compares_three_runs_with_interval_differences(monkeypatch, runs_root):
    chosen = ["base", HIGH, LOW]
    at = _page(monkeypatch, runs_root, chosen)
    assert not at.exception, at.exception
    assert list(_frame(at, "key").columns)[2:] == chosen
    specs = [c.proto.spec for c in at.get("vega_lite_chart")]
    assert "minus base" in specs[2] and "forecast.volume_scale=0.5" in specs[2]
    comparison = load_comparison([runs_root / "out" / c for c in chosen], runs_root / "out")
    diffs = interval_differences(list(comparison.runs), comparison.intervals)
    base = pd.read_csv(runs_root / "out" / "base" / "coverage.csv")
    high = pd.read_csv(runs_root / "out" / HIGH / "coverage.csv")
    got = diffs.loc[(diffs["run"] == HIGH) & (diffs["measure"] == "shortfall")]
    assert got["difference"].tolist() == pytest.approx(
        (high["shortfall"] - base["shortfall"]).tolist()
    )
    assert got["timestamp"].tolist() == pd.to_datetime(base["timestamp"]).tolist()
    assert (high["shortfall"] != base["shortfall"]).any()  # 30 % more volume changes something


def test_page_marks_the_dominated_run(template, monkeypatch, tmp_path):
    _fake_run(tmp_path / "out" / "cheap-good", template, wages=900.0, service=0.85)
    _fake_run(tmp_path / "out" / "dear-bad", template, wages=1000.0, service=0.80, scheduled=5.0)
    at = _page(monkeypatch, tmp_path, ["dear-bad", "cheap-good"])
    assert not at.exception, at.exception
    points = _frame(at, "dominated_by").set_index("run")
    assert points.loc["dear-bad", "dominated"] == True  # noqa: E712 (numpy bool)
    assert points.loc["dear-bad", "dominated_by"] == "cheap-good"
    assert points.loc["cheap-good", "dominated"] == False  # noqa: E712
    assert all(w in at.get("vega_lite_chart")[0].proto.spec for w in ("dominated", "frontier"))


def test_page_in_chinese(template, monkeypatch, tmp_path):  # issue 20 point 1
    _fake_run(tmp_path / "out" / "cheap-good", template, wages=900.0, service=0.85)
    _fake_run(tmp_path / "out" / "dear-bad", template, wages=1000.0, service=0.80, scheduled=5.0)
    at = _page(monkeypatch, tmp_path, ["dear-bad", "cheap-good"], lang="zh")
    assert not at.exception, at.exception
    assert [at.title[0].value, *(s.value for s in at.subheader)] == [
        "方案对比", "并列对比", "成本 vs 服务", "逐时段差异"]  # fmt: skip
    table = _frame(at, "指标")  # no `key` column: next line
    assert list(table.columns) == ["指标", "dear-bad", "cheap-good"]
    assert len(table) == len(FIGURES) and not table["指标"].str.contains("[A-Za-z]{3}").any()
    assert float(table.set_index("指标").loc["工资合计（元）", "cheap-good"]) == 900
    assert set(table["cheap-good"]) & {"yes", "no", "n/a", "FEASIBLE", "OPTIMAL"} == set()
    charts = at.get("vega_lite_chart")
    specs = [json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in charts]
    assert all(w in specs[0] for w in ("前沿上", "被占优", "工资")) and "减去 dear-bad" in specs[3]
    assert not any("on the frontier" in spec or "Local time" in spec for spec in specs)
    assert "下载" in at.get("download_button")[0].proto.label


def test_broken_run_is_a_one_line_warning_and_the_rest_show(template, monkeypatch, tmp_path):
    for i, wages in enumerate((900.0, 950.0)):
        _fake_run(tmp_path / "out" / f"ok{i}", template, wages=wages, service=0.8 + i / 100)
    broken = _fake_run(tmp_path / "out" / "broken", template, wages=1.0, service=0.99)
    (broken / "summary.json").write_text("{edited", encoding="utf-8")
    at = _page(monkeypatch, tmp_path, ["ok0", "broken", "ok1"])
    assert not at.exception, at.exception
    assert len(at.warning) == 1
    message = at.warning[0].value
    assert "`broken`" in message and "\n" not in message
    assert list(_frame(at, "key").columns)[2:] == ["ok0", "ok1"]
    assert len(at.get("vega_lite_chart")) == 4


def test_fewer_than_two_runs_is_an_info(template, monkeypatch, tmp_path):
    _fake_run(tmp_path / "out" / "only", template, wages=900.0, service=0.85)
    at = _page(monkeypatch, tmp_path)
    assert not at.exception and not at.error
    assert at.multiselect(key="compare_runs").value == ["only"]
    assert any("two or more runs" in i.value for i in at.info)
    assert not at.dataframe
    _fake_run(tmp_path / "out" / "gone", template, wages=950.0, service=0.8)
    at = _page(monkeypatch, tmp_path, ["only", "gone"])
    assert len(at.dataframe) > 0
    (tmp_path / "out" / "gone" / "summary.json").write_text("{edited", encoding="utf-8")
    at.run()  # one of the two is no longer readable: a warning and an info, no error
    assert not at.exception and not at.error
    assert len(at.warning) == 1 and "`gone`" in at.warning[0].value
    assert any("Fewer than two" in i.value for i in at.info)


def test_no_runs_folder_is_an_info(monkeypatch, tmp_path):
    at = _page(monkeypatch, tmp_path)
    assert not at.exception and not at.error
    assert at.multiselect(key="compare_runs").options == []
    assert any("two or more runs" in i.value for i in at.info)


# ------------------------------------------------------------------------------ data


def test_find_runs_and_sweeps_recursively_newest_first(template, tmp_path):
    out = tmp_path / "out"
    old = _fake_run(out / "old", template, 1.0, 0.5)
    deep = _fake_run(out / "group" / "sweep" / "a", template, 1.0, 0.5)
    _fake_run(out / "group" / "sweep" / "b", template, 1.0, 0.5)
    _fake_run(out / ".old.peakplan-staging-1-ab", template, 1.0, 0.5)  # hidden: being staged
    _fake_run(out / "group" / ".sweep.peakplan-old-9-x" / "c", template, 1.0, 0.5)
    (out / "group" / "sweep" / SWEEP_MARKER).write_text("{}", encoding="utf-8")
    os.utime(old / "summary.json", (1_000_000, 1_000_000))
    runs = find_runs(out)
    assert set(runs) == {old, deep, out / "group" / "sweep" / "b"} and runs[-1] == old
    assert find_sweeps(out) == [out / "group" / "sweep"]
    assert default_selection(runs, find_sweeps(out)) == [deep, out / "group" / "sweep" / "b"]
    assert default_selection(runs, []) == runs[:2]
    assert find_runs(tmp_path / "nowhere") == [] and find_sweeps(tmp_path / "nowhere") == []
    sweep = out / "group" / "sweep"  # the frontier directory itself typed as the folder
    assert find_sweeps(sweep) == [sweep]
    assert default_selection(find_runs(sweep), find_sweeps(sweep)) == [deep, sweep / "b"]


@pytest.mark.slow
def test_changing_the_folder_selects_that_folders_default(monkeypatch, runs_root):
    """Typing another folder (here the sweep itself) replaces the selection with that folder's
    default; a keyed multiselect would otherwise keep the first folder's choice."""
    at = _page(monkeypatch, runs_root, selection=["base", HIGH])
    at.text_input(key="compare_root").set_value(str(runs_root / "out" / "sweep")).run()
    assert not at.exception, at.exception
    assert at.multiselect(key="compare_runs").value == [
        "forecast.volume_scale=1.3", "forecast.volume_scale=0.5"]
    at.multiselect(key="compare_runs").set_value(["forecast.volume_scale=0.5"]).run()
    at.run()  # a rerun keeps the user's own choice
    assert at.multiselect(key="compare_runs").value == ["forecast.volume_scale=0.5"]


def test_open_runs_names_by_relative_path_and_reports_problems(template, tmp_path):
    out = tmp_path / "out"
    a = _fake_run(out / "s1" / "x", template, 1.0, 0.5)
    b = _fake_run(out / "s2" / "x", template, 2.0, 0.6)
    plain = out / "plain"
    plain.mkdir()
    (plain / "summary.json").write_text("{}", encoding="utf-8")
    runs, problems = open_runs([a, b, plain, out / "absent"], out)
    assert [r.name for r in runs] == ["s1/x", "s2/x"]
    assert [p[0] for p in problems] == ["plain", "absent"]
    assert RUN_MARKER in problems[0][1] and all("\n" not in p[1] for p in problems)


def test_frontier_points_and_dominance(template, tmp_path):
    out = tmp_path / "out"
    paths = [
        _fake_run(out / "a", template, wages=1000.0, service=0.80),
        _fake_run(out / "b", template, wages=900.0, service=0.85),  # dominates a and c
        _fake_run(out / "c", template, wages=950.0, service=0.85),
        _fake_run(
            out / "d", template, wages=1200.0, service=0.95
        ),  # dearer, better: on the frontier
    ]
    comparison = load_comparison(paths, out)
    points = comparison.points.set_index("run")
    assert points["dominated"].to_dict() == {"a": True, "b": False, "c": True, "d": False}
    assert points["dominated_by"].to_dict() == {"a": "b", "b": "", "c": "b", "d": ""}
    assert points.loc["d", "wages_total_cny"] == 1200.0
    assert (
        points.loc["a", "expected_three_min_rate"]
        == _summary(paths[0])["service"]["expected_three_min_rate"]
    )
    # a run without a service level is neither dominated nor dominating
    summary = json.loads((out / "a" / "summary.json").read_text(encoding="utf-8"))
    runs = list(comparison.runs)
    runs[1] = type(runs[1])("b", runs[1].path, {**summary, "service": {}})
    points = frontier_points(runs).set_index("run")
    assert pd.isna(points.loc["b", "expected_service_level"])
    assert points["dominated"].to_dict() == {"a": True, "b": False, "c": False, "d": False}
    assert points.loc["a", "dominated_by"] == "c"  # b no longer counts
    # b's roster breaks a rule it did not accept: it dominates nobody, c still dominates a
    runs[1] = type(runs[1])("b", runs[1].path, {**_summary(paths[1]), "validation": {
        "violations": 1, "by_rule": {"min_rest": 1}, "soft_rules": []}})
    points = frontier_points(runs).set_index("run")
    assert points["dominated"].to_dict() == {"a": True, "b": False, "c": False, "d": False}
    assert points.loc["a", "dominated_by"] == "c"


def test_table_is_the_summary_and_downloads_safely(template, tmp_path):
    out = tmp_path / "out"
    paths = [
        _fake_run(out / "=cmd", template, 1000.0, 0.8),
        _fake_run(out / "b", template, 900.0, 0.85),
    ]
    comparison = load_comparison(paths, out)
    assert comparison.problems == ()
    for path in paths:
        summary = _summary(path)
        for key, value in zip(comparison.table["key"], comparison.table[path.name], strict=True):
            assert value == figure(summary, key)
    text = display_table(comparison.table)
    assert text.loc[text["key"] == "solver.gap", "b"].iloc[0] == "0.0"
    assert text.loc[text["key"] == "hours.short_agent_hours", "b"].iloc[0] == repr(
        _summary(paths[1])["hours"]["short_agent_hours"]
    )
    assert (shown(None), shown(float("nan")), shown(False), shown(3)) == ("n/a", "n/a", "no", "3")
    assert text.loc[text["key"] == "solver.deterministic", "b"].iloc[0] == "yes"
    data = download_bytes(comparison.table)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(pd.io.common.BytesIO(data), encoding="utf-8-sig", dtype=str)
    assert list(back.columns) == ["figure", "key", "'=cmd", "b"]
    assert float(back.loc[back["key"] == "cost_cny.wages_total", "b"].iloc[0]) == 900.0


def test_fingerprint_changes_when_a_run_is_rewritten(template, tmp_path):
    run = _fake_run(tmp_path / "r", template, 1.0, 0.5)
    before = comparison_fingerprint([run])
    assert [name for name, _ in before[0][1]] == ["summary.json", "coverage.csv", RUN_MARKER]
    os.utime(run / "coverage.csv", (2_000_000, 2_000_000))
    assert comparison_fingerprint([run]) != before


def test_intervals_of_different_horizons_and_charts(template, tmp_path):
    out = tmp_path / "out"
    a = _fake_run(out / "a", template, 1000.0, 0.8, scheduled=4.0)
    b = _fake_run(out / "b", template, 900.0, 0.85, scheduled=6.0)
    cov = pd.read_csv(b / "coverage.csv").iloc[:24]  # b covers only the first day
    contents = {"summary.json": (b / "summary.json").read_bytes(),
                "coverage.csv": cov.to_csv(index=False).encode("utf-8")}  # fmt: skip
    (b / "coverage.csv").write_bytes(contents["coverage.csv"])
    (b / RUN_MARKER).write_bytes(marker_bytes(contents, kind="run"))
    comparison = load_comparison([a, b], out)
    assert "horizons differ" in comparison.intervals.note
    runs = list(comparison.runs)
    diffs = interval_differences(runs, comparison.intervals)
    assert len(diffs) == 2 * 24 and set(diffs["run"]) == {"b"}
    assert diffs.loc[diffs["measure"] == "scheduled", "difference"].eq(2.0).all()
    assert diffs.loc[diffs["measure"] == "shortfall", "difference"].eq(0.0).all()
    scheduled = scheduled_by_run(runs, comparison.intervals)
    assert scheduled["timestamp"].dtype.kind == "M" and len(scheduled) == 48
    spec = json.dumps(scheduled_chart(scheduled).to_dict())
    assert '"peak"' in spec
    spec = json.dumps(difference_chart(diffs, "a", "shortfall").to_dict())
    assert "shortfall (agents): minus a" in spec
    spec = json.dumps(frontier_chart(comparison.points).to_dict())
    assert "on the frontier" in spec and "target 80%" in spec


def test_unreadable_coverage_leaves_the_table(template, tmp_path):
    out = tmp_path / "out"
    a = _fake_run(out / "a", template, 1000.0, 0.8)
    b = _fake_run(out / "b", template, 900.0, 0.85)
    cov = pd.read_csv(b / "coverage.csv", dtype=str)
    cov.loc[3, "scheduled"] = "lots"
    contents = {"summary.json": (b / "summary.json").read_bytes(),
                "coverage.csv": cov.to_csv(index=False).encode("utf-8")}  # fmt: skip
    (b / "coverage.csv").write_bytes(contents["coverage.csv"])
    (b / RUN_MARKER).write_bytes(marker_bytes(contents, kind="run"))
    comparison = load_comparison([a, b], out)
    assert comparison.intervals is None and "scheduled is not a number" in (
        comparison.intervals_problem or ""
    )
    assert comparison.table is not None and len(comparison.runs) == 2
