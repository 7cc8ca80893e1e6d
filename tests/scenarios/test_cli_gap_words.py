"""The CLI says the gap in both conventions (issue 22, an honest gap): the solver's share of
the cost, and how far above the optimum the cost can at most be (the benchmarks' figure), after
the amount in CNY."""

from __future__ import annotations

from scenarios.cli_commands import gap_words


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
