"""Validator violations are never quiet (issue 22): summary.json's ``validation`` section, the
lines a command prints about it, and its exit code.

A roster the independent validator (``scheduler.roster.validate_roster``) flags makes ``run``,
``roster``, ``rerun`` and ``frontier`` exit with :data:`scenarios.cli.EXIT_VIOLATIONS` (3) after
their outputs are written, printing one line per violated rule on stderr::

    peakplan: violation weekly_min_hours: 4 (agents P012, P031, T004, P040, P041, … 7 in all)

Exception: the scenario opted into soft weekly minimums (``[rules] soft_weekly_minimums =
true``, :class:`scenarios.schema.ScenarioRules`). Violations of only those rules are then
accepted: exit 0, a ``peakplan: warning:`` block on stderr, and summary.json's ``validation``
records them (``soft_rules``, ``accepted``) for the dashboard.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from scenarios.cli import EXIT_VIOLATIONS

if TYPE_CHECKING:
    from scheduler.roster import ValidationReport

#: Agent IDs named per rule on the terminal; the rest are counted (summary.json has them all).
AGENTS_SHOWN = 5
#: Violation messages printed after the rule lines when the roster is refused.
FIRST_SHOWN = 5


def validation_section(report: ValidationReport, soft_rules: Sequence[str] = ()) -> dict:
    """summary.json ``validation``: the verdict, counts and agents by rule, the first five
    messages, the rules this run accepts as warnings (``soft_rules``) and whether every
    violation is one of them (``accepted``: the command exits 0)."""
    from scenarios.run_summary import describe_violation

    violations = report.violations
    by_rule = dict(Counter(v.rule for v in violations))
    agents = {
        rule: sorted({v.agent_id for v in violations if v.rule == rule and v.agent_id})
        for rule in by_rule
    }
    return {
        "ok": report.ok,
        "violations": len(violations),
        "by_rule": by_rule,
        "agents": agents,
        "first": [describe_violation(v) for v in violations[:FIRST_SHOWN]],
        "soft_rules": list(soft_rules),
        "accepted": all(rule in soft_rules for rule in by_rule),
    }


def rule_line(rule: str, count: int, agents: Sequence[str]) -> str:
    """``weekly_min_hours: 4 (agents P012, P031, … 9 in all)``; no agent part without agents."""
    if not agents:
        return f"{rule}: {count}"
    named = ", ".join(agents[:AGENTS_SHOWN])
    if len(agents) > AGENTS_SHOWN:
        named += f", … {len(agents)} in all"
    return f"{rule}: {count} (agents {named})"


def violation_lines(validation: Mapping) -> tuple[list[str], list[str]]:
    """The rule lines of a ``validation`` section: (refused rules, accepted soft rules)."""
    soft = set(validation.get("soft_rules") or ())
    agents = validation.get("agents") or {}
    hard, accepted = [], []
    for rule, count in sorted((validation.get("by_rule") or {}).items()):
        line = rule_line(rule, count, list(agents.get(rule) or ()))
        (accepted if rule in soft else hard).append(line)
    return hard, accepted


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def report_violations(
    validation: Mapping, log: Callable[[str], None] = _stderr, where: str | None = None
) -> int:
    """Print a ``validation`` section's violations (to ``log``; ``where``, e.g. a sweep's run
    label, after ``peakplan:``) and return the exit code: 0 when there are none or all are
    accepted soft rules, else ``EXIT_VIOLATIONS``."""
    if validation.get("ok", True):
        return 0
    head = f"peakplan: {where}: " if where else "peakplan: "
    hard, accepted = violation_lines(validation)
    if accepted:
        log(
            f"{head}warning: the roster misses weekly minimum hours, accepted because "
            "[rules] soft_weekly_minimums = true:"
        )
        for line in accepted:
            log(f"{head}warning:   {line}")
    if not hard:
        return 0
    for line in hard:
        log(f"{head}violation {line}")
    for message in validation.get("first") or ():
        log(f"  {message}")
    log(
        f"{head}the roster breaks {len(hard)} labour rule(s); the outputs are written for "
        f"review (exit {EXIT_VIOLATIONS})"
    )
    return EXIT_VIOLATIONS


def verdict(validation: Mapping) -> str:
    """``ok``, ``N violations`` or ``N violations (accepted: soft rules)`` for a summary line."""
    if validation.get("ok", True):
        return "ok"
    count = f"{validation.get('violations')} violations"
    hard, _accepted = violation_lines(validation)
    return count if hard else f"{count} (accepted: soft weekly minimums)"
