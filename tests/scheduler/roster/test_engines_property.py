"""Property test (issue 21, point 4): on random small instances every engine's roster passes the
independent validator (``scheduler.roster.checks.validator``) and the cost the engine reports
equals the validator's recomputed cost.

Instances: ``problem_strategies.problems`` (1-3 days, 1-6 named agents, a small temp pool) with
shortfall priced three times in four and night fairness always weighed (``staffed_problems``);
those the pre-flight check rejects are discarded; plus two fixed night-peak problems that are
sure to charge night fairness, overtime, overstaffing and a weekly minimum. Each engine's roster
is turned into HR rows as ``solve_roster`` does (``relabel_temps``, ``raw_shifts``,
``make_rows``) and validated: no violation of any hard rule. Weekly minimum hours are soft in
every engine (a penalty of ``MIN_HOURS_PENALTY_CNY`` per missing hour) and hard in the
validator, so the validator's ``weekly_min_hours`` / ``temp_weekly_min_hours`` violations must
be exactly the agent-weeks this test finds short of their minimum, and the engine's cost must
carry their penalty. Optimised rosters seldom miss a minimum, so each instance also prices a
"thinned" roster (the constructive one with about half its shifts dropped, still within every
hard rule) with every engine's cost function: priced, ``BestResponse.load`` + ``total()`` (which
also prices the constructive roster itself) and CP-SAT with the shifts fixed.

"Reported cost" of each engine, and what the validator's ``total_cost_cny`` (wages, overtime,
onboarding, shortfall and overstaff penalties; night fairness left out by design) is compared
with. ``night`` = the night-fairness term and ``gap`` = the weekly-minimum penalty, both
computed here from the rows (``roster_cost_oracle``), not by the engines' code:

- constructive roster (``constructive_roster``), priced by ``pricing.compare.priced``:
  ``price.total_cny`` = total + night; ``score`` = that + gap of the named agents with the
  exact prorated minimum (``pricing.compare.score`` leaves temps out);
- whole-schedule local search (``BestResponse(inst).improve(start, inf, seed=0)``):
  ``br.total()`` = total + gap (``BestResponse.total`` leaves night fairness out), the gap as
  the DP's week curves count it (``tours.TourPricer._space``): named agents every week, temps in
  the weeks they work, the minimum rounded up to a whole minute;
- day MIP (``DayMip(br).improve_day`` on every date of the constructive roster): ``br.total()``
  as above, and each date's returned saving = the drop of ``br.total()``;
- CP-SAT (``cpsat_model(inst)``, one worker, seed 0, a deterministic-time limit, hinted with the
  constructive roster): ``objective_value / OBJ_SCALE`` = total + night + gap (as the DP counts
  it: ``cpsat/rules/hours.py``), within ``_cpsat_rounding_cny`` (CP-SAT's integer rounding of
  requirements, efficiencies and the prorated contract). A solve stopped before optimality may
  leave penalty variables above their bound, so then the model is solved again with the
  roster's Booleans fixed: every other variable is then at its minimum;
- ``solve_roster`` (deterministic, one worker, 1 s): ``objective_cny`` = total + night; its
  ``warnings`` name exactly the named agents the validator finds below a weekly minimum.

Besides CP-SAT's rounding, the only tolerance is ``_float_cny`` for float sums (the validator
rounds coverage to 1e-9 agents per slot).
"""

from __future__ import annotations

import random
from datetime import timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, currently_in_test_context, event, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model
from problem_strategies import problems
from roster_cost_oracle import night_fairness_cny, short_weeks, weekly_min_gap_cny
from roster_factory import make_problem

