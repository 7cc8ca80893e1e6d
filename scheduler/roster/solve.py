"""``solve_roster``: LP column selection, constructive roster, per-agent CP-SAT, pricing.

Design (see ``lp/column_selection.py``, ``construct/greedy.py`` and ``cpsat/model.py``):
1. Stage 1 LP (HiGHS, column generation over every start x length x meal placement of
   every type and day): coverage with priced shortfall, headcount/occupancy-with-rest/Hall caps,
   weekly hour sums, permanent agent-weeks as paths of week-flow networks that price overtime
   per agent (``instance/week_flow.py``), consecutive-day windows, temp hire cohorts with the
   efficiency ramp. Then the same model with integer shift
   counts on the LP's support (a restricted master, HiGHS MIP, ``MIP_TIME_SHARE`` of the time
   limit): the anonymous shift counts of the decomposition. Its support plus low-reduced-cost
   columns form the candidate set; its cohorts fix temp identities.
2. A constructive roster (the integer shifts matched to agents day by day, then gap filling)
   that obeys every hard rule; it is CP-SAT's complete hint and the fallback result. Without
   integer counts (MIP not solved in time) LP shifts are rounded, and the roster is built twice
   (with and without shortening shifts that would cause overtime; the cheaper is kept).
   ``construct.repair.shed_overtime`` then hands shifts from agents in overtime to agents
   below contract and ``construct.repair.swap_for_efficiency`` gives the tightest shifts to
   the most efficient agents. Whole-schedule local search (``search/best_response.py``) then
   re-optimises one identity's whole horizon at a time, exactly, by a compiled DP over its
   candidate columns (``search/tours.py``, ``search/tour_dp.py``) with everyone else fixed,
   until no identity can improve; then iterated local search (empty 1-3 schedules and
   re-optimise them; once stalled, also ban one shift and offer it to others, and while the
   temp pool has room let one temporary go and re-optimise the others) until
   1 - ``SolverConfig.cp_sat_share`` - ``BR_FINAL_SHARE`` of the limit, on every core
   (``search/parallel_epochs.py``: forked epochs from a shared incumbent), the parent
   alternating with the day neighbourhood (``search/day_mip.py``: every shift on one date
   re-optimised jointly by a HiGHS MIP). Skipped for the small exact models, and when the
   rest rule could bind across two dates.
3. Stage 2 per-agent CP-SAT model (named agents plus temp identities TEMP-001... in first-shift
   order) with every labour rule hard except weekly minimum hours (steep penalty, reported in
   ``warnings`` if missed). Models up to ``MONOLITHIC_MAX_BOOLS`` Booleans are solved whole
   (hinted with the constructive roster), then improved by LNS if time is left; larger models
   go straight to LNS (``cpsat/lns.py``: small neighbourhoods re-solved with the rest fixed). The
   better of the CP-SAT roster and the constructive one is returned, after a last round of
   local search (``BR_FINAL_SHARE`` of the limit kept for it). CP-SAT gets
   ``SolverConfig.cp_sat_share`` of the limit (default 0.25) after the local search; it is
   skipped (with its rule building) only when less than ``CP_SAT_MIN_S`` is left for it.
   ``RosterResult.stages`` records each stage's seconds and the best score after it.
Small instances skip the column restriction and enumerate every temp cohort (exact model).
The time limit covers all stages; ``objective_cny`` is recomputed from the roster rows.
Deterministic mode (``SolverConfig.deterministic``, see ``work_budget.py``): every stage stops
on work counts scaled with the limit, on one worker; the clock is only a reported safety net.
Bounds: ``best_bound_cny`` is CP-SAT's bound of the monolithic solve; after an LNS-only solve,
or when CP-SAT was skipped, there is none (None, and NaN as the bound of its ``progress`` entries).
"""

from __future__ import annotations

import time

import numpy as np
from ortools.sat.python import cp_model

