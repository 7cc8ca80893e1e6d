"""Review breakdowns and findings on small hand-made frames (exact numbers)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from scenarios.review import breakdowns as bd
from scenarios.review import findings as fd
from scenarios.review.tracking import Measures

TARGET = 0.95


def _table() -> pd.DataFrame:
    """8 half-hours; under target at 1-2 (schedule, 40 lost) and 5 (execution, 60 lost)."""
    stamps = pd.date_range("2026-11-11 00:00", periods=8, freq="30min")
    actual = np.array([0.99, 0.80, 0.70, 0.96, 0.97, 0.50, 0.99, 0.98])
    volume = np.array([100, 100, 300, 100, 100, 120, 100, 100], dtype=float)
    lost = np.array([0, 10, 30, 0, 0, 60, 0, 0], dtype=float)
    miss = TARGET - actual
    frame = pd.DataFrame({
        "timestamp": stamps, "phase": ["peak"] * 4 + ["main"] * 4, "target": TARGET,
        "actual": actual, "volume": volume, "lost_inquiries": lost,
    })
    for cause in bd.CAUSES:
        frame[cause] = 0.0
    frame.loc[[1, 2], "schedule"] = miss[[1, 2]]
    frame.loc[5, "execution"] = miss[5] * 0.75
    frame.loc[5, "volume_error"] = miss[5] * 0.25
    frame.loc[~frame.index.isin([1, 2, 5]), "other"] = miss[~frame.index.isin([1, 2, 5])]
    return frame


def test_worst_slots_merge_contiguous_and_rank_by_lost() -> None:
    slots = bd.worst_slots(_table(), 30)
    assert list(slots["start"]) == ["2026-11-11T02:30", "2026-11-11T00:30"]
    assert list(slots["end"]) == ["2026-11-11T03:00", "2026-11-11T01:30"]
    assert list(slots["intervals"]) == [1, 2]
    assert list(slots["lost_inquiries"]) == [60, 40]
    assert slots.loc[1, "three_min_rate"] == pytest.approx((0.8 * 100 + 0.7 * 300) / 400)
    assert slots.loc[1, "miss"] == pytest.approx(TARGET - 0.725)
    assert list(slots["main_cause"]) == ["execution", "schedule"]
    assert slots.loc[0, "lost_execution"] == pytest.approx(45)
    assert slots.loc[0, "lost_volume_error"] == pytest.approx(15)
    assert list(slots["rank"]) == [1, 2]
    assert bd.slot_label("2026-11-10T20:00", "2026-11-11T00:00") == "11-10 20:00–24:00"
    assert bd.slot_label("2026-11-10T22:00", "2026-11-11T02:00") == "11-10 22:00–11-11 02:00"


def test_slots_break_at_missing_interval() -> None:
    table = _table().drop(index=[2]).reset_index(drop=True)
    table.loc[1, "timestamp"] = pd.Timestamp("2026-11-11 00:30")
    table.loc[2, "actual"] = 0.5  # 01:30 under target, but 01:00 is missing: a new slot
    slots = bd.worst_slots(table, 30)
    assert "2026-11-11T01:30" in set(slots["start"])
    assert bd.worst_slots(table.assign(actual=0.99), 30).empty


def test_reference_days_ordinary_phase_or_quiet_days() -> None:
    stamps = pd.date_range("2026-11-01", periods=4 * 24, freq="h")
    vol = np.repeat([100.0, 110.0, 300.0, 130.0], 24)
    frame = pd.DataFrame({"timestamp": stamps, "phase": "presale", "volume": vol})
    assert list(bd.reference_days(frame).day) == [1, 2]  # <= 1.2 x quietest
    frame["phase"] = np.repeat(["ordinary", "ordinary", "peak", "ordinary"], 24)
    assert list(bd.reference_days(frame).day) == [1, 2, 4]


def _types() -> pd.DataFrame:
    rows = []
    for day, resp_log in ((1, 10.0), (2, 35.0)):
        ts = pd.Timestamp(f"2026-11-0{day} 10:00")
        rows.append((ts, "物流", 100 if day == 1 else 300, resp_log, 0.30 if day == 1 else 0.10))
        rows.append((ts, "售前咨询", 200, 12.0 if day == 1 else 15.0, 0.40))
    frame = pd.DataFrame(rows, columns=["timestamp", "question_type", "volume", "avg_response_s",
                                        "bot_resolved_share"])
    frame["first_response_s"] = frame["avg_response_s"] / 2
    for col in ("fcr", "csat", "conversion"):
        frame[col] = np.nan
    return frame


def test_question_types_response_miss_vs_ordinary() -> None:
    out = bd.question_type_breakdown(_types(), pd.DatetimeIndex([pd.Timestamp("2026-11-01")]))
    top = out.iloc[0]
    assert top["question_type"] == "物流"
    assert top["response_miss_s"] == pytest.approx(25.0)
    assert top["volume_vs_ordinary"] == pytest.approx(3.0)
    assert top["avg_response_s"] == pytest.approx((10 * 100 + 35 * 300) / 400)
    assert top["share"] == pytest.approx(400 / 800)
    assert out.iloc[1]["response_miss_s"] == pytest.approx(3.0)


def _agents() -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = [f"A{i:02d}" for i in range(10)]
    resp = [20.0, 22, 24, 26, 28, 30, 32, 40, 50, 90]
    csat = [4.8] * 9 + [3.0]
    agents = pd.DataFrame({
        "date": pd.Timestamp("2026-11-11"), "agent_id": ids, "handled_chats": 200.0,
        "avg_response_s": resp, "csat": csat, "hours": 8.0,
    })
    tiny = pd.DataFrame({"date": [pd.Timestamp("2026-11-11")], "agent_id": ["T1"],
                         "handled_chats": [5.0], "avg_response_s": [300.0], "csat": [1.0],
                         "hours": [1.0]})
    roster = pd.DataFrame({"agent_id": ["A09", "A09"], "agent_name": ["王五", "王五"],
                           "agent_type": ["permanent", "permanent"]})
    return pd.concat([agents, tiny], ignore_index=True), roster


def test_agents_slowest_fastest_minimum_chats_and_names() -> None:
    agents, roster = _agents()
    out = bd.agent_breakdown(agents, roster)
    flags = dict(zip(out["agent_id"], out["flag"], strict=True))
    assert [a for a in out["agent_id"] if flags[a] == "slowest"] == ["A09", "A08", "A07"]
    assert sorted(a for a in flags if flags[a] == "fastest") == ["A00", "A01", "A02"]
    assert flags["T1"] == ""  # 5 chats: under the minimum, never ranked
    assert out.loc[out["agent_id"] == "A09", "name"].item() == "王五"


def test_agents_csat_outlier_by_z() -> None:
    agents, roster = _agents()
    agents.loc[agents["agent_id"] == "A05", "csat"] = 2.0
    agents.loc[agents["agent_id"] == "A09", "csat"] = 4.8
    out = bd.agent_breakdown(agents, roster)
    assert out.loc[out["agent_id"] == "A05", "flag"].item() == "csat_low"


def _measures(table: pd.DataFrame) -> Measures:
    intervals = table[["timestamp", "phase", "volume"]].assign(
        three_min_rate=table["actual"], forecast=table["volume"] * 0.8,
        scheduled=10.0, logged_in=np.where(table.index == 5, 7.0, 10.0))
    types = _types().assign(timestamp=lambda f: f["timestamp"] + pd.Timedelta(days=9))
    return Measures(intervals, types, pd.DataFrame())


def _ctx() -> fd.Context:
    return fd.Context(target=TARGET, value_cny=27.3, planned_handle_s=300.0,
                      review_date=date(2026, 11, 15))


def test_cause_findings_impact_priority_deadline_and_acceptance() -> None:
    table = _table()
    slots = bd.worst_slots(table, 30)
    found = fd.rank_findings(fd.cause_findings(table, slots, _measures(table), _ctx()), _ctx())
    by_cat = found.set_index("category")
    assert set(by_cat.index) == {"schedule", "execution", "forecast"}
    execution = by_cat.loc["execution"]
    assert execution["lost_inquiries"] == pytest.approx(45)
    assert execution["impact_cny"] == pytest.approx(45 * 27.3)
    assert execution["priority"] == pytest.approx(45 * 27.3 * 3)
    assert execution["impact_points"] == pytest.approx(100 * 45 / 1020, abs=1e-3)
    assert execution["deadline_class"] == "2 days" and execution["deadline"] == "2026-11-17"
    assert execution["owner"] == fd.FLOOR
    assert (execution["scope_kind"], execution["scope"]) == ("hours", "main 02:30-03:00")
    assert execution["before"] == pytest.approx(0.7)
    assert execution["acceptance"].endswith("main 02:30–03:00: 70 % → ≥ 97 %")
    schedule = by_cat.loc["schedule"]
    assert schedule["difficulty"] == 3 and schedule["deadline"] == "2026-11-29"
    assert schedule["priority"] == pytest.approx(40 * 27.3)
    assert schedule["before"] == pytest.approx(0.725)
    assert "72.5 % → ≥ 95 %" in schedule["acceptance"]
    forecast = by_cat.loc["forecast"]
    assert (forecast["metric"], forecast["scope"]) == ("wape", "main")
    assert forecast["before"] == pytest.approx(0.2)
    assert list(found["rank"]) == [1, 2, 3]
    assert found["priority"].is_monotonic_decreasing
    assert found.loc[0, "finding_id"] == "20261115-F01"


def test_type_finding_names_the_largest_response_miss() -> None:
    table = _table()
    measures = _measures(table)
    types = bd.question_type_breakdown(measures.question_types,
                                       pd.DatetimeIndex([pd.Timestamp("2026-11-10")]))
    rows = fd.type_findings(table, types, measures, _ctx())
    slow = rows[0]
    assert slow["scope"] == "物流" and slow["owner"] == fd.LOGISTICS
    assert slow["acceptance"] == "物流 average response 平均响应: 29 s → ≤ 10 s"
    assert slow["target"] == 10.0
    bot = rows[1]
    assert bot["metric"] == "bot_resolved_share" and bot["target"] == pytest.approx(0.3)
    assert bot["owner"] == fd.BOT


def test_agent_findings_target_team_median() -> None:
    agents, roster = _agents()
    table = _table()
    breakdown = bd.agent_breakdown(agents, roster)
    measures = Measures(_measures(table).intervals, _types(), agents)
    rows = fd.agent_findings(table, breakdown, measures, _ctx())
    assert rows[0]["scope"] == "A09;A08;A07"
    assert rows[0]["target"] == pytest.approx(float(breakdown["avg_response_s"].median()))
    assert rows[0]["before"] == pytest.approx((90 + 50 + 40) / 3)
    assert rows[0]["difficulty"] == 1