from scheduler.errors import SchedulerInputError
from scheduler.roster.checks.validator import (
    ValidationReport,
    roster_frame_from_assignments,
    validate_roster,
)
from scheduler.roster.cpsat.hints import add_hint, complete_hint
from scheduler.roster.cpsat.model import EFF_SCALE, OBJ_SCALE, RosterModel
from scheduler.roster.instance.instance import MIN_HOURS_PENALTY_CNY, Instance
from scheduler.roster.instance.preflight import check_problem
from scheduler.roster.pricing.compare import priced, raw_shifts
from scheduler.roster.pricing.roster_rows import make_rows
from scheduler.roster.schema import CostParams, RosterProblem, ShiftAssignment, SolverConfig
from scheduler.roster.search.best_response import BestResponse
from scheduler.roster.search.day_mip import DayMip
from scheduler.roster.search.tours import tours_supported
from scheduler.roster.solve import (
    constructive_roster,
    cpsat_model,
    prepare_instance,
    relabel_temps,
    solve_roster,
)

CFG = SolverConfig(time_limit_s=1, num_workers=1, random_seed=0, deterministic=True)
SOFT = ("weekly_min_hours", "temp_weekly_min_hours")  # a penalty in the engines
CP_SAT_DTIME = 0.5  # deterministic seconds for the CP-SAT solve (reproducible, unlike a clock)
HINT_S = 30.0  # clock limit of the hint completion (all shifts fixed: milliseconds), a safety net
DAY_MIP_S = 5.0  # HiGHS limit per date: a safety net, these MIPs take milliseconds


def _event(text: str) -> None:
    """A Hypothesis statistics event (``--hypothesis-show-statistics``), when inside one."""
    if currently_in_test_context():
        event(text)


def _float_cny(problem: RosterProblem) -> float:
    """Tolerance of float sums: the validator rounds coverage to 1e-9 agents per slot."""
    c = problem.costs
    price = max(c.shortfall_cost_per_agent_hour_cny, c.overstaff_cost_per_agent_hour_cny)
    return 1e-6 + len(problem.slot_starts) * 1e-9 * price * problem.interval_minutes / 60


def _rows(inst: Instance, chosen: list[tuple[int, int]]) -> list[ShiftAssignment]:
    """HR rows of an engine's (identity, column) pairs, as ``solve_roster`` writes them."""
    shifts = raw_shifts(inst, relabel_temps(inst, chosen))
    return make_rows(inst.problem, inst.hz, inst.cols, shifts)


def _validate(problem: RosterProblem, rows: list[ShiftAssignment]) -> tuple[ValidationReport,
                                                                               dict]:
    """The validator's report; asserts no hard violation and that its weekly-minimum ones are
    exactly the agent-weeks ``short_weeks`` finds short. Returns the report and those weeks."""
    report = validate_roster(problem, roster_frame_from_assignments(rows))
    hard = [v for v in report.violations if v.rule not in SOFT]
    assert hard == [], report.summary()
    short = short_weeks(problem, rows)
    below = sorted(aid for (aid, _), (lo, got, _) in short.items() if got < lo - 1e-6)
    assert sorted(v.agent_id for v in report.violations) == below, report.summary()
    return report, short


def _same_cost(engine: str, reported: float, expected: float, tol: float) -> None:
    assert abs(reported - expected) <= tol, (
        f"{engine}: reports {reported:.6f} CNY, the validator's roster costs {expected:.6f} "
        f"(difference {reported - expected:+.6f}, tolerance {tol:.2g})")


