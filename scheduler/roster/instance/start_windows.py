"""Regular shifts (``LabourRules.max_start_spread_hours``): each named agent's shift starts in a
calendar week lie in one clock-time window of that width.

The rule is enforced through the availability masks: every (agent, week) gets a window
``[anchor, anchor + spread]`` (minutes of the day, modulo 1440, so it may cross midnight) and
only columns starting inside it stay available, so every engine (LP, constructive, local
search, CP-SAT) and the unmet-demand diagnosis see the same restricted columns. Anchors come from
a first, unrestricted constructive roster: per agent-week the window that holds the most of its
paid minutes; weeks without a shift take the agent's window over the whole horizon, or else the
window holding most of its permitted starts. The validator checks the rule on its own
(``checks/validator_rules_agent.py:check_start_time_spread``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scheduler.roster.instance.columns import Columns
    from scheduler.roster.instance.horizon import Horizon


DAY = 1440

Anchors = dict[tuple[str, int], int]
"""(agent id, calendar week) -> first minute of the day of its start window."""


def minute_of_day(cols: Columns, hz: Horizon) -> np.ndarray:
    """Clock minute (0..1439) of each column's start."""
    t0 = hz.t0.hour * 60 + hz.t0.minute
    return (t0 + cols.start) % DAY


def best_anchor(starts: np.ndarray, weight: np.ndarray, spread: int) -> int:
    """The window start (one of ``starts``) whose window holds the most ``weight``; ties: the
    earliest clock minute."""
    uniq = np.unique(starts)
    inside = ((starts[None, :] - uniq[:, None]) % DAY) <= spread
    score = (inside * weight[None, :]).sum(axis=1)
    return int(uniq[int(np.argmax(score))])


def anchors_from_roster(worked: list[tuple[str, int, int, int]], masks: dict[str, np.ndarray],
                        cols: dict[str, Columns], hz: Horizon, agents: list,
                        spread_min: int) -> Anchors:
    """Anchors of every named agent and week from ``worked`` rows (agent id, day index, clock
    start minute, paid minutes) of a first roster; ``masks`` rows follow ``agents`` by type."""
    by_week: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    by_agent: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for aid, day, start, paid in worked:
        by_week[(aid, hz.week_of_day(day))].append((start, paid))
        by_agent[aid].append((start, paid))
    row = {"permanent": 0, "part_time": 0}
    out: Anchors = {}
    for a in agents:
        k = row[a.agent_type]
        row[a.agent_type] += 1
        c, mask = cols[a.agent_type], masks[a.agent_type][k]
        if by_agent[a.agent_id]:
            s, w = np.asarray(by_agent[a.agent_id]).T
            default = best_anchor(s, w.astype(float), spread_min)
        elif mask.any():
            mod = minute_of_day(c, hz)[mask]
            default = best_anchor(mod, np.ones(len(mod)), spread_min)
        else:
            default = 0
        for week in range(hz.n_weeks):
            rows = by_week.get((a.agent_id, week))
            if rows:
                s, w = np.asarray(rows).T
                out[(a.agent_id, week)] = best_anchor(s, w.astype(float), spread_min)
            else:
                out[(a.agent_id, week)] = default
    return out


def restrict_masks(masks: dict[str, np.ndarray], cols: dict[str, Columns], hz: Horizon,
                   agents: list, anchors: Anchors, spread_min: int) -> dict[str, np.ndarray]:
    """The masks with each agent's columns outside its week's start window removed."""
    out = {t: m.copy() for t, m in masks.items()}
    row = {"permanent": 0, "part_time": 0}
    for a in agents:
        k = row[a.agent_type]
        row[a.agent_type] += 1
        c = cols[a.agent_type]
        mod = minute_of_day(c, hz)
        week = (c.day + hz.lead_days) // 7
        anchor = np.asarray([anchors[(a.agent_id, w)] for w in range(hz.n_weeks)])[week]
        out[a.agent_type][k] &= ((mod - anchor) % DAY) <= spread_min
    return out


def regular_start_anchors(problem, prepare: Callable, construct: Callable) -> Anchors:
    """Start windows for the regular-shifts rule from a first, unrestricted constructive
    roster (``prepare`` = ``solve.prepare_instance`` without a solver config: stage-1 LP only;
    ``construct`` = ``construct.constructive.constructive_roster``)."""
    inst, masks, sel = prepare(problem)
    worked, clock = [], {t: minute_of_day(c, inst.hz) for t, c in inst.cols.items()}
    for i, j in construct(inst, sel):
        ident = inst.ids[i]
        if ident.agent is not None:
            c = inst.cols[ident.agent_type]
            worked.append((ident.key, int(c.day[j]), int(clock[ident.agent_type][j]),
                           int(c.paid[j])))
    spread = round(float(problem.rules.max_start_spread_hours or 0) * 60)
    return anchors_from_roster(worked, masks, inst.cols, inst.hz, list(problem.agents), spread)
