"""Column names of the forecast package's frames, defined once (docs/contracts.md, "CSV inputs"
and "Frames between stages"). Plain constants, no imports: the dashboard and the run writer use
them without loading the model (statsmodels).

Units: ``volume`` and the bounds are inquiries per interval; ``var`` and ``var_level`` are
inquiries²; ``timestamp`` is the interval start, naive local time.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Required columns of history.csv (``queue`` is optional: one forecast per queue).
HISTORY_COLUMNS = ("timestamp", "volume")
#: Required columns of events.csv, one row per promotion phase; ``start``/``end`` inclusive.
EVENTS_COLUMNS = ("event", "phase", "start", "end")
#: Optional events.csv column: the uplift multiplier of a family never seen in the history.
UPLIFT = "uplift"
#: Prediction-interval levels (percent) the pipeline and ``peakplan forecast`` write by default.
DEFAULT_LEVELS = (80, 95)
#: Columns ``forecast_volume(..., predictive=True)`` appends after the bounds.
PREDICTIVE_COLUMNS = ("var", "var_level")


def level_name(level: float) -> str:
    """A level in percent as it appears in column names: ``80`` -> ``80``, ``97.5`` -> ``97_5``."""
    return f"{level:g}".replace(".", "_")


def bound_columns(levels: Sequence[float] = DEFAULT_LEVELS) -> tuple[str, ...]:
    """``lower_<L>, upper_<L>`` for every level, in order (inquiries per interval)."""
    return tuple(f"{side}_{level_name(lv)}" for lv in levels for side in ("lower", "upper"))


#: Bounds of the default levels: ``lower_80, upper_80, lower_95, upper_95``.
BOUND_COLUMNS = bound_columns()
#: The forecast frame of one queue at the default levels (``queue`` follows ``timestamp`` when
#: the history has queues).
FORECAST_COLUMNS = ("timestamp", "volume", *BOUND_COLUMNS)
