"""Report headers name what the run really had: the cores the process may use (not the
machine's count) and the pyworkforce reference only where the report ran it."""

from __future__ import annotations

import os

import pytest

from benchmarks.bench_format import cny, cores, pct_over, versions


def test_versions_name_pyworkforce_only_for_reports_that_ran_it() -> None:
    assert "pyworkforce" not in versions()
    assert "pyworkforce 0.5.1" in versions(reference=True)
    assert versions().startswith("Python ")


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="no affinity on this OS")
def test_cores_counts_the_affinity_mask_not_the_machine() -> None:
    allowed = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, {min(allowed)})
        assert cores() == "1 core (affinity)"
    finally:
        os.sched_setaffinity(0, allowed)
    assert cores() == f"{len(allowed)} {'core' if len(allowed) == 1 else 'cores'} (affinity)"


def test_money_and_percent_formats() -> None:
    assert cny(1234567.4) == "1,234,567"
    assert cny(None) == "–"
    assert pct_over(105.0, 100.0) == "+5.00 %"
    assert pct_over(1.0, 0.0) == "–"
