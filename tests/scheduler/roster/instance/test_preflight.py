"""Pre-flight of weekly minimums against rest, consecutive-day and availability limits.

``check_problem`` must reject rule combinations that cannot all hold (before any solving) and
must not reject combinations that can (its bound is an upper bound on the paid hours an agent
can work in a week, so only truly impossible minimums fail).
"""

from __future__ import annotations

from datetime import date, time

import pytest
from roster_factory import make_problem

from scheduler.errors import SchedulerInputError
from scheduler.roster.instance.availability import agent_mask
from scheduler.roster.instance.columns import build_columns
from scheduler.roster.instance.horizon import Horizon
from scheduler.roster.instance.preflight import check_problem, most_hours_per_week
from scheduler.roster.schema import LabourRules, RosterProblem, TemporaryPool

LEAVE_4 = tuple(date(2026, 11, d) for d in (5, 6, 7, 8))  # Thu-Sun of the Mon-Sun week
LEAVE_2 = (date(2026, 11, 3), date(2026, 11, 4))


def _with(p: RosterProblem, rules: LabourRules | None = None, **agent_update) -> RosterProblem:
    agents = tuple(a.model_copy(update=agent_update) for a in p.agents)
    return p.model_copy(update={"agents": agents, "rules": rules or p.rules})


def _error(p: RosterProblem) -> str:
    with pytest.raises(SchedulerInputError) as err:
        check_problem(p)
    msg = str(err.value)
    assert "\n" not in msg
    return msg


def test_rest_40_h_with_54_h_minimum_is_rejected():
    p = make_problem(n_perm=1, n_part=0, days=7, temp_max=0)
    p = _with(p, LabourRules(min_rest_hours=40), agent_id="007", min_hours_per_week=54,
              max_hours_per_week=60)
    msg = _error(p)
    assert msg.startswith("agent 007: field 'min_hours_per_week' 54 cannot be met with "
                          "min_rest_hours 40 (at most ")
    assert msg.endswith("h in week 1, 2026-11-02..11-08)")


def test_rest_bound_is_prorated_in_a_partial_week():
    # a week with 4 days of leave: 3 of 5 working days, rest 40 h: two 9 h shifts at most
    # (18 h) < 40 x 3/5 = 24 h
    p = make_problem(n_perm=1, n_part=0, days=7, temp_max=0)
    p = _with(p, LabourRules(min_rest_hours=40), min_hours_per_week=40, max_hours_per_week=60,
              days_off=LEAVE_4)
    assert "(at most 18 h in week 1, 2026-11-02..11-08)" in _error(p)
    # 20 h (12 h prorated) fits in two shifts
    check_problem(_with(p, LabourRules(min_rest_hours=40), min_hours_per_week=20))


def test_consecutive_day_limit_with_weekly_minimum():
    p = make_problem(n_perm=1, n_part=0, days=7, temp_max=0)
    # 2 days on, 1 off: days 1,2,4,5,7 -> 5 x 9 h = 45 h is the most
    check_problem(_with(p, LabourRules(max_consecutive_days=2), min_hours_per_week=45))
    msg = _error(_with(p, LabourRules(max_consecutive_days=2), min_hours_per_week=46))
    assert "field 'min_hours_per_week' 46 cannot be met with max_consecutive_days 2" in msg
    assert "(at most 45 h in week 1, 2026-11-02..11-08)" in msg


def test_consecutive_day_limit_alone_is_not_a_top_k_bound():
    # 3 on, 1 off, 3 on: 6 days x 9 h = 54 h, so a 40 h minimum is valid
    p = make_problem(n_perm=1, n_part=0, days=7, temp_max=0)
    check_problem(_with(p, LabourRules(max_consecutive_days=3), min_hours_per_week=40))


def test_both_rules_named_when_each_binds():
    # rest 40 h and one day in a row: each alone allows 4 x 9 h = 36 h
    p = make_problem(n_perm=1, n_part=0, days=7, temp_max=0)
    rules = LabourRules(min_rest_hours=40, max_consecutive_days=1)
    assert most_hours_per_week(p.model_copy(update={"rules": rules}), "permanent",
                               None, 0) == pytest.approx(36.0)
    msg = _error(_with(p, rules, min_hours_per_week=40, max_hours_per_week=60))
    assert ("min_rest_hours 40 and max_consecutive_days 1 (at most 36 h in week 1, "
            "2026-11-02..11-08)") in msg


