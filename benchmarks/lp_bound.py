"""The HiGHS LP lower bound used as the roster benchmark's yardstick.

The implementation lives in :mod:`scheduler.roster.checks.lower_bound` so that every run can
report its gap to the bound as well; this module keeps the benchmark's import path.
"""

from scheduler.roster.checks.lower_bound import BoundResult, build_and_solve, lp_lower_bound

__all__ = ["BoundResult", "build_and_solve", "lp_lower_bound"]
