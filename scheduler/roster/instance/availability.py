"""Per-agent column filters: ``availability_windows`` and ``days_off_requested``.

Availability rule (shared with the validator): a shift must start on one of the agent's
``available_weekdays``, not on a ``days_off`` date, and lie inside the availability window.
The window of calendar day D is ``[D + available_from, D + available_to]`` (``to <= from``: the
window ends the next day). A shift fits if it lies inside the window of its start date or, for a
crossing-midnight window, of the day before. ``available_from`` None means 00:00; ``available_to``
None means no limit on the end (then only the start is checked against ``available_from``).
"""

from __future__ import annotations

from datetime import datetime

import numpy as np

from scheduler.roster.instance.columns import Columns
from scheduler.roster.instance.horizon import Horizon
from scheduler.roster.schema import Agent


def _day_base(hz: Horizon, cols: Columns) -> np.ndarray:
    bases = np.asarray([hz.minute(datetime.combine(d, datetime.min.time())) for d in hz.days])
    return bases[cols.day]


def availability_windows(agent: Agent, cols: Columns, hz: Horizon) -> np.ndarray:
    """Bool mask of columns on an available weekday and inside the agent's time window."""
    weekdays = np.asarray([d.weekday() for d in hz.days])[cols.day]
    ok = np.isin(weekdays, agent.available_weekdays)
    if agent.available_from is None and agent.available_to is None:
        return ok
    base = _day_base(hz, cols)
    frm = agent.available_from
    f = 0 if frm is None else frm.hour * 60 + frm.minute
    tod = cols.start - base
    if agent.available_to is None:
        return ok & (tod >= f)
    t = agent.available_to.hour * 60 + agent.available_to.minute
    if t > f:
        return ok & (tod >= f) & (cols.end <= base + t)
    same_day = (tod >= f) & (cols.end <= base + 1440 + t)
    prev_day = (tod < t) & (cols.end <= base + t)
    return ok & (same_day | prev_day)


def days_off_requested(agent: Agent, cols: Columns, hz: Horizon) -> np.ndarray:
    """Bool mask of columns whose start date is not one of the agent's requested days off."""
    off = {hz.day_index(d) for d in agent.days_off if d in hz.days}
    return ~np.isin(cols.day, sorted(off))


def agent_mask(agent: Agent, cols: Columns, hz: Horizon) -> np.ndarray:
    """Columns the agent may work (all availability rules combined)."""
    return availability_windows(agent, cols, hz) & days_off_requested(agent, cols, hz)
