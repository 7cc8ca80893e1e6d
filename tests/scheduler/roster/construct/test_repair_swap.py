"""``swap_for_efficiency``: the more efficient agent takes the shift over the binding slots."""

from __future__ import annotations

from roster_factory import make_problem

from scheduler.roster.checks.validator import roster_frame_from_assignments, validate_roster
from scheduler.roster.construct.repair import swap_for_efficiency
from scheduler.roster.pricing.compare import raw_shifts
from scheduler.roster.pricing.roster_rows import make_rows, price_roster
from scheduler.roster.solve import prepare_instance


def test_swap_gives_the_tight_shift_to_the_efficient_agent():
    p = make_problem(n_perm=2, n_part=0, days=7, temp_max=0, scale=1.0, peak_day=None)
    agents = (p.agents[0].model_copy(update={"efficiency": 0.8, "min_hours_per_week": 0}),
              p.agents[1].model_copy(update={"efficiency": 1.2, "min_hours_per_week": 0}))
    req = [0.0] * 48 * 7
    req[20:28] = [1.0] * 8  # day 0, 10:00-14:00 needs one agent
    p = p.model_copy(update={"agents": agents, "required": tuple(req)})
    inst, _, _ = prepare_instance(p)
    c = inst.cols["permanent"]
    cand = sorted(set(inst.candidates[0][0]) & set(inst.candidates[1][0]))
    same_len = [j for j in cand if c.paid[j] == 480]
    tight = max(same_len, key=lambda j: c.duty[20:28, j].sum())
    loose = min(same_len, key=lambda j: c.duty[20:28, j].sum())
    assert c.duty[20:28, tight].sum() > c.duty[20:28, loose].sum()
    roster = [(0, tight), (1, loose)]  # the 0.8 agent holds the shift over the demand
    after = swap_for_efficiency(inst, roster)
    assert sorted(after) == [(0, loose), (1, tight)]

    def cost(ch):
        return price_roster(p, make_rows(p, inst.hz, inst.cols, raw_shifts(inst, ch))).total_cny

    assert cost(after) < cost(roster)
    rows = make_rows(p, inst.hz, inst.cols, raw_shifts(inst, after))
    assert validate_roster(p, roster_frame_from_assignments(rows)).violations == []