def _cpsat_rounding_cny(problem: RosterProblem, inst: Instance,
                        rows: list[ShiftAssignment]) -> float:
    """Largest gap (CNY) between CP-SAT's integer objective and the exact cost of one roster.

    CP-SAT works in integers: coverage in units of 1/EFF_SCALE agent-minute, so each slot's
    requirement and each efficiency is rounded to that grid (a slot's shortfall or surplus
    moves by at most the rounding, priced at the dearer of the two penalties); a permanent
    agent's prorated contract is rounded to a whole minute (overtime above it moves by at most
    that, per agent-week); objective coefficients are rounded to 1/OBJ_SCALE CNY, which the
    generated problems never need (asserted below, so the bound stays this tight)."""
    p, c = problem, problem.costs
    per_unit = max(c.shortfall_cost_per_agent_hour_cny,
                   c.overstaff_cost_per_agent_hour_cny) / (60 * EFF_SCALE)
    req = np.asarray(p.required) * EFF_SCALE * p.interval_minutes
    tol = float(np.abs(req - np.round(req)).sum()) * per_unit
    effs = {a.agent_id: a.efficiency for a in p.agents}
    ramp_err = max(abs(e * EFF_SCALE - round(e * EFF_SCALE)) for e in p.temporary.efficiency_ramp)
    for r in rows:
        e = effs.get(r.agent_id)
        err = ramp_err if e is None else abs(e * EFF_SCALE - round(e * EFF_SCALE))
        tol += err * (r.shift_end - r.shift_start).total_seconds() / 60 * per_unit
    for ident in inst.ids:
        if ident.agent_type == "permanent":
            tol += sum(abs(round(m) - m) for m in ident.contract_week) * (
                ident.hourly * c.overtime_premium / 60)
    coefs = [c.shortfall_cost_per_agent_hour_cny * OBJ_SCALE / (60 * EFF_SCALE),
             c.overstaff_cost_per_agent_hour_cny * OBJ_SCALE / (60 * EFF_SCALE),
             c.fairness_weight_cny * OBJ_SCALE, MIN_HOURS_PENALTY_CNY * OBJ_SCALE / 60,
             (p.temporary.onboarding_cost_cny + p.temporary.training_hours
              * p.temporary.hourly_cost_cny) * OBJ_SCALE]
    coefs += [ident.hourly * OBJ_SCALE / 60 for ident in inst.ids]
    coefs += [ident.hourly * c.overtime_premium * OBJ_SCALE / 60 for ident in inst.ids]
    assert all(abs(k - round(k)) < 1e-9 for k in coefs), "coefficient rounding: widen the bound"
    return tol


def _cpsat(rm: RosterModel, chosen: list[tuple[int, int]], fixed: bool = False
           ) -> tuple[list[tuple[int, int]], float]:
    """CP-SAT's roster and its objective (CNY), hinted with ``chosen`` (``fixed``: forced to
    it, so the objective is the model's own cost of that roster). The hint is completed to
    every variable first, as ``solve_roster`` does (a hint of the shift Booleans alone can
    leave CP-SAT without any solution in its limit); that it completes shows ``chosen``
    keeps every constraint of the model."""
    xs = [(i, j, v) for i, by_day in enumerate(rm.x) for lst in by_day.values() for j, v in lst]
    rm.m.clear_hints()
    add_hint(rm, chosen)
    assert complete_hint(rm, CFG, HINT_S), "the roster breaks a constraint of the CP-SAT model"
    on = set(chosen)
    for i, j, v in xs if fixed else ():
        rm.m.add(v == int((i, j) in on))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = CP_SAT_DTIME
    status = solver.solve(rm.m)
    if status == cp_model.UNKNOWN and not fixed:  # none found in the limit (solve_roster then
        _event("CP-SAT UNKNOWN: the hint priced")  # keeps the constructive roster): the hint
        return _cpsat(rm, chosen, fixed=True)
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE), solver.status_name(status)
    _event(f"CP-SAT {solver.status_name(status)}{' (roster fixed)' if fixed else ''}")
    out = [(i, j) for i, j, v in xs if solver.boolean_value(v)]
    if status == cp_model.FEASIBLE:  # penalty variables may sit above their bound: fix x
        return _cpsat(rm, out, fixed=True)
    return out, solver.objective_value / OBJ_SCALE


def _check_priced(engine: str, inst: Instance, chosen: list[tuple[int, int]], tol: float
                  ) -> dict[str, float]:
    """``priced``: ``price.total_cny`` = validator + night, ``score`` = that + named gap.
    Returns the roster's cost terms that only some rosters charge (CNY)."""
    got = priced(inst, chosen)
    rows = _rows(inst, chosen)
    assert rows == got.rows
    report, short = _validate(inst.problem, rows)
    night = night_fairness_cny(inst.problem, rows)
    _same_cost(engine, got.price.total_cny, report.total_cost_cny + night, tol)
    _same_cost(f"{engine} (score)", got.score,
               report.total_cost_cny + night + weekly_min_gap_cny(short, False, False), tol)
    return {"night fairness": night, "weekly minimum": weekly_min_gap_cny(short, True, True),
            "overstaff": report.overstaff_penalty_cny,
            "overtime": report.wage_cost_by_type_cny.get("permanent", 0.0)}


