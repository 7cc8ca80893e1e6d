"""roster.xlsx: the HR roster for Excel (IDs as text, weekly sheets, agent x day grid), from the
writer, `peakplan run` and `peakplan roster` (acceptance 6: read back with pandas it gives the
rows of roster.csv, IDs with their leading zeros as text)."""

from __future__ import annotations

import io as _io
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from test_output_safety import roster_args

from scenarios import io
from scenarios.cli import main
from scenarios.hr_export import COLUMNS, HEADERS_ZH, NUMERIC_COLUMNS, roster_frame
from scenarios.roster_xlsx import GRID_SHEET, roster_xlsx_bytes
from scheduler.roster.schema import Break, ShiftAssignment

TEXT = [c for c in COLUMNS if c not in NUMERIC_COLUMNS]


def _shift(agent_id, name, kind, day, start_h, hours, cost, breaks=()):
    start = datetime(day.year, day.month, day.day, start_h)
    end = start + timedelta(hours=hours)
    return ShiftAssignment(
        agent_id=agent_id, agent_name=name, agent_type=kind, date=day, shift_start=start,
        shift_end=end, breaks=breaks, paid_hours=hours - len(breaks),
        cost_cny=cost,
    )  # fmt: skip


def assignments() -> list[ShiftAssignment]:
    """Shifts on Sun 2026-11-08 (ISO week 45) and Mon/Tue 11-09/10 (week 46): IDs with leading
    zeros, a night shift with a break after midnight, a formula-like name."""
    sun, mon, tue = date(2026, 11, 8), date(2026, 11, 9), date(2026, 11, 10)
    night_break = Break(start=datetime(2026, 11, 10, 0), end=datetime(2026, 11, 10, 1), paid=False)
    return [
        _shift("003", "王文静", "permanent", sun, 9, 9, 0.0),
        _shift("007", "朱博", "permanent", mon, 20, 9, 37.5, (night_break,)),
        _shift("003", "王文静", "permanent", tue, 9, 9, 12.25),
        _shift("P001", "=cmd", "part_time", tue, 18, 4, 100.0),
        _shift("TEMP-001", "临时工 1", "temporary", tue, 10, 6, 748.0),
    ]


def _read_weeks(data: bytes, grid: str) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Weekly sheets and the roster rows they hold together (pandas, every cell as text)."""
    sheets = pd.read_excel(_io.BytesIO(data), sheet_name=None, dtype=str)
    sheets.pop(grid)
    return sheets, pd.concat(sheets.values(), ignore_index=True)


def assert_same_rows(xlsx: pd.DataFrame, csv: pd.DataFrame) -> None:
    """Text columns identical (IDs as text), numbers (hours, CNY) equal; an empty text cell
    reads as NaN, the CSV's empty field as ""."""
    assert list(xlsx.columns) == list(csv.columns)
    assert len(xlsx) == len(csv)
    for column in csv.columns[: len(TEXT)]:
        assert xlsx[column].fillna("").tolist() == csv[column].fillna("").tolist(), column
    for column in csv.columns[len(TEXT) :]:
        assert pd.to_numeric(xlsx[column]).tolist() == pytest.approx(
            pd.to_numeric(csv[column]).tolist()
        ), column


