"""Whole-schedule DP pricing and best-response local search: the DP finds the brute-force
optimum under every per-agent rule, and the local search never worsens a roster, keeps it
valid (pool size included) and is deterministic for a seed."""

from __future__ import annotations

import itertools
import os
import random
import time

import numpy as np
import pytest
from roster_factory import make_problem

from scheduler.roster.best_response import BestResponse
from scheduler.roster.columns import build_columns
from scheduler.roster.extract import make_rows, price_roster
from scheduler.roster.greedy import fill_gaps, greedy_roster
from scheduler.roster.horizon import Horizon
from scheduler.roster.model import RosterModel, build_variables
from scheduler.roster.roster_price import raw_shifts
from scheduler.roster.rules.hours import MIN_HOURS_PENALTY_CNY
from scheduler.roster.schema import LabourRules
from scheduler.roster.solve import _identities, prepare_model, relabel_temps
from scheduler.roster.tours import TourPricer, tours_supported
from scheduler.roster.validate import roster_frame_from_assignments, validate_roster


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
    rm = RosterModel(p, hz, cols, _identities(p, hz, []))
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
    rm = RosterModel(p, hz, cols, _identities(p, hz, []))
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


def _start(p):
    rm, _, sel = prepare_model(p)
    return rm, relabel_temps(rm, fill_gaps(rm, greedy_roster(rm, sel.x, sel.cohorts)))


def _price(rm, chosen):
    return price_roster(rm.problem, make_rows(rm.problem, rm.hz, rm.cols, raw_shifts(rm, chosen)))


@pytest.mark.parametrize("temp_max", [0, 1])
def test_best_response_never_worse_valid_deterministic(temp_max):
    # heavy demand: hiring temps pays, so the pool limit binds when it is 1
    p = make_problem(n_perm=6, n_part=3, days=7, temp_max=temp_max, peak_day=3, seed=2,
                     scale=4.0)
    rm, start = _start(p)
    before = _price(rm, start).total_cny
    br = BestResponse(rm)
    out, moves = br.improve(start, np.inf, seed=5)
    assert moves > 0
    assert br.total() == pytest.approx(_price(rm, out).total_cny)
    kicked, _ = br.perturb_search(out, np.inf, seed=5, max_kicks=15)
    for chosen in (out, kicked):
        chosen = relabel_temps(rm, chosen)
        rows = make_rows(p, rm.hz, rm.cols, raw_shifts(rm, chosen))
        rep = validate_roster(p, roster_frame_from_assignments(rows))
        assert rep.violations == []
        assert rep.total_cost_cny <= before + 1e-6
        assert len({r.agent_id for r in rows if r.agent_type == "temporary"}) <= temp_max
    assert _price(rm, kicked).total_cny <= _price(rm, out).total_cny + 1e-6
    again, _ = BestResponse(rm).perturb_search(
        BestResponse(rm).improve(start, np.inf, seed=5)[0], np.inf, seed=5, max_kicks=15)
    assert again == kicked


def test_ban_kicks_never_worse_valid_deterministic(monkeypatch):
    """Every kick a ban kick (one shift banned, the hole offered to others): the roster never
    gets dearer, stays valid and is the same for the same seed; and bans do find moves."""
    import scheduler.roster.best_response as bresp

    monkeypatch.setattr(bresp, "BAN_AFTER", 0)
    monkeypatch.setattr(bresp, "BAN_SHARE", 1.0)
    p = make_problem(n_perm=6, n_part=3, days=7, temp_max=1, peak_day=3, seed=2, scale=4.0)
    rm, start = _start(p)
    out, _ = BestResponse(rm).improve(start, np.inf, seed=1)
    runs = []
    for _ in range(2):
        br = BestResponse(rm)
        kicked, accepted = br.perturb_search(out, np.inf, seed=3, max_kicks=30)
        runs.append(kicked)
    assert runs[0] == runs[1]
    assert accepted > 0
    rows = make_rows(p, rm.hz, rm.cols, raw_shifts(rm, relabel_temps(rm, runs[0])))
    rep = validate_roster(p, roster_frame_from_assignments(rows))
    assert rep.violations == []
    assert rep.total_cost_cny <= _price(rm, out).total_cny + 1e-6


@pytest.mark.parametrize("workers", [1, 2])
def test_parallel_search_never_worse_and_valid(monkeypatch, workers):
    """Epochs of kicks and day MIPs (forked: two processes where the machine has two cores;
    alone: alternating) return a valid roster cheaper than the start."""
    import scheduler.roster.parallel_search as ps

    monkeypatch.setattr(ps, "EPOCH_S", 0.5)
    p = make_problem(n_perm=6, n_part=3, days=7, temp_max=1, peak_day=3, seed=2, scale=4.0)
    rm, start = _start(p)
    br = BestResponse(rm)
    out = ps.parallel_perturb(br, start, time.perf_counter() + 1.5, seed=0, workers=workers)
    rows = make_rows(p, rm.hz, rm.cols, raw_shifts(rm, relabel_temps(rm, out)))
    rep = validate_roster(p, roster_frame_from_assignments(rows))
    assert rep.violations == []
    assert rep.total_cost_cny < _price(rm, start).total_cny


