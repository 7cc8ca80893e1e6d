"""The seeds report: per-run gaps to the LP bound and their median, range and count under 2 %."""

from __future__ import annotations

from types import SimpleNamespace

from benchmarks.roster_seeds import render


def test_seed_report_gaps_median_and_count_under_two_percent():
    args = SimpleNamespace(agents=200, days=14, time_limit=60.0, workers=8, runs=3)
    runs = [
        {"cost": 101.5, "short_h": 1.0, "violations": 0, "wall": 58.0},
        {"cost": 103.0, "short_h": 2.0, "violations": 0, "wall": 58.1},
        {"status": "error: RuntimeError: x"},
    ]
    text = render(args, 100.0, runs)
    assert "| 0 | 102 | +1.50 % | 1.0 | 0 | 58.0 |" in text
    assert "| 1 | 103 | +3.00 % |" in text
    assert "| 2 | error: RuntimeError: x | – |" in text
    assert "median +2.25 %, min +1.50 %, max +3.00 %; 1 of 2 runs at or under +2 %." in text
