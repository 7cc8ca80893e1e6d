"""The efficiency experiment's variants change only the efficiencies they name: named agents'
efficiency, the temporaries' ramp, or both, set to 1.0, with demand, rules and costs unchanged,
and a variant with nothing to change is reported as the same as given (None)."""

from __future__ import annotations

from datetime import date

from benchmarks.efficiency_gap import VARIANTS, variant
from benchmarks.roster_instances import make_instance


def test_variants_set_only_the_named_efficiencies():
    base = make_instance(12, 7, 0, start=date(2026, 11, 9))
    assert any(a.efficiency != 1.0 for a in base.agents)
    assert base.temporary.max_headcount > 0
    assert any(e != 1.0 for e in base.temporary.efficiency_ramp)
    given, agents, ramp, both = (variant(base, name) for name in VARIANTS)
    assert given is base
    assert all(a.efficiency == 1.0 for a in agents.agents)
    assert agents.temporary == base.temporary
    assert [a.efficiency for a in ramp.agents] == [a.efficiency for a in base.agents]
    assert set(ramp.temporary.efficiency_ramp) == {1.0}
    assert all(a.efficiency == 1.0 for a in both.agents)
    assert set(both.temporary.efficiency_ramp) == {1.0}
    for p in (agents, ramp, both):
        assert p.required == base.required
        assert p.rules == base.rules and p.costs == base.costs
        assert [a.agent_id for a in p.agents] == [a.agent_id for a in base.agents]


def test_a_variant_with_nothing_to_change_is_the_same_as_given():
    base = make_instance(12, 7, 0, start=date(2026, 11, 9))
    flat = base.model_copy(update={
        "agents": [a.model_copy(update={"efficiency": 1.0}) for a in base.agents]})
    assert variant(flat, "agents 1.0") is None
    both = variant(flat, "both 1.0")
    assert set(both.temporary.efficiency_ramp) == {1.0}
    assert all(a.efficiency == 1.0 for a in both.agents)