from scheduler.roster.construct.constructive import constructive_roster, relabel_temps
from scheduler.roster.cpsat.hints import add_hint, complete_hint
from scheduler.roster.cpsat.interrupts import interrupts_unwrapped, solve_cpsat
from scheduler.roster.cpsat.lns import Lns
from scheduler.roster.cpsat.model import OBJ_SCALE, RosterModel, build_variables
from scheduler.roster.cpsat.progress import Progress, StageLog
from scheduler.roster.cpsat.progress import SolveCallback as _Callback
from scheduler.roster.cpsat.rules.coverage import coverage_with_shortfall, shift_wages
from scheduler.roster.cpsat.rules.fairness import night_shift_fairness
from scheduler.roster.cpsat.rules.hours import overtime_cost, weekly_hours_limits
from scheduler.roster.cpsat.rules.shifts import (
    max_consecutive_days,
    min_rest_between_shifts,
    one_shift_per_day,
)
from scheduler.roster.cpsat.rules.temps import temporary_pool_headcount
from scheduler.roster.instance.availability import agent_mask
from scheduler.roster.instance.columns import build_columns
from scheduler.roster.instance.horizon import Horizon
from scheduler.roster.instance.instance import Instance, build_instance, is_small
from scheduler.roster.instance.preflight import check_problem
from scheduler.roster.instance.start_windows import Anchors, regular_start_anchors, restrict_masks
from scheduler.roster.lp.column_selection import Selection, cohort_identities, solve_selection_lp
from scheduler.roster.pricing.compare import Priced, better, priced
from scheduler.roster.pricing.roster_rows import min_hours_deficits
from scheduler.roster.pricing.unmet import unmet_runs
from scheduler.roster.schema import RosterProblem, RosterResult, SolverConfig
from scheduler.roster.search.best_response import BestResponse
from scheduler.roster.search.parallel_epochs import parallel_perturb
from scheduler.roster.search.tours import tours_supported
from scheduler.roster.work_budget import WorkBudget

TYPES = ("permanent", "part_time", "temporary")
PRESOLVE_MAX_BOOLS = 20_000  # larger models skip presolve (it costs more than it gains)
MONOLITHIC_MAX_BOOLS = 20_000  # larger models are improved by LNS only
MIP_TIME_SHARE, MIP_TIME_MAX_S = 0.1, 10.0  # restricted integer master: share of the limit
MIP_MIN_AGENTS = 30  # named agents + temp pool below which the restricted MIP is skipped
MIP_NODES_DETERMINISTIC = 100  # deterministic_time_limit alone: node limit, not a clock
MIP_NODES_PER_S, MIP_NODES_MIN = 20, 10  # deterministic mode: nodes per second of its share
MIP_DET_MIN_S = 3.0  # deterministic mode: no restricted MIP with a shorter share than this
BR_FINAL_SHARE = 0.05  # share of the limit kept for local search after CP-SAT
MIP_END_SHARE = 0.45  # clock-driven: the restricted MIP is skipped if it would end past this
CONSTRUCT_SHARE = 0.3  # past this share of the limit the constructive roster skips its repairs
CP_SAT_MIN_S = 2.0  # after local search, CP-SAT is skipped with less time than this left

def cpsat_model(inst: Instance, rules: bool = True) -> RosterModel:
    """The per-agent CP-SAT model of ``inst``: its Booleans and (``rules``) every rule."""
    rm = RosterModel(inst)
    build_variables(rm)
    if rules:
        add_rules(rm)
    return rm


def add_rules(rm: RosterModel) -> None:
    """Every rule and the objective of the per-agent CP-SAT model (only CP-SAT needs them)."""
    one_shift_per_day(rm)
    min_rest_between_shifts(rm)
    max_consecutive_days(rm)
    weekly_hours_limits(rm)
    overtime_cost(rm)
    temporary_pool_headcount(rm)
    shift_wages(rm)
    coverage_with_shortfall(rm)
    night_shift_fairness(rm)
    rm.m.minimize(cp_model.LinearExpr.weighted_sum([v for _, v in rm.obj], [c for c, _ in rm.obj]))


