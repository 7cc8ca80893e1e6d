"""The bundled sample data: reproducible from the generator and realistic in the ways we rely on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scenarios.samples import generate as sd
from scenarios.samples.actuals import QUESTION_TYPES, response_times
from scenarios.samples.agents import AGENT_COLUMNS

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
FILES = [
    "history.csv", "events.csv", "agents.csv",
    "actuals/hourly.csv", "actuals/question_types.csv", "actuals/agents.csv",
]


def read(name: str, **kw) -> pd.DataFrame:
    return pd.read_csv(SAMPLE / name, encoding="utf-8-sig", **kw)


def read_text(name: str) -> pd.DataFrame:
    return read(name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def history() -> pd.Series:
    h = read("history.csv", parse_dates=["timestamp"])
    return h.set_index("timestamp")["volume"]


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return read("events.csv", parse_dates=["start", "end"])


def in_any_event(index: pd.DatetimeIndex, events: pd.DataFrame, pad_days: int = 1) -> np.ndarray:
    mask = np.zeros(len(index), dtype=bool)
    pad = pd.Timedelta(days=pad_days)
    for row in events.itertuples(index=False):
        mask |= (index >= row.start - pad) & (index <= row.end + pad)
    return mask


# ------------------------------------------------------------------ reproducibility


def test_regenerated_files_equal_committed_bytes(tmp_path):
    written = sd.generate_sample_data(tmp_path, seed=2026)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == sorted(FILES)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name
    # atomic writes leave no temp files behind
    leftovers = [
        p for p in tmp_path.rglob("*")
        if p.is_file() and p.name.startswith(".") and p.name != ".peakplan-sample-data.json"
    ]
    assert leftovers == []


def test_history_slice_equals_committed_rows():
    month = sd.make_history(2026, "2025-11-01T00:00", "2025-11-30T23:00")
    committed = read_text("history.csv")
    rows = committed[committed["timestamp"].str.startswith("2025-11-")]
    assert len(month) == len(rows) == 30 * 24
    stamps = month["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    assert stamps.tolist() == rows["timestamp"].tolist()
    assert month["volume"].astype(str).tolist() == rows["volume"].tolist()


def test_events_and_agents_equal_committed_text():
    ev = sd.formatted_sample(sd.make_events(), minute_cols=("start", "end")).astype(str)
    pd.testing.assert_frame_equal(ev, read_text("events.csv"), check_dtype=False)
    agents = read_text("agents.csv")
    regenerated = sd.make_agents(2026)
    assert regenerated["agent_id"].tolist() == agents["agent_id"].tolist()
    assert regenerated["name"].tolist() == agents["name"].tolist()
    cost = agents["hourly_cost_cny"].astype(float)
    assert regenerated["hourly_cost_cny"].tolist() == cost.tolist()


def test_other_seed_gives_other_data():
    a = sd.make_history(2026, "2025-03-01", "2025-03-07T23:00")["volume"]
    b = sd.make_history(7, "2025-03-01", "2025-03-07T23:00")["volume"]
    assert not a.equals(b)


def test_make_history_rejects_range_outside_history():
    with pytest.raises(ValueError, match="outside"):
        sd.make_history(2026, "2024-10-01", "2024-11-02")


def test_files_are_utf8_with_bom():
    for name in FILES:
        assert (SAMPLE / name).read_bytes()[:3] == b"\xef\xbb\xbf", name


# ------------------------------------------------------------------ history realism


def test_history_hourly_sorted_unique_with_outage_gaps(history):
    idx = history.index
    assert idx.is_monotonic_increasing and idx.is_unique
    assert idx[0] == pd.Timestamp("2024-11-01T00:00")
    assert idx[-1] == pd.Timestamp("2026-10-31T23:00")
    assert (idx.minute == 0).all()
    missing = pd.date_range(idx[0], idx[-1], freq="h").difference(idx)
    assert 10 <= len(missing) <= 40  # a handful of multi-hour outages, absent rows
    step = np.diff(missing.to_numpy()) != np.timedelta64(1, "h")
    runs = np.split(missing, np.flatnonzero(step) + 1)
    assert 3 <= len(runs) <= 8 and all(len(r) >= 2 for r in runs)
    assert (history > 0).all()  # absent, never zero; and no negatives
    assert 17_000 <= len(history) <= 17_544


def test_peak_hour_of_2025_is_double11_midnight_10_to_20x(history, events):
    y = history["2025"]
    peak_at = y.idxmax()
    assert pd.Timestamp("2025-11-11T00:00") <= peak_at <= pd.Timestamp("2025-11-11T01:00")
    window = history["2025-09-15":"2026-01-10"]
    ordinary = window[~in_any_event(window.index, events)]
    ratio = y.max() / ordinary.mean()
    assert 10 <= ratio <= 20, ratio
    assert 3_500 <= y.max() <= 4_500
    day_ratio = history["2025-11-11"].sum() / (24 * ordinary.mean())
    assert 3 <= day_ratio <= 5, day_ratio


def test_ordinary_days_have_realistic_shape(history, events):
    ordinary = history[~in_any_event(history.index, events)]
    days = ordinary.groupby(ordinary.index.normalize()).agg(["sum", "size"])
    totals = days.loc[days["size"] == 24, "sum"]
    assert 5_000 <= totals.median() <= 7_000
    by_hour = ordinary.groupby(ordinary.index.hour).mean()
    assert by_hour[2:7].max() < 80  # night trough, ~30/h
    assert 380 <= by_hour[20:23].max() <= 550  # evening peak, ~450/h
    assert by_hour[12] < by_hour[10] and by_hour[12] < by_hour[15]  # lunch dip
    dow, hour = ordinary.index.day_of_week, ordinary.index.hour
    evening, morning = (hour >= 19) & (hour <= 23), (hour >= 7) & (hour <= 11)
    assert ordinary[(dow == 6) & evening].mean() > 1.05 * ordinary[(dow < 5) & evening].mean()
    assert ordinary[(dow == 5) & morning].mean() < 0.9 * ordinary[(dow < 5) & morning].mean()


def test_history_is_overdispersed_and_trending(history, events):
    ordinary = history[~in_any_event(history.index, events)]
    x = ordinary[(ordinary.index.hour == 21) & (ordinary.index.day_of_week < 5)]
    assert x.var() > 3 * x.mean()  # far above Poisson
    spring = [ordinary[f"{y}-03-15":f"{y}-05-15"].mean() for y in (2025, 2026)]
    assert 1.05 <= spring[1] / spring[0] <= 1.2


def test_cny_closure_low_then_backlog(history, events):
    for row in events[events["event"] == "cny"].itertuples(index=False):
        level = history[row.start : row.end].mean()
        before = history[row.start - pd.Timedelta(days=40) : row.start - pd.Timedelta(days=12)]
        if row.phase == "closure":
            assert level < 0.6 * before.mean()
        else:
            assert level > 1.05 * before.mean()


def test_double11_uplift_recurs_across_years(history):
    def peak_ratio(year: int) -> float:
        base = history[f"{year}-12-15":f"{year}-12-31"].mean()
        return history[f"{year}-11-11T00:00"] / base

    r24, r25 = peak_ratio(2024), peak_ratio(2025)
    assert 0.75 <= r25 / r24 <= 1.33
    presale = history["2025-10-20T20:00"] / history["2025-10-13T20:00"]
    assert 2.0 <= presale <= 5.0  # pre-sale opening spike at 20:00


# ------------------------------------------------------------------ events and agents


def test_event_phases_do_not_overlap_and_cover_2026(events):
    assert set(events["event"]) == {"double11", "618", "double12", "womens_day", "cny"}
    for _, fam in events.groupby("event"):
        fam = fam.sort_values("start")
        assert (fam["end"] >= fam["start"]).all()
        assert (fam["start"].iloc[1:].to_numpy() > fam["end"].iloc[:-1].to_numpy()).all()
    d11 = events[(events["event"] == "double11") & (events["start"].dt.year == 2026)]
    assert {"presale", "deposit_payment", "peak", "main", "tail"} <= set(d11["phase"])
    peak = d11[d11["phase"] == "peak"].iloc[0]
    assert (peak["start"], peak["end"]) == (
        pd.Timestamp("2026-11-11T00:00"), pd.Timestamp("2026-11-11T01:59"))
    assert ((events["event"] == "double12") & (events["start"].dt.year == 2026)).any()


def test_agents_contract_columns_and_text_ids():
    agents = read_text("agents.csv")
    assert list(agents.columns) == AGENT_COLUMNS
    assert "007" in set(agents["agent_id"]) and agents["agent_id"].is_unique
    assert agents["name"].is_unique and agents["name"].str.len().between(2, 3).all()
    perm = agents[agents["agent_type"] == "permanent"]
    part = agents[agents["agent_type"] == "part_time"]
    assert (len(perm), len(part)) == (60, 20)
    assert (perm[["contract_hours_per_week", "min_hours_per_week", "max_hours_per_week"]]
            .astype(float).eq([40, 40, 54]).all().all())
    assert perm["hourly_cost_cny"].astype(float).between(28, 40).all()
    assert part["hourly_cost_cny"].astype(float).between(22, 30).all()
    weekend = part["available_weekdays"] == "Sat,Sun"
    assert part.loc[~weekend, "max_hours_per_week"].astype(int).between(24, 30).all()
    # weekend-only part-timers: 2 days x 6 h, and their minimum must fit in that
    assert part.loc[weekend, "max_hours_per_week"].astype(float).le(12).all()
    fits = part["min_hours_per_week"].astype(float) <= part["max_hours_per_week"].astype(float)
    assert fits.all()
    assert agents["efficiency"].astype(float).between(0.9, 1.1).all()
    assert (part["available_from"] > part["available_to"]).any()  # a window across midnight
    off = perm.loc[perm["days_off"] != "", "days_off"].str.split(";").explode()
    assert len(off) > 0 and off.between("2026-11-01", "2026-11-14").all()


# ------------------------------------------------------------------ actuals


def test_actuals_consistent_and_bounded():
    hourly = read("actuals/hourly.csv", parse_dates=["timestamp"])
    assert len(hourly) == 14 * 24
    assert (hourly.drop(columns="timestamp") >= 0).all().all()
    assert hourly["three_min_response_rate"].between(0, 1).all()
    types = read("actuals/question_types.csv", parse_dates=["timestamp"])
    assert set(types["question_type"]) == set(QUESTION_TYPES)
    summed = types.groupby("timestamp")["volume"].sum()
    assert summed.to_numpy().tolist() == hourly.set_index("timestamp")["volume"].tolist()
    agents = read("actuals/agents.csv", dtype={"agent_id": str})
    assert agents["csat"].between(1, 5).all() and (agents["handled_chats"] >= 0).all()
    known = set(read_text("agents.csv")["agent_id"])
    ids = set(agents["agent_id"])
    assert "007" in ids and any(i.startswith("TEMP-") for i in ids)
    assert {i for i in ids if not i.startswith("TEMP-")} <= known


def test_actuals_service_collapses_at_the_peak_and_logistics_surge():
    hourly = read("actuals/hourly.csv", parse_dates=["timestamp"]).set_index("timestamp")
    peak = hourly.loc["2026-11-11T00:00":"2026-11-11T01:00"]
    calm = hourly.loc["2026-11-02":"2026-11-06"]
    assert peak["three_min_response_rate"].max() < 0.5 < calm["three_min_response_rate"].min()
    assert peak["avg_first_response_s"].min() > 5 * calm["avg_first_response_s"].median()
    types = read("actuals/question_types.csv", parse_dates=["timestamp"])
    share = types.pivot_table(index=types["timestamp"].dt.date, columns="question_type",
                              values="volume", aggfunc="sum")
    share = share.div(share.sum(axis=1), axis=0)
    assert share["物流"].iloc[-1] > 2 * share["物流"].iloc[0]
    assert share["优惠活动"].iloc[10] > share["优惠活动"].iloc[-1]  # coupons at the peak


def test_response_times_grow_with_load():
    chats = np.array([100.0, 300.0, 600.0, 900.0, 300.0])
    first, avg, rate, abandoned = response_times(chats, np.full(5, 45), np.full(5, 300.0))
    assert first[0] < first[1] < first[2] < first[3]  # 45 slots serve 540 chats/h
    assert rate[3] < 0.5 < rate[0] and avg[3] > avg[0]
    assert abandoned[4] > 0 and abandoned[0] == 0  # backlog from hour 3 carries over