def _check_local(engine: str, br: BestResponse, tol: float) -> None:
    """The local search's incumbent: ``br.total()`` = validator + gap (whole minutes)."""
    rows = _rows(br.inst, br.pairs())
    report, short = _validate(br.inst.problem, rows)
    gap = weekly_min_gap_cny(short, True, True)
    _same_cost(engine, br.total(), report.total_cost_cny + gap, tol)


def _check_cpsat(engine: str, inst: Instance, solved: tuple[list[tuple[int, int]], float],
                 tol: float) -> None:
    """CP-SAT's objective = validator + night + gap (whole minutes), within its rounding."""
    chosen, objective = solved
    rows = _rows(inst, chosen)
    report, short = _validate(inst.problem, rows)
    _same_cost(engine, objective,
               report.total_cost_cny + night_fairness_cny(inst.problem, rows)
               + weekly_min_gap_cny(short, True, True),
               tol + _cpsat_rounding_cny(inst.problem, inst, rows))


def _day_mip(br: BestResponse) -> None:
    """Every date of ``br``'s incumbent re-optimised; each saving = the drop of the total."""
    dm = DayMip(br)
    for d in range(len(br.inst.hz.days)):
        before = br.total()
        saved = dm.improve_day(d, DAY_MIP_S)
        assert br.total() == pytest.approx(before - saved, abs=1e-6)
        _event(f"day MIP {'improved' if saved > 0 else 'kept'} a date")


def _thinned(inst: Instance, chosen: list[tuple[int, int]], rng: random.Random
             ) -> list[tuple[int, int]]:
    """``chosen`` with about half its shifts dropped (a temp's first shift only with all of its
    shifts: every engine makes a temp start on its cohort date): still within every hard rule,
    but with minimum-hours gaps, less overtime, other night counts and coverage."""
    keep = [pair for pair in chosen if rng.random() < 0.5]
    first = {i: inst.ids[i].cohort_day for i, _ in chosen if inst.ids[i].agent_type == "temporary"}
    cohort_kept = {i for i, j in keep if i in first
                   and int(inst.cols["temporary"].day[j]) == first[i]}
    return relabel_temps(inst, [(i, j) for i, j in keep if i not in first or i in cohort_kept])


@st.composite
def staffed_problems(draw: st.DrawFn) -> RosterProblem:
    """``problems()`` with shortfall priced three times in four (half of those problems price
    no shortfall, and then every engine leaves nearly everyone at home) and night fairness
    always weighed: rosters with shifts, so every cost term is exercised."""
    p = draw(problems())
    return p.model_copy(update={"costs": p.costs.model_copy(update={
        "shortfall_cost_per_agent_hour_cny": draw(st.sampled_from([200.0, 200.0, 200.0, 0.0])),
        "fairness_weight_cny": 10.0})})