def test_best_response_move_is_an_exact_best_reply():
    """After a sweep without moves, no single identity can lower the cost by changing its own
    candidate schedule (checked by random single-identity changes)."""
    p = make_problem(n_perm=4, n_part=2, days=7, temp_max=0, peak_day=3, seed=4)
    rm, start = _start(p)
    br = BestResponse(rm)
    out, _ = br.improve(start, np.inf, seed=0, max_sweeps=50)
    base = _price(rm, out).total_cny
    rng = random.Random(0)
    pricer = br.pricer
    for _ in range(200):
        i = rng.randrange(len(rm.ids))
        d = rng.randrange(7)
        options = [j for j, _ in rm.x[i].get(d, [])]
        if not options:
            continue
        day_of = rm.cols[rm.ids[i].agent_type].day
        others = [(a, j) for a, j in out if not (a == i and day_of[j] == d)]
        trial = others + [(i, rng.choice(options))]
        tour = tuple(sorted((int(rm.cols[rm.ids[i].agent_type].day[j]), j)
                            for a, j in trial if a == i))
        if not np.isfinite(pricer.tour_cost(i, tour)) or not _rest_ok(rm, i, tour):
            continue
        assert _price(rm, trial).total_cny >= base - 1e-6


def _rest_ok(rm, i, tour) -> bool:
    c = rm.cols[rm.ids[i].agent_type]
    rules = rm.problem.rules
    days = [d for d, _ in tour]
    run = longest = 0
    for d in range(7):
        run = run + 1 if d in days else 0
        longest = max(longest, run)
    return longest <= rules.max_consecutive_days and all(
        d2 - d1 > 1 or c.start[j2] - c.end[j1] >= rules.min_rest_hours * 60
        for (d1, j1), (d2, j2) in itertools.pairwise(tour))


def test_solve_roster_reports_local_search_progress():
    from scheduler.roster.schema import SolverConfig
    from scheduler.roster.solve import solve_roster

    p = make_problem(n_perm=30, n_part=10, days=7, temp_max=4, peak_day=3, seed=3)
    seen = []
    t = time.perf_counter()
    # deterministic mode: work limits, the clock (60 s) is only HiGHS's safety net
    res = solve_roster(p, SolverConfig(time_limit_s=60, num_workers=1, random_seed=0,
                                       deterministic_time_limit=2.0),
                       on_progress=lambda *r: seen.append(r))
    assert time.perf_counter() - t < 90
    assert seen and [s[1] for s in seen] == sorted((s[1] for s in seen), reverse=True)
    assert res.objective_cny <= seen[-1][1] + 1e-6


def test_rules_can_be_added_after_local_search():
    """solve_roster builds the CP-SAT rules only when CP-SAT will run: the deferred model is
    the same model."""
    from scheduler.roster.solve import add_rules

    p = make_problem(n_perm=6, n_part=3, days=7, temp_max=1, peak_day=3, seed=2, scale=4.0)
    whole = prepare_model(p)[0]
    later = prepare_model(p, rules=False)[0]
    assert len(later.m.proto.constraints) < len(whole.m.proto.constraints)
    add_rules(later)
    assert len(later.m.proto.constraints) == len(whole.m.proto.constraints)
    assert len(later.m.proto.variables) == len(whole.m.proto.variables)
    assert len(whole.m.proto.objective.vars) > 0
    for field in ("vars", "coeffs"):
        assert list(getattr(later.m.proto.objective, field)) == list(
            getattr(whole.m.proto.objective, field))


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores for a forked child")
def test_parallel_search_children_do_the_kicking(monkeypatch):
    """With the parent's own step made a no-op, the forked child's kicks alone still improve
    the roster (a child that does not run would leave it unchanged)."""
    import scheduler.roster.parallel_search as ps

    monkeypatch.setattr(ps, "EPOCH_S", 0.5)
    monkeypatch.setattr(ps, "_parent_step",
                        lambda br, best, end, seed, days: (br.load(best), (br.total(), best))[1])
    p = make_problem(n_perm=6, n_part=3, days=7, temp_max=1, peak_day=3, seed=2, scale=4.0)
    rm, start = _start(p)
    br = BestResponse(rm)
    out = ps.parallel_perturb(br, start, time.perf_counter() + 1.5, seed=0, workers=2)
    assert _price(rm, out).total_cny < _price(rm, start).total_cny
