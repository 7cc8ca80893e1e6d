"""Shift-sequence rules: ``one_shift_per_day``, ``min_rest_between_shifts``,
``max_consecutive_days``.

- At most one shift start per agent per date (``works[i][d]`` = 1 when the agent starts one).
- Rest: end of one shift to the start of the next >= ``min_rest_hours`` (checked for every pair
  of shifts that could be closer, i.e. starts up to two dates apart).
- At most ``max_consecutive_days`` consecutive working dates inside the horizon (dates before the
  horizon are unknown and treated as off).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.roster.cpsat.model import RosterModel


def one_shift_per_day(rm: RosterModel) -> None:
    """works[i][d] = sum of that day's column Booleans, a 0/1 variable."""
    rm.works = []
    for i, by_day in enumerate(rm.x):
        works: dict[int, cp_model.IntVar] = {}
        for d, lst in by_day.items():
            if len(lst) == 1:
                works[d] = lst[0][1]
            else:
                w = rm.m.new_bool_var(f"w{i}_{d}")
                rm.m.add(sum(v for _, v in lst) == w)
                works[d] = w
        rm.works.append(works)


def min_rest_between_shifts(rm: RosterModel) -> None:
    """start(next) - end(previous) >= min rest, enforced when both shifts are worked."""
    rest = round(rm.problem.rules.min_rest_hours * 60)
    for i, by_day in enumerate(rm.x):
        cols = rm.cols[rm.ids[i].agent_type]
        for d, lst in by_day.items():
            max_end = max(int(cols.end[j]) for j, _ in lst)
            for d2 in (d + 1, d + 2, d + 3):
                nxt = by_day.get(d2)
                if not nxt or min(int(cols.start[j]) for j, _ in nxt) >= max_end + rest:
                    continue
                end = sum(int(cols.end[j]) * v for j, v in lst)
                start = sum(int(cols.start[j]) * v for j, v in nxt)
                both = [rm.works[i][d], rm.works[i][d2]]
                rm.m.add(start - end >= rest).only_enforce_if(both)
                # a column ending too late for every start of d2 excludes working d2 at all
                latest = max(int(cols.start[j2]) for j2, _ in nxt)
                for j, v in lst:
                    if latest < int(cols.end[j]) + rest:
                        rm.m.add_implication(v, rm.works[i][d2].Not())

def max_consecutive_days(rm: RosterModel) -> None:
    """In every window of max_consecutive_days + 1 dates at least one date is off."""
    k = rm.problem.rules.max_consecutive_days
    n_days = len(rm.hz.days)
    for works in rm.works:
        for s in range(0, n_days - k):
            window = [works[d] for d in range(s, s + k + 1) if d in works]
            if len(window) == k + 1:
                rm.m.add(sum(window) <= k)
