"""Promotion-aware hourly inquiry forecasting (statsmodels count GLM with event phases).

Public API:

* :func:`validate_history`, :func:`validate_events` — parse CSV-text frames, one-line errors.
* :func:`forecast_volume` — forecast frame ``timestamp[,queue],volume,lower_80,upper_80,...``.
* :func:`backtest`, :func:`cli_backtest_report` — rolling-origin accuracy (WAPE, bias, coverage).
* :class:`ForecastInputError` (a ValueError), :class:`ForecastWarning`.
"""

from forecast.api import forecast_volume
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
