"""The roster CSV for HR: one row per agent per working day, Excel-safe.

Columns: ``agent_id,agent_name,agent_type,date,shift_start,shift_end,breaks,paid_hours,cost_cny``.
``shift_start``/``shift_end`` are ``YYYY-MM-DD HH:MM`` local time (a night shift ends on the next
date); ``breaks`` lists every break as ``HH:MM-HH:MM`` separated by ``;`` (meal and short breaks);
``paid_hours`` in hours; ``cost_cny`` is the marginal cost of that shift in CNY (wages for part-time
and temporary agents, overtime premium for permanent agents, a temporary's onboarding and
training on their first shift). Written UTF-8 with BOM with formula-like cells neutralised
(see scenarios.io).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from scheduler.roster.schema import ROSTER_COLUMNS, ShiftAssignment

COLUMNS = list(ROSTER_COLUMNS)


def roster_frame(assignments: Iterable[ShiftAssignment]) -> pd.DataFrame:
    """HR roster rows sorted by date, start and agent, with text IDs and 2-decimal money."""
    rows = [
        {
            "agent_id": a.agent_id,
            "agent_name": a.agent_name,
            "agent_type": a.agent_type,
            "date": a.date.isoformat(),
            "shift_start": a.shift_start.strftime("%Y-%m-%d %H:%M"),
            "shift_end": a.shift_end.strftime("%Y-%m-%d %H:%M"),
            "breaks": ";".join(
                f"{b.start:%H:%M}-{b.end:%H:%M}" for b in sorted(a.breaks, key=lambda b: b.start)
            ),
            "paid_hours": round(a.paid_hours, 2),
            "cost_cny": round(a.cost_cny, 2),
        }
        for a in assignments
    ]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame = frame.astype({c: "string" for c in COLUMNS[:7]})
    return frame.sort_values(["date", "shift_start", "agent_id"], kind="stable").reset_index(
        drop=True
    )
