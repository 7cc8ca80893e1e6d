"""Progress lines a user reads while a run works: the opt-in LP bound says when it starts (it
takes about as long again as the solve); the forecast names the last history hour it learns from."""

from __future__ import annotations

import sys
from pathlib import Path

from scenarios.pipeline import roster_step
from scheduler.roster.schema import SolverConfig

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scheduler"))
from roster_factory import make_problem  # noqa: E402


def _lines(lp_bound: bool) -> tuple[list[str], object]:
    said: list[str] = []
    config = SolverConfig(time_limit_s=5, num_workers=1, random_seed=0, lp_bound=lp_bound)
    outcome = roster_step(make_problem(days=1), config, log=said.append)
    return said, outcome


def test_the_bound_announces_itself_before_it_runs():
    said, outcome = _lines(True)
    assert outcome.lp_bound_cny is not None
    assert len(said) == 1 and said[0].startswith("bound: HiGHS LP lower bound for the gap, 48 ")
    assert "lp_bound = false skips it" in said[0]


def test_no_bound_no_line():
    said, outcome = _lines(False)
    assert outcome.lp_bound_cny is None
    assert said == []


def test_the_training_line_names_the_last_hour_learned_from_and_a_stale_history():
    import pandas as pd

    from scenarios.pipeline import _training_line

    last = pd.Timestamp("2026-11-30 23:00")
    stale = _training_line(last, pd.Timestamp("2027-05-20 23:00").to_pydatetime(),
                           pd.Timestamp("2027-06-01").to_pydatetime(),
                           pd.Timestamp("2027-06-18").to_pydatetime())
    assert stale == ("forecast: training to 2026-11-30 23:00 (the history's last row; train_end "
                     "2027-05-20 23:00), horizon 2027-06-01..2027-06-18; the plan starts 182 days "
                     "after the history ends")
    fresh = _training_line(pd.Timestamp("2026-10-19 23:00"),
                           pd.Timestamp("2026-10-19 23:00").to_pydatetime(),
                           pd.Timestamp("2026-11-01").to_pydatetime(),
                           pd.Timestamp("2026-11-14").to_pydatetime())
    assert fresh == "forecast: training to 2026-10-19 23:00, horizon 2026-11-01..2026-11-14"


def test_the_gap_parts_add_up_to_the_objective_and_its_gap():
    from scenarios.run_summary import gap_parts

    _said, outcome = _lines(True)
    parts = gap_parts(outcome)
    assert set(parts) == {"permanent_overtime", "part_time", "temporary", "shortfall",
                          "overstaff"}
    roster = sum(p["roster_cny"] for p in parts.values())
    assert abs(roster - outcome.report.total_cost_cny) < 0.05
    gap = sum(p["gap_cny"] for p in parts.values())
    assert abs(gap - (outcome.report.total_cost_cny - outcome.lp_bound_cny)) < 0.05
