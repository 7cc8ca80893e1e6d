"""The gap's bound must bound the objective it is compared with (issue 22, an honest gap).

CP-SAT minimises the validator's objective plus the night-shift fairness term, so its bound is
a bound on that sum. With a fairness weight, a roster that pays the fairness penalty to avoid
shortfall has a validator objective below CP-SAT's (optimal) bound: "lower bound 1,100 CNY"
against an objective of 800. Hand-made case: a night agent (17:00-03:00) and a day agent
(07:00-17:00), night demand both nights, so the night agent works two nights (share 1, excess
1: 300 CNY of fairness) rather than leave six agent-hours short (1,200 CNY)."""

from __future__ import annotations

import sys
from datetime import time
from pathlib import Path

from scenarios.pipeline import roster_step
from scheduler.roster.schema import Agent, CostParams, SolverConfig

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scheduler"))
from roster_factory import make_problem  # noqa: E402


def _problem(fairness_cny: float):
    req = [1.0 if 8 <= k / 2 < 16 or k / 2 >= 20 or (k / 2 < 1 and d > 0) else 0.0
           for d in range(2) for k in range(48)]
    common = {"agent_type": "permanent", "contract_hours_per_week": 40, "min_hours_per_week": 0,
              "max_hours_per_week": 48, "hourly_cost_cny": 45.0}
    agents = (Agent(agent_id="A", name="night", available_from=time(17, 0),
                    available_to=time(3, 0), **common),
              Agent(agent_id="B", name="day", available_from=time(7, 0),
                    available_to=time(17, 0), **common))
    return make_problem(n_perm=2, n_part=0, days=2, temp_max=0, agents=agents,
                        required=tuple(req),
                        costs=CostParams(shortfall_cost_per_agent_hour_cny=200.0,
                                         fairness_weight_cny=fairness_cny))


def _outcome(fairness_cny: float, lp_bound: bool):
    config = SolverConfig(time_limit_s=10, num_workers=1, random_seed=0, lp_bound=lp_bound)
    return roster_step(_problem(fairness_cny), config)


def test_with_a_fairness_weight_the_cp_sat_bound_is_not_the_gaps():
    o = _outcome(300.0, lp_bound=True)
    assert o.result.status == "OPTIMAL" and o.result.fairness_penalty_cny == 300.0
    assert o.result.best_bound_cny > o.report.total_cost_cny + 299  # 1,100 against 800
    bound, source, gap = o.bound_and_gap()
    assert source == "HiGHS LP" and bound <= o.report.total_cost_cny + 1e-6
    assert gap is not None and gap >= 0.0
    # without the LP bound there is no valid bound to report
    assert _outcome(300.0, lp_bound=False).bound_and_gap() == (None, None, None)


def test_without_fairness_cp_sat_bounds_the_objective():
    o = _outcome(0.0, lp_bound=False)
    bound, source, gap = o.bound_and_gap()
    assert source == "CP-SAT" and o.result.status == "OPTIMAL"
    assert abs(bound - o.report.total_cost_cny) < 1e-6 and gap == 0.0
