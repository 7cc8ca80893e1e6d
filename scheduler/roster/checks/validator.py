"""Independent roster validator: recomputes coverage, costs and every rule from the HR roster.

It shares no code with the optimiser (it imports only the pydantic schema), so a bug in the model
cannot hide itself here. Input is the HR roster frame (``agent_id,agent_name,agent_type,date,
shift_start,shift_end,breaks,paid_hours,cost_cny``) as text from the CSV or parsed values.

Conventions (identical to the optimiser's, see issue 6 and docs/contracts.md):
- Coverage of slot t (agents) = sum over agents present in t of efficiency x (fraction of t on duty
  and not on break). Named agents use ``Agent.efficiency``; a temporary uses
  ``efficiency_ramp[k]`` on the k-th calendar day since their first shift (last value afterwards).
  Time outside the horizon (``slot_starts``) counts for nothing.
- shortfall_t = max(0, required_t - coverage_t), surplus_t = max(0, coverage_t - required_t);
  penalties (CNY) = price per agent-hour x sum x interval hours.
- Shift cost (CNY): part-time paid hours x hourly; temporary paid hours x pool hourly, plus
  onboarding + training hours x pool hourly on the temp's first shift; permanent: overtime hours x
  hourly x overtime_premium, where a week's paid hours accumulate in shift order and the hours above
  contract (prorated in a week cut by the horizon) are charged to the shifts that cross it.
- Rows of unknown agents are reported and left out of coverage and cost.
- ``fairness_weight_cny`` is not part of the recomputed total (it is a soft preference).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, computed_field

from scheduler.roster.checks.parse import ROSTER_COLUMNS, ParsedShift, parse_roster
from scheduler.roster.checks.validator_rules import RULES, RuleContext, Violation
from scheduler.roster.schema import COVERAGE_COLUMNS, RosterProblem, ShiftAssignment

__all__ = [
    "ValidationReport",
    "Violation",
    "recompute_coverage",
    "roster_frame_from_assignments",
    "validate_roster",
]


class ValidationReport(BaseModel):
    """Outcome of :func:`validate_roster`. Money in CNY, hours in agent-hours."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    violations: list[Violation]
    coverage: pd.DataFrame  # timestamp, required, scheduled, shortfall, surplus (agents)
    wage_cost_cny: float
    wage_cost_by_type_cny: dict[str, float]
    paid_hours_by_type: dict[str, float]
    temporaries_hired: int
    shortfall_agent_hours: float
    surplus_agent_hours: float
    shortfall_penalty_cny: float
    overstaff_penalty_cny: float
    total_cost_cny: float

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        return not self.violations

    def summary(self, limit: int = 5) -> str:
        """One line per rule with counts, then the first ``limit`` messages."""
        counts: dict[str, int] = defaultdict(int)
        for v in self.violations:
            counts[v.rule] += 1
        head = ", ".join(f"{k}: {n}" for k, n in sorted(counts.items())) or "no violations"
        first = [f"{v.rule} {v.agent_id or ''} {v.message}" for v in self.violations[:limit]]
        return "\n".join([head, *first])


def _efficiencies(problem: RosterProblem, shifts: list[ParsedShift]) -> np.ndarray:
    """Coverage weight per shift (0 for unknown agents)."""
    first: dict[str, object] = {}
    for s in sorted(shifts, key=lambda s: s.start):
        first.setdefault(s.agent_id, s.date)
    ramp = problem.temporary.efficiency_ramp
    out = np.zeros(len(shifts))
    for i, s in enumerate(shifts):
        if s.agent is not None:
            out[i] = s.agent.efficiency
        elif s.is_temp:
            k = (s.date - first[s.agent_id]).days
            out[i] = ramp[min(k, len(ramp) - 1)]
    return out