def prepare_instance(problem: RosterProblem, config: SolverConfig | None = None,
                     budget: WorkBudget | None = None, anchors: Anchors | None = None
                     ) -> tuple[Instance, dict[str, np.ndarray], Selection]:
    """Columns, availability masks (narrowed to the start windows of ``anchors`` under the
    regular-shifts rule), stage-1 LP (and restricted MIP when ``config`` is given) selection
    and the instance on the selected candidates."""
    hz = Horizon.of(problem)
    cols = {t: build_columns(problem, t, hz) for t in TYPES}
    masks = {}
    for t in ("permanent", "part_time"):
        named = [a for a in problem.agents if a.agent_type == t]
        masks[t] = np.array([agent_mask(a, cols[t], hz) for a in named], dtype=bool).reshape(
            len(named), cols[t].size)
    spread = problem.rules.max_start_spread_hours
    if spread is not None and anchors is not None:
        masks = restrict_masks(masks, cols, hz, list(problem.agents), anchors, round(spread * 60))
    mip_s, nodes = 0.0, None
    # with few agents CP-SAT solves the whole per-agent model: integer counts would only seed
    # its hint, and the restricted MIP of a few agents can take longer than the whole solve
    # (5 agents x 7 days: 7 s, most of it at the root)
    few = len(problem.agents) + problem.temporary.max_headcount < MIP_MIN_AGENTS
    if config is not None and not few and not is_small(problem, cols, masks):
        mip_s = min(MIP_TIME_MAX_S, MIP_TIME_SHARE * config.time_limit_s)
        if config.deterministic:  # nodes scaled with its share; the clock: the safety net
            nodes = max(MIP_NODES_MIN, round(MIP_NODES_PER_S * mip_s))
            # a node limit cannot stop HiGHS's root: skipped when its share is short
            mip_s = 0.0 if mip_s < MIP_DET_MIN_S else mip_s
            if budget is not None and mip_s:  # restricted_mip allows 10 x mip_s with nodes
                mip_s = max(mip_s, budget.safety_left() / 10)
        elif config.deterministic_time_limit is not None:
            nodes = MIP_NODES_DETERMINISTIC
    on_clock = None if budget is None else (lambda: budget.fired.append("the integer master"))
    # clock-driven: the MIP must end by MIP_END_SHARE of the limit, or the constructive roster
    # eats the search's time (1,000 agents x 28 days at 10 s: the LP alone ends near 45 %)
    mip_until = None if budget is None or budget.fixed else \
        budget.t_start + MIP_END_SHARE * budget.time_limit_s
    sel = solve_selection_lp(problem, hz, cols, masks, mip_time_s=mip_s, mip_nodes=nodes,
                             mip_on_clock=on_clock, mip_until=mip_until)
    cohort_days = cohort_identities(problem, hz, sel.cohorts)
    return build_instance(problem, hz, cols, masks, sel.keep, cohort_days), masks, sel


def _tour_search(inst: Instance, br: BestResponse, chosen: list[tuple[int, int]],
                 config: SolverConfig, until: float, cb: _Callback, budget: WorkBudget,
                 share: float, chosen_priced: Priced | None = None
                 ) -> tuple[list[tuple[int, int]], Priced, float]:
    """Best-response sweeps, then iterated local search until ``until``
    (perf_counter s); deterministic mode: fixed sweep and kick counts (``share`` of the time
    limit's worth) instead of the clock, which then only stops work at the safety net.
    Returns the cheaper of ``chosen`` and the result at full roster prices (reported to
    ``cb`` when it is the result), its pricing and the seconds one pricing took."""
    fixed = budget.fixed
    until = budget.safety_end if fixed else max(until, time.perf_counter() + 0.2)
    out, _ = br.improve(chosen, until, config.random_seed)
    if fixed:
        out, _ = br.perturb_search(out, until, config.random_seed,
                                   max_kicks=budget.kicks(share), max_moves=budget.moves(share))
        budget.check("the local search")
    else:
        out = parallel_perturb(br, out, until, config.random_seed, config.num_workers)
    t0 = time.perf_counter()
    best, priced = better(inst, chosen, relabel_temps(inst, out), chosen_priced)
    if best is not chosen:
        cb.record_lns(priced.score)
    return best, priced, (time.perf_counter() - t0) / (1 if chosen_priced else 2)


def _monolithic(rm: RosterModel, fallback: list[tuple[int, int]], config: SolverConfig,
                cb: _Callback, deadline: float, n_bools: int, budget: WorkBudget,
                dtime: float | None) -> tuple[list[tuple[int, int]] | None, str, float | None,
                                              float]:
    """Whole-model CP-SAT solve hinted with ``fallback``: (roster, status name, bound CNY,
    deterministic time used); with ``dtime`` CP-SAT stops on deterministic time (the clock
    then only at the safety net)."""
    add_hint(rm, fallback)
    complete_hint(rm, config, None if dtime is None else max(1.0, budget.safety_left()))
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = config.num_workers
    p.random_seed = config.random_seed
    p.relative_gap_limit = config.relative_gap_limit
    p.cp_model_presolve = n_bools <= PRESOLVE_MAX_BOOLS
    p.max_time_in_seconds = max(0.5, deadline - time.perf_counter())
    if dtime is not None:
        p.max_time_in_seconds = max(0.5, budget.safety_left())
        p.max_deterministic_time = dtime
    status = solve_cpsat(solver, rm.m, cb)
    if dtime is not None and solver.wall_time >= p.max_time_in_seconds - 1e-3:
        budget.fired.append("CP-SAT")
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, name, None, solver.deterministic_time
    chosen = [(i, j) for i, by_day in enumerate(rm.x) for lst in by_day.values()
              for j, v in lst if solver.boolean_value(v)]
    return chosen, name, solver.best_objective_bound / OBJ_SCALE, solver.deterministic_time


