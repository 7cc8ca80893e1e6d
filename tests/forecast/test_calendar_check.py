"""Calendar check (``forecast.calendar_check``): a family that ran in the same season in earlier
years but has no row in the horizon is named, with its dates (CLI: tests/scenarios/
test_strict_calendar.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from forecast.calendar_check import missing_families
from forecast.validate import validate_events


def _events(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    raw = pd.DataFrame(rows, columns=["event", "phase", "start", "end"])
    return validate_events(raw, "events.csv")


SIX18 = [("618", "presale", f"{y}-05-20T20:00", f"{y}-05-31T19:59") for y in (2025, 2026)] + [
    ("618", "peak", f"{y}-06-18T00:00", f"{y}-06-18T01:59") for y in (2025, 2026)]


def test_a_family_seen_in_june_twice_is_expected_in_june_next_year():
    gaps = missing_families(_events(SIX18), pd.Timestamp("2027-06-01"),
                            pd.Timestamp("2027-06-18 23:59"))
    assert [g.family for g in gaps] == ["618"]
    msg = gaps[0].message()
    assert "'618'" in msg and "2025-05-20..2025-06-18" in msg and "2026-05-20..2026-06-18" in msg
    assert "2027-05-20..2027-06-18" in msg


@pytest.mark.parametrize("start,end", [
    ("2027-09-01", "2027-09-30 23:59"),  # another season: nothing expected
    ("2026-06-01", "2026-06-18 23:59"),  # the calendar has 2026's 618 in the horizon
])
def test_no_gap_outside_the_season_or_when_the_calendar_has_the_family(start, end):
    assert missing_families(_events(SIX18), pd.Timestamp(start), pd.Timestamp(end)) == []


def test_a_row_of_the_family_in_the_horizon_silences_the_check():
    rows = [*SIX18, ("618", "peak", "2027-06-18T00:00", "2027-06-18T01:59")]
    assert missing_families(_events(rows), pd.Timestamp("2027-06-01"),
                            pd.Timestamp("2027-06-18 23:59")) == []
