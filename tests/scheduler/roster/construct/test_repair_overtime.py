"""Overtime shedding (``construct.repair.shed_overtime``): never worse, validator-clean."""

from __future__ import annotations

from roster_factory import make_problem

from scheduler.roster.checks.validator import roster_frame_from_assignments, validate_roster
from scheduler.roster.construct.repair import shed_overtime
from scheduler.roster.instance import instance as instance_module
from scheduler.roster.pricing.compare import raw_shifts
from scheduler.roster.pricing.roster_rows import make_rows, price_roster
from scheduler.roster.schema import SolverConfig
from scheduler.roster.solve import prepare_instance

CFG = SolverConfig(time_limit_s=30, num_workers=1, random_seed=3, deterministic_time_limit=0.8)


def _rows(inst, chosen):
    return make_rows(inst.problem, inst.hz, inst.cols, raw_shifts(inst, chosen))



def _rows(inst, chosen):
    return make_rows(inst.problem, inst.hz, inst.cols, raw_shifts(inst, chosen))


def test_shed_overtime_moves_a_shift_to_an_agent_below_contract():
    p = make_problem(n_perm=2, n_part=0, days=7, temp_max=0, scale=1.0, peak_day=None)
    p = p.model_copy(update={"agents": tuple(a.model_copy(update={"min_hours_per_week": 24})
                                             for a in p.agents)})
    inst, _, _ = prepare_instance(p)
    c = inst.cols["permanent"]
    # one 8-h day column a day, starts never more than 4 h earlier than the day before (so the
    # 11-h rest holds): agent 0 works days 0-5 (48 h, 8 h overtime), agent 1 days 0-2 (24 h)
    day_col, prev = {}, 0
    for d in range(7):
        common = set(inst.candidates[0].get(d, [])) & set(inst.candidates[1].get(d, []))
        opts = [j for j in sorted(common)
                if c.paid[j] == 480 and max(420, prev - 240) <= c.start[j] - d * 1440 <= 900]
        day_col[d] = min(opts, key=lambda j: abs(int(c.start[j]) - d * 1440 - prev))
        prev = int(c.start[day_col[d]]) - d * 1440
    roster = [(0, day_col[d]) for d in range(6)] + [(1, day_col[d]) for d in range(3)]
    before = price_roster(p, _rows(inst, roster))
    after_chosen = shed_overtime(inst, roster)
    rows = _rows(inst, after_chosen)
    after = price_roster(p, rows)
    assert sum(r.cost_cny for r in rows) == 0  # no overtime left
    assert after.total_cny < before.total_cny
    assert len(after_chosen) == len(roster)  # shifts moved, not dropped
    rep = validate_roster(p, roster_frame_from_assignments(rows))
    assert rep.violations == []


def test_shed_overtime_exchanges_a_long_shift_with_an_agent_below_contract(monkeypatch):
    monkeypatch.setattr(instance_module, "FULL_MODEL_LIMIT", 10**6)  # every column a candidate
    p = make_problem(n_perm=2, n_part=0, days=7, temp_max=0, scale=1.0, peak_day=None)
    req = [0.0] * len(p.required)
    req[16] = 2.0  # day 0: both agents at 08:00, and one until 18:00 (only 9 h from 08:00)
    req[34:36] = [1.0, 1.0]
    p = p.model_copy(update={"required": tuple(req), "agents": tuple(
        a.model_copy(update={"min_hours_per_week": 24}) for a in p.agents)})
    inst, _, _ = prepare_instance(p)
    c = inst.cols["permanent"]

    def col(i, d, paid):  # the 08:00 column of that paid length with the earliest meal
        opts = [j for j in inst.candidates[i][d]
                if c.start[j] - d * 1440 == 480 and c.paid[j] == paid]
        return min(opts, key=lambda j: c.templates[int(c.tmpl[j])].meal_offset or 0)

    # agent 0: 9 h + four 8 h = 41 h (1 h overtime); agent 1: four 8 h = 32 h, both on day 0
    roster = [(0, col(0, 0, 540))] + [(0, col(0, d, 480)) for d in range(1, 5)]
    roster += [(1, col(1, d, 480)) for d in range(4)]
    before = price_roster(p, _rows(inst, roster))
    after_chosen = shed_overtime(inst, roster)
    rows = _rows(inst, after_chosen)
    assert sorted(after_chosen) != sorted(roster)
    assert sum(r.cost_cny for r in rows) == 0  # no overtime left
    assert price_roster(p, rows).total_cny < before.total_cny
    hours = {a: sum(r.paid_hours for r in rows if r.agent_id == a) for a in ("P000", "P001")}
    assert hours == {"P000": 40.0, "P001": 33.0}  # the 9-h shift moved, coverage kept
    assert validate_roster(p, roster_frame_from_assignments(rows)).violations == []