def solve_roster(problem: RosterProblem, config: SolverConfig,
                 on_progress: Progress | None = None) -> RosterResult:
    """Roster at minimum cost; shortfall reported per run of slots, never a bare failure.

    Raises SchedulerInputError (before solving) when the rules contradict themselves, and
    KeyboardInterrupt on Ctrl-C (never a roster from a search the signal cut short).
    """
    with interrupts_unwrapped():
        return _solve(problem, config, on_progress)


def _solve(problem: RosterProblem, config: SolverConfig,
           on_progress: Progress | None) -> RosterResult:
    t_start = time.perf_counter()
    check_problem(problem)
    budget = WorkBudget.of(config, t_start)
    if config.deterministic:  # one worker: CP-SAT's parallel search is not reproducible
        config = config.model_copy(update={"num_workers": 1})
    anchors = regular_start_anchors(problem, prepare_instance, constructive_roster) \
        if problem.rules.max_start_spread_hours is not None else None
    inst, masks, sel = prepare_instance(problem, config, budget=budget, anchors=anchors)
    cols = inst.cols
    fallback = constructive_roster(
        inst, sel, None if budget.fixed else t_start + CONSTRUCT_SHARE * config.time_limit_s)
    stages = StageLog(t_start)
    fb_priced: Priced | None = priced(inst, fallback)
    stages.add("constructive", fb_priced.score, "stage-1 LP + greedy + repairs")
    cb = _Callback(t_start, on_progress)
    ils_end = max(0.0, 1.0 - config.cp_sat_share - BR_FINAL_SHARE)
    # exact small models go to CP-SAT directly; otherwise whole-schedule local search first.
    # A clock-driven solve whose constructive roster already ran past the local search's end
    # (1,000 agents x 28 days at 10 s) keeps it: searching and pricing would overrun the limit
    out_of_time = not budget.fixed and time.perf_counter() > t_start + ils_end * config.time_limit_s
    br = BestResponse(inst) if tours_supported(inst) and not is_small(problem, cols, masks) \
        and not out_of_time else None
    pricing_s = 0.0  # time to price one roster (kept free before the deadline at the end)
    if br is not None:
        fallback, fb_priced, pricing_s = _tour_search(
            inst, br, fallback, config, t_start + ils_end * config.time_limit_s, cb,
            budget, ils_end, fb_priced)
        stages.add("local_search", fb_priced.score, "best response + iterated local search")
    elif out_of_time:
        stages.add("local_search", fb_priced.score, "skipped: the constructive roster used "
                   "the local search's share of the time limit")
    n_bools = inst.n_candidates
    # extraction and pricing after the search (they grow with the roster, hence n_bools)
    margin = 1.0 + 0.01 * config.time_limit_s + 1e-5 * n_bools
    deadline = t_start + config.time_limit_s - margin
    br_final_s = BR_FINAL_SHARE * config.time_limit_s if br is not None else 0.0
    # after the local search CP-SAT runs only if it gets CP_SAT_MIN_S (its rules are built
    # then); deterministic mode: the time it was planned to get, not the time left
    # (the old partial mode's 40 kicks take next to no time: the ILS share is CP-SAT's)
    planned_cp_s = config.time_limit_s - margin - br_final_s - (
        ils_end * config.time_limit_s if br is not None and not budget.legacy else 0.0)
    left_cp_s = planned_cp_s if budget.fixed else deadline - br_final_s - time.perf_counter()
    cp_sat = not out_of_time and (br is None or left_cp_s >= CP_SAT_MIN_S)
    dtime = budget.cp_sat_dtime(max(0.0, planned_cp_s))
    chosen, name, bound = (_cp_sat_phase(inst, fallback, config, cb, deadline, budget, dtime,
                                         br_final_s) if cp_sat else (None, "UNKNOWN", None))
    from_cp_sat = chosen is not None  # may cost more than the fallback: compare at the end
    final: Priced | None = None
    cp_priced = priced(inst, chosen) if from_cp_sat else None
    stages.add("cp_sat", min(x.score for x in (cp_priced, fb_priced) if x is not None),
               f"{'whole model' if inst.n_candidates <= MONOLITHIC_MAX_BOOLS else 'LNS'}, "
               f"status {name}" if cp_sat else
               f"skipped: {max(0.0, left_cp_s):.1f} s left, under {CP_SAT_MIN_S:g} s")
    if br is not None and name != "OPTIMAL":
        # time kept for the pricings left after it (the search's own comparison, and the
        # fallback's when CP-SAT ran), plus one spare
        reserve = (2 + int(from_cp_sat) + int(from_cp_sat and fb_priced is None)) * pricing_s
        chosen, final, _ = _tour_search(inst, br, chosen or fallback, config,
                                        deadline - reserve, cb, budget, BR_FINAL_SHARE,
                                        cp_priced if from_cp_sat else fb_priced)
    if chosen is None:
        final = fb_priced or priced(inst, fallback)
    elif from_cp_sat:  # keep the fallback if CP-SAT's roster (and its polish) did not beat it
        chosen, final = better(inst, chosen, fallback, final, fb_priced)
    assert final is not None  # every branch above priced the roster it keeps
    if br is not None and name != "OPTIMAL":
        stages.add("final_local_search", final.score, "local search polish, best kept")
    return _result(problem, inst, masks, final, name, bound, cb, budget, t_start,
                   tuple(stages.records))


