"""Whole-schedule DP pricing (scheduler/roster/tours.py, tour_dp.py): the DP finds the
brute-force optimum under every per-agent rule. The local search that uses it is tested in
test_best_response.py and test_parallel_search.py."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from roster_factory import make_problem

from scheduler.roster.columns import build_columns
from scheduler.roster.horizon import Horizon
from scheduler.roster.model import RosterModel, build_variables
from scheduler.roster.rules.hours import MIN_HOURS_PENALTY_CNY
from scheduler.roster.schema import LabourRules
from scheduler.roster.solve import agent_identities
from scheduler.roster.tours import TourPricer, tours_supported


def _one_agent_model(rules: LabourRules, picks_per_day: int = 3, days: int = 7):
    """One permanent agent over ``days`` days with a few candidate columns a day: early,
    afternoon and late (crossing midnight) starts, mixed paid lengths."""
    p = make_problem(n_perm=1, n_part=0, days=days, temp_max=0, rules=rules)
    hz = Horizon.of(p)
    cols = {t: build_columns(p, t, hz) for t in ("permanent", "part_time", "temporary")}
    c = cols["permanent"]
    rng = np.random.default_rng(1)
    cand = []
    for d in range(days):
        on_day = np.flatnonzero(c.day == d)
        tod = c.start[on_day] - d * 1440
        for lo, hi in ((360, 540), (780, 900), (1260, 1410))[:picks_per_day]:
            pool = on_day[(tod >= lo) & (tod <= hi)]
            cand.append(int(rng.choice(pool)))
    rm = RosterModel(p, hz, cols, agent_identities(p, hz, []))
    build_variables(rm, [np.asarray(sorted(cand))])
    return rm


def _brute_force(rm: RosterModel, value: np.ndarray) -> float:
    """Cheapest schedule by enumeration, with the rules written out here (weeks of 7 dates
    from the first)."""
    p, c, ident = rm.problem, rm.cols["permanent"], rm.ids[0]
    n_days = len(rm.hz.days)
    per_day = [[j for j, _ in rm.x[0].get(d, [])] for d in range(n_days)]
    rest = p.rules.min_rest_hours * 60
    best = np.inf
    for choice in itertools.product(*[[None, *js] for js in per_day]):
        worked = [(d, j) for d, j in enumerate(choice) if j is not None]
        if any(d2 == d1 + 1 and c.start[j2] - c.end[j1] < rest
               for (d1, j1), (d2, j2) in itertools.pairwise(worked)):
            continue
        run = longest = 0
        for j in choice:
            run = run + 1 if j is not None else 0
            longest = max(longest, run)
        if longest > p.rules.max_consecutive_days:
            continue
        cost = sum(value[j] for _, j in worked)
        for w in range((n_days + 6) // 7):
            paid = sum(int(c.paid[j]) for d, j in worked if d // 7 == w)
            if paid > ident.max_week[w] + 1e-6:
                cost = np.inf
            cost += (ident.hourly * p.costs.overtime_premium / 60
                     * max(0, paid - ident.contract_week[w]))
            cost += MIN_HOURS_PENALTY_CNY / 60 * max(0, np.ceil(ident.min_week[w] - 1e-6) - paid)
        best = min(best, cost)
    return best


@pytest.mark.parametrize("max_days", [3, 6])
def test_tour_dp_matches_brute_force(max_days):
    rm = _one_agent_model(LabourRules(max_consecutive_days=max_days, min_rest_hours=11))
    pricer = TourPricer(rm)
    c = rm.cols["permanent"]
    rng = np.random.default_rng(7)
    for _ in range(5):
        value = rng.uniform(-900, 100, c.size)
        got, tour = pricer.price(0, lambda typ, eff, v=value: eff * v)
        want = _brute_force(rm, value)
        assert got == pytest.approx(want)
        # the returned tour is worth what the DP says
        assert pricer.tour_cost(0, tour) + sum(value[j] for _, j in tour) == pytest.approx(got)
        # with a threshold the tour is traced back only when it is cheaper than the threshold
        sp = pricer.spaces[0]
        flat = sp.wage + sp.eff[sp.day] * value[sp.col]
        assert pricer.price_flat(0, flat, below=got)[1] is None
        assert pricer.price_flat(0, flat, below=got + 1e-3)[1] == tour


def test_tour_dp_matches_brute_force_across_weeks():
    # 10 dates: a full week then a partial one (pro-rated hours), streaks across the boundary
    rm = _one_agent_model(LabourRules(max_consecutive_days=4, min_rest_hours=11),
                          picks_per_day=2, days=10)
    assert rm.hz.n_weeks == 2
    pricer = TourPricer(rm)
    rng = np.random.default_rng(3)
    for _ in range(3):
        value = rng.uniform(-900, 100, rm.cols["permanent"].size)
        got, tour = pricer.price(0, lambda typ, eff, v=value: eff * v)
        assert got == pytest.approx(_brute_force(rm, value))
        assert pricer.tour_cost(0, tour) + sum(value[j] for _, j in tour) == pytest.approx(got)


def test_meal_placements_of_one_shift_are_one_dp_choice():
    """Candidates that differ only in the meal placement are one DP choice worth the cheapest
    of them: fewer choices than candidates, the brute-force optimum still found, and the tour
    uses the cheapest placement of each shift."""
    days = 4
    p = make_problem(n_perm=1, n_part=0, days=days, temp_max=0,
                     rules=LabourRules(max_consecutive_days=3, min_rest_hours=11))
    hz = Horizon.of(p)
    cols = {t: build_columns(p, t, hz) for t in ("permanent", "part_time", "temporary")}
    c = cols["permanent"]
    cand = []
    for d in range(days):  # every meal placement of two shift times a day
        on_day = np.flatnonzero(c.day == d)
        for lo in (480, 1320):
            first = on_day[c.start[on_day] - d * 1440 >= lo][0]
            same = on_day[(c.start[on_day] == c.start[first]) & (c.paid[on_day] == c.paid[first])
                          & (c.end[on_day] == c.end[first])]
            cand.extend(int(j) for j in same)
    rm = RosterModel(p, hz, cols, agent_identities(p, hz, []))
    build_variables(rm, [np.asarray(sorted(cand))])
    pricer = TourPricer(rm)
    sp = pricer.spaces[0]
    assert sp.g_start.size == 2 * days < sp.col.size  # several placements per shift time
    rng = np.random.default_rng(5)
    for _ in range(3):
        value = rng.uniform(-900, 100, c.size)
        got, tour = pricer.price(0, lambda typ, eff, v=value: eff * v)
        assert got == pytest.approx(_brute_force(rm, value))
        for d, j in tour:  # the cheapest placement of the chosen shift time
            same = [k for k in range(sp.col.size) if sp.group[k] == sp.group[sp.index[(d, j)]]]
            assert value[j] == pytest.approx(min(value[sp.col[k]] for k in same))


def test_tours_need_rest_to_clear_two_dates():
    assert tours_supported(_one_agent_model(LabourRules(min_rest_hours=11)))
    assert not tours_supported(_one_agent_model(LabourRules(min_rest_hours=20)))
