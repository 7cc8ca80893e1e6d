"""The run's ``summary.json`` as one pydantic model, shared by the pipeline and the dashboard.

``scenarios.run_summary.build_summary`` builds a :class:`RunSummary` and the pipeline writes
``model_dump(mode="json")``; the dashboard (``dashboard.data.load_run``) and the run store
(``peakplan runs`` / ``rerun``) read the file back with :func:`read_summary`. Every section
forbids unknown keys and every float must be finite, so a summary that is not exactly what
peakplan writes is refused with one line naming the file and the first bad field
(:func:`summary_error`). Layout and units: docs/contracts.md "summary.json".
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

#: summary.json layout version written by this peakplan (2 added the ``inputs`` section).
SCHEMA_VERSION = 2

Share = Annotated[float, Field(ge=0, le=1)]
"""A share 0–1 (service level, 3-minute rate, abandonment, gap...)."""
NonNeg = Annotated[float, Field(ge=0)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class ScenarioInfo(_Section):
    """Which scenario was run: ``file`` as given, ``sha256`` of its bytes, the ``--variant``
    name (or None) and the ``--set`` overrides ({dotted key: TOML value})."""

    name: str
    file: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    variant: str | None = None
    overrides: dict[str, Any] = Field(default_factory=dict)


class RunInfo(_Section):
    """When and over which horizon (ISO-8601 text as written; horizon end is exclusive)."""

    created_at: str
    peakplan_version: str
    horizon_start: str
    horizon_end: str
    interval_minutes: Annotated[int, Field(gt=0, le=60)]
    timezone: str


class CostCNY(_Section):
    """Costs in CNY: wages by agent type and total, penalties, the validator's objective."""

    permanent: float
    part_time: float
    temporary: float
    wages_total: float
    shortfall_penalty: float
    overstaff_penalty: float
    objective_total: float


class Headcount(_Section):
    """Agents with at least one shift, by agent type."""

    permanent: Annotated[int, Field(ge=0)]
    part_time: Annotated[int, Field(ge=0)]
    temporary: Annotated[int, Field(ge=0)]


class Hours(_Section):
    """Paid hours by agent type, required and short agent-hours."""

    paid_permanent: NonNeg
    paid_part_time: NonNeg
    paid_temporary: NonNeg
    required_agent_hours: NonNeg
    short_agent_hours: NonNeg


class WorstInterval(_Section):
    """The interval with volume and the lowest expected service level (as scheduled)."""

    timestamp: str
    expected_service_level: Share | None
    expected_three_min_rate: Share | None


class WorstDay(_Section):
    """The day with the lowest volume-weighted expected service level."""

    date: str
    expected_service_level: Share | None


class Service(_Section):
    """Service of the roster as scheduled, volume-weighted over the horizon (shares 0–1, ASA
    in seconds), the targets, and the worst interval / day (None without volume)."""

    expected_service_level: Share | None
    expected_three_min_rate: Share | None
    expected_asa_s: NonNeg | None
    expected_abandon_rate: Share | None
    target_service_level: Share | None
    target_seconds: float
    target_three_min_rate: Share | None
    volume_total: NonNeg
    worst_interval: WorstInterval | None
    worst_day: WorstDay | None
    share_intervals_under_target: Share | None
    share_intervals_under_three_min_target: Share | None


class Stage(_Section):
    """One stage of the roster solve: the best score after it and what it gained over the
    stage before (CNY; score = cost + the weekly-minimum penalty)."""

    stage: str
    score_cny: float
    improvement_cny: float
    detail: str = ""


class GapPart(_Section):
    """One cost category of the roster against the LP bound's solution (CNY)."""

    roster_cny: float
    bound_cny: float
    gap_cny: float


def ranked_gap_parts(gaps: dict[str, float], min_cny: float = 1.0) -> list[tuple[str, float]]:
    """``(category, roster minus bound CNY)`` of ``Solver.gap_parts``, largest (absolute) first,
    those within ``min_cny`` of the bound's solution left out."""
    kept = [(k, v) for k, v in gaps.items() if abs(v) >= min_cny]
    return sorted(kept, key=lambda kv: -abs(kv[1]))


