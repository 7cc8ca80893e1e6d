"""Error and warning types raised by the forecast package."""

from __future__ import annotations


class ForecastInputError(ValueError):
    """Bad history/events input. ``str()`` is one line naming source, row and field."""


class ForecastWarning(UserWarning):
    """Recoverable problem, e.g. an event with no history and no ``uplift`` (no effect applied)."""


def row_error(source: str, row: int | None, field: str | None, message: str) -> ForecastInputError:
    """Build a one-line error ``source: row N, field 'f': message`` (row = 1-based CSV line)."""
    parts = [source]
    where = []
    if row is not None:
        where.append(f"row {row}")
    if field is not None:
        where.append(f"field '{field}'")
    text = f"{source}: {', '.join(where)}: {message}" if where else f"{parts[0]}: {message}"
    return ForecastInputError(" ".join(text.split()))
