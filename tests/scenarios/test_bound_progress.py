"""The opt-in LP bound takes about as long again as the solve: the run says when it starts."""

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
