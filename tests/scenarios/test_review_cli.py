"""``peakplan review`` end to end on the bundled Double 11 2026 actuals (acceptance 1, 4, 6).

One short run of the demo scenario (5 s roster, 1 worker, no LP bound) is shared by the module;
the reviews skip the hindsight solve except one that runs it with a 2 s limit.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from scenarios.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "data" / "sample" / "double11-2026.toml"
ACTUALS = ROOT / "data" / "sample" / "actuals"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("review") / "run"
    code = main(["run", str(SCENARIO), "--out", str(out), "--time-limit", "5", "--workers", "1",
                 "--no-lp-bound", "--quiet"])
    assert code == 0
    return out


@pytest.fixture(scope="module")
def review_dir(run_dir: Path) -> Path:
    out = run_dir.parent / "review"
    code = main(["review", "--run", str(run_dir), "--actuals", str(ACTUALS), "--out", str(out),
                 "--no-hindsight"])
    assert code == 0
    return out


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"agent_id": str}, encoding="utf-8-sig")


def test_review_names_worst_slots_type_and_agents(review_dir: Path, capsys) -> None:
    review = json.loads((review_dir / "review.json").read_text(encoding="utf-8"))
    slots = review["worst_slots"]
    assert len(slots) == 3
    assert slots[0]["label"] == "11-11 00:00–02:00"  # the 0:00 peak collapses first
    assert [s["lost_inquiries"] for s in slots] == sorted(
        (s["lost_inquiries"] for s in slots), reverse=True)
    assert all(s["three_min_rate"] < 0.95 for s in slots)
    types = _csv(review_dir / "breakdown_types.csv")
    assert review["worst_question_types"][0]["question_type"] == types.iloc[0]["question_type"]
    assert types["response_miss_s"].iloc[0] == types["response_miss_s"].max() > 0
    agents = _csv(review_dir / "breakdown_agents.csv")
    slowest = agents[agents["flag"] == "slowest"]
    assert len(slowest) == 3
    assert [a["agent_id"] for a in review["slowest_agents"]] == list(slowest["agent_id"])
    eligible = agents[agents["handled_chats"] >= 50]
    assert slowest["avg_response_s"].min() >= eligible["avg_response_s"].quantile(0.9)
    report = (review_dir / "report.md").read_text(encoding="utf-8")
    assert "11-11 00:00–02:00" in report and slowest["agent_id"].iloc[0] in report
    html = (review_dir / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") >= 4 and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")


def test_review_files_marker_findings_and_attribution(review_dir: Path) -> None:
    marker = json.loads((review_dir / ".peakplan-run.json").read_text(encoding="utf-8"))
    assert marker["kind"] == "review"
    names = {p.name for p in review_dir.iterdir() if not p.name.startswith(".")}
    assert names == set(marker["files"])
    assert {"findings.csv", "tracking.csv", "events_suggested.csv", "report.html"} <= names
    attribution = pd.read_csv(review_dir / "attribution.csv")
    ok = attribution["miss"].notna()
    parts = attribution.loc[ok, ["schedule", "volume", "handle_time", "execution", "other"]]
    assert (parts.sum(axis=1) - attribution.loc[ok, "miss"]).abs().max() < 1e-3  # rounded CSV
    findings = _csv(review_dir / "findings.csv")
    assert list(findings["rank"]) == list(range(1, len(findings) + 1))
    assert findings["priority"].is_monotonic_decreasing
    assert set(findings["deadline_class"]) <= {"2 days", "1 week", "2 weeks"}
    assert findings["acceptance"].str.contains("→").all()
    assert (review_dir / "tracking.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    events = _csv(review_dir / "events_suggested.csv")
    assert list(events.columns) == ["event", "phase", "start", "end", "uplift"]
    peak = events.loc[events["phase"] == "peak", "uplift"].item()
    main_day = events.loc[events["phase"] == "main", "uplift"].item()
    assert peak > main_day > 1


def test_next_review_fills_after_from_its_own_actuals(run_dir: Path, review_dir: Path,
                                                      tmp_path: Path) -> None:
    before = (review_dir / "tracking.csv").read_bytes()
    actuals = tmp_path / "actuals"
    shutil.copytree(ACTUALS, actuals)
    hourly = pd.read_csv(actuals / "hourly.csv", dtype=str, encoding="utf-8-sig")
    rate_column = next(c for c in hourly.columns if "three_min" in c)
    hourly[rate_column] = "1.0"  # a perfect next event
    hourly.to_csv(actuals / "hourly.csv", index=False, encoding="utf-8-sig")
    out = tmp_path / "next"
    code = main(["review", "--run", str(run_dir), "--actuals", str(actuals), "--out", str(out),
                 "--no-hindsight", "--previous", str(review_dir)])
    assert code == 0
    assert (review_dir / "tracking.csv").read_bytes() == before
    previous = _csv(out / "tracking_previous.csv")
    rate = previous[previous["metric"] == "three_min_rate"]
    assert not rate.empty
    assert (rate["after"] == 1.0).all() and (rate["met"] == "yes").all()
    same = previous[previous["metric"] == "avg_response_s"]
    assert (same["after"] - same["before"]).abs().max() < 1e-3
    review = json.loads((out / "review.json").read_text(encoding="utf-8"))
    assert review["tracking_previous"]["met"] >= len(rate)


@pytest.mark.parametrize("case", ["missing_column", "duplicate_hour", "negative", "missing_day"])
def test_bad_actuals_one_line_exit_2_nothing_written(
    run_dir: Path, tmp_path: Path, capsys, case: str
) -> None:
    actuals = tmp_path / "actuals"
    shutil.copytree(ACTUALS, actuals)
    hourly = pd.read_csv(actuals / "hourly.csv", dtype=str, encoding="utf-8-sig")
    if case == "missing_column":
        hourly = hourly.drop(columns=hourly.columns[1])
    elif case == "duplicate_hour":
        hourly.iloc[5, 0] = hourly.iloc[4, 0]
    elif case == "negative":
        hourly.iloc[7, 1] = "-3"
    else:
        hourly = hourly[~hourly.iloc[:, 0].str.startswith("2026-11-05")]
    hourly.to_csv(actuals / "hourly.csv", index=False, encoding="utf-8-sig")
    out = tmp_path / "review"
    code = main(["review", "--run", str(run_dir), "--actuals", str(actuals), "--out", str(out),
                 "--no-hindsight"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and err[0].startswith("peakplan: error: ")
    assert "hourly.csv" in err[0]
    if case != "missing_column":
        assert "row" in err[0]
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if ".peakplan-" in p.name]


def test_output_refused_before_any_work(run_dir: Path, review_dir: Path, tmp_path: Path,
                                        capsys) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "mine.txt").write_text("keep", encoding="utf-8")
    for out in (notes, run_dir, run_dir / "sub", ACTUALS):
        code = main(["review", "--run", str(run_dir), "--actuals", str(ACTUALS), "--out",
                     str(out), "--no-hindsight"])
        assert code == 2
        assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert (notes / "mine.txt").read_text(encoding="utf-8") == "keep"
    assert not (run_dir / "sub").exists()
    code = main(["review", "--run", str(run_dir), "--actuals", str(ACTUALS), "--out",
                 str(tmp_path / "x"), "--time-limit", "0"])
    assert code == 2 and "--time-limit" in capsys.readouterr().err


def test_review_replaces_earlier_review_and_runs_hindsight(run_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "again"
    args = ["review", "--run", str(run_dir), "--actuals", str(ACTUALS), "--out", str(out)]
    assert main([*args, "--no-hindsight"]) == 0
    assert main([*args, "--hindsight", "--time-limit", "2"]) == 0
    review = json.loads((out / "review.json").read_text(encoding="utf-8"))
    assert review["hindsight"] is not None and review["hindsight"]["cost_cny"] > 0
    assert "Hindsight" in (out / "report.md").read_text(encoding="utf-8")


def test_interrupt_while_writing_leaves_nothing(run_dir: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from scenarios import io
    from scenarios.review import run_review as rr

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(io, "write_json", interrupted)
    out = tmp_path / "cut"
    with pytest.raises(KeyboardInterrupt):
        rr.run_review(run_dir, ACTUALS, out, hindsight=False)
    assert list(tmp_path.iterdir()) == []


def _chinese_gbk_copy(folder: Path) -> None:
    """Rewrite every actuals CSV of ``folder`` in GBK with Chinese headers (acceptance 3)."""
    from scenarios.review.headers import FIELDS, match_headers

    for kind, name in (("intervals", "hourly.csv"), ("question_types", "question_types.csv"),
                       ("agents", "agents.csv")):
        frame = pd.read_csv(folder / name, dtype=str, encoding="utf-8-sig",
                            keep_default_na=False)
        mapping, _unknown = match_headers(frame.columns, kind)
        chinese = {f.name: next(a for a in f.aliases if not a.isascii()) for f in FIELDS[kind]}
        frame = frame.rename(columns={header: chinese[field] for field, header in mapping.items()})
        (folder / name).write_bytes(frame.to_csv(index=False).encode("gbk"))


def test_gbk_chinese_headers_give_identical_review(run_dir: Path, review_dir: Path,
                                                   tmp_path: Path) -> None:
    actuals = tmp_path / "actuals"
    shutil.copytree(ACTUALS, actuals)
    _chinese_gbk_copy(actuals)
    assert not (actuals / "hourly.csv").read_bytes().isascii()
    out = tmp_path / "zh"
    assert main(["review", "--run", str(run_dir), "--actuals", str(actuals), "--out", str(out),
                 "--no-hindsight"]) == 0
    for path in review_dir.iterdir():
        if path.name.startswith("."):
            continue
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name


def test_hindsight_defaults_to_the_runs_own_time_limit(tmp_path):
    """Without --time-limit the hindsight roster gets the run's limit, so the costs compare."""
    from scenarios.review.run_review import run_time_limit

    (tmp_path / "summary.json").write_text('{"solver": {"time_limit_s": 45.0}}', encoding="utf-8")
    assert run_time_limit(tmp_path) == 45.0
    (tmp_path / "summary.json").write_text('{"solver": {}}', encoding="utf-8")
    assert run_time_limit(tmp_path) == 60.0
    assert run_time_limit(tmp_path / "absent") == 60.0


