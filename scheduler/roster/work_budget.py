"""Deterministic mode: every stage of ``solve_roster`` stops on work counts, not the clock.

``SolverConfig.deterministic`` (or, the older partial switch, ``deterministic_time_limit``) makes
the roster a function of the inputs and the seed only, whatever the machine's load:

- restricted integer master (HiGHS): a branch-and-bound node limit;
- whole-schedule local search: a fixed number of sweeps and kicks in this process (the forked
  parallel search, whose epochs end on the clock, is off);
- CP-SAT (whole model and LNS): ``max_deterministic_time`` with one worker.

The work is scaled with ``time_limit_s`` (``MOVES_PER_S`` best-response moves of the local search
and ``DTIME_PER_S`` CP-SAT deterministic seconds per second of the limit, measured on a 2-core
machine) so quality stays close to the default mode. Moves, not kicks, are counted: a kick
re-optimises a share of all identities, so its cost grows with the roster (a fixed kick count ran
3x past the limit on 200 x 14), while one move costs about the same (100-150 us) on 30 x 7 and
200 x 14. The clock only remains as a safety net at ``SAFETY_FACTOR`` x the limit
(+ ``SAFETY_EXTRA_S``); if it stops a stage the result says so in its ``warnings``, since the
roster may then differ between runs.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from scheduler.roster.schema import SolverConfig

MOVES_PER_S = 6000  # local-search moves per second of time limit (deterministic mode)
DTIME_PER_S = 3.0  # CP-SAT deterministic seconds per second of time limit given to CP-SAT
LEGACY_KICKS = 40  # kicks of the partial mode keyed on deterministic_time_limit alone
SAFETY_FACTOR, SAFETY_EXTRA_S = 3.0, 10.0  # the safety clock: 3 x the limit + 10 s


@dataclass
class WorkBudget:
    """Work limits of one solve; ``fixed`` False = the default, clock-driven mode."""

    fixed: bool
    single_worker: bool  # deterministic=True: CP-SAT and the search on one worker
    time_limit_s: float
    dtime: float | None  # CP-SAT deterministic-time override (deterministic_time_limit)
    legacy: bool  # only deterministic_time_limit set: the old fixed counts
    safety_end: float  # perf_counter seconds past which the clock stops work (fixed mode)
    t_start: float = 0.0  # perf_counter seconds when the solve started
    fired: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, config: SolverConfig, t_start: float) -> WorkBudget:
        fixed = config.deterministic or config.deterministic_time_limit is not None
        safety = (t_start + SAFETY_FACTOR * config.time_limit_s + SAFETY_EXTRA_S
                  if fixed else math.inf)
        return cls(fixed, config.deterministic, config.time_limit_s,
                   config.deterministic_time_limit, not config.deterministic, safety, t_start)

    def kicks(self, share: float) -> int | None:
        """Kick cap of a local-search stage (the legacy mode's fixed count; else none)."""
        return LEGACY_KICKS if self.legacy else None

    def moves(self, share: float) -> int | None:
        """Move budget of a local-search stage given ``share`` of the time limit."""
        if self.legacy:
            return None
        return max(1000, round(MOVES_PER_S * share * self.time_limit_s))

    def cp_sat_dtime(self, seconds: float) -> float | None:
        """CP-SAT deterministic-time budget of a stage planned to take ``seconds``; None in the
        default mode."""
        if not self.fixed:
            return None
        if self.dtime is not None:
            return self.dtime
        return max(0.1, DTIME_PER_S * seconds)

    def safety_left(self) -> float:
        """Seconds left before the safety clock (inf in the default mode)."""
        return self.safety_end - time.perf_counter()

    def check(self, stage: str) -> None:
        """Record ``stage`` as cut by the safety clock when it is past (fixed mode)."""
        if self.fixed and time.perf_counter() >= self.safety_end and stage not in self.fired:
            self.fired.append(stage)

    def warnings(self) -> list[str]:
        if not self.fired:
            return []
        return [f"deterministic mode: the safety time limit ({self.safety_end_s:g} s) stopped "
                f"{', '.join(self.fired)}; this roster may differ between runs"]

    def overrun(self, wall_s: float) -> list[str]:
        """A warning when the clock-driven solve ran more than 10 % past its limit (the
        stage-1 LP and the constructive roster cannot stop early)."""
        if self.fixed or wall_s <= 1.1 * self.time_limit_s:
            return []
        return [f"the solve took {wall_s:.0f} s, over its {self.time_limit_s:g} s time limit: "
                "preparing a problem this size (stage-1 LP, constructive roster) takes longer; "
                "allow more time"]

    @property
    def safety_end_s(self) -> float:
        return round(SAFETY_FACTOR * self.time_limit_s + SAFETY_EXTRA_S, 1)