def test_availability_window_and_rest_bound_together():
    # window 22:00-08:00 (crosses midnight), rest 14 h: one 9 h night shift per date
    p = make_problem(n_perm=1, n_part=0, days=7, temp_max=0)
    rules = LabourRules(min_rest_hours=14, max_consecutive_days=7)
    ok = _with(p, rules, available_from=time(22, 0), available_to=time(8, 0),
               min_hours_per_week=54, max_hours_per_week=60)
    check_problem(ok)
    hz = Horizon.of(ok)
    cols = build_columns(ok, "permanent", hz)
    mask = agent_mask(ok.agents[0], cols, hz)
    assert most_hours_per_week(ok, "permanent", mask, 0) == pytest.approx(63.0)


def test_temporary_pool_minimum_against_rest_is_rejected():
    p = make_problem(n_perm=0, n_part=0, days=7, temp_max=2)
    pool = p.temporary.model_copy(update={"min_hours_per_week": 45})
    p = p.model_copy(update={"temporary": pool, "rules": LabourRules(min_rest_hours=40)})
    msg = _error(p)
    assert msg.startswith("temporary pool: field 'min_hours_per_week' 45 cannot be met with "
                          "min_rest_hours 40 (at most 40 h in week 1, 2026-11-02..11-08)")


def test_temporary_pool_minimum_that_fits_is_accepted():
    p = make_problem(n_perm=0, n_part=0, days=7, temp_max=2)
    pool = TemporaryPool(max_headcount=2, hourly_cost_cny=40.0, min_hours_per_week=40,
                         max_hours_per_week=48)
    check_problem(p.model_copy(update={"temporary": pool}))


def test_existing_factory_problems_still_pass():
    for kw in ({"days": 7}, {"days": 14, "peak_day": 9}, {"days": 3}, {"days": 1}):
        check_problem(make_problem(n_perm=4, n_part=3, temp_max=2, **kw))


def test_shortest_shift_above_prorated_weekly_maximum_is_rejected():
    # found by the property test: a week with 6 days of leave, 1 of 5 working days, max
    # 15 h/week -> 3 h that day, shortest shift 4 h, min 4 h/week -> 0.8 h: no roster meets both
    p = make_problem(n_perm=0, n_part=1, days=7, temp_max=0)
    p = _with(p, min_hours_per_week=4, max_hours_per_week=15, days_off=LEAVE_4 + LEAVE_2)
    msg = _error(p)
    assert msg.startswith("agent T000: field 'min_hours_per_week' 4 cannot be met: the shortest "
                          "permitted shift (4 h) is above the weekly maximum in week 1, "
                          "2026-11-02..11-08 (3 h)")


def test_minimum_and_maximum_with_no_whole_shift_total_between_is_rejected():
    # found by the property test: 4 days of leave, 3 of 5 working days, min 12 h -> 7.2 h,
    # max 18 h -> 10.8 h, 6 h shifts only: one shift is too few, two too many
    p = make_problem(n_perm=0, n_part=1, days=7, temp_max=0)
    pol = p.shifts.part_time.model_copy(update={"paid_hours_min": 6, "paid_hours_max": 6})
    p = _with(p, min_hours_per_week=12, max_hours_per_week=18, days_off=LEAVE_4).model_copy(
        update={"shifts": p.shifts.model_copy(update={"part_time": pol})})
    msg = _error(p)
    assert msg == ("agent T000: field 'min_hours_per_week' 12 cannot be met with whole shifts "
                   "within the weekly maximum in week 1, 2026-11-02..11-08 (need 7.2 to "
                   "10.8 h; the shifts give 6 h or 12 h)")
    check_problem(_with(p, min_hours_per_week=8, max_hours_per_week=18))  # 4.8..10.8: 6 h
