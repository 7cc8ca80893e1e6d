"""Writer of a small fake run directory (3 days, 30-minute intervals) per docs/contracts.md.

Named uniquely because tests/ has no __init__.py (pytest puts this folder on sys.path)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

START = pd.Timestamp("2026-11-10T00:00:00")
DAYS = 3
INTERVAL_MIN = 30

SUMMARY = {  # shape written by scenarios/run_summary.py::build_summary (RunSummary, version 2)
    "schema_version": 2,
    "scenario": {
        "name": "双11 test shop 2026",
        "file": "fake.toml",
        "sha256": "0" * 64,
        "variant": None,
        "overrides": {},
    },
    "run": {
        "created_at": "2026-11-01T08:00:00+08:00",
        "peakplan_version": "0.1.0",
        "horizon_start": "2026-11-10T00:00:00",
        "horizon_end": "2026-11-13T00:00:00",
        "interval_minutes": INTERVAL_MIN,
        "timezone": "Asia/Shanghai",
    },
    "cost_cny": {
        "permanent": 52340.0,
        "part_time": 8120.5,
        "temporary": 15600.0,
        "wages_total": 76060.5,
        "shortfall_penalty": 3000.0,
        "overstaff_penalty": 120.0,
        "objective_total": 79180.5,
    },
    "headcount": {"permanent": 12, "part_time": 4, "temporary": 6},
    "hours": {
        "paid_permanent": 960.0,
        "paid_part_time": 160.0,
        "paid_temporary": 390.0,
        "required_agent_hours": 1480.0,
        "short_agent_hours": 7.5,
    },
    "service": {
        "expected_service_level": 0.834,
        "expected_three_min_rate": 0.95,
        "expected_asa_s": 14.2,
        "expected_abandon_rate": 0.031,
        "target_service_level": 0.8,
        "target_seconds": 30.0,
        "target_three_min_rate": 0.95,
        "volume_total": 48000.0,
        "worst_interval": {
            "timestamp": "2026-11-11T06:00:00",
            "expected_service_level": 0.4,
            "expected_three_min_rate": 0.7,
        },
        "worst_day": {"date": "2026-11-11", "expected_service_level": 0.81},
        "share_intervals_under_target": 0.0278,
        "share_intervals_under_three_min_target": 0.0278,
    },
    "solver": {
        "status": "FEASIBLE",
        "objective_cny": 79180.5,
        "best_bound_cny": 78100.0,
        "bound_source": "CP-SAT",
        "gap": 0.0123,
        "cp_sat_bound_cny": 78100.0,
        "lp_bound_cny": None,
        "gap_to_lp": None,
        "wall_time_s": 42.7,
        "random_seed": 0,
        "num_workers": 2,
        "deterministic": False,
        "lp_bound": False,
        "time_limit_s": 60.0,
        "warnings": [],
        "stages": [
            {"stage": "constructive", "score_cny": 83000.0, "improvement_cny": 0.0,
             "detail": "stage-1 LP + greedy + repairs"},
            {"stage": "local_search", "score_cny": 79300.0, "improvement_cny": 3700.0,
             "detail": "best response + iterated local search"},
            {"stage": "cp_sat", "score_cny": 79180.5, "improvement_cny": 119.5,
             "detail": "LNS, status FEASIBLE"},
        ],
        "stage_seconds": {"constructive": 4.1, "local_search": 25.0, "cp_sat": 12.0},
        "gap_parts": {  # 79,180.5 - 78,100 = 1,080.5 CNY
            "temporary": {"roster_cny": 15600.0, "bound_cny": 14900.0, "gap_cny": 700.0},
            "part_time": {"roster_cny": 8120.0, "bound_cny": 7720.0, "gap_cny": 400.0},
            "shortfall": {"roster_cny": 3000.0, "bound_cny": 3019.5, "gap_cny": -19.5},
            "overstaff": {"roster_cny": 120.5, "bound_cny": 120.5, "gap_cny": 0.0},
        },
        "fairness_penalty_cny": 0.0,
    },
    "validation": {"ok": True, "violations": 0, "by_rule": {}, "agents": {}, "first": [],
                   "soft_rules": [], "accepted": True},
    "unmet_periods": 2,
    "files": {"roster": "roster.csv", "summary": "summary.json"},
    "inputs": {
        "scenario": {"path": "/data/fake.toml", "sha256": "1" * 64, "bytes": 120},
        "history": {"path": "/data/history.csv", "sha256": "2" * 64, "bytes": 3000},
        "agents": {"path": "/data/agents.csv", "sha256": "3" * 64, "bytes": 800},
    },
}

ROSTER_ROWS = [
    (
        "0001",
        "张三",
        "permanent",
        "2026-11-10",
        "2026-11-10 08:00",
        "2026-11-10 17:00",
        "12:00-13:00",
        8.0,
        400.0,
    ),
    (
        "0002",
        "李四",
        "permanent",
        "2026-11-10",
        "2026-11-10 09:00",
        "2026-11-10 18:00",
        "13:00-14:00",
        8.0,
        400.0,
    ),
    (
        "0003",
        "王五",
        "part_time",
        "2026-11-11",
        "2026-11-11 18:00",
        "2026-11-11 22:00",
        "",
        4.0,
        120.0,
    ),
    (
        "TEMP-001",
        "临时工 1",
        "temporary",
        "2026-11-11",
        "2026-11-11 20:00",
        "2026-11-12 04:00",
        "00:00-00:30",
        7.5,
        300.0,
    ),
    (
        "0001",
        "张三",
        "permanent",
        "2026-11-12",
        "2026-11-12 08:00",
        "2026-11-12 17:00",
        "12:00-13:00",
        8.0,
        400.0,
    ),
]
ROSTER_COLUMNS = (
    "agent_id,agent_name,agent_type,date,shift_start,shift_end,breaks,paid_hours,cost_cny"
)


SLIVER = 3  # index of the interval short by 0.04 agents (a rounding sliver)
POOL_EXHAUSTED = "temporary pool exhausted (6 of 6 hired)"
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "double11-2026.toml"

#: Temp pool and prices of write_resolved_scenario: one temp costs 100 + 4 h x 30 = 220 CNY and
#: covers 1 agent x 0.5 h in each of the 4 short intervals = 2 agent-hours x 200 = 400 CNY, so
#: 3 temps (the shortfall is 3 agents) pay: +660 CNY, -1,200 CNY of shortfall value.
RESOLVED_OVERRIDES = (
    ("workforce.temporary.max_headcount", 6),
    ("workforce.temporary.hourly_cost_cny", 30.0),
    ("workforce.temporary.onboarding_cost_cny", 100.0),
    ("workforce.temporary.training_hours", 0.0),
    ("workforce.temporary.efficiency_ramp", [1.0]),
    ("workforce.temporary.lead_days", 0),
    ("shifts.temporary.paid_hours_min", 4.0),
    ("costs.shortfall_cost_per_agent_hour_cny", 200.0),
)


def write_resolved_scenario(path: Path, overrides: tuple = RESOLVED_OVERRIDES) -> Path:
    """Write ``scenario.resolved.toml`` into the run ``path``: the bundled sample scenario with
    ``overrides`` (dotted key, value) applied, as peakplan writes it. Returns the file."""
    from scenarios.load import load_scenario
    from scenarios.run_writer import resolved_toml

    scenario = load_scenario(SAMPLE, overrides=overrides)
    file = path / "scenario.resolved.toml"
    file.write_text(resolved_toml(scenario), encoding="utf-8")
    return file


def _iso(ts: pd.Series) -> pd.Series:
    return ts.dt.strftime("%Y-%m-%dT%H:%M:%S")


def write_fake_run(path: Path) -> Path:
    """Write the contract files of a tiny run into ``path`` and return it."""
    path.mkdir(parents=True, exist_ok=True)
    ts = pd.Series(pd.date_range(START, periods=DAYS * 24 * 60 // INTERVAL_MIN, freq="30min"))
    hour = ts.dt.hour.to_numpy() + ts.dt.minute.to_numpy() / 60
    boost = np.where(ts.dt.day.to_numpy() == 11, 3.0, 1.0)
    volume = (200 + 150 * np.sin((hour - 6) / 24 * 2 * np.pi)) * boost
    forecast = pd.DataFrame(
        {
            "timestamp": _iso(ts),
            "volume": volume.round(2),
            "lower_80": (volume * 0.85).round(2),
            "upper_80": (volume * 1.15).round(2),
            "lower_95": (volume * 0.75).round(2),
            "upper_95": (volume * 1.25).round(2),
        }
    )
    forecast.to_csv(path / "forecast.csv", index=False)

    required = np.ceil(volume / 20).astype(int)
    scheduled = required.astype(float)
    scheduled[60:64] -= 3  # 2026-11-11 06:00-08:00 short by 3 agents
    scheduled[SLIVER] -= 0.04  # 2026-11-10 01:30 short by a sliver (efficiency 0.99)
    shortfall = np.clip(required - scheduled, 0, None)
    surplus = np.clip(scheduled - required, 0, None)
    short = np.zeros(len(ts), dtype=bool)
    short[60:64] = True
    pd.DataFrame(
        {
            "timestamp": _iso(ts),
            "required": required,
            "scheduled": scheduled,
            "shortfall": shortfall,
            "surplus": surplus,
            # service as scheduled: 0.9 when covered, 0.4 in the short intervals (the
            # requirements frame below says 0.85 everywhere: the level it was sized for)
            "expected_service_level": np.where(short, 0.4, 0.9),
            "expected_three_min_rate": np.where(short, 0.7, 0.99),
            "expected_asa_s": np.where(short, 80.0, 5.0),
            "expected_abandon_rate": np.where(short, 0.2, 0.01),
        }
    ).to_csv(path / "coverage.csv", index=False)

    pd.DataFrame(
        {
            "timestamp": _iso(ts),
            "volume": volume.round(2),
            "volume_human": (volume * 0.7).round(2),
            "agents_fractional": volume / 20,
            "agents_required": required,
            "expected_service_level": np.full(len(ts), 0.85),
            "expected_asa_s": np.full(len(ts), 12.0),
            "expected_abandon_rate": np.full(len(ts), 0.02),
            "expected_occupancy": np.full(len(ts), 0.8),
        }
    ).to_csv(path / "requirements.csv", index=False)

    pd.DataFrame(
        {
            "event": ["double11", "double11", "double11", "double11"],
            "phase": ["presale", "peak", "return", "warmup"],
            "start": [
                "2026-11-09T20:00:00",
                "2026-11-11T00:00:00",
                "2026-11-12T00:00:00",
                "2026-10-20T00:00:00",
            ],
            "end": [
                "2026-11-10T23:59:59",
                "2026-11-11T23:59:59",
                "2026-11-20T23:59:59",
                "2026-10-31T23:59:59",
            ],
        }
    ).to_csv(path / "events.csv", index=False)

    pd.DataFrame(
        {
            "start": ["2026-11-10T01:30:00", "2026-11-11T06:00:00"],
            "end": ["2026-11-10T02:00:00", "2026-11-11T08:00:00"],
            "agent_hours_short": [0.02, 6.0],
            "peak_agents_short": [0.04, 3.0],
            "binding": [POOL_EXHAUSTED, POOL_EXHAUSTED],
        }
    ).to_csv(path / "unmet.csv", index=False)

    lines = [ROSTER_COLUMNS] + [",".join(str(v) for v in row) for row in ROSTER_ROWS]
    (path / "roster.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    (path / "summary.json").write_text(
        json.dumps(SUMMARY, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    (path / "scenario.toml").write_text('name = "fake"\n', encoding="utf-8")
    return path
