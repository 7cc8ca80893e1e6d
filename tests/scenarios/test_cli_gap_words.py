"""The CLI says the gap in both conventions (issue 22, an honest gap): the solver's share of
the cost, and how far above the optimum the cost can at most be (the benchmarks' figure), after
the amount in CNY."""

from __future__ import annotations

from scenarios.cli_commands import gap_parts_words, gap_words, print_run_summary


def test_the_demo_gap_reads_both_ways():
    # demo run: cost 94,752 CNY, HiGHS LP bound 87,677 CNY
    gap = (94_752 - 87_677) / 94_752
    assert gap_words(gap, 94_752, 87_677) == (
        "gap 7,075 CNY, 7.5% of the cost; cost at most 8.1% above the optimum")


def test_a_small_cost_says_the_amount_before_the_shares():
    # Double 12 with permanents only: the whole cost is overstaffing, 261 CNY against 195
    gap = (261.07 - 195.0) / 261.07
    assert gap_words(gap, 261.07, 195.0) == (
        "gap 66 CNY, 25.3% of the cost; cost at most 33.9% above the optimum")


def test_a_zero_bound_says_only_the_share_of_the_cost():
    assert gap_words(1.0, 500.0, 0.0) == "gap 100.0% of the cost"


def test_the_gap_says_what_it_is_made_of():
    # demo 60 s roster against the LP bound's solution (tour_bound.md's categories, rounded)
    parts = {
        "shortfall": {"roster_cny": 29_955.0, "bound_cny": 30_260.0, "gap_cny": -305.0},
        "part_time": {"roster_cny": 14_805.0, "bound_cny": 12_001.0, "gap_cny": 2_804.0},
        "temporary": {"roster_cny": 48_888.0, "bound_cny": 45_788.0, "gap_cny": 3_100.0},
        "overstaff": {"roster_cny": 442.0, "bound_cny": 270.0, "gap_cny": 172.0},
        "permanent_overtime": {"roster_cny": 900.0, "bound_cny": 899.6, "gap_cny": 0.4},
    }
    assert gap_parts_words(parts) == (
        "gap by cost category (roster − LP bound's solution): temporaries +3,100, "
        "part-time +2,804, shortfall -305, overstaff +172 CNY")


def test_no_parts_say_nothing():
    assert gap_parts_words({}) is None
    assert gap_parts_words({"overstaff": {"roster_cny": 5.0, "bound_cny": 5.2,
                                          "gap_cny": -0.2}}) is None


def test_the_run_prints_the_gap_and_its_parts(capsys):
    # the Double 12 trial (15-minute intervals, permanents only): the whole gap is overstaffing
    summary = {
        "scenario": {"name": "Double 12 2026"},
        "cost_cny": {"wages_total": 0.0, "permanent": 0.0, "part_time": 0.0, "temporary": 0.0},
        "headcount": {"permanent": 60}, "hours": {"short_agent_hours": 0.0},
        "service": {"expected_service_level": 0.97, "target_service_level": 0.8},
        "validation": {"ok": True},
        "solver": {"status": "FEASIBLE", "wall_time_s": 28.9, "objective_cny": 245.32,
                   "best_bound_cny": 185.0, "bound_source": "HiGHS LP", "gap": 0.2459,
                   "gap_parts": {"overstaff": {"roster_cny": 245.32, "bound_cny": 185.0,
                                               "gap_cny": 60.32},
                                 "shortfall": {"roster_cny": 0.0, "bound_cny": 0.0,
                                               "gap_cny": 0.0}},
                   "stages": [{"stage": "constructive", "score_cny": 419.54,
                               "improvement_cny": 0.0},
                              {"stage": "local_search", "score_cny": 360.32,
                               "improvement_cny": 59.22}],
                   "stage_seconds": {"constructive": 1.2, "local_search": 19.8},
                   "fairness_penalty_cny": 115.0},
    }
    print_run_summary(summary)
    out = capsys.readouterr().out.splitlines()
    i = next(k for k, line in enumerate(out) if "lower bound 185 (HiGHS LP)" in line)
    assert "gap 60 CNY, 24.6% of the cost" in out[i]
    assert out[i + 1] == ("  gap by cost category (roster − LP bound's solution): "
                          "overstaff +60 CNY")
    # stage scores end at 360 against an objective of 245: the line says why
    assert out[i + 2] == (
        "  roster built by: constructive 1.2 s -> 420; local search 19.8 s -59 CNY (search "
        "scores include the night-shift fairness penalty, 115 CNY in this roster; the "
        "objective above does not)")