def test_weekly_sheets_read_back_as_the_csv(tmp_path):
    frame = roster_frame(assignments())
    csv_path = io.write_csv(frame, tmp_path / "roster.csv", for_people=True)
    data = roster_xlsx_bytes(frame, "en")
    sheets, rows = _read_weeks(data, GRID_SHEET["en"])
    assert list(sheets) == ["2026-W45", "2026-W46"]  # Monday to Sunday weeks
    assert sheets["2026-W45"]["date"].tolist() == ["2026-11-08"]
    csv = pd.read_csv(csv_path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert_same_rows(rows, csv)
    assert rows["agent_id"].tolist()[:2] == ["003", "007"]
    assert "'=cmd" in rows["agent_name"].tolist()  # neutralised exactly like the CSV


def test_cells_are_text_frozen_and_numbers_are_numbers():
    book = openpyxl.load_workbook(_io.BytesIO(roster_xlsx_bytes(roster_frame(assignments()))))
    assert book.sheetnames == ["2026-W45", "2026-W46", "Shifts by day"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.b
    week = book["2026-W45"]
    assert [c.value for c in week[1]] == COLUMNS
    assert week["A2"].value == "003"
    assert week["A2"].data_type == "s" and week["A2"].number_format == "@"
    assert week["D2"].value == "2026-11-08" and week["D2"].data_type == "s"
    assert week["H2"].data_type == "n" and week["H2"].value == 9.0
    formula = [c for row in book["2026-W46"].iter_rows() for c in row if c.data_type == "f"]
    assert formula == []


def test_grid_of_shift_times():
    book = openpyxl.load_workbook(_io.BytesIO(roster_xlsx_bytes(roster_frame(assignments()))))
    header, *body = book["Shifts by day"].values
    assert list(header) == [
        "agent_id", "agent_name", "agent_type", "2026-11-08 Sun", "2026-11-09 Mon",
        "2026-11-10 Tue",
    ]  # fmt: skip
    by_id = {row[0]: row[3:] for row in body}
    assert list(by_id) == ["003", "007", "P001", "TEMP-001"]  # permanent, part-time, temporary
    assert by_id["003"] == ("09:00-18:00", None, "09:00-18:00")
    assert by_id["007"] == (None, "20:00-05:00", None)  # the night shift ends the next day
    assert by_id["TEMP-001"] == (None, None, "10:00-16:00")
    assert book["Shifts by day"]["A3"].data_type == "s"


def test_chinese_workbook():
    data = roster_xlsx_bytes(roster_frame(assignments()), "zh")
    book = openpyxl.load_workbook(_io.BytesIO(data))
    assert book.sheetnames == ["第45周", "第46周", "每日班次"]
    week = book["第46周"]
    assert [c.value for c in week[1]] == [HEADERS_ZH[c] for c in COLUMNS]
    types = {row[2] for row in week.iter_rows(min_row=2, values_only=True)}
    assert types == {"正式员工", "兼职", "临时工"}
    assert [c.value for c in book["每日班次"][1]][2:4] == ["员工类型", "2026-11-08 周日"]


def test_bytes_are_reproducible_and_empty_roster():
    frame = roster_frame(assignments())
    assert roster_xlsx_bytes(frame) == roster_xlsx_bytes(frame)
    empty = openpyxl.load_workbook(_io.BytesIO(roster_xlsx_bytes(frame.iloc[:0])))
    assert empty.sheetnames == ["Roster", "Shifts by day"]
    assert [c.value for c in empty["Roster"][1]] == COLUMNS


def test_run_writes_roster_xlsx_matching_roster_csv(capsys, tiny):
    out = tiny["dir"] / "run"
    code = main([
        "run", str(tiny["scenario"]), "--out", str(out), "--quiet", "--time-limit", "2",
        "--workers", "1",
    ])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    csv = pd.read_csv(out / "roster.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(csv) and list(csv.columns) == COLUMNS  # roster.csv keeps the contract
    _sheets, rows = _read_weeks((out / "roster.xlsx").read_bytes(), GRID_SHEET["en"])
    assert_same_rows(rows, csv)
    assert {i for i in rows["agent_id"] if i.startswith("00")}  # 001.. kept as text
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["files"]["roster_xlsx"] == "roster.xlsx"
    marker = json.loads((out / ".peakplan-run.json").read_text(encoding="utf-8"))
    assert "roster.xlsx" in marker["files"]


def test_roster_command_writes_chinese_csv_and_xlsx(capsys, tiny):
    out: Path = tiny["dir"] / "hr" / "排班.csv"
    code = main(roster_args(tiny, out, "--hr-language", "zh"))
    assert code == 0, capsys.readouterr().err
    assert "排班.xlsx" in capsys.readouterr().out
    csv = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(csv.columns) == [HEADERS_ZH[c] for c in COLUMNS]
    assert set(csv["员工类型"]) <= {"正式员工", "兼职", "临时工"}
    _sheets, rows = _read_weeks(out.with_suffix(".xlsx").read_bytes(), GRID_SHEET["zh"])
    assert_same_rows(rows, csv)
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "coverage.csv", "unmet.csv", "排班.csv", "排班.xlsx",
    ]  # fmt: skip


def test_roster_paths_and_existing_workbook(tmp_path):
    from scenarios.file_output import check_files, roster_paths
    from scenarios.output import OutputPathError

    paths = roster_paths(tmp_path / "hr.csv")
    assert [p.name for p in paths] == ["hr.csv", "coverage.csv", "unmet.csv", "hr.xlsx"]
    with pytest.raises(OutputPathError, match="give the roster CSV's name"):
        roster_paths(tmp_path / "hr.xlsx")
    (tmp_path / "hr.xlsx").write_bytes(b"HR's own workbook")
    with pytest.raises(OutputPathError, match="hr.xlsx: already exists"):
        check_files(paths, [], overwrite=False)
