"""The HR roster CSV: columns, formats and exact bytes of a tiny roster; Chinese headers; every
CSV peakplan writes neutralises cells that a spreadsheet would run as a formula."""

from datetime import date, datetime

import pandas as pd
import pytest

from scenarios import io
from scenarios.hr_export import (
    COLUMNS,
    HEADERS_ZH,
    hr_csv_bytes,
    hr_frame,
    read_roster_text,
    roster_frame,
)
from scheduler.roster.schema import Break, ShiftAssignment


def assignments():
    return [
        ShiftAssignment(
            agent_id="007",
            agent_name="张伟",
            agent_type="permanent",
            date=date(2026, 11, 10),
            shift_start=datetime(2026, 11, 10, 20, 0),
            shift_end=datetime(2026, 11, 11, 5, 0),
            breaks=(
                Break(
                    start=datetime(2026, 11, 11, 0, 0), end=datetime(2026, 11, 11, 1, 0), paid=False
                ),
            ),
            paid_hours=8.0,
            cost_cny=0.0,
        ),
        ShiftAssignment(
            agent_id="TEMP-001",
            agent_name="=cmd",
            agent_type="temporary",
            date=date(2026, 11, 10),
            shift_start=datetime(2026, 11, 10, 18, 0),
            shift_end=datetime(2026, 11, 11, 0, 0),
            paid_hours=6.0,
            cost_cny=748.0,
        ),
    ]


def test_columns_and_sorting():
    frame = roster_frame(assignments())
    assert list(frame.columns) == COLUMNS
    assert frame["agent_id"].tolist() == ["TEMP-001", "007"]  # sorted by start time
    assert frame.loc[1, "shift_end"] == "2026-11-11 05:00"
    assert frame.loc[1, "breaks"] == "00:00-01:00"
    assert frame.loc[0, "breaks"] == ""


def test_golden_bytes(tmp_path):
    path = io.write_csv(roster_frame(assignments()), tmp_path / "roster.csv", for_people=True)
    expected = (
        "\ufeffagent_id,agent_name,agent_type,date,shift_start,shift_end,breaks,paid_hours,cost_cny\n"
        "TEMP-001,'=cmd,temporary,2026-11-10,2026-11-10 18:00,2026-11-11 00:00,,6.0,748.0\n"
        "007,张伟,permanent,2026-11-10,2026-11-10 20:00,2026-11-11 05:00,00:00-01:00,8.0,0.0\n"
    ).encode()
    assert path.read_bytes() == expected


def test_chinese_headers_and_agent_types():
    frame = roster_frame(assignments())
    zh = hr_frame(frame, "zh")
    assert list(zh.columns) == [HEADERS_ZH[c] for c in COLUMNS]
    header = "工号,姓名,员工类型,日期,上班时间,下班时间,休息时段,计薪工时,成本(元)"
    assert ",".join(zh.columns) == header
    assert zh["员工类型"].tolist() == ["临时工", "正式员工"]
    assert zh["工号"].tolist() == ["TEMP-001", "007"]  # values otherwise unchanged
    assert hr_frame(frame, "en").equals(frame)


def test_chinese_csv_bytes_round_trip():
    data = hr_csv_bytes(roster_frame(assignments()), "zh")
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(HEADERS_ZH[c] for c in COLUMNS)
    assert lines[1].startswith("TEMP-001,'=cmd,临时工,2026-11-10,")
    # English bytes are exactly what the run directory's roster.csv holds.
    english = hr_csv_bytes(roster_frame(assignments()), "en")
    assert english == io.csv_bytes(roster_frame(assignments()), for_people=True)
    back = read_roster_text(english)
    assert back["agent_id"].tolist() == ["TEMP-001", "007"]
    assert hr_csv_bytes(back, "en") == english  # re-export: neutralised once, not twice


def test_unknown_language_and_bad_file():
    with pytest.raises(ValueError, match="expected one of en, zh"):
        hr_frame(roster_frame(assignments()), "fr")
    with pytest.raises(ValueError, match="missing column 'agent_id'"):
        read_roster_text("\ufeffid,name\n1,a\n".encode())


def test_every_csv_is_formula_neutral():
    frame = pd.DataFrame(
        {"phase": ["=1+2", "+x", "-cmd", "@SUM(A1)", "-3.5", "ok"], "n": [-1.5, 2, 3, 4, 5, 6]}
    )
    text = io.csv_bytes(frame).decode("utf-8")
    assert not text.startswith("\ufeff")
    rows = text.splitlines()[1:]
    assert [r.split(",")[0] for r in rows] == ["'=1+2", "'+x", "'-cmd", "'@SUM(A1)", "-3.5", "ok"]
    assert rows[0].endswith(",-1.5")
    assert io.csv_bytes(frame, for_people=True).startswith(b"\xef\xbb\xbf")
