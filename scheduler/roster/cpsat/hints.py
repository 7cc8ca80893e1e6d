"""CP-SAT solution hints from a roster: the shift Booleans, then every other variable."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.roster.cpsat.interrupts import solve_cpsat
from scheduler.roster.cpsat.model import RosterModel
from scheduler.roster.schema import SolverConfig


def add_hint(rm: RosterModel, chosen: list[tuple[int, int]]) -> None:
    """Complete hint on x and works from a roster given as (identity, column) pairs."""
    on = set(chosen)
    days_on = {(i, int(rm.cols[rm.ids[i].agent_type].day[j])) for i, j in chosen}
    for i, by_day in enumerate(rm.x):
        for d, lst in by_day.items():
            for j, v in lst:
                rm.m.add_hint(v, (i, j) in on)
            if len(lst) > 1:
                rm.m.add_hint(rm.works[i][d], (i, d) in days_on)


def complete_hint(rm: RosterModel, config: SolverConfig, max_time_s: float | None = None) -> bool:
    """Extend the (x, works) hint to every model variable by a quick solve with the hinted
    variables fixed (within ``max_time_s``, default a fifth of the time limit); returns False
    (hint left partial) if that fails."""
    fixer = cp_model.CpSolver()
    fixer.parameters.fix_variables_to_their_hinted_value = True
    fixer.parameters.num_workers = 1
    fixer.parameters.random_seed = config.random_seed
    fixer.parameters.max_time_in_seconds = (max(1.0, 0.2 * config.time_limit_s)
                                            if max_time_s is None else max_time_s)
    if solve_cpsat(fixer, rm.m) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    rm.m.clear_hints()
    for k in range(len(rm.m.proto.variables)):
        v = rm.m.get_int_var_from_proto_index(k)
        rm.m.add_hint(v, fixer.value(v))
    return True
