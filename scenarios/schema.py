"""The scenario file: one TOML document describing a campaign, validated by pydantic.

Sections map one-to-one onto the engines' own models, so a key means the same thing everywhere:

- ``[campaign]``  dates of the roster horizon, interval length, time zone (this module)
- ``[forecast]``  history and events files, training cut-off, interval levels (this module)
- ``[service]``   ``scheduler.staffing.ServiceParams`` (AHT, concurrency, targets, shrinkage, ...)
- ``[workforce]`` agents file and ``[workforce.temporary]`` = ``scheduler.roster.TemporaryPool``
- ``[shifts.permanent|part_time|temporary]`` = ``scheduler.roster.ShiftPolicy``
- ``[rules]``     ``scheduler.roster.LabourRules`` + ``soft_weekly_minimums`` (ScenarioRules)
- ``[costs]``     prices in CNY (this module; turned into ``CostParams``)
- ``[solver]``    ``scheduler.roster.SolverConfig``

Every model forbids unknown keys, so a typo is an error naming the key. Relative file paths are
resolved against the scenario file's directory. ``[variants.NAME]`` tables (dotted field paths
replacing fields) are applied by scenarios.variants before this schema validates.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from scheduler.roster.schema import (
    CostParams,
    LabourRules,
    ShiftPolicies,
    SolverConfig,
    TemporaryPool,
)
from scheduler.staffing import ServiceParams

#: Plausible years of every date in a scenario (inclusive), the same as in the CSV inputs.
YEAR_MIN, YEAR_MAX = 2000, 2100
#: Upper limit of any price in CNY (per hour, per order): far above any real value, so a
#: misplaced exponent is an error instead of an overflow in the solver.
MAX_CNY = 1e6

MoneyCNY = Annotated[float, Field(ge=0, le=MAX_CNY)]


def _plausible_year(value: date | datetime | None) -> date | datetime | None:
    if value is not None and not YEAR_MIN <= value.year <= YEAR_MAX:
        raise ValueError(f"year must be in {YEAR_MIN}..{YEAR_MAX}")
    return value


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Campaign(_Section):
    """The planning horizon: rosters cover ``start`` 00:00 to ``end`` 24:00 (local time)."""

    name: str = Field(description="Shown in the dashboard and summary.json.")
    start: date = Field(description="First roster day (inclusive).")
    end: date = Field(description="Last roster day (inclusive).")
    interval_minutes: Annotated[int, Field(gt=0, le=60)] = Field(
        default=30, description="Length of one planning interval; must divide 60."
    )
    timezone: str = Field(default="Asia/Shanghai", description="IANA zone of every timestamp.")

    @field_validator("start", "end")
    @classmethod
    def _plausible(cls, value: date) -> date:
        return _plausible_year(value)

    @field_validator("interval_minutes")
    @classmethod
    def _divides_hour(cls, value: int) -> int:
        if 60 % value:
            raise ValueError(f"must divide 60 (got {value})")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone '{value}'") from exc
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Campaign:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        if (self.end - self.start).days > 62:
            raise ValueError("horizon longer than 63 days; split the campaign")
        return self

    def slot_starts(self) -> list[datetime]:
        """Start of every interval in the horizon, naive local time."""
        first = datetime.combine(self.start, time(0, 0))
        count = ((self.end - self.start).days + 1) * 1440 // self.interval_minutes
        step = timedelta(minutes=self.interval_minutes)
        return [first + i * step for i in range(count)]


_LEVEL_RE = re.compile(r"^(mean|upper_(\d{1,2}))$")


class ForecastSection(_Section):
    """Where the volume forecast comes from."""

    history: Path = Field(
        description="CSV timestamp,volume[,queue]; relative to the scenario file."
    )
    events: Path | None = Field(default=None, description="CSV event,phase,start,end[,uplift].")
    train_end: datetime | None = Field(
        default=None,
        description="Last history timestamp used for fitting "
        "(default: just before campaign start).",
    )
    levels: tuple[Annotated[int, Field(gt=0, lt=100)], ...] = Field(
        default=(80, 95), description="Prediction-interval levels in percent."
    )
    volume_scale: Annotated[float, Field(gt=0, le=100)] = Field(
        default=1.0,
        description="Multiplies the forecast volume and its interval bounds before staffing "
        "(a what-if variant: 1.2 = 20 % above forecast).",
    )
    staff_to: str = Field(
        default="mean",
        description="Which forecast column staffing uses: 'mean' or 'upper_<level>' "
        "(e.g. upper_80 plans for the 90th percentile).",
    )

    @field_validator("train_end")
    @classmethod
    def _plausible(cls, value: datetime | None) -> datetime | None:
        return _plausible_year(value)

    @model_validator(mode="after")
    def _staff_to_known(self) -> ForecastSection:
        match = _LEVEL_RE.match(self.staff_to)
        if not match:
            raise ValueError(f"staff_to must be 'mean' or 'upper_<level>' (got '{self.staff_to}')")
        if match.group(2) and int(match.group(2)) not in self.levels:
            raise ValueError(f"staff_to '{self.staff_to}' needs level {match.group(2)} in levels")
        return self


class Workforce(_Section):
    agents: Path = Field(description="CSV of named permanent and part-time agents.")
    temporary: TemporaryPool


class Costs(_Section):
    """Prices in CNY. The shortfall price is given, or derived from the value of an answer."""

    overtime_premium: Annotated[float, Field(ge=1, le=10)] = 1.5
    shortfall_cost_per_agent_hour_cny: MoneyCNY | None = Field(
        default=None, description="Penalty per agent-hour of unmet requirement."
    )
    average_order_value_cny: MoneyCNY | None = None
    inquiry_conversion: Annotated[float, Field(ge=0, le=1)] | None = Field(
        default=None, description="询单转化率: share of answered inquiries that become orders."
    )
    margin: Annotated[float, Field(ge=0, le=1)] | None = Field(
        default=None, description="Gross margin share of an order's value."
    )
    overstaff_cost_per_agent_hour_cny: MoneyCNY = 0.0
    fairness_weight_cny: MoneyCNY = 0.0

    @model_validator(mode="after")
    def _shortfall_priced(self) -> Costs:
        derived = (self.average_order_value_cny, self.inquiry_conversion, self.margin)
        if self.shortfall_cost_per_agent_hour_cny is None and None in derived:
            raise ValueError(
                "set shortfall_cost_per_agent_hour_cny, or all of average_order_value_cny, "
                "inquiry_conversion and margin to derive it"
            )
        return self

    def value_per_answered_inquiry_cny(self) -> float | None:
        """Margin earned from one answered inquiry: AOV x conversion x margin (CNY)."""
        if None in (self.average_order_value_cny, self.inquiry_conversion, self.margin):
            return None
        return self.average_order_value_cny * self.inquiry_conversion * self.margin

    def to_cost_params(self, answered_per_agent_hour: float) -> CostParams:
        """Engine prices; ``answered_per_agent_hour`` = chats one productive agent-hour answers."""
        price = self.shortfall_cost_per_agent_hour_cny
        if price is None:
            price = self.value_per_answered_inquiry_cny() * answered_per_agent_hour
        return CostParams(
            overtime_premium=self.overtime_premium,
            shortfall_cost_per_agent_hour_cny=round(price, 2),
            overstaff_cost_per_agent_hour_cny=self.overstaff_cost_per_agent_hour_cny,
            fairness_weight_cny=self.fairness_weight_cny,
        )


#: Validator rules that ``[rules] soft_weekly_minimums = true`` accepts as warnings.
WEEKLY_MINIMUM_RULES = ("weekly_min_hours", "temp_weekly_min_hours")


class ScenarioRules(LabourRules):
    """``[rules]``: the engine's :class:`LabourRules` plus how the run treats a missed minimum."""

    soft_weekly_minimums: bool = Field(
        default=False,
        description="Accept a roster that misses weekly minimum hours (validator rules "
        "weekly_min_hours, temp_weekly_min_hours): the run shows them as warnings and exits 0. "
        "Off: any validator violation makes the run exit 3.",
    )

    def labour_rules(self) -> LabourRules:
        """The engine's rules (without the scenario-only options)."""
        return LabourRules.model_validate(self.model_dump(exclude={"soft_weekly_minimums"}))

    def soft_rules(self) -> tuple[str, ...]:
        """Validator rule names whose violations this scenario accepts (warnings, exit 0)."""
        return WEEKLY_MINIMUM_RULES if self.soft_weekly_minimums else ()


