"""The HR roster as an Excel workbook (``roster.xlsx``), written with openpyxl.

Excel drops the leading zeros of IDs when a CSV is double-clicked (``003`` becomes ``3``); the
workbook keeps them because every text cell is a string cell with the number format ``@``
(Text). Sheets:

- one per calendar week (ISO week, Monday to Sunday) of the roster's ``date``, named
  ``2026-W45`` (``en``) or ``第45周`` (``zh``; ``2026年第45周`` when the roster spans two ISO
  years), holding that week's rows of roster.csv with the same columns, in the same order;
- ``Shifts by day`` / ``每日班次``: one row per agent (agent_id, agent_name, agent_type) and one
  column per calendar day from the first to the last date, each cell the shift's local clock
  times ``09:00-18:00`` (a night shift ends after midnight: ``20:00-05:00``), empty when off.

Headers are in the chosen language (scenarios.hr_export: ``en`` columns or Chinese headers and
agent types); the header row is frozen and bold. ``paid_hours`` (hours) and ``cost_cny`` (CNY)
are numbers; every other cell is text. Cells starting with ``= + - @`` are prefixed with ``'``
exactly as in the CSV (scenarios.io.neutralise_formulas), so the weekly sheets read back with
pandas give the rows of roster.csv. The bytes depend only on the roster and the language (fixed
document and zip timestamps), so a deterministic run writes the identical workbook.
"""

from __future__ import annotations

import io as _io
import re
import zipfile
from pathlib import Path

import pandas as pd

from scenarios import io
from scenarios.hr_export import COLUMNS, NUMERIC_COLUMNS, check_language, hr_frame

#: Name of the agent x day sheet by language.
GRID_SHEET = {"en": "Shifts by day", "zh": "每日班次"}
#: Name of the only roster sheet of an empty roster.
EMPTY_SHEET = {"en": "Roster", "zh": "排班"}

#: Column widths (characters) of the roster columns in the weekly sheets.
_WIDTHS = {
    "agent_id": 12, "agent_name": 14, "agent_type": 12, "date": 12, "shift_start": 18,
    "shift_end": 18, "breaks": 26, "paid_hours": 10, "cost_cny": 12,
}  # fmt: skip
_TYPE_ORDER = {"permanent": 0, "part_time": 1, "temporary": 2}
_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}
#: The document's created/modified stamp and every zip entry's time (fixed: reproducible bytes).
_STAMP = "2000-01-01T00:00:00Z"
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def _text_roster(roster: pd.DataFrame) -> pd.DataFrame:
    """The roster's ``COLUMNS`` with text columns as strings (empty = ``""``) and the numeric
    columns as floats; formula-like text neutralised like the CSV."""
    out = roster.loc[:, COLUMNS].copy()
    for column in COLUMNS:
        if column in NUMERIC_COLUMNS:
            out[column] = pd.to_numeric(out[column], errors="raise").astype(float)
        else:
            out[column] = out[column].astype("string").fillna("")
    return io.neutralise_formulas(out)


def week_sheet_names(dates: pd.Series, language: str) -> pd.Series:
    """Sheet name of each roster ``date`` (``YYYY-MM-DD`` text): ``2026-W45`` or ``第45周``."""
    iso = pd.to_datetime(dates, format="%Y-%m-%d").dt.isocalendar()
    year, week = iso["year"].astype(str), iso["week"].astype(str)
    if language == "en":
        return year + "-W" + week.str.zfill(2)
    if iso["year"].nunique() > 1:
        return year + "年第" + week + "周"
    return "第" + week + "周"


