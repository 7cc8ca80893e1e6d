"""A tiny but complete scenario (synthetic history, 9 agents, 2 roster days) for pipeline tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "sample" / "double11-2026.toml"


def _history(weeks: int = 8, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    stamps = pd.date_range("2026-09-01", periods=weeks * 7 * 24, freq="h")
    hour = stamps.hour.to_numpy()
    shape = (
        8
        + 40 * np.exp(-0.5 * ((hour - 10) / 2.5) ** 2)
        + 50 * np.exp(-0.5 * ((hour - 21) / 2) ** 2)
    )
    volume = rng.poisson(shape)
    return pd.DataFrame({"timestamp": stamps.strftime("%Y-%m-%dT%H:%M:%S"), "volume": volume})


def _agents() -> pd.DataFrame:
    rows = []
    for i in range(6):
        rows.append(
            {
                "agent_id": f"00{i + 1}",
                "name": f"客服{i + 1}",
                "agent_type": "permanent",
                "contract_hours_per_week": 40,
                "min_hours_per_week": 0,
                "max_hours_per_week": 54,
                "hourly_cost_cny": 30,
                "available_weekdays": "",
                "available_from": "",
                "available_to": "",
                "days_off": "",
                "efficiency": 1.0,
            }
        )
    for i in range(3):
        rows.append(
            {
                "agent_id": f"P{i + 1:03d}",
                "name": f"兼职{i + 1}",
                "agent_type": "part_time",
                "contract_hours_per_week": 0,
                "min_hours_per_week": 0,
                "max_hours_per_week": 24,
                "hourly_cost_cny": 25,
                "available_weekdays": "",
                "available_from": "18:00",
                "available_to": "02:00",
                "days_off": "",
                "efficiency": 1.0,
            }
        )
    return pd.DataFrame(rows)


@pytest.fixture()
def tiny(tmp_path: Path) -> dict[str, Path]:
    """Files of a 2-day scenario with 5-second single-worker solves."""
    history = tmp_path / "history.csv"
    _history().to_csv(history, index=False)
    agents = tmp_path / "agents.csv"
    _agents().to_csv(agents, index=False, encoding="utf-8-sig")
    events = tmp_path / "events.csv"
    events.write_text("event,phase,start,end\n", encoding="utf-8")
    text = EXAMPLE.read_text(encoding="utf-8")
    text = (
        text.replace("start = 2026-11-01", "start = 2026-10-27")
        .replace("end = 2026-11-14", "end = 2026-10-28")
        .replace('"history.csv"', f'"{history.as_posix()}"')
        .replace('events = "events.csv"\n', "")
        .replace('"agents.csv"', f'"{agents.as_posix()}"')
        .replace("train_end = 2026-10-19T23:00:00", "train_end = 2026-10-26T23:00:00")
        .replace("max_headcount = 50", "max_headcount = 4")
        .replace("time_limit_s = 60", "time_limit_s = 5")
        .replace("num_workers = 8", "num_workers = 1")
    )
    scenario = tmp_path / "tiny.toml"
    scenario.write_text(text, encoding="utf-8")
    return {
        "scenario": scenario,
        "history": history,
        "agents": agents,
        "events": events,
        "dir": tmp_path,
    }
