"""Regular shifts (issue 22): ``max_start_spread_hours`` bounds the clock-time spread of a named
agent's shift starts per calendar week; the solver keeps it, the validator checks it."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
from roster_factory import make_problem

from scheduler.roster import solve_roster
from scheduler.roster.checks.validator import roster_frame_from_assignments, validate_roster
from scheduler.roster.instance.start_windows import best_anchor
from scheduler.roster.schema import LabourRules, SolverConfig


def _row(agent: str, start: str, hours: float = 4.0) -> dict:
    s = datetime.fromisoformat(start)
    return {"agent_id": agent, "agent_name": agent, "agent_type": "part_time", "date": s.date(),
            "shift_start": s, "shift_end": s + timedelta(hours=hours), "breaks": "",
            "paid_hours": hours, "cost_cny": hours * 35.0}


def _spread_violations(problem, rows) -> list[str]:
    report = validate_roster(problem, pd.DataFrame(rows))
    return [v.message for v in report.violations if v.rule == "start_time_spread"]


def test_validator_measures_the_spread_around_the_clock():
    problem = make_problem(n_perm=0, n_part=1, days=7, temp_max=0,
                           rules=LabourRules(max_start_spread_hours=4, min_rest_hours=8))
    late = [_row("T000", "2026-11-02 22:00"), _row("T000", "2026-11-04 01:00")]
    assert _spread_violations(problem, late) == []  # 22:00 and 01:00: 3 h across midnight
    wide = [_row("T000", "2026-11-02 08:00"), _row("T000", "2026-11-03 09:00"),
            _row("T000", "2026-11-04 13:00")]
    msgs = _spread_violations(problem, wide)
    assert len(msgs) == 1 and "spread over 5 h (08:00, 09:00, 13:00), max 4 h" in msgs[0]
    free = make_problem(n_perm=0, n_part=1, days=7, temp_max=0)
    assert _spread_violations(free, wide) == []  # no rule, no check


def test_best_anchor_picks_the_window_holding_most_minutes():
    starts = np.array([480, 540, 780, 1380])
    assert best_anchor(starts, np.array([1.0, 1.0, 1.0, 1.0]), 240) == 480
    assert best_anchor(starts, np.array([1.0, 1.0, 5.0, 1.0]), 240) == 540
    assert best_anchor(np.array([1380, 60]), np.ones(2), 180) == 1380  # across midnight


def test_solver_keeps_every_named_agent_inside_a_four_hour_window():
    problem = make_problem(n_perm=6, n_part=3, days=7, temp_max=2, peak_day=3,
                           rules=LabourRules(max_start_spread_hours=4))
    result = solve_roster(problem, SolverConfig(time_limit_s=10, num_workers=1, random_seed=0))
    report = validate_roster(problem, roster_frame_from_assignments(result.assignments))
    assert report.ok, report.summary()
    starts: dict[str, set[int]] = defaultdict(set)
    for r in result.assignments:
        if r.agent_type != "temporary":
            starts[r.agent_id].add(r.shift_start.hour * 60 + r.shift_start.minute)
    assert starts and all(max(s) - min(s) <= 240 or _wraps(s) for s in starts.values())


def _wraps(clock: set[int]) -> bool:
    c = sorted(clock)
    gaps = [b - a for a, b in zip(c, c[1:], strict=False)] + [c[0] + 1440 - c[-1]]
    return 1440 - max(gaps) <= 240