def test_actuals_of_another_period_are_one_line(run_dir, tmp_path, capsys):
    """Actuals that do not overlap the run's horizon: one line naming both periods, exit 2."""
    actuals = tmp_path / "actuals"
    actuals.mkdir()
    hourly = pd.read_csv(ACTUALS / "hourly.csv", dtype=str, encoding="utf-8-sig")
    hourly["timestamp"] = hourly["timestamp"].str.replace("2026-11-", "2025-11-", regex=False)
    hourly.to_csv(actuals / "hourly.csv", index=False)
    out = tmp_path / "review"
    code = main(["review", "--run", str(run_dir), "--actuals", str(actuals), "--out", str(out),
                 "--no-hindsight"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and not out.exists()
    assert err == [f"peakplan: error: actuals: actuals 2025-11-01..2025-11-14 do not overlap the "
                   f"run {run_dir.name} (2026-11-01..2026-11-14)"]


def test_a_rule_breaking_hindsight_roster_is_said(monkeypatch, capsys, tmp_path):
    """The hindsight cost compares with the plan only when its roster keeps the rules: when it
    does not, review says so on stderr (the figures stay in review.json / review.md)."""
    from types import SimpleNamespace

    from scenarios.review import run_review as rr

    review = {"event": {"scenario": "s"}, "totals": {
        "three_min_rate": 0.9, "target_three_min_rate": 0.95, "lost_inquiries": 10.0,
        "lost_cny": 100.0}, "worst_slots": [], "worst_question_types": [],
        "slowest_agents": [], "findings": 0,
        "hindsight": {"violations": 3, "violated_rules": "weekly_min_hours 3"}}
    monkeypatch.setattr(rr, "run_review", lambda *a, **k: SimpleNamespace(
        review=review, out_dir=tmp_path))
    assert main(["review", "--run", str(tmp_path), "--actuals", str(tmp_path), "--out",
                 str(tmp_path / "r")]) == 0
    err = capsys.readouterr().err
    assert "hindsight roster breaks rules (weekly_min_hours 3)" in err
    review["hindsight"] = {"violations": 0, "violated_rules": ""}
    assert main(["review", "--run", str(tmp_path), "--actuals", str(tmp_path), "--out",
                 str(tmp_path / "r")]) == 0
    assert "hindsight" not in capsys.readouterr().err
