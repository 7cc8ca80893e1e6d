"""Sweeps on Ray (issue 19, point 6, acceptance 4): the same frontier run as Ray tasks on a local
Ray cluster gives the local backend's results: roster, coverage and frontier.csv byte for byte,
and every figure of each run's summary. Under CI=true a missing Ray fails instead of skipping."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scenarios.cli import main

try:
    import ray
except ImportError:  # pragma: no cover - Ray is a dev dependency
    ray = None

needs_ray = pytest.mark.skipif(
    ray is None and not os.environ.get("CI"),
    reason="ray not installed (pip install 'peakplan[ray]'; under CI=true a missing Ray fails)",
)

#: Summary keys that differ between two runs of the same plan (clock, paths, timings).
VOLATILE = {("run", "created_at"), ("scenario", "file"), ("solver", "wall_time_s"),
            ("solver", "stage_seconds")}


def _figures(summary: dict) -> dict:
    return {
        (section, key): value
        for section, table in summary.items()
        if isinstance(table, dict)
        for key, value in table.items()
        if (section, key) not in VOLATILE
    }


@pytest.fixture(scope="module")
def ray_cluster():
    assert ray is not None, "ray is not installed: pip install 'peakplan[ray]'"
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    if started:
        ray.shutdown()


def _frontier(tiny, out: Path, backend: str) -> int:
    return main([
        "frontier", str(tiny["scenario"]), "--param", "service.bot_deflection",
        "--values", "0.35,0.6", "--out", str(out), "--backend", backend, "--jobs", "2",
        "--time-limit", "2", "--seed", "0", "--quiet",
    ])


@needs_ray
@pytest.mark.slow
def test_ray_backend_matches_the_local_backend(ray_cluster, tiny, capsys):
    local, remote = tiny["dir"] / "local", tiny["dir"] / "ray"
    assert _frontier(tiny, local, "local") == 0, capsys.readouterr().err
    assert _frontier(tiny, remote, "ray") == 0, capsys.readouterr().err
    assert ray_cluster.is_initialized()  # a cluster it did not start is left running
    assert (remote / "frontier.csv").read_bytes() == (local / "frontier.csv").read_bytes()
    marker = json.loads((remote / ".peakplan-sweep.json").read_text(encoding="utf-8"))
    assert marker["backend"] == "ray"
    assert sorted(marker["runs"]) == ["service.bot_deflection=0.35", "service.bot_deflection=0.6"]
    for label in marker["runs"]:
        for name in ("roster.csv", "coverage.csv", "requirements.csv", "unmet.csv"):
            assert (remote / label / name).read_bytes() == (local / label / name).read_bytes(), (
                label, name
            )
        ours, theirs = (
            json.loads((d / label / "summary.json").read_text(encoding="utf-8"))
            for d in (remote, local)
        )
        assert _figures(ours) == _figures(theirs), label
        assert ours["solver"]["deterministic"] and ours["solver"]["num_workers"] == 1
