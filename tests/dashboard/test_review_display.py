"""The Review page in Chinese: identifiers in its tables by display name, the review CLI's
finding sentences rebuilt in Chinese, headers and chart titles translated (issue 20 point 1)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.review_charts import agents_chart, attribution_chart, volume_chart
from dashboard.review_data import load_review
from dashboard.review_display import acceptance, columns, finding_text, localise, scope_name
from scenarios.review.findings import CAUSE_INFO

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
ASCII_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture
def zh():
    st.session_state["lang"] = "zh"
    yield
    st.session_state["lang"] = "en"


def test_cli_finding_sentences_in_chinese(zh):
    for _category, _difficulty, _owner, headline in CAUSE_INFO.values():
        text = finding_text(f"{headline}; worst 11-11 00:00–02:00 (peak)")
        assert text.endswith("最差 11-11 00:00–02:00（峰值）"), text
        assert not ASCII_WORD.search(text), text
    slow = "优惠活动: responses 15 s slower than on ordinary days (largest response-time miss)"
    assert finding_text(slow) == "优惠活动：响应比日常慢 15 秒（响应时间差距最大）"
    assert finding_text("物流: the bot resolved 7 points less than on ordinary days") == (
        "物流：机器人解决率比日常低 7 个百分点"
    )
    assert finding_text("Slowest agents: TEMP-012, 003") == "响应最慢的客服：TEMP-012, 003"
    assert finding_text("CSAT outliers (low): A1") == "满意度偏低的客服：A1"
    assert finding_text("午夜高峰排班不足") == "午夜高峰排班不足"  # a user's own text as written


def test_finding_sentences_unchanged_in_english():
    sentence = f"{CAUSE_INFO['execution'][3]}; worst 11-14 14:00–17:00 (after_sales)"
    assert finding_text(sentence) == sentence.replace("(after_sales)", "(after-sales)")


def test_scope_and_acceptance_in_chinese(zh):
    assert scope_name("hours", "deposit_payment+peak 20:00-02:00") == "定金/尾款+峰值 20:00–02:00"
    assert scope_name("agent", "003;A7") == "客服 003, A7"
    assert scope_name("all", "") == "整个周期"
    row = pd.Series({"metric": "avg_response_s", "scope_kind": "question_type", "scope": "物流",
                     "direction": "<=", "before": 35.2, "target": 10.0})  # fmt: skip
    assert acceptance(row) == "物流 平均响应：35 秒 → ≤ 10 秒"
    row = pd.Series({"metric": "wape", "scope_kind": "phase", "scope": "peak",
                     "direction": "<=", "before": 0.0967, "target": 0.05})  # fmt: skip
    assert acceptance(row) == "预测 WAPE，峰值：9.7% → ≤ 5%"


def test_tables_localised_in_chinese(zh, fake_review):
    review = load_review(fake_review)
    agents = localise(review.table("breakdown_agents.csv"))
    assert list(agents["agent_type"]) == ["正式员工", "正式员工", "兼职", "临时工"]
    assert list(agents["flag"]) == ["最慢", "最快", "", "满意度低"]
    assert list(agents["agent_id"])[:2] == ["012", "A0007"]  # IDs untouched
    phases = localise(review.table("variance_phases.csv"))
    assert "峰值" in set(phases["phase"]) and "全部" in set(phases["phase"])
    findings = localise(review.table("findings.csv"))
    assert "scope_kind" not in findings.columns
    for column, config in columns(findings).items():
        label = config["label"]
        assert not re.search(r"[a-z]+_[a-z_]+", label), (column, label)
    worst = review.table("attribution.csv")
    config = columns(worst, parts=True)
    assert config["volume"]["label"] == "量预测偏差" and config["timestamp"]["label"] == "时段开始"
    assert config["miss"]["type_config"]["format"] == "percent"


def test_chart_titles_in_chinese(zh, fake_review):
    review = load_review(fake_review)
    var = review.table("variance_intervals.csv")
    for chart in (volume_chart(var), agents_chart(var),
                  attribution_chart(review.table("attribution.csv"))):  # fmt: skip
        spec = json.dumps(chart.to_dict(), ensure_ascii=False)
        titles = re.findall(r'"title": "([^"]*)"', spec)
        assert titles and all(not ASCII_WORD.search(x) for x in titles), titles
    spec = json.dumps(volume_chart(var).to_dict(), ensure_ascii=False)
    assert '"预测"' in spec and '"实际"' in spec


def test_review_page_in_chinese(monkeypatch, fake_run, fake_review):
    monkeypatch.setenv("PEAKPLAN_RUN", str(fake_run))
    monkeypatch.setenv("PEAKPLAN_REVIEW", str(fake_review))
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["lang"] = "zh"
    at.run()
    at.switch_page("views/review.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "复盘"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["三分钟响应率"] == "86.6%"
    assert metrics["缺勤时段"] == "2 / 72"
    assert {m.label: m.proto.delta for m in at.metric}["三分钟响应率"] == "-8.4 百分点"
    headings = [s.value for s in at.subheader][:3]
    assert headings == ["预测 vs 实际", "排班 vs 在线", "归因：未达标从何而来"]
    texts = [m.label for m in at.metric] + [s.value for s in at.subheader]
    texts += [c.value for c in at.caption if "`" not in c.value]
    for text in texts:
        assert not re.search(r"\b(?!WAPE\b|vs\b)[A-Za-z]{3,}", text), text
    findings = next(df.value for df in at.dataframe if "acceptance" in df.value.columns)
    assert findings["acceptance"].str.contains("→").all()
    assert "tracking.csv" in at.get("download_button")[0].proto.label