def shift_grid(roster: pd.DataFrame, language: str = "en") -> pd.DataFrame:
    """Agent x day grid of shift clock times: columns agent_id, agent_name, agent_type (headers
    and types in ``language``) and one per day from the first to the last date (header
    ``2026-11-10 Tue`` / ``2026-11-10 周二``), cells ``HH:MM-HH:MM`` or ``""`` when off. Agents in
    type order (permanent, part-time, temporary, others), then by ID."""
    frame = _text_roster(roster)
    ids = ["agent_id", "agent_name", "agent_type"]
    agents = frame.drop_duplicates("agent_id").loc[:, ids]
    rank = agents["agent_type"].map(lambda v: _TYPE_ORDER.get(v, len(_TYPE_ORDER)))
    agents = agents.assign(_rank=rank).sort_values(["_rank", "agent_id"], kind="stable")
    agents = agents.drop(columns="_rank").reset_index(drop=True)
    days: list[pd.Timestamp] = []
    if len(frame):
        parsed = pd.to_datetime(frame["date"], format="%Y-%m-%d")
        days = list(pd.date_range(parsed.min(), parsed.max(), freq="D"))
    times = frame["shift_start"].str.slice(11, 16) + "-" + frame["shift_end"].str.slice(11, 16)
    cells = (
        frame.assign(_times=times)
        .groupby(["agent_id", "date"], sort=False)["_times"]
        .agg(", ".join)
        .unstack("date")
        .reindex(index=agents["agent_id"], columns=[f"{d:%Y-%m-%d}" for d in days])
        .fillna("")
    )
    labels = [f"{d:%Y-%m-%d} {_WEEKDAYS[language][d.weekday()]}" for d in days]
    head = hr_frame(agents.assign(**{c: "" for c in COLUMNS if c not in ids}), language)
    grid = head.iloc[:, :3].reset_index(drop=True)
    body = pd.DataFrame(cells.to_numpy(dtype=object), columns=labels)
    return pd.concat([grid, body], axis=1)


def roster_xlsx_bytes(roster: pd.DataFrame, language: str = "en") -> bytes:
    """The workbook (see the module docstring) of a roster frame with ``COLUMNS`` (as
    scenarios.hr_export.roster_frame or read_roster_text gives it), headers in ``language``."""
    from openpyxl import Workbook

    check_language(language)
    frame = _text_roster(roster)
    book = Workbook()
    book.remove(book.active)
    if len(frame):
        names = week_sheet_names(frame["date"], language)
        for name in dict.fromkeys(names):
            week = hr_frame(frame.loc[names == name], language)
            _write_sheet(book.create_sheet(name), week, [_WIDTHS[c] for c in COLUMNS])
    else:
        empty = hr_frame(frame, language)
        _write_sheet(book.create_sheet(EMPTY_SHEET[language]), empty, list(_WIDTHS.values()))
    grid = shift_grid(frame, language)
    _write_sheet(book.create_sheet(GRID_SHEET[language]), grid, [12, 14, 12])
    buffer = _io.BytesIO()
    book.save(buffer)
    return _reproducible(buffer.getvalue())


def _write_sheet(sheet, frame: pd.DataFrame, widths: list[int]) -> None:
    """``frame`` into ``sheet``: bold frozen header row, text cells as ``@`` strings (empty
    text = an empty ``@`` cell), numbers as numbers with two decimals, an autofilter; column
    widths in characters (``widths``, then 16)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    sheet.append([str(c) for c in frame.columns])
    for cell in sheet[1]:
        cell.font = bold
    numeric = [pd.api.types.is_float_dtype(frame[c]) for c in frame.columns]
    for values in frame.itertuples(index=False, name=None):
        sheet.append([_cell(v, n) for v, n in zip(values, numeric, strict=True)])
    for col, is_number in enumerate(numeric, start=1):
        letter = get_column_letter(col)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = "0.00" if is_number else "@"
        sheet.column_dimensions[letter].width = widths[col - 1] if col <= len(widths) else 16
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _cell(value: object, is_number: bool) -> object:
    """A cell value: a float for a number column, else the text (None when empty)."""
    if is_number:
        return None if pd.isna(value) else float(value)
    text = "" if value is None or value is pd.NA else str(value)
    return text or None


def _reproducible(data: bytes) -> bytes:
    """Re-pack the workbook zip with fixed entry times and document timestamps."""
    source = zipfile.ZipFile(_io.BytesIO(data))
    out = _io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = body.decode("utf-8")
                for tag in ("created", "modified"):
                    text = re.sub(
                        rf"(<dcterms:{tag}[^>]*>)[^<]*(</dcterms:{tag}>)",
                        rf"\g<1>{_STAMP}\g<2>",
                        text,
                    )
                body = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, body)
    return out.getvalue()


def write_roster_xlsx(roster: pd.DataFrame, path: str | Path, language: str = "en") -> Path:
    """Write :func:`roster_xlsx_bytes` to ``path`` atomically (temp file, rename)."""
    path = Path(path)
    io._atomic_write_bytes(path, roster_xlsx_bytes(roster, language))
    return path
