"""Binding reasons of unmet demand: a temp that would pay for itself is not blamed on price."""

from roster_factory import make_problem

from scheduler.roster.pricing.unmet import temp_would_pay
from scheduler.roster.schema import CostParams


def test_temp_pays_when_shortfall_is_dear_and_large():
    # fee 300 + 8 h x 40 = 620 CNY; shortest temp shift (policy) x 0.7 first-day efficiency
    problem = make_problem(costs=CostParams(shortfall_cost_per_agent_hour_cny=700.0))
    fee = 300.0 + 8.0 * 40.0
    assert temp_would_pay(problem, short_hours=20.0, fee=fee)


def test_temp_does_not_pay_for_a_sliver_or_a_cheap_shortfall():
    problem = make_problem(costs=CostParams(shortfall_cost_per_agent_hour_cny=700.0))
    fee = 300.0 + 8.0 * 40.0
    assert not temp_would_pay(problem, short_hours=0.2, fee=fee)
    cheap = make_problem(costs=CostParams(shortfall_cost_per_agent_hour_cny=20.0))
    assert not temp_would_pay(cheap, short_hours=20.0, fee=fee)
