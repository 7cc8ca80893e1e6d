"""Violations are never quiet (issue 22): a roster the independent validator flags makes `run`
and `roster` exit 3 after writing their outputs, naming rule, count and agents on stderr; with
``[rules] soft_weekly_minimums = true`` missed weekly minimums alone are a warning and exit 0,
recorded in summary.json.

The violating roster is real: part-timers P001 and P002 get a weekly minimum (10 h, 2.86 h in
the 2-day horizon) that the solver meets, and every shift of theirs is then dropped from its
result, so the unchanged validator finds each below the minimum (``weekly_min_hours``).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from scenarios import pipeline
from scenarios.cli import EXIT_VIOLATIONS, main
from scenarios.frontier import frontier_table
from scenarios.summary_model import Validation
from scenarios.violations import report_violations, rule_line

DROPPED = ("P001", "P002")
SOLVER = ("--time-limit", "3", "--seed", "0", "--workers", "1", "--no-lp-bound", "--quiet",
          # a whole Mon-Sun week: weekly minimums hold in whole calendar weeks only
          "--set", "campaign.start=2026-10-26", "--set", "campaign.end=2026-11-01")


@pytest.fixture()
def short_of_minimums(tiny, monkeypatch):
    """The tiny scenario with P001/P002 at a 10 h weekly minimum and their shifts dropped."""
    agents = pd.read_csv(tiny["agents"], dtype=str, encoding="utf-8-sig", keep_default_na=False)
    agents.loc[agents["agent_id"].isin(DROPPED), "min_hours_per_week"] = "10"
    agents.to_csv(tiny["agents"], index=False, encoding="utf-8-sig")
    solve = pipeline.solve_roster

    def without_their_shifts(problem, config, on_progress=None):
        result = solve(problem, config, on_progress)
        kept = [a for a in result.assignments if a.agent_id not in DROPPED]
        assert {a.agent_id for a in result.assignments} >= set(DROPPED)  # minimum met first
        return result.model_copy(update={"assignments": kept})

    monkeypatch.setattr(pipeline, "solve_roster", without_their_shifts)
    return tiny


def _run(capsys, tiny, out, *extra: str) -> tuple[int, str, dict]:
    code = main(["run", str(tiny["scenario"]), "--out", str(out), *SOLVER, *extra])
    err = capsys.readouterr().err
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return code, err, summary


def test_run_and_roster_with_violations_exit_3_after_writing(capsys, short_of_minimums):
    tiny = short_of_minimums
    out = tiny["dir"] / "run"
    code, err, summary = _run(capsys, tiny, out)
    assert code == EXIT_VIOLATIONS == 3, err
    line = "peakplan: violation weekly_min_hours: 2 (agents P001, P002)"
    assert line in err.splitlines(), err
    assert "soft_weekly_minimums" not in err  # refused, not a warning
    validation = summary["validation"]
    assert validation["ok"] is False and validation["accepted"] is False
    assert validation["by_rule"] == {"weekly_min_hours": 2}
    assert validation["agents"] == {"weekly_min_hours": ["P001", "P002"]}
    assert validation["soft_rules"] == []
    roster = pd.read_csv(out / "roster.csv", dtype=str, encoding="utf-8-sig")
    assert len(roster) and not roster["agent_id"].isin(DROPPED).any()  # written for review

    target = tiny["dir"] / "roster-only.csv"
    code = main(["roster", "--requirements", str(out / "requirements.csv"), "--scenario",
                 str(tiny["scenario"]), "--out", str(target), *SOLVER])
    printed, err = capsys.readouterr()
    assert code == EXIT_VIOLATIONS, err
    assert line in err.splitlines(), err
    assert "validator: 2 violations" in printed
    assert target.exists() and (tiny["dir"] / "coverage.csv").exists()


def test_soft_weekly_minimums_exit_0_with_a_warning_and_the_summary_says_so(
    capsys, short_of_minimums
):
    tiny = short_of_minimums
    out = tiny["dir"] / "soft"
    code, err, summary = _run(capsys, tiny, out, "--set", "rules.soft_weekly_minimums=true")
    assert code == 0, err
    assert "peakplan: warning:   weekly_min_hours: 2 (agents P001, P002)" in err.splitlines()
    assert "soft_weekly_minimums = true" in err
    assert "peakplan: violation" not in err
    validation = summary["validation"]
    assert validation["ok"] is False and validation["accepted"] is True
    assert validation["soft_rules"] == ["weekly_min_hours", "temp_weekly_min_hours"]
    assert validation["agents"] == {"weekly_min_hours": ["P001", "P002"]}
    assert summary["scenario"]["overrides"]["rules.soft_weekly_minimums"] is True


def _validation(by_rule: dict[str, int], agents: dict[str, list[str]], soft=()) -> dict:
    return {"ok": not by_rule, "violations": sum(by_rule.values()), "by_rule": by_rule,
            "agents": agents, "first": ["min_rest 003 2026-10-28: 9.00 h rest"],
            "soft_rules": list(soft), "accepted": all(r in soft for r in by_rule)}


def test_report_lines_name_rule_count_and_agents():
    assert rule_line("min_rest", 1, []) == "min_rest: 1"
    many = [f"P{i:03d}" for i in range(1, 8)]
    assert rule_line("weekly_min_hours", 9, many) == (
        "weekly_min_hours: 9 (agents P001, P002, P003, P004, P005, … 7 in all)"
    )
    lines: list[str] = []
    mixed = _validation({"weekly_min_hours": 2, "min_rest": 1},
                        {"weekly_min_hours": ["P001", "P002"], "min_rest": ["003"]},
                        soft=("weekly_min_hours", "temp_weekly_min_hours"))
    assert report_violations(mixed, lines.append) == EXIT_VIOLATIONS  # a hard rule remains
    assert "peakplan: violation min_rest: 1 (agents 003)" in lines
    assert "peakplan: warning:   weekly_min_hours: 2 (agents P001, P002)" in lines
    assert not any(x.startswith("peakplan: violation weekly_min_hours") for x in lines)
    lines.clear()
    assert report_violations(_validation({}, {}), lines.append) == 0 and lines == []


def test_older_summaries_read_accepted_as_ok():
    old = Validation.model_validate({"ok": False, "violations": 1, "by_rule": {"min_rest": 1},
                                     "first": ["min_rest 003: 9 h"]})
    assert (old.accepted, old.soft_rules, old.agents) == (False, [], {})
    assert Validation.model_validate({"ok": True, "violations": 0, "by_rule": {},
                                      "first": []}).accepted is True


def test_frontier_table_marks_a_value_with_violations():
    def summary(validation: dict) -> dict:
        return {"cost_cny": {"wages_total": 100.0}, "service": {"expected_service_level": 0.8},
                "validation": validation}

    table = frontier_table(
        "service.service_level", [0.8, 0.9], ["a", "b"],
        [summary(_validation({}, {})),
         summary(_validation({"weekly_min_hours": 2, "min_rest": 1}, {},
                             soft=("weekly_min_hours",)))],
    )
    assert table["violations"].tolist() == [0, 3]
    assert table["violated_rules"].tolist() == ["", "min_rest 1; weekly_min_hours 2 (accepted)"]


def test_sweeps_name_each_run_with_violations_and_exit_3_unless_accepted(capsys):
    from scenarios.cli_sweeps import report_sweep_violations

    clean = {"validation": _validation({}, {})}
    hard = {"validation": _validation({"min_rest": 1}, {"min_rest": ["003"]})}
    soft = {"validation": _validation({"weekly_min_hours": 1}, {"weekly_min_hours": ["P001"]},
                                      soft=("weekly_min_hours",))}
    assert report_sweep_violations(["a", "b", "c"], [clean, hard, soft]) == EXIT_VIOLATIONS
    err = capsys.readouterr().err.splitlines()
    assert "peakplan: b: violation min_rest: 1 (agents 003)" in err
    assert "peakplan: c: warning:   weekly_min_hours: 1 (agents P001)" in err
    assert not any(line.startswith("peakplan: a:") for line in err)
    assert report_sweep_violations(["a", "c"], [clean, soft]) == 0


def test_help_documents_the_exit_code():
    from scenarios.cli_args import build_parser

    text = build_parser().format_help()
    assert f"  {EXIT_VIOLATIONS}    the roster breaks a labour rule" in text
    assert "soft_weekly_minimums" in text