def _check_all_engines(problem: RosterProblem, seed: int) -> tuple[float, float]:
    """Every engine's roster on ``problem`` valid and priced as the validator prices it, and
    the same for the constructive roster thinned with ``seed`` under every engine's cost
    function. Returns the larger of the two rosters' terms that not every roster charges."""
    tol = _float_cny(problem)
    inst, _, sel = prepare_instance(problem)
    start = constructive_roster(inst, sel)
    terms = _check_priced("constructive", inst, start, tol)
    thin = _thinned(inst, start, random.Random(seed))
    thin_terms = _check_priced("priced, thinned roster", inst, thin, tol)

    if tours_supported(inst):  # else the DP cannot see rest across two dates: not used
        br = BestResponse(inst)
        br.improve(start, float("inf"), seed=0)
        _check_local("best response", br, tol)
        br.load(thin)
        _check_local("best response, thinned roster", br, tol)
        br.load(start)  # the start leaves the day MIP more to do than a local optimum
        _check_local("best response, constructive roster", br, tol)
        _day_mip(br)
        _check_local("day MIP", br, tol)
    else:
        _event("local search skipped: rest could bind across two dates")

    _check_cpsat("CP-SAT", inst, _cpsat(cpsat_model(inst), start), tol)
    _check_cpsat("CP-SAT, thinned roster", inst, _cpsat(cpsat_model(inst), thin, fixed=True),
                 tol)

    result = solve_roster(problem, CFG)
    rows = list(result.assignments)
    report, short = _validate(problem, rows)
    _same_cost("solve_roster", result.objective_cny,
               report.total_cost_cny + night_fairness_cny(problem, rows), tol)
    warned = sorted(w.split(":")[0].removeprefix("agent ") for w in result.warnings
                    if w.startswith("agent "))
    assert warned == sorted(aid for (aid, _), (lo, got, temp) in short.items()
                            if not temp and got < lo - 1e-6)
    return {k: max(v, thin_terms[k]) for k, v in terms.items()}


@settings(max_examples=100, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(staffed_problems(), st.integers(0, 2**32 - 1))
def test_every_engine_roster_is_valid_and_costs_what_it_reports(problem: RosterProblem,
                                                                  seed: int) -> None:
    try:
        check_problem(problem)
    except SchedulerInputError:
        assume(False)
    for term, cny in _check_all_engines(problem, seed).items():
        _event(f"{term} charged: {cny > 0}")


def _night_peak(overstaff_cny: float) -> RosterProblem:
    """A Mon-Sun week with a midnight peak, 4 permanent agents (40 h contract),
    2 part-time agents with a weekly minimum, 1 temp on a 0.7-0.85-1 ramp."""
    p = make_problem(n_perm=4, n_part=2, days=7, temp_max=1, peak_day=1,
                     seed=1 if overstaff_cny == 0 else 2, scale=3.0,
                     costs=CostParams(shortfall_cost_per_agent_hour_cny=200.0,
                                      overstaff_cost_per_agent_hour_cny=overstaff_cny,
                                      fairness_weight_cny=10.0))
    # the evening part-timer owes 30 h in the whole Mon-Sun week (minimums hold in whole weeks)
    late = p.agents[-1].model_copy(update={"min_hours_per_week": 30.0})
    return p.model_copy(update={"agents": (*p.agents[:-1], late)})


def test_every_engine_on_fixed_problems() -> None:
    """The random problems seldom charge night fairness or a weekly minimum: two fixed problems
    that, between them, charge every term that not every roster charges (asserted)."""
    seen: dict[str, float] = {}
    for problem in (_night_peak(0.0), _night_peak(5.0)):
        for term, cny in _check_all_engines(problem, seed=0).items():
            seen[term] = max(cny, seen.get(term, 0.0))
    assert all(cny > 0 for cny in seen.values()), seen


def test_the_comparison_catches_a_wrong_cost_and_a_broken_rule() -> None:
    """Not vacuous: a priced roster with one shift removed reports a cost the validator of the
    whole roster contradicts, and a shift moved 20 h later breaks a rule."""
    p = _night_peak(0.0)
    inst, _, sel = prepare_instance(p)
    start = constructive_roster(inst, sel)
    rows = _rows(inst, start)
    report, _ = _validate(p, rows)
    expected = report.total_cost_cny + night_fairness_cny(p, rows)
    _same_cost("constructive", priced(inst, start).price.total_cny, expected, _float_cny(p))
    with pytest.raises(AssertionError, match="constructive: reports"):
        _same_cost("constructive", priced(inst, start[1:]).price.total_cny, expected,
                   _float_cny(p))
    r = rows[0]
    late = r.model_copy(update={"shift_start": r.shift_start + timedelta(hours=20),
                                "shift_end": r.shift_end + timedelta(hours=20), "breaks": ()})
    with pytest.raises(AssertionError, match="shift_date|min_rest"):
        _validate(p, [late, *rows[1:]])
