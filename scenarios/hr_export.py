"""The roster CSV for HR: one row per agent per working day, Excel-safe.

Columns: ``agent_id,agent_name,agent_type,date,shift_start,shift_end,breaks,paid_hours,cost_cny``.
``shift_start``/``shift_end`` are ``YYYY-MM-DD HH:MM`` local time (a night shift ends on the next
date); ``breaks`` lists every break as ``HH:MM-HH:MM`` separated by ``;`` (meal and short breaks);
``paid_hours`` in hours; ``cost_cny`` is the marginal cost of that shift in CNY (wages for part-time
and temporary agents, overtime premium for permanent agents, a temporary's onboarding and
training on their first shift). Written UTF-8 with BOM with formula-like cells neutralised
(see scenarios.io). Beside it, :func:`unmet_frame` gives unmet.csv (:data:`UNMET_COLUMNS`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from scheduler.roster.schema import ROSTER_COLUMNS, ShiftAssignment, UnmetDemand

COLUMNS = list(ROSTER_COLUMNS)
#: Columns of unmet.csv: the fields of ``UnmetDemand`` (start, end as local ``YYYY-MM-DDTHH:MM``;
#: agent_hours_short in agent-hours; peak_agents_short in agents; binding in words).
UNMET_COLUMNS = tuple(UnmetDemand.model_fields)


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


def unmet_frame(unmet: Iterable[UnmetDemand]) -> pd.DataFrame:
    """unmet.csv rows, one per run of intervals short of the requirement (2-decimal figures)."""
    rows = [
        {
            "start": u.start.isoformat(timespec="minutes"),
            "end": u.end.isoformat(timespec="minutes"),
            "agent_hours_short": round(u.agent_hours_short, 2),
            "peak_agents_short": round(u.peak_agents_short, 2),
            "binding": u.binding,
        }
        for u in unmet
    ]
    return pd.DataFrame(rows, columns=list(UNMET_COLUMNS))


# ------------------------------------------------------------------ headers for HR, zh or en

#: Languages of the HR files: ``en`` (the documented columns) or ``zh`` (Chinese headers).
HR_LANGUAGES = ("en", "zh")

#: Chinese header of every roster column (``--hr-language zh``).
HEADERS_ZH = {
    "agent_id": "工号",
    "agent_name": "姓名",
    "agent_type": "员工类型",
    "date": "日期",
    "shift_start": "上班时间",
    "shift_end": "下班时间",
    "breaks": "休息时段",
    "paid_hours": "计薪工时",
    "cost_cny": "成本(元)",
}

#: Chinese agent types in a file with Chinese headers (the dashboard's names too).
AGENT_TYPES_ZH = {"permanent": "正式员工", "part_time": "兼职", "temporary": "临时工"}

#: Numeric columns (hours, CNY); every other column is text.
NUMERIC_COLUMNS = ("paid_hours", "cost_cny")


def check_language(language: str) -> str:
    """``language`` if it is one of :data:`HR_LANGUAGES`, else ValueError naming the choices."""
    if language not in HR_LANGUAGES:
        raise ValueError(f"HR language {language!r}: expected one of {', '.join(HR_LANGUAGES)}")
    return language


def header_names(language: str = "en") -> list[str]:
    """The roster's column headers in ``language`` (``en`` = :data:`COLUMNS`)."""
    check_language(language)
    return [HEADERS_ZH[c] if language == "zh" else c for c in COLUMNS]


def hr_frame(roster: pd.DataFrame, language: str = "en") -> pd.DataFrame:
    """The roster (``COLUMNS``, as :func:`roster_frame` or :func:`read_roster_text` gives it) with
    headers in ``language``; with ``zh`` the agent types are Chinese too (an unknown type is
    kept as written). Values are not otherwise changed."""
    names = header_names(language)
    out = roster.loc[:, COLUMNS].copy()
    if language == "zh":
        types = out["agent_type"].astype("string")
        out["agent_type"] = types.map(lambda v: AGENT_TYPES_ZH.get(v, v), na_action="ignore")
    out.columns = names
    return out


def hr_csv_bytes(roster: pd.DataFrame, language: str = "en") -> bytes:
    """The HR roster CSV bytes (UTF-8 with BOM, formula-like cells neutralised) with headers in
    ``language`` (see :func:`hr_frame`)."""
    from scenarios.io import csv_bytes

    return csv_bytes(hr_frame(roster, language), for_people=True)


def read_roster_text(data: bytes) -> pd.DataFrame:
    """A roster CSV as written by peakplan (English headers, BOM optional) back as text columns,
    row order kept, empty cells as ``""``; used to re-export it (a filter, other headers)."""
    import io as _io

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:  # re-saved by Excel on a Chinese Windows (the dashboard reads it)
        text = data.decode("gb18030")
    frame = pd.read_csv(_io.StringIO(text), dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"roster.csv: row 1, missing column '{missing[0]}'")
    return frame.loc[:, COLUMNS].astype("string")
