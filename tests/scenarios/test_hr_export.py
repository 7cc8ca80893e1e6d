"""The HR roster CSV: columns, formats and exact bytes of a tiny roster."""

from datetime import date, datetime

from scenarios import io
from scenarios.hr_export import COLUMNS, roster_frame
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