def _coverage_array(problem: RosterProblem, shifts: list[ParsedShift]) -> np.ndarray:
    """Agents on duty per slot (efficiency-weighted, breaks removed), via a per-minute sweep."""
    n = len(problem.slot_starts)
    step = problem.interval_minutes
    total = n * step
    t0 = pd.Timestamp(problem.slot_starts[0])
    w = _efficiencies(problem, shifts)
    starts, ends, weights = [], [], []
    for s, wi in zip(shifts, w, strict=True):
        if wi == 0 or s.end <= s.start:
            continue
        starts.append(s.start)
        ends.append(s.end)
        weights.append(wi)
        for b0, b1 in s.breaks:  # breaks clipped to the shift
            b0, b1 = max(b0, s.start), min(b1, s.end)
            if b1 > b0:
                starts.append(b0)
                ends.append(b1)
                weights.append(-wi)
    if not starts:
        return np.zeros(n)
    to_min = lambda ts: ((pd.DatetimeIndex(ts) - t0) // pd.Timedelta(minutes=1)).to_numpy()  # noqa: E731
    a = np.clip(to_min(starts), 0, total)
    b = np.clip(to_min(ends), 0, total)
    diff = np.zeros(total + 1)
    np.add.at(diff, a, weights)
    np.add.at(diff, b, -np.asarray(weights))
    per_minute = np.cumsum(diff[:-1])
    # a running sum of efficiencies leaves residues (0.7 + 0.1 - 0.7 - 0.1 = -1.4e-16): round
    # to 1e-9 agents and turn -0.0 into 0.0, so coverage is never negative
    return np.round(per_minute.reshape(n, step).mean(axis=1), 9) + 0.0


def _coverage_frame(problem: RosterProblem, shifts: list[ParsedShift]) -> pd.DataFrame:
    scheduled = _coverage_array(problem, shifts)
    required = np.asarray(problem.required, dtype=float)
    gap = required - scheduled
    return pd.DataFrame(dict(zip(COVERAGE_COLUMNS, (
        pd.DatetimeIndex(problem.slot_starts), required, scheduled, np.maximum(gap, 0.0),
        np.maximum(-gap, 0.0)), strict=True)))


def recompute_coverage(
    problem: RosterProblem, roster: pd.DataFrame, source: str = "roster"
) -> pd.DataFrame:
    """Coverage frame ``timestamp,required,scheduled,shortfall,surplus`` (agents per slot)."""
    return _coverage_frame(problem, parse_roster(problem, roster, source))


def recompute_costs(problem: RosterProblem, ctx: RuleContext) -> list[float]:
    """Marginal cost of each parsed shift in CNY (see module docstring)."""
    costs = [0.0] * len(ctx.shifts)
    index = {id(s): i for i, s in enumerate(ctx.shifts)}
    pool, premium = problem.temporary, problem.costs.overtime_premium
    for rows in ctx.by_agent.values():
        kind = rows[0].true_type
        if kind == "temporary":
            for j, s in enumerate(rows):
                c = s.paid_hours * pool.hourly_cost_cny
                if j == 0:
                    c += pool.onboarding_cost_cny + pool.training_hours * pool.hourly_cost_cny
                costs[index[id(s)]] = c
        elif kind == "part_time":
            for s in rows:
                costs[index[id(s)]] = s.paid_hours * s.agent.hourly_cost_cny
        elif kind == "permanent":
            agent = rows[0].agent
            cum: dict[int, float] = defaultdict(float)
            for s in rows:  # rows are in start order
                w = ctx.week_of(s.date)
                cap = ctx.agent_week(agent, w)[3]
                before, after = cum[w], cum[w] + s.paid_hours
                cum[w] = after
                ot = max(0.0, after - cap) - max(0.0, before - cap)
                costs[index[id(s)]] = ot * agent.hourly_cost_cny * premium
    return costs


def validate_roster(
    problem: RosterProblem, roster: pd.DataFrame, source: str = "roster"
) -> ValidationReport:
    """Check every rule and recompute coverage and costs from the roster and the scenario.

    Malformed cells raise :class:`scheduler.errors.SchedulerInputError` (one line naming source,
    row and field); rule breaches are returned as violations, never raised.
    """
    shifts = parse_roster(problem, roster, source)
    ctx = RuleContext(problem=problem, shifts=shifts)
    ctx.costs = recompute_costs(problem, ctx)
    violations: list[Violation] = []
    for rule in RULES:
        violations.extend(rule(ctx))
    cov = _coverage_frame(problem, shifts)
    h = problem.interval_minutes / 60.0
    short_h = float(cov["shortfall"].sum() * h)
    surplus_h = float(cov["surplus"].sum() * h)
    by_type: dict[str, float] = defaultdict(float)
    hours_by_type: dict[str, float] = defaultdict(float)
    for s, c in zip(shifts, ctx.costs, strict=True):
        if s.true_type is not None:
            by_type[s.true_type] += c
            hours_by_type[s.true_type] += s.paid_hours
    wage = float(sum(by_type.values()))
    short_pen = short_h * problem.costs.shortfall_cost_per_agent_hour_cny
    over_pen = surplus_h * problem.costs.overstaff_cost_per_agent_hour_cny
    return ValidationReport(
        violations=violations,
        coverage=cov,
        wage_cost_cny=wage,
        wage_cost_by_type_cny=dict(by_type),
        paid_hours_by_type=dict(hours_by_type),
        temporaries_hired=len(ctx.temp_first),
        shortfall_agent_hours=short_h,
        surplus_agent_hours=surplus_h,
        shortfall_penalty_cny=short_pen,
        overstaff_penalty_cny=over_pen,
        total_cost_cny=wage + short_pen + over_pen,
    )


def roster_frame_from_assignments(assignments: Iterable[ShiftAssignment]) -> pd.DataFrame:
    """HR-CSV-shaped text frame from assignments (for tests and benchmarks; the real writer is in
    ``scenarios``). Breaks become ``HH:MM-HH:MM`` joined by ``;``."""
    rows = [
        {
            "agent_id": a.agent_id,
            "agent_name": a.agent_name,
            "agent_type": a.agent_type,
            "date": a.date.isoformat(),
            "shift_start": f"{a.shift_start:%Y-%m-%d %H:%M}",
            "shift_end": f"{a.shift_end:%Y-%m-%d %H:%M}",
            "breaks": ";".join(
                f"{b.start:%H:%M}-{b.end:%H:%M}" for b in sorted(a.breaks, key=lambda b: b.start)
            ),
            "paid_hours": f"{a.paid_hours:.2f}",
            "cost_cny": f"{a.cost_cny:.2f}",
        }
        for a in assignments
    ]
    return pd.DataFrame(rows, columns=list(ROSTER_COLUMNS), dtype=object)