class Solver(_Section):
    """Solver status, objective and bounds (CNY), gaps (shares), settings it ran with, the
    stages that built the roster (``stages``) and, with the LP bound, what the gap is made of
    (``gap_parts``: roster minus bound per category; summaries written before read empty)."""

    status: str
    objective_cny: float
    best_bound_cny: float | None
    bound_source: str | None
    gap: NonNeg | None
    cp_sat_bound_cny: float | None
    lp_bound_cny: float | None
    gap_to_lp: float | None
    wall_time_s: NonNeg
    random_seed: Annotated[int, Field(ge=0)]
    num_workers: Annotated[int, Field(ge=1)]
    deterministic: bool
    lp_bound: bool
    time_limit_s: Annotated[float, Field(gt=0)]
    warnings: list[str]
    stages: list[Stage] = Field(default_factory=list)
    stage_seconds: dict[str, NonNeg] = Field(default_factory=dict)
    gap_parts: dict[str, GapPart] = Field(default_factory=dict)
    fairness_penalty_cny: NonNeg = 0.0  # night-shift fairness term of the stage scores (CNY)


class Validation(_Section):
    """The independent validator's verdict on the roster: counts and agent IDs by rule, the
    first five messages, the rules the scenario accepts as warnings (``soft_rules``, from
    ``[rules] soft_weekly_minimums``) and ``accepted`` (no violation outside them: the command
    exited 0). Summaries written before ``agents``/``soft_rules``/``accepted`` existed read as
    no agents, no soft rules and ``accepted`` = ``ok``."""

    ok: bool
    violations: Annotated[int, Field(ge=0)]
    by_rule: dict[str, int]
    agents: dict[str, list[str]] = Field(default_factory=dict)
    first: list[str]
    soft_rules: list[str] = Field(default_factory=list)
    accepted: bool

    @model_validator(mode="before")
    @classmethod
    def _accepted_defaults_to_ok(cls, data: Any) -> Any:
        if isinstance(data, dict) and "accepted" not in data and isinstance(data.get("ok"), bool):
            return {**data, "accepted": data["ok"]}
        return data


class InputFile(_Section):
    """One file the run read: absolute ``path``, ``sha256`` and size in ``bytes``."""

    path: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    bytes: Annotated[int, Field(ge=0)]


class RunSummary(_Section):
    """The whole ``summary.json`` (schema_version 2)."""

    schema_version: Literal[2]
    scenario: ScenarioInfo
    run: RunInfo
    cost_cny: CostCNY
    headcount: Headcount
    hours: Hours
    service: Service
    solver: Solver
    validation: Validation
    unmet_periods: Annotated[int, Field(ge=0)]
    files: dict[str, str]
    inputs: dict[Literal["scenario", "history", "events", "agents"], InputFile]

    def as_dict(self) -> dict:
        """The JSON-ready dict written to summary.json."""
        return self.model_dump(mode="json")


def summary_error(error: ValidationError, source: str) -> str:
    """One line: ``source: field 'a.b': message`` for the first problem of ``error``."""
    first = error.errors(include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"])
    if first["type"] == "json_invalid":
        return f"{source}: not valid JSON ({first['msg'].removeprefix('Invalid JSON: ')})"
    if first["type"] == "literal_error" and where == "schema_version":
        got = first.get("input")
        shown = got if isinstance(got, int) and not isinstance(got, bool) else "?"
        return (
            f"{source}: field 'schema_version': {shown} is not {SCHEMA_VERSION} "
            "(written by another peakplan version; rerun `peakplan run`)"
        )
    if first["type"] == "extra_forbidden":
        return f"{source}: field '{where}': unknown key"
    message = first["msg"].removeprefix("Value error, ")
    return f"{source}: field '{where}': {message}" if where else f"{source}: {message}"


def parse_summary(text: str | bytes, source: str) -> RunSummary:
    """Validate summary.json text; ``ValueError`` (one line naming ``source`` and the first bad
    field) when it is not JSON or not exactly a schema_version 2 summary."""
    try:
        return RunSummary.model_validate_json(text)
    except ValidationError as exc:
        raise ValueError(summary_error(exc, source)) from None


def read_summary(path: str | Path) -> RunSummary:
    """Read and validate ``path`` (a run's summary.json); ValueError as :func:`parse_summary`,
    also for an unreadable file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot read ({exc.strerror or type(exc).__name__})") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return parse_summary(data, str(path))
