"""Warnings for implausible but legal inputs (issue 17): the run continues, the user is told.

Hard limits (inf, nan, negative, absurd magnitudes) are errors raised by the schemas and the CSV
parsers; these functions flag values that are allowed but probably a typo or a unit mix-up
(a shrinkage of 0.999, an uplift of 1000x). Each returns one-line texts ``<key>: <why>`` (for a
scenario) or ``row N, field 'f': <why>`` (for a CSV); the CLI prints each once as
``peakplan: warning: <file>: <text>``. CSV warnings never echo cell values.
"""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

import numpy as np
import pandas as pd

from scenarios.io import InputFileError
from scenarios.schema import Scenario

#: Warning thresholds (units in the names); values beyond them are legal but rare.
SHRINKAGE_MAX = 0.6  # share of on-duty time not on chats
OCCUPANCY_MIN = 0.3  # occupancy cap
CONCURRENCY_MAX = 10  # chats at once per agent
AHT_MAX_SECONDS = 3600.0  # one chat handled for over an hour
AHT_MIN_SECONDS = 10.0
BOT_DEFLECTION_MAX = 0.9
TARGET_MAX_SECONDS = 3600.0
OVERTIME_PREMIUM_MAX = 4.0
SHORTFALL_PRICE_MAX_CNY = 10000.0  # per agent-hour short
HOURLY_COST_MAX_CNY = 1000.0  # temporary agent wage per hour
UPLIFT_MAX = 100.0  # event multiplier


def plausibility_warnings(scenario: Scenario) -> list[str]:
    """Warnings ``section.key: why`` for implausible but legal scenario values, one per key."""
    service, costs = scenario.service, scenario.costs
    pool = scenario.workforce.temporary
    checks = [
        (service.shrinkage > SHRINKAGE_MAX, "service.shrinkage",
         f"{service.shrinkage:g} leaves only {1 - service.shrinkage:.0%} of on-duty time for "
         f"chats (above {SHRINKAGE_MAX:g} is unusual; a percent instead of a share?)"),
        (service.max_occupancy < OCCUPANCY_MIN, "service.max_occupancy",
         f"a cap of {service.max_occupancy:g} keeps agents idle most of the time "
         f"(below {OCCUPANCY_MIN:g} is unusual)"),
        (service.concurrency > CONCURRENCY_MAX, "service.concurrency",
         f"{service.concurrency} chats at once per agent is unusual (above {CONCURRENCY_MAX})"),
        (service.aht_seconds > AHT_MAX_SECONDS, "service.aht_seconds",
         f"{service.aht_seconds:g} s is over an hour per chat (minutes instead of seconds?)"),
        (service.aht_seconds < AHT_MIN_SECONDS, "service.aht_seconds",
         f"{service.aht_seconds:g} s per chat is unusually short (minutes instead of seconds?)"),
        (service.bot_deflection > BOT_DEFLECTION_MAX, "service.bot_deflection",
         f"the bot answering {service.bot_deflection:.0%} of inquiries is unusual"),
        (service.target_seconds > TARGET_MAX_SECONDS, "service.target_seconds",
         f"a first-response target of {service.target_seconds:g} s is over an hour"),
        (costs.overtime_premium > OVERTIME_PREMIUM_MAX, "costs.overtime_premium",
         f"overtime at {costs.overtime_premium:g}x the base rate is unusual"),
        ((costs.shortfall_cost_per_agent_hour_cny or 0.0) > SHORTFALL_PRICE_MAX_CNY,
         "costs.shortfall_cost_per_agent_hour_cny",
         f"above {SHORTFALL_PRICE_MAX_CNY:,.0f} CNY per agent-hour short is unusual"),
        (pool.hourly_cost_cny > HOURLY_COST_MAX_CNY, "workforce.temporary.hourly_cost_cny",
         f"above {HOURLY_COST_MAX_CNY:,.0f} CNY per hour is unusual for a temporary agent"),
    ]
    out: list[str] = []
    seen: set[str] = set()
    for hit, key, why in checks:
        if hit and key not in seen:
            seen.add(key)
            out.append(f"{key}: {why}")
    return out


def events_warnings(events: pd.DataFrame | None) -> list[str]:
    """Warnings ``row N, field 'uplift': why`` for implausibly large event uplifts.

    ``events`` is a validated events frame (``forecast.validate_events``: ``uplift``, ``row``).
    """
    if events is None or "uplift" not in events or events.empty:
        return []
    uplift = events["uplift"].to_numpy(dtype=float)
    rows = events["row"].to_numpy(dtype=int)
    big = np.nan_to_num(uplift, nan=0.0) > UPLIFT_MAX
    return [
        f"row {row}, field 'uplift': above {UPLIFT_MAX:g}x is implausible for a multiplier "
        "(1.5 means +50 %; a percent instead of a multiplier?)"
        for row in sorted(rows[big])
    ]


def calendar_gaps(events: pd.DataFrame | None, start: datetime, end: datetime,
                  source: str, strict: bool = False) -> list[str]:
    """Warnings for event families that ran in the same season in earlier years but have no
    row in [``start``, ``end``] (``forecast.calendar_check``); with ``strict`` the first one is
    raised as an :class:`InputFileError` naming ``source`` instead."""
    from forecast.calendar_check import missing_families

    texts = [m.message() for m in missing_families(events, pd.Timestamp(start), pd.Timestamp(end))]
    if strict and texts:
        raise InputFileError(f"{source}: {texts[0]} (--strict-calendar)")
    return texts


def scenario_warnings(path: Path, scenario: Scenario, events: bool = True,
                      strict_calendar: bool = False) -> dict[str, list[str]]:
    """Every warning of a scenario run, by file name: the scenario's own values and (when
    ``events``) the uplifts of its events file (read and validated here) and the families its
    calendar lacks in the campaign (``calendar_gaps``; an error when ``strict_calendar``)."""
    from scenarios.pipeline import load_events

    out = {path.name: plausibility_warnings(scenario)}
    if events and scenario.forecast.events is not None:
        loaded = load_events(scenario.forecast.events, scenario.campaign.timezone)
        name = scenario.forecast.events.name
        out.setdefault(name, []).extend(events_warnings(loaded))
        c = scenario.campaign
        out[name].extend(calendar_gaps(
            loaded, datetime.combine(c.start, time(0)), datetime.combine(c.end, time(23, 59, 59)),
            name, strict_calendar))
    return out
