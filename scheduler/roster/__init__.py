"""The roster engine's public face: build a roster, check one, bound its cost.

- ``solve_roster(problem, config)`` → ``RosterResult``: the named roster at minimum cost
  (stages: ``lp/`` stage-1 column selection, ``construct/`` a rule-abiding constructive roster,
  ``search/`` whole-schedule local search, ``cpsat/`` the per-agent CP-SAT model and LNS,
  ``pricing/`` roster rows, prices and unmet demand; orchestrated by ``solve.py``).
- ``check_problem(problem)``: the pre-flight check (rules that contradict themselves).
- ``validate_roster(problem, roster_frame)`` → ``ValidationReport``: the independent validator
  (``checks/``; shares no code with the solver).
- ``lp_lower_bound(problem)`` → CNY: the HiGHS LP bound on any roster's cost (``checks/``).
- ``schema``: the pydantic contracts (``RosterProblem``, ``SolverConfig``, ``RosterResult``...).

Names load on first use, so importing the schema does not import OR-Tools, HiGHS or numba.
"""

from __future__ import annotations

import importlib
from typing import Any

#: public name -> module that defines it
_PUBLIC = {
    "solve_roster": "scheduler.roster.solve",
    "check_problem": "scheduler.roster.instance.preflight",
    "validate_roster": "scheduler.roster.checks.validator",
    "roster_frame_from_assignments": "scheduler.roster.checks.validator",
    "ValidationReport": "scheduler.roster.checks.validator",
    "lp_lower_bound": "scheduler.roster.checks.lower_bound",
    "interrupt_behind": "scheduler.roster.cpsat.interrupts",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'scheduler.roster' has no attribute {name!r}")
    return getattr(importlib.import_module(_PUBLIC[name]), name)
