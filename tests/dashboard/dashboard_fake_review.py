"""Writer of a small fake review directory (3 days, hourly) in the issue-18 review layout.

Matches the fake run of ``dashboard_fake_run.py`` (same horizon). Named uniquely because tests/
has no __init__.py (pytest puts this folder on sys.path)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

START = pd.Timestamp("2026-11-10T00:00:00")
HOURS = 72
TARGET = 0.95
WORST_HOUR = 24  # 2026-11-11 00:00, the midnight rush

REVIEW = {
    "schema_version": 1,
    "event": "double11",
    "horizon": {"start": "2026-11-10T00:00:00", "end": "2026-11-13T00:00:00"},
    "run": "out/double11-2026",
    "actuals": "data/sample/actuals",
    "interval_minutes": 60,
    "hindsight": {"cost_cny": 71000.0, "plan_cost_cny": 76060.5, "short_agent_hours": 2.0},
    "files": {"findings": "findings.csv", "tracking": "tracking.csv"},
}

FINDINGS = [
    (
        1,
        "午夜高峰排班不足 Midnight peak understaffed",
        "schedule",
        12.5,
        8400.0,
        1,
        12.5,
        "排班主管 WFM lead",
        "2 days",
        "2026-11-16",
        "three_min_rate",
        "slot",
        "2026-11-11 00:00-02:00",
        "up",
        0.42,
        0.95,
        "3-min rate 42 % → ≥ 95 %",
    ),
    (
        2,
        "物流咨询响应慢 Logistics questions slow",
        "question_type",
        4.1,
        2100.0,
        2,
        2.05,
        "客服主管 CS lead",
        "1 week",
        "2026-11-21",
        "avg_response_s",
        "question_type",
        "物流",
        "down",
        35.0,
        10.0,
        "物流 average response 35 s → ≤ 10 s",
    ),
]
FINDING_COLUMNS = (
    "rank,finding,category,impact_points,impact_cny,difficulty,priority,owner,deadline_class,"
    "deadline,metric,scope_kind,scope,direction,before,target,acceptance"
).split(",")


def _iso(ts: pd.Series) -> pd.Series:
    return ts.dt.strftime("%Y-%m-%dT%H:%M:%S")


def _bom_csv(frame: pd.DataFrame, file: Path) -> None:
    file.write_bytes(frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig"))


def write_fake_review(path: Path) -> Path:
    """Write every file of a tiny review into ``path`` and return it. Attribution parts sum to
    the miss exactly; the worst interval is 2026-11-11 00:00."""
    path.mkdir(parents=True, exist_ok=True)
    ts = pd.Series(pd.date_range(START, periods=HOURS, freq="h"))
    hour = ts.dt.hour.to_numpy()
    peak = ts.dt.day.to_numpy() == 11
    forecast = (400 + 300 * np.sin((hour - 6) / 24 * 2 * np.pi)) * np.where(peak, 3.0, 1.0)
    actual = forecast * np.where(peak, 1.3, 1.0)
    actual[WORST_HOUR] *= 1.5
    phase = np.where(peak, "peak", np.where(ts.dt.day.to_numpy() == 10, "presale", "return"))
    scheduled = np.ceil(forecast / 40)
    logged_in = scheduled.copy()
    logged_in[WORST_HOUR : WORST_HOUR + 2] -= 4  # absence at the midnight rush
    pd.DataFrame(
        {
            "timestamp": _iso(ts), "phase": phase, "forecast": forecast.round(1),
            "actual": actual.round(1), "error": (forecast - actual).round(1),
            "abs_error": np.abs(forecast - actual).round(1),
            "lower_80": (forecast * 0.85).round(1), "upper_80": (forecast * 1.15).round(1),
            "inside_80": np.abs(actual / forecast - 1) <= 0.15, "scheduled": scheduled,
            "logged_in": logged_in, "gap": logged_in - scheduled,
            "adherence": (logged_in / scheduled).round(4),
        }
    ).to_csv(path / "variance_intervals.csv", index=False)  # fmt: skip

    phases = pd.DataFrame({"phase": phase, "forecast": forecast, "actual": actual})
    per = phases.groupby("phase", sort=False)[["forecast", "actual"]].sum().reset_index()
    per = pd.concat([per, pd.DataFrame({"phase": ["all"], "forecast": [forecast.sum()],
                                        "actual": [actual.sum()]})])  # fmt: skip
    per.insert(1, "intervals", [24, 24, 24, HOURS])
    per["wape"] = (per["forecast"] - per["actual"]).abs() / per["actual"]
    per["bias"] = (per["forecast"] - per["actual"]) / per["actual"]
    per["peak_hour_error"] = [0.0, -0.45, 0.0, -0.45]
    per["inside_80_rate"] = [1.0, 0.0, 1.0, 2 / 3]
    per.round(6).to_csv(path / "variance_phases.csv", index=False)

    rng = np.random.default_rng(18)
    parts = {
        "schedule": np.where(peak, 0.02, 0.0),
        "volume": np.where(peak, 0.10, 0.0),
        "handle_time": rng.normal(0, 0.005, HOURS).round(4),
        "execution": np.zeros(HOURS),
        "other": rng.normal(0, 0.002, HOURS).round(4),
    }
    parts["volume"][WORST_HOUR] = 0.30
    parts["execution"][WORST_HOUR : WORST_HOUR + 2] = 0.08
    miss = sum(parts.values())
    pd.DataFrame(
        {
            "timestamp": _iso(ts), "phase": phase, "target": TARGET,
            "predicted": TARGET - parts["schedule"], "actual": TARGET - miss, "miss": miss,
            **parts, "lost_inquiries": (np.clip(miss, 0, None) * actual).round(1),
        }
    ).to_csv(path / "attribution.csv", index=False)  # fmt: skip

    pd.DataFrame(
        {
            "start": ["2026-11-11T00:00:00", "2026-11-11T01:00:00", "2026-11-11T20:00:00"],
            "end": ["2026-11-11T01:00:00", "2026-11-11T02:00:00", "2026-11-11T21:00:00"],
            "phase": ["peak"] * 3, "three_min_rate": [0.42, 0.71, 0.8], "target": [TARGET] * 3,
            "miss": [0.53, 0.24, 0.15], "volume": [3100.0, 2400.0, 2000.0],
        }
    ).to_csv(path / "breakdown_slots.csv", index=False)  # fmt: skip
    pd.DataFrame(
        {
            "question_type": ["物流", "售前咨询", "售后"], "volume": [9000, 15000, 6000],
            "share": [0.3, 0.5, 0.2], "volume_vs_ordinary": [2.4, 1.8, 1.5],
            "first_response_s": [12.0, 6.0, 8.0], "avg_response_s": [35.0, 18.0, 22.0],
            "response_miss_s": [25.0, 8.0, 12.0], "bot_resolved_share": [0.2, 0.4, 0.1],
            "fcr": [0.7, 0.85, 0.6], "csat": [4.5, 4.8, 4.4], "conversion": [0.0, 0.32, 0.0],
        }
    ).to_csv(path / "breakdown_types.csv", index=False)  # fmt: skip
    pd.DataFrame(
        {
            "agent_id": ["012", "A0007", "A0003", "TEMP-001"],
            "name": ["张三", "李四", "王五", "临时工 1"],
            "agent_type": ["permanent", "permanent", "part_time", "temporary"],
            "days": [3, 3, 2, 1], "handled_chats": [700, 650, 300, 120],
            "avg_response_s": [41.0, 12.0, 15.0, 38.0], "csat": [4.2, 4.9, 4.8, 3.9],
            "flag": ["slowest", "fastest", "", "csat_low"],
        }
    ).to_csv(path / "breakdown_agents.csv", index=False)  # fmt: skip

    findings = pd.DataFrame(FINDINGS, columns=FINDING_COLUMNS)
    _bom_csv(findings, path / "findings.csv")
    tracking = findings.assign(finding_id=["F1", "F2"], after="", met="")[
        ["finding_id", "finding", "owner", "deadline", "metric", "scope_kind", "scope",
         "direction", "before", "target", "after", "met"]
    ]  # fmt: skip
    _bom_csv(tracking, path / "tracking.csv")
    pd.DataFrame(
        {
            "event": ["double11"] * 2, "phase": ["presale", "peak"],
            "start": ["2026-11-09T20:00:00", "2026-11-11T00:00:00"],
            "end": ["2026-11-10T23:59:59", "2026-11-11T23:59:59"], "uplift": [1.0, 3.9],
        }
    ).to_csv(path / "events_suggested.csv", index=False)  # fmt: skip
    (path / "review.json").write_text(
        json.dumps(REVIEW, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return path
