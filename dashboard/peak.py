"""The peak at a glance: the worst day, its worst intervals and the binding limit as an action
with its price (pure functions, no Streamlit; the Overview renders them via dashboard.peak_view).

Sources, all from the run directory (docs/contracts.md): ``summary.json`` (worst day by service
as scheduled, targets), ``coverage.csv`` (required, scheduled, shortfall and the ``expected_*``
service of the roster as scheduled, per interval), ``unmet.csv`` (periods short and the limit
that binds there, worded by scheduler.roster.pricing.unmet) and ``scenario.resolved.toml`` (the temp
pool, its hourly cost and fees, the temporaries' shift lengths, and the shortfall price).

Units: agents on duty (× efficiency), agent-hours, CNY, shares 0–1, naive local timestamps.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from scenarios.schema import Scenario
from scheduler.staffing import ServiceParams

#: An unmet period with fewer agent-hours short than this is a rounding sliver (agents of
#: efficiency 0.97 rostered against whole required agents), not demand left unmet.
MATERIAL_AGENT_HOURS = 0.5
#: An interval counts as short when at least this many agents (× efficiency) are missing.
MATERIAL_AGENTS = 0.5


def material_unmet(unmet: pd.DataFrame) -> pd.DataFrame:
    """Rows of unmet.csv with at least :data:`MATERIAL_AGENT_HOURS` agent-hours short."""
    return unmet.loc[unmet["agent_hours_short"] >= MATERIAL_AGENT_HOURS]


def short_intervals(coverage: pd.DataFrame) -> pd.Series:
    """True for intervals of coverage.csv short by at least :data:`MATERIAL_AGENTS` agents."""
    return coverage["shortfall"] >= MATERIAL_AGENTS


# --------------------------------------------------------------------------- binding limits


@dataclass(frozen=True)
class Binding:
    """The limit that kept an unmet period short, parsed from unmet.csv ``binding``.

    ``kind`` is one of ``no_shift_start``, ``lead_days``, ``pool_exhausted``, ``cheaper``,
    ``no_temps``, ``temps_unused``, ``temp_too_dear`` or ``other`` (the text as written);
    ``values`` holds the figures of the message (counts, CNY, a date)."""

    kind: str
    values: dict[str, object] = field(default_factory=dict)
    text: str = ""

    @property
    def temps_help(self) -> bool:
        """True when more temporaries could fill the period (their number or the solver limits
        it), False when shift rules, the temps' lead time or the shortfall price do."""
        return self.kind in ("pool_exhausted", "no_temps", "temps_unused", "temp_too_dear")


_NAMED = r"(?P<named>weekly hour limits of named agents|all available named agents rostered)"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("no_shift_start", re.compile(r"^no permitted shift start covers this time$")),
    ("lead_days", re.compile(
        r"^temporaries not available before (?P<date>\d{4}-\d{2}-\d{2}) "
        r"\(lead_days (?P<days>\d+)\)$"
    )),
    ("pool_exhausted", re.compile(
        r"^temporary pool exhausted \((?P<hired>\d+) of (?P<max>\d+) hired\)$"
    )),
    ("cheaper", re.compile(r"^cheaper to leave short than to staff \(shortfall penalty "
                           r"(?P<price>[\d.e+]+) CNY per agent-hour\)$")),
    ("no_temps", re.compile(rf"^{_NAMED}; no temporaries allowed$")),
    ("temps_unused", re.compile(
        rf"^{_NAMED}; (?P<more>\d+) more temporaries were allowed \((?P<hired>\d+) of "
        r"(?P<max>\d+) hired\)"
    )),
    ("temp_too_dear", re.compile(
        rf"^{_NAMED}; a temporary \(hire (?P<fee>[\d.e+]+) CNY \+ (?P<hourly>[\d.e+]+) CNY/h\) "
        r"costs more than the shortfall(?: it could remove)? "
        r"\((?P<price>[\d.e+]+) CNY per agent-hour\)$"
    )),
)  # fmt: skip


def classify_binding(text: object) -> Binding:
    """The :class:`Binding` of one unmet.csv ``binding`` text (scheduler.roster.pricing.unmet's
    wording); an unknown text is kind ``other`` with the text kept."""
    raw = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    for kind, pattern in _PATTERNS:
        match = pattern.match(raw.strip())
        if match:
            values: dict[str, object] = {}
            for key, value in match.groupdict().items():
                values[key] = value if key in ("date", "named") else float(value)
            return Binding(kind, values, raw)
    return Binding("other", {"text": raw}, raw)


# ------------------------------------------------------------------------------ temp prices


@dataclass(frozen=True)
class TempPrice:
    """What one more temporary costs and what an agent-hour short is worth (CNY).

    ``fee_cny`` = onboarding + paid training hours; ``efficiency`` = a new temp's first-day
    efficiency (the first value of the efficiency ramp); ``available_from`` = the first day
    temps may work (horizon start + lead_days); ``service`` = the scenario's ``[service]``,
    to evaluate the service the action would give (None: not evaluated)."""

    hourly_cny: float
    fee_cny: float
    paid_hours_min: float
    paid_hours_max: float
    efficiency: float
    shortfall_price_cny: float
    max_headcount: int
    available_from: dt.date
    service: ServiceParams | None = None


