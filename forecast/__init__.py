"""Promotion-aware hourly inquiry forecasting (statsmodels count GLM with event phases).

Public API:

* :func:`validate_history`, :func:`validate_events` — parse CSV-text frames, one-line errors.
* :func:`forecast_volume` — forecast frame ``timestamp[,queue],volume,lower_80,upper_80,...``.
* :func:`backtest`, :func:`cli_backtest_report` — rolling-origin accuracy (WAPE, bias, coverage).
* :class:`ForecastInputError` (a ValueError), :class:`ForecastWarning`.
* ``forecast.columns``: the frames' column names, defined once.

The model (statsmodels) loads on the first use of :func:`forecast_volume` or :func:`backtest`, so
importing the package, its validators or ``forecast.columns`` stays light (the dashboard does).
"""

from __future__ import annotations

from typing import Any

from forecast.backtest import backtest, cli_backtest_report
from forecast.errors import ForecastInputError, ForecastWarning
from forecast.validate import validate_events, validate_history

__all__ = [
    "ForecastInputError",
    "ForecastWarning",
    "backtest",
    "cli_backtest_report",
    "forecast_volume",
    "validate_events",
    "validate_history",
]


def __getattr__(name: str) -> Any:
    """``forecast_volume``, imported from forecast.api on first use."""
    if name == "forecast_volume":
        from forecast.api import forecast_volume

        return forecast_volume
    raise AttributeError(f"module 'forecast' has no attribute {name!r}")
