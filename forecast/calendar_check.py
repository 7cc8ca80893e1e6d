"""Calendar check: an event family that ran in the same season in earlier years but has no phase
in the forecast horizon.

The model learns each family's uplift from its past occurrences and applies it only where the
calendar places a phase; a horizon that lacks the family's rows (planning 618 2027 with a
calendar that stops in 2026) is forecast as ordinary days, silently: the peak hour comes out
near a third of what the past two 618s saw. This module finds such gaps so the caller can warn
(or, strict, refuse).

Rule: a family is *expected* in [start, end] when one of its past occurrences (every phase
ending before ``start``), shifted by whole years to the horizon's year(s), overlaps the horizon
by at least ``MIN_OVERLAP_DAYS``; it is *missing* when no phase of the family overlaps the
horizon itself. Moving holidays (lunar new year) shift by up to a few weeks between years, so
the check asks for an overlap, not the same dates.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

MIN_OVERLAP_DAYS = 1.0  # shifted past occurrence must overlap the horizon by at least a day


@dataclass(frozen=True)
class MissingFamily:
    """One family expected in the horizon without a row there."""

    family: str
    past: tuple[tuple[pd.Timestamp, pd.Timestamp], ...]  # earlier occurrences (first, last)
    expected: tuple[pd.Timestamp, pd.Timestamp]  # the latest one shifted into the horizon

    def message(self) -> str:
        """One line naming the family and the dates (for a warning or an error)."""
        spans = [f"{a:%Y-%m-%d}..{b:%Y-%m-%d}" for a, b in self.past]
        runs = spans[0] if len(spans) == 1 else ", ".join(spans[:-1]) + " and " + spans[-1]
        a, b = self.expected
        return (
            f"event family '{self.family}' has no row in the plan, though it ran in the same "
            f"season before ({runs}); expected around {a:%Y-%m-%d}..{b:%Y-%m-%d}, forecast as "
            "ordinary days: add its phases to the calendar"
        )


def _shift_years(t: pd.Timestamp, years: int) -> pd.Timestamp:
    return t + pd.DateOffset(years=years)


def missing_families(events: pd.DataFrame | None, start: pd.Timestamp,
                     end: pd.Timestamp) -> list[MissingFamily]:
    """Families expected in [``start``, ``end``] (inclusive) with no phase there.

    ``events``: validated events (``event``, ``start``, ``end``, ``occurrence``; see
    :func:`forecast.validate_events`). Returns them in family order of first appearance.
    """
    if events is None or events.empty:
        return []
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    out: list[MissingFamily] = []
    for family, rows in events.groupby("event", sort=False):
        if ((rows["start"] <= end) & (rows["end"] >= start)).any():
            continue  # the calendar has the family in the horizon
        spans = rows.groupby("occurrence").agg(first=("start", "min"), last=("end", "max"))
        spans = spans[spans["last"] < start].sort_values("first")
        past, expected = [], None
        for first, last in zip(spans["first"], spans["last"], strict=True):
            for year in sorted({start.year, end.year}):
                k = year - first.year
                if k < 1:
                    continue
                a, b = _shift_years(first, k), _shift_years(last, k)
                overlap = (min(b, end) - max(a, start)) / pd.Timedelta(days=1)
                if overlap >= MIN_OVERLAP_DAYS:
                    past.append((first, last))
                    expected = (a, b)
                    break
        if expected is not None:
            out.append(MissingFamily(str(family), tuple(past), expected))
    return out