class Scenario(_Section):
    """A whole campaign scenario (see the module docstring for the sections)."""

    campaign: Campaign
    forecast: ForecastSection
    service: ServiceParams
    workforce: Workforce
    shifts: ShiftPolicies
    rules: ScenarioRules = ScenarioRules()
    costs: Costs
    solver: SolverConfig = SolverConfig()

    @model_validator(mode="before")
    @classmethod
    def _local_train_end(cls, data: object) -> object:
        """A ``train_end`` with a UTC offset (TOML offset date-time) is converted to the
        campaign's time zone and made naive, like every other timestamp."""
        if not isinstance(data, dict):
            return data
        section, campaign = data.get("forecast"), data.get("campaign")
        value = section.get("train_end") if isinstance(section, dict) else None
        if not isinstance(value, datetime) or value.tzinfo is None:
            return data
        zone = campaign.get("timezone", "Asia/Shanghai") if isinstance(campaign, dict) else None
        try:
            local = value.astimezone(ZoneInfo(str(zone))).replace(tzinfo=None)
        except (ZoneInfoNotFoundError, ValueError):
            return data  # the campaign's own validator reports the zone
        return {**data, "forecast": {**section, "train_end": local}}

    @model_validator(mode="after")
    def _rules_consistent(self) -> Scenario:
        for kind in ("permanent", "part_time", "temporary"):
            policy = getattr(self.shifts, kind)
            if policy.paid_hours_min > self.rules.max_hours_per_day:
                raise ValueError(
                    f"shifts.{kind}.paid_hours_min {policy.paid_hours_min} exceeds "
                    f"rules.max_hours_per_day {self.rules.max_hours_per_day}"
                )
        pool = self.workforce.temporary
        if pool.min_hours_per_week > pool.max_hours_per_week:
            raise ValueError(
                f"workforce.temporary.min_hours_per_week {pool.min_hours_per_week} exceeds "
                f"max_hours_per_week {pool.max_hours_per_week}"
            )
        return self

    def resolve_paths(self, base: Path, *, confine: bool = False) -> Scenario:
        """Return a copy whose file paths are absolute, relative ones taken from ``base``.

        Args:
            base: the scenario file's folder.
            confine: refuse a path that, symlinks resolved, lies outside ``base`` (a scenario
                from someone else must not make peakplan read ``../../etc/passwd``).

        Raises:
            ValueError: ``section.key: 'path' is outside the scenario's folder`` (with
                ``confine``); the caller adds the file name.
        """
        root = base.resolve()

        def fix(key: str, path: Path | None) -> Path | None:
            if path is None:
                return None
            resolved = (base / path).resolve()  # an absolute ``path`` replaces ``base``
            if confine and not resolved.is_relative_to(root):
                shown = f"'{path}'" if str(path).isprintable() and len(str(path)) <= 200 else "path"
                raise ValueError(f"{key}: {shown} is outside the scenario's folder")
            return path if path.is_absolute() else resolved

        history = fix("forecast.history", self.forecast.history)
        events = fix("forecast.events", self.forecast.events)
        agents = fix("workforce.agents", self.workforce.agents)
        forecast = self.forecast.model_copy(update={"history": history, "events": events})
        workforce = self.workforce.model_copy(update={"agents": agents})
        return self.model_copy(update={"forecast": forecast, "workforce": workforce})