def _cp_sat_phase(inst: Instance, fallback: list[tuple[int, int]], config: SolverConfig,
                  cb: _Callback, deadline: float, budget: WorkBudget, dtime: float | None,
                  br_final_s: float) -> tuple[list[tuple[int, int]] | None, str, float | None]:
    """The per-agent CP-SAT model: solved whole (up to ``MONOLITHIC_MAX_BOOLS``) hinted with
    ``fallback``, then LNS unless optimal. Returns (roster or None, status name, bound CNY)."""
    rm = cpsat_model(inst)
    chosen, name, bound = None, "UNKNOWN", None
    n_bools = inst.n_candidates
    if n_bools <= MONOLITHIC_MAX_BOOLS:
        chosen, name, bound, used = _monolithic(rm, fallback, config, cb, deadline, n_bools,
                                                budget, dtime)
        if dtime is not None and not budget.legacy:
            dtime -= used  # the LNS gets what the whole-model solve left
    lns_go = (dtime is None and deadline - time.perf_counter() > 0.5) or (
        dtime is not None and dtime > 1e-3)
    if name != "OPTIMAL" and lns_go:
        lns = Lns(rm, config)
        start_s = budget.safety_left() if budget.fixed else deadline - time.perf_counter()
        if lns.start(chosen or fallback, max(0.5, start_s)):
            lns.run(budget.safety_end if budget.fixed else deadline - br_final_s, dtime,
                    cb.record_lns)
            budget.check("the LNS")
            chosen = lns.chosen()
            name = "FEASIBLE"
    return chosen, name, bound


def _result(problem: RosterProblem, inst: Instance, masks: dict[str, np.ndarray],
            final: Priced, name: str, bound: float | None, cb: _Callback, budget: WorkBudget,
            t_start: float, stages: tuple = ()) -> RosterResult:
    """The ``RosterResult`` of the kept roster ``final``: rows, prices, gap to CP-SAT's bound,
    unmet demand runs and warnings."""
    rows, price = final.rows, final.price
    objective = price.total_cny
    gap = None
    if bound is not None and objective > 0:
        gap = max(0.0, (objective - bound) / objective)
    unmet = tuple(unmet_runs(problem, rows, inst.cols, masks))
    wall = time.perf_counter() - t_start
    return RosterResult(
        # a roster always exists (the constructive one at worst): FEASIBLE unless proven optimal
        status="OPTIMAL" if name == "OPTIMAL" else "FEASIBLE",
        objective_cny=objective,
        best_bound_cny=bound,
        gap=gap,
        wall_time_s=wall,
        assignments=tuple(rows),
        unmet=unmet,
        temporaries_hired=len({r.agent_id for r in rows if r.agent_type == "temporary"}),
        progress=tuple(cb.progress),
        shortfall_penalty_cny=price.shortfall_penalty_cny,
        overstaff_penalty_cny=price.overstaff_penalty_cny,
        fairness_penalty_cny=price.fairness_penalty_cny,
        stages=stages,
        warnings=tuple(min_hours_deficits(problem, rows)) + tuple(budget.warnings())
        + tuple(budget.overrun(wall)),
    )
