"""The CLI says the gap in both conventions (issue 22, an honest gap): the solver's share of
the cost, and how far above the optimum the cost can at most be (the benchmarks' figure)."""

from __future__ import annotations

from scenarios.cli_commands import gap_words


def test_the_demo_gap_reads_both_ways():
    # demo run: cost 94,752 CNY, HiGHS LP bound 87,677 CNY
    gap = (94_752 - 87_677) / 94_752
    assert gap_words(gap, 94_752, 87_677) == (
        "gap 7.5% of the cost; cost at most 8.1% above the optimum")


def test_a_zero_bound_says_only_the_share_of_the_cost():
    assert gap_words(1.0, 500.0, 0.0) == "gap 100.0% of the cost"