def answered_per_agent_hour(scenario: Scenario) -> float:
    """Chats one productive agent-hour answers at the occupancy cap: the same formula as
    scenarios.pipeline.answered_per_agent_hour (a test checks they agree), kept here because
    importing the pipeline costs the Overview about a second."""
    service = scenario.service
    return 3600.0 / service.chat_handle_seconds * service.concurrency * service.max_occupancy


def temp_price(scenario: Scenario) -> TempPrice:
    """The :class:`TempPrice` of a scenario: ``[workforce.temporary]``, ``[shifts.temporary]``
    and the shortfall price of ``[costs]`` (given, or derived from the value of an answer)."""
    pool, policy = scenario.workforce.temporary, scenario.shifts.temporary
    price = scenario.costs.to_cost_params(answered_per_agent_hour(scenario))
    return TempPrice(
        hourly_cny=float(pool.hourly_cost_cny),
        fee_cny=float(pool.onboarding_cost_cny + pool.training_hours * pool.hourly_cost_cny),
        paid_hours_min=float(policy.paid_hours_min),
        paid_hours_max=float(policy.paid_hours_max),
        efficiency=float(pool.efficiency_ramp[0]),
        shortfall_price_cny=float(price.shortfall_cost_per_agent_hour_cny),
        max_headcount=int(pool.max_headcount),
        available_from=scenario.campaign.start + dt.timedelta(days=pool.lead_days),
        service=scenario.service,
    )


def load_temp_price(run_dir: str | Path) -> TempPrice | None:
    """:func:`temp_price` of the run's ``scenario.resolved.toml``; None when the run has none
    or it does not load (a run written before peakplan kept it)."""
    from scenarios.load import ScenarioError, load_scenario

    file = Path(run_dir) / "scenario.resolved.toml"
    if not file.is_file():
        return None
    try:
        return temp_price(load_scenario(file, allow_outside_paths=True))
    except (ScenarioError, OSError, ValueError):
        return None


# ------------------------------------------------------------------------------ the action


@dataclass(frozen=True)
class HireAction:
    """Hire ``temps`` more temporaries for ``[start, end)``: ``cost_cny`` = their fees and the
    wages of one shift each (``paid_hours`` each, at least the shortest temp shift), and
    ``value_cny`` = the shortfall value they remove (``agent_hours`` covered × price);
    ``on_duty`` = temps on duty at once (``temps`` / the shifts in a row a long period takes);
    ``service_before`` / ``service_after`` = the period's lowest service level as scheduled
    without and with them (None when not evaluated)."""

    start: pd.Timestamp
    end: pd.Timestamp
    temps: int
    paid_hours: float
    cost_cny: float
    agent_hours: float
    value_cny: float
    cost_one_cny: float
    value_first_cny: float
    on_duty: int = 0
    service_before: float | None = None
    service_after: float | None = None

    @property
    def net_cny(self) -> float:
        """Cost minus shortfall value removed: negative = the action saves money."""
        return self.cost_cny - self.value_cny


def hire_action(
    shortfall: np.ndarray,
    start: pd.Timestamp,
    end: pd.Timestamp,
    interval_minutes: int,
    price: TempPrice,
) -> HireAction:
    """How many more temps pay for themselves over one short period, and their price.

    ``shortfall`` = agents short in each interval of ``[start, end)``. Temps are added one at
    a time, each ``price.efficiency`` agents on duty over the whole period (a new hire at
    first-day efficiency, conservatively); the k-th temp removes
    ``sum_i clip(s_i - (k-1)·e, 0, e) × hours`` agent-hours short. It is hired while that is
    worth at least its cost: fee + hourly × max(shortest shift, period length) per shift, a
    period longer than the longest shift taking several shifts (several temps) in a row."""
    s = np.clip(np.asarray(shortfall, dtype=float), 0.0, None)
    hours = interval_minutes / 60
    span_h = len(s) * hours
    shifts = max(1, math.ceil(span_h / price.paid_hours_max - 1e-9))
    paid = max(price.paid_hours_min, span_h / shifts)
    cost_one = shifts * (price.fee_cny + paid * price.hourly_cny)
    e = price.efficiency
    temps, covered = 0, 0.0
    value_first = 0.0
    limit = math.ceil(float(s.max(initial=0.0)) / e - 1e-9) if e > 0 else 0
    for k in range(1, limit + 1):
        extra = float(np.clip(s - (k - 1) * e, 0.0, e).sum() * hours)
        value = extra * price.shortfall_price_cny
        if k == 1:
            value_first = value
        if value < cost_one:
            break
        temps, covered = k, covered + extra
    return HireAction(
        start=start,
        end=end,
        temps=temps * shifts,
        paid_hours=paid,
        cost_cny=temps * cost_one,
        agent_hours=covered,
        value_cny=covered * price.shortfall_price_cny,
        cost_one_cny=cost_one,
        value_first_cny=value_first,
        on_duty=temps,
    )


