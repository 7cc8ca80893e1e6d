"""Input and output contracts of the roster optimiser (pydantic models).

These models are the only thing that crosses from ``scenarios/`` into the roster engine and back.
Units are in the field names: hours, minutes, CNY. Times of day are local wall-clock times in the
scenario's time zone; ``slot_starts`` are naive local datetimes (China has no DST).

Vocabulary:
- slot: one planning interval of ``interval_minutes`` (default 30); demand is per slot.
- shift: one contiguous span of presence of one agent on one day (its *date* is the date of its
  start, so a shift starting 2026-11-10 22:00 and ending 11-11 06:00 belongs to 2026-11-10).
- paid hours: span minus the unpaid meal break.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

AgentId = str
AgentType = Literal["permanent", "part_time", "temporary"]
NamedAgentType = Literal["permanent", "part_time"]

NonNegFloat = Annotated[float, Field(ge=0)]

#: Columns of the HR roster CSV, one row per ShiftAssignment (see docs/contracts.md).
#: Columns of the per-slot coverage frame (validator and ``pricing.coverage``): agents per
#: interval required, scheduled (on duty, not on break, x efficiency), shortfall, surplus.
COVERAGE_COLUMNS = ("timestamp", "required", "scheduled", "shortfall", "surplus")

ROSTER_COLUMNS = (
    "agent_id",
    "agent_name",
    "agent_type",
    "date",
    "shift_start",
    "shift_end",
    "breaks",
    "paid_hours",
    "cost_cny",
)


class _Model(BaseModel):
    # inf/nan are never a valid input: an infinite price or requirement would give an empty
    # "FEASIBLE" roster costing inf
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Agent(_Model):
    """A named agent from ``agents.csv`` (permanent or part-time). Temporaries are anonymous."""

    agent_id: AgentId = Field(description="Stable ID, kept as text (leading zeros matter).")
    name: str = Field(description="Display name (may be Chinese).")
    agent_type: NamedAgentType
    contract_hours_per_week: NonNegFloat = Field(
        description="Permanent: hours paid by the salary (sunk cost); hours above are overtime. "
        "Part-time: 0 (every hour is paid at hourly_cost_cny)."
    )
    min_hours_per_week: NonNegFloat = Field(
        description="Minimum paid hours in each calendar week (LabourRules.week_start)."
    )
    max_hours_per_week: NonNegFloat = Field(
        description="Maximum paid hours in each calendar week (LabourRules.week_start)."
    )
    hourly_cost_cny: NonNegFloat = Field(
        description="Part-time: wage per paid hour. Permanent: base hourly rate; overtime hours "
        "cost hourly_cost_cny x overtime_premium."
    )
    available_weekdays: tuple[int, ...] = Field(
        default=(0, 1, 2, 3, 4, 5, 6), description="Days the agent may start a shift, 0=Mon..6=Sun."
    )
    available_from: time | None = Field(
        default=None, description="Earliest shift start (local time); None = no limit."
    )
    available_to: time | None = Field(
        default=None,
        description="Latest shift end (local time); if earlier than available_from the window "
        "crosses midnight. None = no limit.",
    )
    days_off: tuple[date, ...] = Field(
        default=(), description="Dates with no shift start (requested leave)."
    )
    efficiency: Annotated[float, Field(gt=0, le=1.5)] = Field(
        default=1.0, description="Coverage per agent on duty relative to a standard agent."
    )
    hours_before_horizon: NonNegFloat | None = Field(
        default=None,
        description="Paid hours already worked in the horizon's first calendar week before the "
        "horizon starts (used only when the horizon starts mid-week). None = the first week's "
        "limits are prorated by the agent's available weekdays inside the horizon.",
    )

    @model_validator(mode="after")
    def _hours_consistent(self) -> Agent:
        if self.min_hours_per_week > self.max_hours_per_week:
            raise ValueError(
                f"agent {self.agent_id}: min_hours_per_week {self.min_hours_per_week} > "
                f"max_hours_per_week {self.max_hours_per_week}"
            )
        return self


class ShiftPolicy(_Model):
    """Which shifts an agent type may work. Starts every ``start_step_minutes`` in the window."""

    paid_hours_min: Annotated[float, Field(gt=0, le=24)]
    paid_hours_max: Annotated[float, Field(gt=0, le=24)]
    length_step_minutes: Annotated[int, Field(gt=0)] = 60
    earliest_start: time = time(0, 0)
    latest_start: time = Field(
        default=time(23, 30),
        description="Last allowed start; if earlier than earliest_start the window "
        "crosses midnight.",
    )
    start_step_minutes: Annotated[int, Field(gt=0)] = 30
    meal_break_minutes: Annotated[int, Field(ge=0)] = Field(
        default=0, description="Unpaid meal break inside the shift (0 = none)."
    )
    meal_break_min_after_hours: NonNegFloat = Field(
        default=3.0, description="Meal break starts at least this long after the shift start."
    )
    meal_break_max_after_hours: NonNegFloat = Field(
        default=5.0, description="Meal break starts at most this long after the shift start."
    )
    meal_break_from_paid_hours: NonNegFloat = Field(
        default=6.0, description="A meal break is required only when paid hours exceed this."
    )
    short_break_minutes: Annotated[int, Field(ge=0)] = Field(
        default=0,
        description="Paid short break (not covering demand) per block of short_break_every_hours.",
    )
    short_break_every_hours: Annotated[float, Field(gt=0)] = 4.0

    @model_validator(mode="after")
    def _lengths_consistent(self) -> ShiftPolicy:
        if self.paid_hours_min > self.paid_hours_max:
            raise ValueError(
                f"paid_hours_min {self.paid_hours_min} > paid_hours_max {self.paid_hours_max}"
            )
        if self.meal_break_min_after_hours > self.meal_break_max_after_hours:
            raise ValueError("meal_break_min_after_hours > meal_break_max_after_hours")
        return self


class ShiftPolicies(_Model):
    permanent: ShiftPolicy
    part_time: ShiftPolicy
    temporary: ShiftPolicy


class LabourRules(_Model):
    """Rules every agent obeys (per-agent weekly limits come from ``Agent``)."""

    min_rest_hours: NonNegFloat = Field(
        default=11.0, description="Between the end of one shift and the next start."
    )
    max_consecutive_days: Annotated[int, Field(ge=1)] = 6
    max_hours_per_day: Annotated[float, Field(gt=0, le=24)] = Field(
        default=10.0, description="Paid hours per shift."
    )
    max_hours_per_week: Annotated[float, Field(gt=0)] = Field(
        default=60.0, description="Legal cap on paid hours in any calendar week, all types."
    )
    week_start: Annotated[int, Field(ge=0, le=6)] = Field(
        default=0,
        description="First day of the calendar week that weekly hours are counted on, "
        "0=Mon..6=Sun. A week cut by the horizon's start or end has its limits prorated.",
    )
    max_start_spread_hours: Annotated[float, Field(ge=0, le=24)] | None = Field(
        default=None,
        description="Regular shifts: all shift starts of one named agent within one calendar "
        "week lie in a clock-time window this many hours wide (4 = every start within +-2 h "
        "of the window's middle; a window may cross midnight). None = no rule.",
    )
    working_days_per_week: Annotated[int, Field(ge=1, le=7)] = Field(
        default=5,
        description="Working days a weekly limit is spread over: in a week cut by the horizon "
        "(or by leave) an agent owes and may work the share of its limits that its workable "
        "days there make of this many (at most all of them).",
    )


class TemporaryPool(_Model):
    """Hiring pool of interchangeable temporary agents (counted in the model, named TEMP-001...)."""

    max_headcount: Annotated[int, Field(ge=0)]
    hourly_cost_cny: NonNegFloat
    onboarding_cost_cny: NonNegFloat = Field(
        default=0.0, description="Fixed cost per hire (agency fee, equipment)."
    )
    training_hours: NonNegFloat = Field(
        default=0.0, description="Paid training hours before the first shift, at hourly_cost_cny."
    )
    lead_days: Annotated[int, Field(ge=0)] = Field(
        default=0, description="No temporary may work before horizon start + lead_days."
    )
    efficiency_ramp: tuple[Annotated[float, Field(gt=0, le=1.5)], ...] = Field(
        default=(1.0,),
        description="Efficiency on the 1st, 2nd, ... calendar day since the temp's first shift; "
        "the last value holds afterwards.",
    )
    min_hours_per_week: NonNegFloat = 0.0
    max_hours_per_week: NonNegFloat = 48.0


class CostParams(_Model):
    """Prices that make cost and service comparable, all in CNY."""

    overtime_premium: Annotated[float, Field(ge=1)] = Field(
        default=1.5,
        description="Multiplier on a permanent agent's hourly rate above contract hours.",
    )
    shortfall_cost_per_agent_hour_cny: NonNegFloat = Field(
        description="Penalty per agent-hour of required coverage not scheduled."
    )
    overstaff_cost_per_agent_hour_cny: NonNegFloat = Field(
        default=0.0, description="Small penalty per agent-hour scheduled above requirement."
    )
    fairness_weight_cny: NonNegFloat = Field(
        default=0.0,
        description="Penalty per night/peak shift above the even share among permanent agents.",
    )


#: Upper limits of the solver settings (a day of solving; threads a machine can run).
MAX_TIME_LIMIT_S = 86400.0
MAX_WORKERS = 64


class SolverConfig(_Model):
    time_limit_s: Annotated[float, Field(gt=0, le=MAX_TIME_LIMIT_S)] = Field(
        default=60.0, description="Wall-clock limit of the solve, seconds (at most a day)."
    )
    num_workers: Annotated[int, Field(ge=1, le=MAX_WORKERS)] = Field(
        default=8, description="CP-SAT worker threads."
    )
    random_seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0
    relative_gap_limit: NonNegFloat = 0.0
    deterministic_time_limit: NonNegFloat | None = Field(
        default=None,
        description="CP-SAT max_deterministic_time (seconds of deterministic work); with "
        "num_workers=1 and a fixed seed the result no longer depends on machine load.",
    )
    deterministic: bool = Field(
        default=False,
        description="Every stage stops on work counts (scaled with time_limit_s), not the "
        "clock, on one worker: the same inputs and seed give the byte-identical roster on any "
        "load. The clock stays only as a safety net at 3 x time_limit_s + 10 s (reported in "
        "the result's warnings if it fires). Wall time is then roughly, not exactly, the limit.",
    )
    cp_sat_share: Annotated[float, Field(ge=0.0, le=0.9)] = Field(
        default=0.25,
        description="Share of the time limit for the per-agent CP-SAT (whole model or LNS, "
        "hinted with the local search's roster) after the local search; the rest goes to the "
        "local search before it and a last polish after it. 0 = CP-SAT only where the local "
        "search does not apply (small exact models).",
    )
    lp_bound: bool = Field(
        default=False,
        description="After solving, also compute the HiGHS LP lower bound of the anonymous "
        "cover problem (scheduler.roster.checks.lower_bound) and report the gap to it; costs about "
        "as long again as the solve on a 14-day campaign.",
    )


class RosterProblem(_Model):
    """Everything the optimiser needs; prepared by ``scenarios`` from the scenario file."""

    slot_starts: tuple[datetime, ...] = Field(
        description="Start of each slot, naive local time, contiguous."
    )
    interval_minutes: Annotated[int, Field(gt=0)] = 30
    required: tuple[NonNegFloat, ...] = Field(
        description="Agents required on duty per slot (may be fractional)."
    )
    agents: tuple[Agent, ...]
    temporary: TemporaryPool
    shifts: ShiftPolicies
    rules: LabourRules
    costs: CostParams

    @model_validator(mode="after")
    def _aligned(self) -> RosterProblem:
        if len(self.slot_starts) != len(self.required):
            raise ValueError("slot_starts and required differ in length")
        return self


# ----------------------------------------------------------------------------------- outputs


class Break(_Model):
    start: datetime
    end: datetime
    paid: bool


class ShiftAssignment(_Model):
    """One row of the HR roster: one agent, one working day."""

    agent_id: AgentId
    agent_name: str
    agent_type: AgentType
    date: date
    shift_start: datetime
    shift_end: datetime
    breaks: tuple[Break, ...] = ()
    paid_hours: NonNegFloat
    cost_cny: NonNegFloat = Field(
        description="Marginal cost of this shift: part-time and temporary wages, "
        "permanent overtime "
        "at the premium; a temp's onboarding and training are charged on their first shift."
    )


class UnmetDemand(_Model):
    """A run of consecutive slots with shortfall and the limit that binds there."""

    start: datetime
    end: datetime
    agent_hours_short: NonNegFloat
    peak_agents_short: NonNegFloat
    binding: str = Field(description="Planner-readable reason, e.g. 'temporary pool exhausted'.")


class StageRecord(_Model):
    """What one stage of the solve did: its wall seconds and the score (CNY: cost plus the
    weekly-minimum penalty) of the best roster after it; ``detail`` says how it ran."""

    stage: Literal["constructive", "local_search", "cp_sat", "final_local_search"]
    seconds: NonNegFloat
    score_cny: float
    detail: str = ""


class RosterResult(_Model):
    # an output: progress records NaN while there is no bound yet
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=True)

    status: Literal["OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN", "MODEL_INVALID"]
    objective_cny: float | None
    best_bound_cny: float | None
    gap: float | None = Field(description="(objective - bound) / objective, CP-SAT's own bound.")
    wall_time_s: float
    assignments: tuple[ShiftAssignment, ...]
    unmet: tuple[UnmetDemand, ...] = ()
    temporaries_hired: int = 0
    progress: tuple[tuple[float, float, float], ...] = Field(
        default=(), description="(wall_time_s, objective, bound) at each improving solution."
    )
    shortfall_penalty_cny: NonNegFloat = Field(
        default=0.0, description="Part of objective_cny: penalty for unmet demand."
    )
    overstaff_penalty_cny: NonNegFloat = Field(
        default=0.0, description="Part of objective_cny: penalty for coverage above requirement."
    )
    fairness_penalty_cny: NonNegFloat = Field(
        default=0.0, description="Part of objective_cny: night-shift fairness term."
    )
    stages: tuple[StageRecord, ...] = Field(
        default=(), description="Per stage: seconds and the best score after it (CNY)."
    )
    warnings: tuple[str, ...] = Field(
        default=(), description="One line each, e.g. a weekly minimum the solver could not reach."
    )
