"""A small valid project (scenario + every input file) that each bad-input case breaks once.

The project is the bundled demo scenario cut to 2 roster days, with 8 weeks of synthetic hourly
history, an events file, 9 named agents, a forecast CSV (for ``staff``) and a requirements CSV
(for ``roster``), all in one folder with paths relative to the scenario, as a manager keeps them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "sample" / "double11-2026.toml"
START, END = "2026-10-27", "2026-10-28"


def _history(weeks: int = 8, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    stamps = pd.date_range("2026-08-31", periods=weeks * 7 * 24, freq="h")
    hour = stamps.hour.to_numpy()
    shape = 8 + 40 * np.exp(-0.5 * ((hour - 10) / 2.5) ** 2) + 50 * np.exp(
        -0.5 * ((hour - 21) / 2) ** 2
    )
    return pd.DataFrame(
        {"timestamp": stamps.strftime("%Y-%m-%dT%H:%M:%S"), "volume": rng.poisson(shape)}
    )


def _agents() -> pd.DataFrame:
    rows = []
    for i in range(6):
        rows.append((f"00{i + 1}", f"客服{i + 1}", "permanent", 40, 0, 54, 30, "", "", "", ""))
    for i in range(3):
        rows.append((f"P{i + 1:03d}", f"兼职{i + 1}", "part_time", 0, 0, 24, 25, "", "18:00",
                     "23:59", ""))
    columns = ["agent_id", "name", "agent_type", "contract_hours_per_week", "min_hours_per_week",
               "max_hours_per_week", "hourly_cost_cny", "available_weekdays", "available_from",
               "available_to", "days_off"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["efficiency"] = 1.0
    return frame


def _slots() -> pd.DatetimeIndex:
    return pd.date_range(f"{START}T00:00", f"{END}T23:30", freq="30min")


def build_project(folder: Path) -> dict[str, Path]:
    """Write the valid project into ``folder``; returns the paths by short name."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "scenario": folder / "scenario.toml",
        "history": folder / "history.csv",
        "events": folder / "events.csv",
        "agents": folder / "agents.csv",
        "forecast": folder / "forecast.csv",
        "requirements": folder / "requirements.csv",
    }
    _history().to_csv(paths["history"], index=False)
    paths["events"].write_text(
        "event,phase,start,end\n"
        "double11,presale,2026-10-20T20:00,2026-10-31T19:59\n", encoding="utf-8")
    _agents().to_csv(paths["agents"], index=False, encoding="utf-8-sig")
    slots = _slots()
    hour = slots.hour.to_numpy()
    volume = 20 + 60 * np.exp(-0.5 * ((hour - 21) / 2) ** 2)
    stamps = slots.strftime("%Y-%m-%dT%H:%M:%S")
    pd.DataFrame({"timestamp": stamps, "volume": volume.round(2)}).to_csv(
        paths["forecast"], index=False)
    pd.DataFrame({"timestamp": stamps, "agents_required": np.ceil(volume / 20).astype(int)}).to_csv(
        paths["requirements"], index=False)
    text = (
        DEMO.read_text(encoding="utf-8")
        .replace("start = 2026-11-01", f"start = {START}")
        .replace("end = 2026-11-14", f"end = {END}")
        .replace("train_end = 2026-10-19T23:00:00", "train_end = 2026-10-25T23:00:00")
        .replace("max_headcount = 50", "max_headcount = 4")
        .replace("time_limit_s = 60", "time_limit_s = 3")
        .replace("num_workers = 8", "num_workers = 1")
        .replace("lp_bound = true", "lp_bound = false")
    )
    paths["scenario"].write_text(text, encoding="utf-8")
    return paths
