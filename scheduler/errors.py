"""Shared error types of the scheduler package."""

from __future__ import annotations


class SchedulerInputError(ValueError):
    """Bad input to a scheduler function; str() is one line naming source, row and field."""
