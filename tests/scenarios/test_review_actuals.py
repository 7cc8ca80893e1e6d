"""Actuals ingestion for the review: bundled data, encodings and headers, and bad input."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scenarios.io import InputFileError
from scenarios.review.actuals import Actuals, load_actuals
from scenarios.review.headers import COLUMNS, FIELDS, markdown_table, match_headers, normalise

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "actuals"
FILES = ("hourly.csv", "question_types.csv", "agents.csv")

#: English sample header -> a Chinese header a shop back-end writes (all from headers.py).
CHINESE = {
    "hourly.csv": {
        "timestamp": "时间", "volume": "咨询量", "handled_by_bot": "机器人接待量",
        "avg_handle_s": "平均处理时长（秒）", "avg_first_response_s": "首次响应时间(秒)",
        "avg_response_s": "平均响应时间(秒)", "three_min_response_rate": "三分钟响应率",
        "timeout_chats": "超时会话数", "abandoned_chats": "未接待",
        "agents_logged_in": "在线客服数",
        "fcr": "首问解决率", "csat": "满意度", "conversion": "询单转化率",
    },
    "question_types.csv": {
        "timestamp": "时间", "question_type": "问题类型", "volume": "咨询量",
        "bot_resolved_share": "机器人解决率", "avg_first_response_s": "首次响应时间(秒)",
        "avg_response_s": "平均响应时间(秒)", "timeout_chats": "超时", "fcr": "首问解决率",
        "csat": "满意度", "conversion": "询单转化率",
    },
    "agents.csv": {
        "date": "日期", "agent_id": "工号", "handled_chats": "接待量",
        "avg_response_s": "平均响应时间(秒)", "csat": "满意度", "hours": "工时",
    },
}
RATES = ("three_min_response_rate", "fcr", "conversion", "bot_resolved_share")


def sample_frame(name: str) -> pd.DataFrame:
    return pd.read_csv(SAMPLE / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def write_folder(tmp_path: Path, frames: dict[str, pd.DataFrame], encoding: str = "utf-8",
                 folder: str = "actuals") -> Path:
    out = tmp_path / folder
    out.mkdir(exist_ok=True)
    for name, frame in frames.items():
        (out / name).write_bytes(frame.to_csv(index=False).encode(encoding))
    return out


def error(folder: Path) -> str:
    with pytest.raises(InputFileError) as info:
        load_actuals(folder)
    message = str(info.value)
    assert "\n" not in message
    return message


@pytest.fixture(scope="module")
def bundled() -> Actuals:
    return load_actuals(SAMPLE)


@pytest.fixture()
def frames() -> dict[str, pd.DataFrame]:
    return {name: sample_frame(name) for name in FILES}


# ------------------------------------------------------------------ bundled actuals


def test_bundled_actuals_load_complete(bundled):
    assert bundled.source == "actuals" and bundled.interval_minutes == 60
    assert bundled.missing_intervals == ()
    iv, qt, ag = bundled.intervals, bundled.question_types, bundled.agents
    assert list(iv.columns) == list(COLUMNS["intervals"])
    assert list(qt.columns) == list(COLUMNS["question_types"])
    assert list(ag.columns) == list(COLUMNS["agents"])
    assert len(iv) == 14 * 24 and len(qt) == 14 * 24 * 5
    assert len(ag) == len(sample_frame("agents.csv"))
    assert iv["timestamp"].iloc[0] == pd.Timestamp("2026-11-01T00:00")
    assert iv["timestamp"].is_monotonic_increasing
    # every seed KPI is there, per hour and per question type, and agents log hours
    assert not iv.drop(columns="timestamp").isna().any().any()
    served = qt["volume"] * (1 - qt["bot_resolved_share"].fillna(1)) > 0  # human chats
    assert served.mean() > 0.98  # a type may have no chat at 04:00: its measures are NaN
    assert not qt[served].drop(columns="conversion").isna().any().any()
    presale = qt["question_type"].isin(["售前咨询", "优惠活动"])
    assert qt.loc[presale & served, "conversion"].notna().all()
    assert qt.loc[~presale, "conversion"].isna().all()  # not 询单: no conversion, not zero
    assert ag["hours"].between(4, 10).all() and "007" in set(ag["agent_id"])
    assert iv["three_min_rate"].between(0, 1).all() and iv["csat"].between(1, 5).all()
    summed = qt.groupby("timestamp")["volume"].sum().to_numpy()
    np.testing.assert_array_equal(summed, iv["volume"].to_numpy())


def test_bundled_handle_time_matches_the_demo_scenario(bundled):
    """360 s a slot (240 x (1 + 0.25 x 2)) except where the story moves it: +45 % on the eve,
    +10 % in the peak hours; bot about 35 %."""
    handle = bundled.intervals.set_index("timestamp")["handle_s"]
    eve = handle["2026-11-10T20:00":"2026-11-10T23:00"]
    peak = handle["2026-11-11T00:00":"2026-11-11T01:00"]
    assert (eve == 522.0).all() and (peak == 396.0).all()
    assert (handle.drop(eve.index).drop(peak.index) == 360.0).all()
    iv = bundled.intervals
    assert 0.33 <= iv["handled_by_bot"].sum() / iv["volume"].sum() <= 0.37
    worst = iv.loc[iv["three_min_rate"].idxmin()]
    calm = iv[iv["timestamp"] < pd.Timestamp("2026-11-08")]
    assert worst["timeout_chats"] > 1000 and worst["csat"] < calm["csat"].min()
    assert worst["conversion"] < calm["conversion"].min() and worst["fcr"] < calm["fcr"].min()


def test_bundled_logistics_surge_shows_in_question_types(bundled):
    qt = bundled.question_types
    logistics = qt[qt["question_type"] == "物流"].set_index("timestamp")
    before = logistics[:"2026-11-12T11:00"]["avg_response_s"].mean()
    after = logistics["2026-11-12T12:00":]["avg_response_s"].mean()
    assert after > 1.3 * before
    assert logistics["2026-11-13":]["fcr"].mean() < logistics[:"2026-11-09"]["fcr"].mean() - 0.1


# ------------------------------------------------------------------ encodings and headers


def test_gbk_chinese_headers_equal_utf8_english(tmp_path, frames):
    """Acceptance 3: the same actuals in GBK with Chinese headers (rates as percentages, times
    with a space) and in UTF-8-BOM with English headers load to identical frames."""
    english = write_folder(tmp_path, frames, "utf-8-sig", "en")
    chinese = {}
    for name, frame in frames.items():
        out = frame.copy()
        for column in RATES:
            if column in out:
                filled = out[column] != ""
                pct = (out.loc[filled, column].astype(float) * 100).map("{:.2f}%".format)
                out.loc[filled, column] = pct
        for column in ("timestamp",):
            if column in out:
                out[column] = out[column].str.replace("T", " ")
        chinese[name] = out.rename(columns=CHINESE[name])
    zh = write_folder(tmp_path, chinese, "gbk", "zh")
    assert (zh / "hourly.csv").read_bytes().decode("gbk").startswith("时间,咨询量")
    a, b = load_actuals(english), load_actuals(zh)
    for part in ("intervals", "question_types", "agents"):
        pd.testing.assert_frame_equal(getattr(a, part), getattr(b, part), check_exact=True)
    assert a.interval_minutes == b.interval_minutes and a.missing_intervals == b.missing_intervals


def test_percent_and_number_spellings(tmp_path, frames):
    hourly = frames["hourly.csv"]
    hourly.loc[0, "three_min_response_rate"] = "95%"
    hourly.loc[1, "three_min_response_rate"] = " 96.37 ％"
    hourly.loc[2, "volume"] = "1,234"
    hourly.loc[3, "avg_first_response_s"] = "35秒"
    hourly.loc[4, "fcr"] = ""
    got = load_actuals(write_folder(tmp_path, frames)).intervals
    assert got.loc[0, "three_min_rate"] == 0.95 and got.loc[1, "three_min_rate"] == 0.9637
    assert got.loc[2, "volume"] == 1234.0 and got.loc[3, "first_response_s"] == 35.0
    assert np.isnan(got.loc[4, "fcr"])  # an empty optional cell is no data, not zero


def test_date_and_hour_columns_and_30_minute_rows(tmp_path, frames):
    hourly = frames["hourly.csv"][["timestamp", "volume"]]
    split = pd.DataFrame({"日期": hourly["timestamp"].str[:10],
                          "时段": hourly["timestamp"].str[11:13] + ":00-" + "xx",
                          "接待量": hourly["volume"]})
    got = load_actuals(write_folder(tmp_path, {"hourly.csv": split}))
    stamps = pd.to_datetime(hourly["timestamp"]).astype("datetime64[ns]")
    pd.testing.assert_series_equal(got.intervals["timestamp"], stamps, check_names=False)
    assert got.agents.empty and list(got.agents.columns) == list(COLUMNS["agents"])
    half = pd.DataFrame({"timestamp": pd.date_range("2026-11-01", periods=96, freq="30min")
                        .strftime("%Y-%m-%dT%H:%M"), "volume": "10"})
    got = load_actuals(write_folder(tmp_path, {"intervals.csv": half}, folder="half"))
    assert got.interval_minutes == 30 and got.missing_intervals == ()


def test_utc_offsets_are_converted_to_local_time(tmp_path, frames):
    hourly = frames["hourly.csv"]
    utc = pd.to_datetime(hourly["timestamp"]) - pd.Timedelta(hours=8)
    hourly["timestamp"] = utc.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    got = load_actuals(write_folder(tmp_path, frames))
    assert got.intervals["timestamp"].iloc[0] == pd.Timestamp("2026-11-01T00:00")


def test_missing_hour_is_reported_not_zero_filled(tmp_path, frames):
    hourly = frames["hourly.csv"]
    gone = pd.Timestamp(hourly.loc[100, "timestamp"])
    frames["hourly.csv"] = hourly.drop(index=[100, 101])
    got = load_actuals(write_folder(tmp_path, frames))
    assert got.missing_intervals == (gone, gone + pd.Timedelta(hours=1))
    assert len(got.intervals) == 14 * 24 - 2 and gone not in set(got.intervals["timestamp"])
    assert (got.intervals["volume"] > 0).all()


def test_header_table_has_no_ambiguous_alias():
    for kind, fields in FIELDS.items():
        seen: dict[str, str] = {}
        for f in fields:
            for alias in dict.fromkeys((f.name, *f.aliases)):
                key = normalise(alias)
                assert seen.setdefault(key, f.name) == f.name, (kind, alias)
    assert match_headers(["咨询量", "Volume"], "intervals") == ({"volume": "咨询量"}, ["volume"])


def test_docs_table_matches_headers_py():
    doc = (ROOT / "docs" / "actuals.md").read_text(encoding="utf-8")
    for kind in FIELDS:
        block = re.search(rf"<!-- headers:{kind}:start -->\n(.*?)\n<!-- headers:{kind}:end -->",
                          doc, re.S)
        assert block is not None, kind
        assert block.group(1) == markdown_table(kind), f"docs/actuals.md {kind}: regenerate"


# ------------------------------------------------------------------ bad actuals (acceptance 6)

HOURLY_VOLUME = ("actuals/hourly.csv: row 1, field 'volume': missing column (accepted headers: "
                 "volume, inquiries, chats, 咨询量, 接待量, 咨询人数, 总咨询量)")


def _set(frames, name, row, column, value):
    """Put ``value`` at frame index ``row`` (CSV row ``row + 2``)."""
    frames[name].loc[row, column] = value


BAD = [
    ("missing column", lambda f: f.__setitem__(
        "hourly.csv", f["hourly.csv"].drop(columns="volume")), HOURLY_VOLUME),
    ("missing agent column", lambda f: f.__setitem__(
        "agents.csv", f["agents.csv"].drop(columns="agent_id")),
     "actuals/agents.csv: row 1, field 'agent_id': missing column (accepted headers: agent_id, "
     "agent, 客服id, 工号, 客服工号, 子账号, 客服昵称, 旺旺)"),
    ("duplicate hour", lambda f: _set(f, "hourly.csv", 9, "timestamp", "2026-11-01T03:00:00"),
     "actuals/hourly.csv: row 11, field 'timestamp': duplicate timestamp (first at row 5)"),
    ("duplicate type", lambda f: _set(f, "question_types.csv", 6, "question_type", "售前咨询"),
     "actuals/question_types.csv: row 8, field 'question_type': duplicate timestamp and "
     "question type (first at row 7)"),
    ("duplicate agent day", lambda f: _set(f, "agents.csv", 3, "agent_id", "012"),
     "actuals/agents.csv: row 5, field 'agent_id': duplicate date and agent (first at row 2)"),
    ("negative count", lambda f: _set(f, "hourly.csv", 40, "timeout_chats", "-3"),
     "actuals/hourly.csv: row 42, field 'timeout_chats': negative value"),
    ("negative agent chats", lambda f: _set(f, "agents.csv", 7, "handled_chats", "-1"),
     "actuals/agents.csv: row 9, field 'handled_chats': negative value"),
    ("rate above 1", lambda f: _set(f, "hourly.csv", 12, "three_min_response_rate", "95"),
     "actuals/hourly.csv: row 14, field 'three_min_response_rate': rate outside 0–1 "
     "(write a share as 0.95 or 95%)"),
    ("percent above 100", lambda f: _set(f, "question_types.csv", 3, "fcr", "120%"),
     "actuals/question_types.csv: row 5, field 'fcr': rate outside 0–1 "
     "(write a share as 0.95 or 95%)"),
    ("csat outside 1-5", lambda f: _set(f, "agents.csv", 2, "csat", "0.5"),
     "actuals/agents.csv: row 4, field 'csat': CSAT outside 1–5"),
    ("infinite", lambda f: _set(f, "hourly.csv", 20, "avg_response_s", "inf"),
     "actuals/hourly.csv: row 22, field 'avg_response_s': infinite value"),
    ("nan text", lambda f: _set(f, "hourly.csv", 21, "volume", "NaN"),
     "actuals/hourly.csv: row 23, field 'volume': not a number"),
    ("empty required", lambda f: _set(f, "hourly.csv", 22, "volume", ""),
     "actuals/hourly.csv: row 24, field 'volume': missing value"),
    ("percent in a count", lambda f: _set(f, "hourly.csv", 23, "volume", "5%"),
     "actuals/hourly.csv: row 25, field 'volume': not a number"),
    ("mixed offsets", lambda f: _set(f, "hourly.csv", 30, "timestamp", "2026-11-01T06:00:00Z"),
     "actuals/hourly.csv: row 32, field 'timestamp': time with a UTC offset while most times "
     "have none; give every time an offset or none"),
    ("off the grid", lambda f: _set(f, "hourly.csv", 5, "timestamp", "2026-11-01T05:15:00"),
     "actuals/hourly.csv: row 7, field 'timestamp': time not on the hour or half hour "
     "(hourly or 30-minute rows expected)"),
    ("bad hour of agents date", lambda f: _set(f, "agents.csv", 0, "date", "11/01/2026x"),
     "actuals/agents.csv: row 2, field 'date': not a date-time (ISO-8601 expected, "
     "e.g. 2026-11-11T00:00)"),
    ("two columns one field", lambda f: f["hourly.csv"].insert(2, "接待量", "1"),
     "actuals/hourly.csv: row 1, field 'volume': two columns map to this field "
     "(see docs/actuals.md); keep one"),
]


@pytest.mark.parametrize(("case", "spoil", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_actuals_one_line_naming_file_row_field(tmp_path, frames, case, spoil, message):
    spoil(frames)
    assert error(write_folder(tmp_path, frames)) == message


def test_whole_day_missing_is_an_error_naming_the_day(tmp_path, frames):
    hourly = frames["hourly.csv"]
    keep = ~hourly["timestamp"].str.startswith("2026-11-05")
    frames["hourly.csv"] = hourly[keep].reset_index(drop=True)
    first_after = int(np.flatnonzero(~keep.to_numpy())[0]) + 2  # rows shift up by one day
    assert error(write_folder(tmp_path, frames)) == (
        f"actuals/hourly.csv: row {first_after}, field 'timestamp': no rows for 2026-11-05: a "
        "whole day is missing inside the export's span (incomplete export?)")
    frames["hourly.csv"] = hourly
    agents = frames["agents.csv"]
    frames["agents.csv"] = agents[agents["date"] != "2026-11-03"].reset_index(drop=True)
    message = error(write_folder(tmp_path, frames, folder="agents_gap"))
    assert message.startswith("agents_gap/agents.csv: row ") and "no rows for 2026-11-03" in message


def test_folder_problems(tmp_path, frames):
    assert error(tmp_path / "nope") == f"{tmp_path / 'nope'}: actuals folder not found"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert error(empty) == "empty: no hourly.csv or intervals.csv in the actuals folder"
    both = write_folder(tmp_path, {"hourly.csv": frames["hourly.csv"],
                                   "intervals.csv": frames["hourly.csv"]}, folder="both")
    assert error(both) == "both: both hourly.csv and intervals.csv; keep one"
    (empty / "hourly.csv").write_bytes(b"")
    assert error(empty) == "empty/hourly.csv: file is empty"
