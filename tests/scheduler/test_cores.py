"""scheduler.cores.usable_cores: pools are sized by the cores this process may use (its affinity
mask), not by the machine's core count."""

from __future__ import annotations

import os

import pytest

from scheduler.cores import usable_cores


def test_affinity_mask_wins_over_the_machine_count(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {3}, raising=False)
    assert usable_cores() == 1
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 5, 7}, raising=False)
    assert usable_cores() == 3


@pytest.mark.parametrize(("count", "expected"), [(6, 6), (None, 1)])
def test_without_affinity_the_machine_count_at_least_one(monkeypatch, count, expected):
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: count)
    assert usable_cores() == expected


def test_sweeps_use_the_same_helper():
    import scenarios.sweep

    assert scenarios.sweep.usable_cores is usable_cores
