"""Binding reasons of unmet demand: a temp that would pay for itself is not blamed on price,
and one that would not is not blamed on the solver.

The factory's pool: fee 300 CNY + 8 training h x 40 = 620 CNY, shortest temp shift 6 h x 40 =
240 CNY, so one more temporary costs 860 CNY; first-day efficiency 0.7; 30-minute slots."""

import numpy as np
from roster_factory import make_problem

from scheduler.roster.pricing.unmet import temp_would_pay
from scheduler.roster.schema import CostParams

FEE = 300.0 + 8.0 * 40.0


def _problem(penalty: float = 700.0):
    return make_problem(costs=CostParams(shortfall_cost_per_agent_hour_cny=penalty))


def test_temp_pays_when_a_long_run_is_dear():
    # 6 h, 3 agents short: one temp removes 0.7 agent a slot, 4.2 agent-h, 2,940 CNY > 860
    assert temp_would_pay(_problem(), np.full(12, 3.0), FEE)


def test_a_deep_but_short_run_is_not_the_solvers_fault():
    # 1 h, 2.35 agents short = 2.35 agent-h (1,645 CNY of penalty), but one temp removes at
    # most 0.7 agent-h of it (490 CNY) for 860 CNY: not worth hiring (the old test summed the
    # run's agent-hours and blamed the solver here)
    assert not temp_would_pay(_problem(), np.full(2, 2.35), FEE)


def test_only_the_shifts_length_of_a_long_run_counts():
    # 20 h at 0.25 agents short: one 6 h shift removes 12 x 0.125 = 1.5 agent-h (1,050 CNY)
    assert temp_would_pay(_problem(), np.full(40, 0.25), FEE)
    # at 0.2 agents short it removes 1.2 agent-h (840 CNY) although the run is 4 agent-h short
    assert not temp_would_pay(_problem(), np.full(40, 0.2), FEE)


def test_temp_does_not_pay_for_a_sliver_or_a_cheap_shortfall():
    assert not temp_would_pay(_problem(), np.array([0.4]), FEE)
    assert not temp_would_pay(_problem(penalty=20.0), np.full(12, 3.0), FEE)
