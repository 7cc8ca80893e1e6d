"""Property test (issue 17, point 11): on random small valid roster problems the independent
validator (``scheduler.roster.checks.validator``) passes every roster ``solve_roster`` produces.

Problems: 1-3 days of 30- or 60-minute slots, 1-6 named agents of both types (weekly limits,
availability windows crossing midnight or not, weekdays, days off, efficiency) and a small temp
pool, requirements with zeros and spikes, random labour rules and shift policies within their
valid ranges (strategies in ``problem_strategies.py``). Problems ``check_problem`` rejects are
discarded (``assume``). Each is solved with a fixed seed, one worker, deterministic mode and a
two-second limit.
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from problem_strategies import problems

from scheduler.errors import SchedulerInputError
from scheduler.roster.checks.validator import roster_frame_from_assignments, validate_roster
from scheduler.roster.instance.preflight import check_problem
from scheduler.roster.schema import RosterProblem, SolverConfig
from scheduler.roster.solve import solve_roster

CFG = SolverConfig(time_limit_s=2, num_workers=1, random_seed=0, deterministic=True)


@settings(max_examples=100, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(problems())
def test_validator_passes_every_roster(problem: RosterProblem) -> None:
    try:
        check_problem(problem)
    except SchedulerInputError:
        assume(False)
    result = solve_roster(problem, CFG)
    report = validate_roster(problem, roster_frame_from_assignments(result.assignments))
    assert report.violations == [], report.summary()
