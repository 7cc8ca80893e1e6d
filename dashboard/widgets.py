"""Small Streamlit widgets shared by the views."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.i18n import day, t


def day_range(timestamps: pd.Series, key: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Slider over the calendar days of ``timestamps`` (naive local); returns the chosen
    ``[start, end)`` as timestamps (start of the first day, midnight after the last day)."""
    days = sorted({d for d in timestamps.dt.date})
    first, last = days[0], days[-1]
    if first == last:
        chosen = (first, last)
    else:
        chosen = st.select_slider(
            t("common.days"),
            options=days,
            value=(first, last),
            key=key,
            format_func=day,
        )
    return pd.Timestamp(chosen[0]), pd.Timestamp(chosen[1] + dt.timedelta(days=1))


def within(frame: pd.DataFrame, span: tuple[pd.Timestamp, pd.Timestamp]) -> pd.DataFrame:
    """Rows of ``frame`` whose ``timestamp`` lies in ``[start, end)``."""
    start, end = span
    return frame.loc[(frame["timestamp"] >= start) & (frame["timestamp"] < end)]
