"""agents.csv parsing: types, availability, days off, and row/field error messages."""

from datetime import date, time

import pandas as pd
import pytest

from scenarios.agents import agents_from_frame
from scenarios.io import InputFileError

BASE = {
    "agent_id": "007",
    "name": "张伟",
    "agent_type": "permanent",
    "contract_hours_per_week": "40",
    "min_hours_per_week": "40",
    "max_hours_per_week": "54",
    "hourly_cost_cny": "30",
    "available_weekdays": "Mon,Tue,Sat",
    "available_from": "18:00",
    "available_to": "02:00",
    "days_off": "2026-11-05;2026-11-06",
    "efficiency": "1.1",
}


def frame(**changes):
    row = {**BASE, **changes}
    return pd.DataFrame([row], dtype="string")


def test_parses_a_full_row():
    (agent,) = agents_from_frame(frame(), "agents.csv")
    assert agent.agent_id == "007"
    assert agent.available_weekdays == (0, 1, 5)
    assert agent.available_from == time(18, 0) and agent.available_to == time(2, 0)
    assert agent.days_off == (date(2026, 11, 5), date(2026, 11, 6))
    assert agent.efficiency == 1.1


def test_empty_optional_fields_mean_any():
    (agent,) = agents_from_frame(
        frame(available_weekdays=None, available_from=None, available_to=None, days_off=None),
        "agents.csv",
    )
    assert agent.available_weekdays == tuple(range(7))
    assert agent.available_from is None and agent.days_off == ()


@pytest.mark.parametrize(
    "change,expected",
    [
        ({"agent_type": "intern"}, "row 2, field 'agent_type'"),
        ({"max_hours_per_week": "-1"}, "row 2, field 'max_hours_per_week'"),
        ({"hourly_cost_cny": "abc"}, "row 2, field 'hourly_cost_cny': not a number"),
        ({"available_from": "25:00"}, "row 2, field 'available_from'"),
        ({"available_weekdays": "Mon,Funday"}, "field 'available_weekdays': unknown weekday"),
        ({"days_off": "2026-13-01"}, "field 'days_off'"),
        ({"min_hours_per_week": "60"}, "min_hours_per_week is greater than max_hours_per_week"),
    ],
)
def test_bad_rows_name_row_and_field(change, expected):
    with pytest.raises(InputFileError) as err:
        agents_from_frame(frame(**change), "agents.csv")
    assert str(err.value).startswith("agents.csv: row 2")
    assert expected in str(err.value)


def test_duplicate_ids_rejected():
    both = pd.concat([frame(), frame()], ignore_index=True)
    with pytest.raises(InputFileError, match="row 3, field 'agent_id': duplicate of row 2"):
        agents_from_frame(both, "agents.csv")
