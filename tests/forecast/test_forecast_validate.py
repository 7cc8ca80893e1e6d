"""Input validation: one-line errors naming source, row and field."""

from __future__ import annotations

import pandas as pd
import pytest

from forecast import ForecastInputError, validate_events, validate_history


def hist(rows, cols=("timestamp", "volume")):
    return pd.DataFrame(rows, columns=list(cols), dtype="string")


def check_error(exc: pytest.ExceptionInfo, *parts: str) -> None:
    msg = str(exc.value)
    assert "\n" not in msg
    assert isinstance(exc.value, ValueError)
    for p in parts:
        assert p in msg, msg


def test_history_parses_sorts_and_accepts_fractional_volume():
    df = hist([("2025-01-01T01:00:00", "2.5"), ("2025-01-01T00:00:00", "3")])
    out = validate_history(df, "history.csv")
    assert list(out.columns) == ["timestamp", "volume"]
    assert out["timestamp"].tolist() == [pd.Timestamp("2025-01-01 00:00"),
                                          pd.Timestamp("2025-01-01 01:00")]
    assert out["volume"].tolist() == [3.0, 2.5]
    assert out["volume"].dtype == float


def test_duplicate_timestamp_names_row_and_first_row():
    df = hist([("2025-01-01T00:00", "1"), ("2025-01-01T01:00", "1"), ("2025-01-01T00:00", "2")])
    with pytest.raises(ForecastInputError) as e:
        validate_history(df, "history.csv")
    check_error(e, "history.csv", "row 4", "field 'timestamp'", "duplicate", "row 2")


def test_duplicate_timestamp_allowed_in_different_queues():
    df = hist([("2025-01-01T00:00", "1", "presale"), ("2025-01-01T00:00", "2", "aftersale")],
              cols=("timestamp", "volume", "queue"))
    out = validate_history(df, "h")
    assert sorted(out["queue"]) == ["aftersale", "presale"]
    dup = pd.concat([df, df.iloc[[0]]], ignore_index=True)
    with pytest.raises(ForecastInputError) as e:
        validate_history(dup, "h")
    check_error(e, "row 4", "duplicate timestamp within its queue", "row 2")


@pytest.mark.parametrize(
    ("value", "expect"),
    [("abc", "not a number"), ("-3", "negative value"), ("", "missing value"),
     ("inf", "infinite value")],
)
def test_bad_volume(value, expect):
    df = hist([("2025-01-01T00:00", "1"), ("2025-01-01T01:00", value)])
    with pytest.raises(ForecastInputError) as e:
        validate_history(df, "history.csv")
    check_error(e, "history.csv: row 3, field 'volume'", expect)


def test_bad_timestamp_missing_column_and_empty():
    with pytest.raises(ForecastInputError) as e:
        validate_history(hist([("yesterday", "1")]), "h.csv")
    check_error(e, "row 2", "field 'timestamp'", "not a date-time")
    assert "yesterday" not in str(e.value)
    with pytest.raises(ForecastInputError) as e:
        validate_history(pd.DataFrame({"timestamp": ["2025-01-01"]}), "h.csv")
    check_error(e, "row 1", "field 'volume'", "missing column")
    with pytest.raises(ForecastInputError) as e:
        validate_history(hist([]), "h.csv")
    check_error(e, "h.csv", "no data rows")


def ev(rows, uplift=False):
    cols = ["event", "phase", "start", "end"] + (["uplift"] if uplift else [])
    return pd.DataFrame(rows, columns=cols, dtype="string")


def test_events_end_before_start():
    with pytest.raises(ForecastInputError) as e:
        validate_events(ev([("double11", "peak", "2025-11-11T02:00", "2025-11-11T01:00")]),
                        "events.csv")
    check_error(e, "events.csv: row 2, field 'end'", "before start")


def test_events_overlapping_phases_of_one_event():
    rows = [("double11", "presale", "2025-10-20T20:00", "2025-10-31T20:59"),
            ("double11", "deposit_payment", "2025-10-31T20:00", "2025-11-10T23:59")]
    with pytest.raises(ForecastInputError) as e:
        validate_events(ev(rows), "events.csv")
    check_error(e, "row 3", "field 'start'", "overlaps", "(row 2)")


def test_events_other_family_may_overlap_and_next_year_is_new_occurrence():
    rows = [("double11", "main", "2025-11-11T00:00", "2025-11-11T23:59"),
            ("promo_x", "main", "2025-11-11T00:00", "2025-11-11T23:59"),
            ("double11", "main", "2026-11-11T00:00", "2026-11-11T23:59")]
    out = validate_events(ev(rows), "e")
    assert out["occurrence"].nunique() == 3
    assert out["uplift"].isna().all()


def test_events_phase_seen_again_within_weeks_starts_a_new_occurrence():
    # a bank's catch-up day after each holiday: weeks apart (< 60 days), one occurrence each;
    # the phases of one Double 11 stay one occurrence
    rows = [("post_holiday", "catch_up", "2003-05-27", "2003-05-27"),
            ("post_holiday", "catch_up", "2003-07-07", "2003-07-07"),
            ("post_holiday", "catch_up", "2003-09-02", "2003-09-02"),
            ("double11", "presale", "2025-10-20T20:00", "2025-10-31T19:59"),
            ("double11", "peak", "2025-11-11T00:00", "2025-11-11T01:59"),
            ("double11", "tail", "2025-11-12T00:00", "2025-11-13T23:59")]
    out = validate_events(ev(rows), "e")
    per_family = out.groupby("event")["occurrence"].nunique()
    assert per_family["post_holiday"] == 3
    assert per_family["double11"] == 1


def test_events_date_only_end_is_whole_day_and_uplift_parsed():
    out = validate_events(ev([("newshop", "main", "2025-03-01", "2025-03-02", "2.5")],
                             uplift=True), "e")
    assert out.loc[0, "end"] == pd.Timestamp("2025-03-02 23:59:59")
    assert out.loc[0, "uplift"] == 2.5
    with pytest.raises(ForecastInputError) as e:
        validate_events(ev([("a", "b", "2025-03-01", "2025-03-02", "lots")], uplift=True), "e")
    check_error(e, "row 2", "field 'uplift'", "not a number")
    with pytest.raises(ForecastInputError) as e:
        validate_events(ev([("a", "b", "2025-03-01", "2025-03-02", "-1")], uplift=True), "e")
    check_error(e, "row 2", "field 'uplift'", "negative")


def test_events_missing_column_and_value():
    with pytest.raises(ForecastInputError) as e:
        validate_events(pd.DataFrame({"event": ["a"], "phase": ["b"], "start": ["2025-01-01"]}),
                        "e.csv")
    check_error(e, "row 1", "field 'end'", "missing column")
    with pytest.raises(ForecastInputError) as e:
        validate_events(ev([("a", "", "2025-01-01", "2025-01-02")]), "e.csv")
    check_error(e, "row 2", "field 'phase'", "missing value")