def service_with_temps(
    window: pd.DataFrame,
    requirements: pd.DataFrame,
    agents: float,
    service: ServiceParams,
    interval_minutes: int,
) -> tuple[float, float]:
    """(lowest service level of ``window`` as scheduled, the same with ``agents`` more on duty
    in every interval), both by scenarios.scheduled_service against the forecast volume of
    ``requirements`` (the pipeline's own evaluation of coverage.csv)."""
    from scenarios.scheduled_service import coverage_with_service

    before = coverage_with_service(requirements, window, service, interval_minutes)
    more = window.assign(scheduled=window["scheduled"] + agents)
    after = coverage_with_service(requirements, more, service, interval_minutes)
    return (float(before["expected_service_level"].min()),
            float(after["expected_service_level"].min()))  # fmt: skip


# --------------------------------------------------------------------------- the whole view


@dataclass(frozen=True)
class Peak:
    """The worst day and what to do about it.

    ``worst`` = the day's intervals under the service target or short, worst service first
    (columns of coverage.csv); ``period`` = the material unmet period acted on (the largest on
    the worst day, else the largest of the run), with its ``binding`` and, when temps could
    fill it and the scenario is known, the ``action``."""

    day: dt.date
    day_service_level: float | None
    agents_short_max: float
    agent_hours_short: float
    worst: pd.DataFrame
    period: pd.Series | None = None
    binding: Binding | None = None
    action: HireAction | None = None


def worst_day_of(coverage: pd.DataFrame) -> dt.date:
    """The day whose intervals have the lowest mean service as scheduled in coverage.csv, for
    a summary.json that names no worst day (its own is volume-weighted, which coverage.csv
    cannot be without the volumes); without service columns, the day with the most shortfall."""
    days = coverage["timestamp"].dt.date
    if "expected_service_level" in coverage.columns:
        return coverage.groupby(days)["expected_service_level"].mean().idxmin()
    return coverage.groupby(days)["shortfall"].sum().idxmax()


def peak_at_a_glance(
    coverage: pd.DataFrame,
    unmet: pd.DataFrame,
    interval_minutes: int,
    worst_day: dt.date | str | None,
    day_service_level: float | None,
    target: float | None,
    price: TempPrice | None,
    rows: int = 6,
    requirements: pd.DataFrame | None = None,
) -> Peak:
    """The :class:`Peak` of a run. ``worst_day`` / ``day_service_level`` come from summary.json
    ``service.worst_day`` (None: :func:`worst_day_of`); ``target`` is the service-level target;
    ``price`` the scenario's :class:`TempPrice` (None: the action is not priced);
    ``requirements`` (requirements.csv, its forecast ``volume``) with ``price.service`` lets
    the action say what service the period would get with the temps."""
    day = pd.Timestamp(worst_day).date() if worst_day is not None else worst_day_of(coverage)
    on_day = coverage.loc[coverage["timestamp"].dt.date == day]
    hours = interval_minutes / 60
    flagged = short_intervals(on_day)
    if "expected_service_level" in on_day.columns:
        if target is not None:
            flagged = flagged | (on_day["expected_service_level"] < target)
        worst = on_day.loc[flagged].sort_values(["expected_service_level", "timestamp"])
    else:
        worst = on_day.loc[flagged].sort_values(["shortfall", "timestamp"], ascending=[False, True])
    periods = material_unmet(unmet)
    if not periods.empty:
        last = (periods["end"] - pd.Timedelta(seconds=1)).dt.date  # an end at 24:00 is that day's
        that_day = periods.loc[periods["start"].dt.date.eq(day) | last.eq(day)]
        pool = that_day if not that_day.empty else periods
        period = pool.loc[pool["agent_hours_short"].idxmax()]
    else:
        period = None
    binding = None if period is None else classify_binding(period["binding"])
    action = None
    if period is not None and binding is not None and binding.temps_help and price is not None:
        span = coverage.loc[
            (coverage["timestamp"] >= period["start"]) & (coverage["timestamp"] < period["end"])
        ]
        action = hire_action(
            span["shortfall"].to_numpy(), period["start"], period["end"], interval_minutes, price
        )
        if action.temps and price.service is not None and requirements is not None:
            before, after = service_with_temps(span, requirements,
                                               action.on_duty * price.efficiency,
                                               price.service, interval_minutes)  # fmt: skip
            action = dataclasses.replace(action, service_before=before, service_after=after)
    return Peak(
        day=day,
        day_service_level=day_service_level,
        agents_short_max=float(on_day["shortfall"].max()) if len(on_day) else 0.0,
        agent_hours_short=float(on_day["shortfall"].sum() * hours),
        worst=worst.head(rows).reset_index(drop=True),
        period=period,
        binding=binding,
        action=action,
    )
