"""Time zones, plausibility limits and short history in the forecast package (issue 17).

Timestamps carrying a UTC offset (``Z``, ``+08:00``, ``-05:00``) are converted to the campaign's
time zone (naive local wall time, docs/contracts.md); a column mixing times with and without an
offset is rejected. Messages never echo cell values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecast import ForecastInputError, forecast_volume, validate_events, validate_history
from forecast.model import MIN_HISTORY_DAYS
from forecast.validate import parse_times


def hist(rows, cols=("timestamp", "volume")):
    return pd.DataFrame(rows, columns=list(cols), dtype="string")


def one_line(exc: pytest.ExceptionInfo, *parts: str) -> str:
    msg = str(exc.value)
    assert "\n" not in msg
    for p in parts:
        assert p in msg, msg
    return msg


def test_z_timestamps_are_converted_to_shanghai_wall_time():
    out = validate_history(hist([("2026-11-10T16:00:00Z", "5"), ("2026-11-10T17:00Z", "6")]), "h")
    assert out["timestamp"].tolist() == [pd.Timestamp("2026-11-11 00:00"),
                                          pd.Timestamp("2026-11-11 01:00")]
    assert out["timestamp"].dt.tz is None


def test_each_offset_is_converted_and_tz_argument_is_used():
    col = pd.Series(["2026-11-11T00:00:00+08:00", "2026-11-10T11:00:00-05:00",
                     "2026-11-10T16:00:00Z"], dtype="string")
    out = parse_times(col, "f.csv", "timestamp", tz="Asia/Shanghai")
    assert (out == pd.Timestamp("2026-11-11 00:00")).all()
    utc = parse_times(col, "f.csv", "timestamp", tz="UTC")
    assert (utc == pd.Timestamp("2026-11-10 16:00")).all()


def test_naive_timestamps_are_kept_as_local_time():
    out = parse_times(pd.Series(["2026-11-11T00:00"]), "f", "timestamp", tz="UTC")
    assert out.iloc[0] == pd.Timestamp("2026-11-11 00:00")


def test_mixed_naive_and_offset_column_is_rejected():
    df = hist([("2026-11-10T15:00:00", "1"), ("2026-11-10T16:00:00Z", "1")])
    with pytest.raises(ForecastInputError) as e:
        validate_history(df, "history.csv")
    one_line(e, "history.csv: row 3, field 'timestamp'", "offset")


def test_events_with_offsets_are_converted_date_only_end_still_whole_day():
    ev = pd.DataFrame(
        [("double11", "peak", "2026-11-10T16:00Z", "2026-11-10T17:59Z"),
         ("promo", "main", "2026-03-01", "2026-03-02")],
        columns=["event", "phase", "start", "end"], dtype="string",
    )
    out = validate_events(ev, "events.csv").set_index("event")
    assert out.loc["double11", "start"] == pd.Timestamp("2026-11-11 00:00")
    assert out.loc["double11", "end"] == pd.Timestamp("2026-11-11 01:59")
    assert out.loc["promo", "end"] == pd.Timestamp("2026-03-02 23:59:59")


def test_events_mixed_offsets_between_start_and_end_columns_each_checked():
    ev = pd.DataFrame([("a", "b", "2026-11-10T16:00Z", "2026-11-11T01:00"),
                       ("a", "c", "2026-11-12T16:00", "2026-11-12T17:00Z")],
                      columns=["event", "phase", "start", "end"], dtype="string")
    with pytest.raises(ForecastInputError) as e:
        validate_events(ev, "events.csv")
    one_line(e, "events.csv: row 2", "field 'start'", "offset")


@pytest.mark.parametrize(
    ("value", "expect"),
    [("1e308", "above"), ("nan", "not a number"), ("-inf", "infinite"), ("inf", "infinite"),
     ("1.5e7", "above")],
)
def test_absurd_volume_is_rejected_without_echoing(value, expect):
    df = hist([("2026-01-01T00:00", "1"), ("2026-01-01T01:00", value)])
    with pytest.raises(ForecastInputError) as e:
        validate_history(df, "history.csv")
    msg = one_line(e, "history.csv: row 3, field 'volume'", expect)
    assert value not in msg.split("field 'volume'")[1].replace("infinite", "")


@pytest.mark.parametrize("stamp", ["2300-01-01T00:00", "1999-12-31T23:00", "2101-01-01T00:00"])
def test_year_outside_plausible_range_is_rejected(stamp):
    df = hist([("2026-01-01T00:00", "1"), (stamp, "1")])
    with pytest.raises(ForecastInputError) as e:
        validate_history(df, "history.csv")
    msg = one_line(e, "history.csv: row 3, field 'timestamp'", "2000..2100")
    assert stamp not in msg


def test_errors_do_not_echo_cell_values():
    with pytest.raises(ForecastInputError) as e:
        validate_history(hist([("db_password=hunter2", "1")]), "h.csv")
    msg = one_line(e, "row 2", "field 'timestamp'", "not a date-time")
    assert "hunter2" not in msg
    with pytest.raises(ForecastInputError) as e:
        validate_history(hist([("2026-01-01T00:00", "secret42")]), "h.csv")
    msg = one_line(e, "row 2", "field 'volume'", "not a number")
    assert "secret42" not in msg
    ev = pd.DataFrame([("a", "b", "2026-03-01", "2026-03-02", "s3cr3t")],
                      columns=["event", "phase", "start", "end", "uplift"], dtype="string")
    with pytest.raises(ForecastInputError) as e:
        validate_events(ev, "e.csv")
    assert "s3cr3t" not in one_line(e, "row 2", "field 'uplift'", "not a number")


def test_absurd_uplift_is_rejected():
    ev = pd.DataFrame([("a", "b", "2026-03-01", "2026-03-02", "1e300")],
                      columns=["event", "phase", "start", "end", "uplift"], dtype="string")
    with pytest.raises(ForecastInputError) as e:
        validate_events(ev, "e.csv")
    one_line(e, "e.csv: row 2, field 'uplift'", "above")


def _hourly(days: float) -> pd.DataFrame:
    ts = pd.date_range("2026-10-01", periods=int(days * 24), freq="h")
    vol = 20 + 10 * np.sin(np.arange(len(ts)) / 24 * 2 * np.pi)
    return pd.DataFrame({"timestamp": ts, "volume": np.round(vol).astype(float)})


def test_short_history_is_a_clear_error_not_an_empty_forecast():
    with pytest.raises(ForecastInputError) as e:
        forecast_volume(_hourly(3), None, "2026-10-05", "2026-10-06")
    one_line(e, "history", f"{MIN_HISTORY_DAYS} days", "3.0 days")


def test_minimum_history_is_enough():
    out = forecast_volume(_hourly(MIN_HISTORY_DAYS), None, "2026-10-20", "2026-10-20T23:00")
    assert len(out) == 24 and (out["volume"] > 0).all()
