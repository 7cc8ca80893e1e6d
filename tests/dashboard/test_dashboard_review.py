"""The Review page (复盘) and its loader on a fake review directory; the Overview's worst
interval (issue 18 point 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from dashboard_fake_review import FINDINGS, WORST_HOUR, write_fake_review
from streamlit.testing.v1 import AppTest

from dashboard.i18n import TEXTS
from dashboard.review_charts import attribution_chart, volume_chart
from dashboard.review_data import (
    PARTS,
    ReviewDirError,
    attribution_totals,
    headline,
    list_reviews,
    load_review,
)

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


def _review_page(
    monkeypatch, run_dir: Path, review_dir: Path | str | None, lang: str = "en"
) -> AppTest:
    monkeypatch.setenv("PEAKPLAN_RUN", str(run_dir))
    if review_dir is None:
        monkeypatch.delenv("PEAKPLAN_REVIEW", raising=False)
    else:
        monkeypatch.setenv("PEAKPLAN_REVIEW", str(review_dir))
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("views/review.py").run()
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


# ------------------------------------------------------------------------------- loader


def test_load_review_parses_every_table(fake_review):
    review = load_review(fake_review)
    assert review.missing == ()
    var = review.table("variance_intervals.csv")
    assert var["timestamp"].dtype.kind == "M" and len(var) == 72
    agents = review.table("breakdown_agents.csv")
    assert list(agents["agent_id"])[:2] == ["012", "A0007"]  # leading zero kept
    assert review.table("breakdown_slots.csv")["start"].iloc[0] == pd.Timestamp("2026-11-11")
    assert review.tracking_bytes == (fake_review / "tracking.csv").read_bytes()
    assert review.tracking_bytes.startswith(b"\xef\xbb\xbf")
    assert review.table("findings.csv").columns[0] == "rank"  # BOM not glued to the header


def test_attribution_totals_are_volume_weighted_and_sum(fake_review):
    review = load_review(fake_review)
    totals = attribution_totals(review)
    attr = review.table("attribution.csv")
    weights = review.table("variance_intervals.csv")["actual"]
    expected = (attr["miss"] * weights).sum() / weights.sum()
    assert totals["miss"] == pytest.approx(expected, abs=1e-12)
    assert sum(totals[p] for p in PARTS) == pytest.approx(totals["miss"], abs=1e-12)
    assert totals["miss"] != pytest.approx(attr["miss"].mean())  # weighting matters here


@pytest.mark.parametrize("shape", ["points", "totals"])
def test_attribution_totals_prefer_review_json(fake_review, shape):
    parts = {"schedule": 0.01, "volume": 0.05, "handle_time": 0.02, "execution": 0.015,
             "other": 0.005}  # fmt: skip
    summary = json.loads((fake_review / "review.json").read_text(encoding="utf-8"))
    if shape == "points":  # what scenarios/review/run_review.py writes
        summary["attribution"] = {"miss_points": 0.1, "points": parts, "lost_inquiries": 9.0}
    else:
        summary["attribution"] = {"totals": {"miss": 0.1, **parts}}
    (fake_review / "review.json").write_text(json.dumps(summary), encoding="utf-8")
    totals = attribution_totals(load_review(fake_review))
    assert (totals["miss"], totals["volume"], totals["other"]) == (0.1, 0.05, 0.005)
    assert totals["target"] == pytest.approx(0.95)  # still from attribution.csv


def test_headline_prefers_review_json_totals(fake_review):
    review = load_review(fake_review)
    assert headline(review)["three_min_rate"] == pytest.approx(0.95 - 0.0835466, abs=1e-6)
    assert headline(review)["lost_cny"] is None
    summary = json.loads((fake_review / "review.json").read_text(encoding="utf-8"))
    summary["totals"] = {"wape": 0.098, "bias": -0.017, "three_min_rate": 0.9415,
                         "target_three_min_rate": 0.95, "lost_inquiries": 6632.1,
                         "lost_cny": 181057.2}  # fmt: skip
    (fake_review / "review.json").write_text(json.dumps(summary), encoding="utf-8")
    head = headline(load_review(fake_review))
    assert head == {"wape": 0.098, "bias": -0.017, "three_min_rate": 0.9415, "target": 0.95,
                    "lost_inquiries": 6632.1, "lost_cny": 181057.2}  # fmt: skip


def test_broken_review_dirs_raise_one_line(fake_review, tmp_path):
    with pytest.raises(ReviewDirError, match="does not exist"):
        load_review(tmp_path / "absent")
    (fake_review / "review.json").unlink()
    with pytest.raises(ReviewDirError, match="missing review.json"):
        load_review(fake_review)
    broken = write_fake_review(tmp_path / "broken")
    (broken / "review.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ReviewDirError, match="review.json: not valid JSON"):
        load_review(broken)
    bad = write_fake_review(tmp_path / "bad")
    lines = (bad / "attribution.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[4].split(",")
    cells[5] = "lots"  # the `miss` column of frame index 3
    lines[4] = ",".join(cells)
    (bad / "attribution.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ReviewDirError) as info:
        load_review(bad)
    assert str(info.value) == "attribution.csv: row 5, field 'miss': not a number"
    nocol = write_fake_review(tmp_path / "nocol")
    pd.read_csv(nocol / "attribution.csv").drop(columns="execution").to_csv(
        nocol / "attribution.csv", index=False
    )
    with pytest.raises(ReviewDirError, match="attribution.csv: missing column\\(s\\) 'execution'"):
        load_review(nocol)


def test_partial_review_lists_missing_tables(fake_review):
    for name in ("attribution.csv", "tracking.csv", "breakdown_types.csv"):
        (fake_review / name).unlink()
    review = load_review(fake_review)
    assert set(review.missing) == {"attribution.csv", "tracking.csv", "breakdown_types.csv"}
    assert review.tracking_bytes is None and review.table("attribution.csv") is None


def test_list_reviews_newest_first_skips_hidden(tmp_path):
    import os

    old = write_fake_review(tmp_path / "out" / "old-review")
    new = write_fake_review(tmp_path / "out" / "nested" / "new-review")
    write_fake_review(tmp_path / "out" / ".new.peakplan-staging-1-abcd")
    os.utime(old / "review.json", (1_000_000, 1_000_000))
    assert list_reviews(tmp_path / "out") == [new, old]
    assert list_reviews(tmp_path / "nowhere") == []


def test_review_charts_specs(fake_review):
    review = load_review(fake_review)
    spec = json.dumps(
        volume_chart(review.table("variance_intervals.csv")).to_dict(), ensure_ascii=False
    )
    assert "upper_80" in spec and '"actual"' in spec and "Inquiries per interval" in spec
    no_band = review.table("variance_intervals.csv").drop(columns=["lower_80", "upper_80"])
    assert "upper_80" not in json.dumps(volume_chart(no_band).to_dict())
    spec = json.dumps(
        attribution_chart(review.table("attribution.csv")).to_dict(), ensure_ascii=False
    )
    assert '"execution"' in spec and '"stack": "zero"' in spec


# --------------------------------------------------------------------------------- page


def test_review_page_renders_everything(monkeypatch, fake_run, fake_review):
    at = _review_page(monkeypatch, fake_run, fake_review)
    assert not at.exception, at.exception
    assert not at.error
    assert at.title[0].value == "Review"
    m = _metrics(at)
    assert m["Forecast error (WAPE)"] == "15.5%"
    assert m["Bias"] == "-15.5%"
    assert m["3-min response rate"] == "86.6%"  # 95 % - 8.35 pp, inquiry-weighted
    assert m["Lost inquiries"] == "4,792"
    deltas = {x.label: x.proto.delta for x in at.metric}
    assert deltas["3-min response rate"] == "-8.4 pp"  # against the target (its help says)
    assert deltas["Hindsight cost"] == "-¥5,060"  # against the plan
    assert m["Hindsight cost"] == "¥71,000"
    assert m["Adherence"].endswith("%")
    assert m["Agent-hours absent"] == "8.0"  # 2 hours x 4 agents
    assert m["Intervals under schedule"] == "2 of 72"
    specs = [c.proto.spec for c in at.get("vega_lite_chart")]
    assert len(specs) == 4  # volume, agents, attribution totals, attribution per interval
    assert "lower_80" in specs[0] and "logged_in" in specs[1]
    assert len(at.dataframe) == 8  # phases, totals, worst, 3 breakdowns, findings, events
    values = [df.value for df in at.dataframe]
    findings = next(v for v in values if "acceptance" in v.columns)
    assert list(findings["finding"]) == [f[1] for f in FINDINGS]
    worst = next(v for v in values if "miss" in v.columns and "execution" in v.columns)
    assert worst["timestamp"].iloc[0] == pd.Timestamp("2026-11-10") + pd.Timedelta(hours=WORST_HOUR)
    slowest = next(v for v in values if "flag" in v.columns)
    assert slowest.loc[slowest["flag"] == "slowest", "agent_id"].tolist() == ["012"]
    buttons = at.get("download_button")
    assert len(buttons) == 1
    assert "tracking.csv" in buttons[0].proto.label
    assert at.selectbox(key="review_select").options[0].endswith("review")


def test_review_page_shows_previous_tracking(monkeypatch, fake_run, fake_review):
    assert load_review(fake_review).missing == ()  # tracking_previous.csv is optional
    tracking = pd.read_csv(fake_review / "tracking.csv", encoding="utf-8-sig")
    tracking.assign(after=[0.9, 12.0], met=[False, False]).to_csv(
        fake_review / "tracking_previous.csv", index=False
    )
    at = _review_page(monkeypatch, fake_run, fake_review)
    assert not at.exception
    previous = next(df.value for df in at.dataframe if "met" in df.value.columns)
    assert list(previous["after"]) == ["90%", "12 s"]  # a share and seconds, by metric


def test_review_page_day_filter(monkeypatch, fake_run, fake_review):
    import datetime as dt

    at = _review_page(monkeypatch, fake_run, fake_review)
    at.select_slider(key="review_days").set_range(dt.date(2026, 11, 12), dt.date(2026, 11, 12))
    at.run()
    assert not at.exception
    assert _metrics(at)["Intervals under schedule"] == "0 of 24"


def test_review_page_partial_dir_says_what_is_missing(monkeypatch, fake_run, fake_review):
    for name in ("attribution.csv", "tracking.csv", "breakdown_agents.csv"):
        (fake_review / name).unlink()
    at = _review_page(monkeypatch, fake_run, fake_review)
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    for name in ("attribution.csv", "tracking.csv", "breakdown_agents.csv"):
        assert name in infos
    assert not at.get("download_button")
    assert _metrics(at)["Lost inquiries"] == "n/a"


def test_review_page_header_only_tables(monkeypatch, fake_run, fake_review):
    for name in ("attribution.csv", "variance_intervals.csv", "findings.csv"):
        header = (fake_review / name).read_bytes().splitlines()[0] + b"\n"
        (fake_review / name).write_bytes(header)
    at = _review_page(monkeypatch, fake_run, fake_review)
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert "attribution.csv has no rows" in infos
    assert "variance_intervals.csv has no rows" in infos
    assert _metrics(at)["3-min response rate"] == "n/a"
    assert len(at.get("download_button")) == 1  # tracking.csv is still there


@pytest.mark.parametrize("breakage", ["absent", "no_json", "bad_cell"])
def test_review_page_broken_dir_shows_error(monkeypatch, fake_run, fake_review, breakage):
    target: Path = fake_review
    if breakage == "absent":
        target = fake_review.parent / "nope"
    elif breakage == "no_json":
        (fake_review / "review.json").unlink()
    else:
        text = (fake_review / "variance_intervals.csv").read_text(encoding="utf-8").splitlines()
        text[2] = "yesterday," + text[2].split(",", 1)[1]
        (fake_review / "variance_intervals.csv").write_text("\n".join(text) + "\n", "utf-8")
    at = _review_page(monkeypatch, fake_run, target)
    assert not at.exception
    message = at.error[0].value
    assert message.startswith("Cannot show this review")
    expected = {
        "absent": "does not exist",
        "no_json": "missing review.json",
        "bad_cell": "variance_intervals.csv: row 3, field 'timestamp'",
    }[breakage]
    assert expected in message


def test_review_page_without_review_finds_newest_under_out(monkeypatch, fake_run, tmp_path):
    monkeypatch.chdir(tmp_path)
    at = _review_page(monkeypatch, fake_run, None)
    assert not at.exception
    assert "No review directory" in at.info[0].value
    write_fake_review(tmp_path / "out" / "double11-2026-review")
    at = _review_page(monkeypatch, fake_run, None)
    assert not at.exception
    assert at.selectbox(key="review_select").options == ["out/double11-2026-review"]
    assert at.title[0].value == "Review"


def test_review_cli_argument_then_environment(monkeypatch):
    from dashboard.state import default_review_dir

    monkeypatch.setenv("PEAKPLAN_REVIEW", "out/env-review")
    assert default_review_dir(["--run", "out/a", "--review", "out/a-review"]) == "out/a-review"
    assert default_review_dir(["--run", "out/a"]) == "out/env-review"
    monkeypatch.delenv("PEAKPLAN_REVIEW")
    assert default_review_dir(["--run", "out/a", "--rev", "x"]) is None  # no abbreviations


# ------------------------------------------------------------------- overview (point 2)


def test_overview_shows_worst_interval_next_to_average(monkeypatch, fake_run):
    summary = json.loads((fake_run / "summary.json").read_text(encoding="utf-8"))
    summary["service"]["worst_interval"] = {
        "timestamp": "2026-11-11T00:00:00",
        "expected_service_level": 0.005,
        "expected_three_min_rate": 0.12,
    }
    summary["service"]["worst_day"] = {"date": "2026-11-11", "expected_service_level": 0.61}
    summary["service"]["share_intervals_under_target"] = 0.25
    summary["service"]["share_intervals_under_three_min_target"] = 0.125
    (fake_run / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    monkeypatch.setenv("PEAKPLAN_RUN", str(fake_run))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    m = _metrics(at)
    assert m[TEXTS["overview.service_level"][1]] == "83.4%"
    assert m[TEXTS["peak.worst_interval"][1]] == "0.5%"
    assert m[TEXTS["overview.under_target"][1]] == "25.0%"
    worst = next(x for x in at.metric if x.label == TEXTS["peak.worst_interval"][1])
    assert "11-11 00:00" in worst.help and "12.0%" in worst.help
    under = next(x for x in at.metric if x.label == TEXTS["overview.under_target"][1])
    assert "12.5%" in under.help


def test_overview_without_worst_interval_is_unchanged(monkeypatch, fake_run):
    summary = json.loads((fake_run / "summary.json").read_text(encoding="utf-8"))
    summary["service"]["worst_interval"] = None  # what a run without busy intervals writes
    (fake_run / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    monkeypatch.setenv("PEAKPLAN_RUN", str(fake_run))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert _metrics(at).get(TEXTS["peak.worst_interval"][1]) == "n/a"
