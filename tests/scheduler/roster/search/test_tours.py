"""Whole-schedule DP pricing (scheduler/roster/search/tours.py, tour_dp.py): the DP finds the
brute-force optimum under every per-agent rule. The local search that uses it is tested in
test_best_response.py and test_parallel_search.py."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from roster_factory import make_problem

from scheduler.roster.instance.columns import build_columns
from scheduler.roster.instance.horizon import Horizon
from scheduler.roster.instance.identities import agent_identities
from scheduler.roster.instance.instance import MIN_HOURS_PENALTY_CNY, Instance, by_start_day
from scheduler.roster.schema import LabourRules
from scheduler.roster.search.tours import TourPricer, tours_supported


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
    ids = agent_identities(p, hz, [])
    return Instance(p, hz, cols, ids, by_start_day(cols, ids, [np.asarray(sorted(cand))]))


def _brute_force(inst: Instance, value: np.ndarray) -> float:
    """Cheapest schedule by enumeration, with the rules written out here (weeks of 7 dates
    from the first)."""
    p, c, ident = inst.problem, inst.cols["permanent"], inst.ids[0]
    n_days = len(inst.hz.days)
    per_day = [list(inst.candidates[0].get(d, [])) for d in range(n_days)]
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
    inst = _one_agent_model(LabourRules(max_consecutive_days=max_days, min_rest_hours=11))
    pricer = TourPricer(inst)
    c = inst.cols["permanent"]
    rng = np.random.default_rng(7)
    for _ in range(5):
        value = rng.uniform(-900, 100, c.size)
        got, tour = pricer.price(0, lambda typ, eff, v=value: eff * v)
        want = _brute_force(inst, value)
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
    inst = _one_agent_model(LabourRules(max_consecutive_days=4, min_rest_hours=11),
                          picks_per_day=2, days=10)
    assert inst.hz.n_weeks == 2
    pricer = TourPricer(inst)
    rng = np.random.default_rng(3)
    for _ in range(3):
        value = rng.uniform(-900, 100, inst.cols["permanent"].size)
        got, tour = pricer.price(0, lambda typ, eff, v=value: eff * v)
        assert got == pytest.approx(_brute_force(inst, value))
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
    ids = agent_identities(p, hz, [])
    inst = Instance(p, hz, cols, ids, by_start_day(cols, ids, [np.asarray(sorted(cand))]))
    pricer = TourPricer(inst)
    sp = pricer.spaces[0]
    assert sp.g_start.size == 2 * days < sp.col.size  # several placements per shift time
    rng = np.random.default_rng(5)
    for _ in range(3):
        value = rng.uniform(-900, 100, c.size)
        got, tour = pricer.price(0, lambda typ, eff, v=value: eff * v)
        assert got == pytest.approx(_brute_force(inst, value))
        for d, j in tour:  # the cheapest placement of the chosen shift time
            same = [k for k in range(sp.col.size) if sp.group[k] == sp.group[sp.index[(d, j)]]]
            assert value[j] == pytest.approx(min(value[sp.col[k]] for k in same))


def test_tours_need_rest_to_clear_two_dates():
    assert tours_supported(_one_agent_model(LabourRules(min_rest_hours=11)))
    assert not tours_supported(_one_agent_model(LabourRules(min_rest_hours=20)))
