"""The temp-release benchmark's cases are the shops it names: every edit applies to the bundled
scenario, the cut agent files hold the stated agents, and the plans span the stated dates."""

from __future__ import annotations

from datetime import date

import pytest

from benchmarks.temp_release_bench import CASES, case_files
from scenarios.agents import load_agents
from scenarios.load import load_scenario

EXPECTED = {  # case -> (agents, temp pool, first day, last day)
    "demo (Double 11, 80 agents, pool 50)": (80, 50, date(2026, 11, 1), date(2026, 11, 14)),
    "Double 12, first 44 agents, pool 20": (44, 20, date(2026, 12, 7), date(2026, 12, 16)),
    "Double 12, last 52 agents, pool 20": (52, 20, date(2026, 12, 1), date(2026, 12, 14)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_case_files_build_the_named_shop(tmp_path, name):
    rows, edits = CASES[name]
    sc = load_scenario(case_files(tmp_path / "case", rows, edits))
    agents, pool, first, last = EXPECTED[name]
    assert len(load_agents(sc.workforce.agents)) == agents
    assert sc.workforce.temporary.max_headcount == pool
    assert (sc.campaign.start, sc.campaign.end) == (first, last)
    if rows is not None:
        assert sc.service.concurrency == 4
