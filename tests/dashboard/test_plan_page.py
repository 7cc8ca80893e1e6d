"""The Plan page (issue 20 point 2, acceptance 2 and 4) in Streamlit's AppTest: it renders in
Chinese and English, a lever change becomes ``--set`` overrides that load, an uploaded agents CSV
with a missing column shows one error line naming the file, row and field and the page stays
usable, and a lever change re-plans the tiny scenario to completion with progress, the new run
then shown by the overview."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from tiny_scenario import tiny_files

from dashboard.plan_form import BUNDLED
from dashboard.state import RUN_KEY
from scenarios.load import load_scenario
from scenarios.output import RUN_MARKER

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")


def plan_page(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("views/plan.py").run()
    assert not at.exception, at.exception
    return at


def lever(at: AppTest, name: str):
    """The number input of lever ``name`` (keys are ``plan_lever_<name>_<scope>``)."""
    found = [w for w in at.number_input if str(w.key).startswith(f"plan_lever_{name}_")]
    assert len(found) == 1, [w.key for w in at.number_input]
    return found[0]


@pytest.mark.parametrize(
    ("lang", "title", "label"),
    [
        ("zh", "计划：调整参数并重新排班", "咨询量倍数"),
        ("en", "Plan: change the levers", "Volume scale"),
    ],
)
def test_plan_page_renders(tmp_path, monkeypatch, lang, title, label) -> None:
    monkeypatch.chdir(tmp_path)
    at = plan_page(lang)
    assert at.title[0].value.startswith(title)
    assert not at.error
    assert at.selectbox(key="plan_scenario").value == str(BUNDLED)
    assert lever(at, "volume_scale").label == label
    assert lever(at, "max_headcount").value == 50  # pre-filled from the scenario
    run_label = "运行计划" if lang == "zh" else "Run the plan"
    assert at.button(key="plan_run_button").label == run_label


def test_lever_change_makes_overrides_that_load(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    at = plan_page()
    assert at.session_state["plan_overrides"] == []
    variant = [s for s in at.selectbox if str(s.key).startswith("plan_variant_")][0]
    variant.set_value("high_volume").run()
    assert lever(at, "volume_scale").value == pytest.approx(1.2)  # the variant applied
    lever(at, "volume_scale").set_value(1.3).run()
    lever(at, "max_headcount").set_value(20).run()
    overrides = at.session_state["plan_overrides"]
    assert overrides == [("forecast.volume_scale", 1.3), ("workforce.temporary.max_headcount", 20)]
    assert isinstance(overrides[1][1], int)
    scenario = load_scenario(BUNDLED, variant="high_volume", overrides=overrides)
    assert scenario.forecast.volume_scale == 1.3
    assert scenario.workforce.temporary.max_headcount == 20
    assert not at.error
    assert any("1.2 → 1.3" in c.value for c in at.caption)


def test_upload_with_missing_column_shows_one_error(tmp_path, monkeypatch) -> None:
    files = tiny_files(tmp_path / "src")
    monkeypatch.chdir(tmp_path)
    at = plan_page()
    text = files["agents"].read_text(encoding="utf-8-sig")
    broken = text.replace("agent_type,", "", 1).encode("utf-8")  # header lacks agent_type
    at.file_uploader(key="plan_upload").set_value(("agents.csv", broken, "text/csv"))
    at.button(key="plan_upload_button").click().run()
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert "agents.csv" in message and "row 1" in message and "agent_type" in message
    assert "\n" not in message
    assert not any((tmp_path / "out" / "uploads").iterdir())  # the bad upload is not kept
    # the page is still usable: another scenario file (bad TOML key) then a good upload
    scenario = files["scenario"].read_text(encoding="utf-8").replace("[rules]", "[rulez]")
    at.file_uploader(key="plan_upload").set_value(
        [("tiny.toml", scenario.encode(), "application/toml")])
    at.button(key="plan_upload_button").click().run()
    assert len(at.error) == 1 and "unknown key 'rulez'" in at.error[0].value
    good = text.replace("客服1", "客服一").encode("utf-8")
    at.file_uploader(key="plan_upload").set_value(("agents.csv", good, "text/csv"))
    at.button(key="plan_upload_button").click().run()
    assert not at.error and not at.exception
    chosen = at.selectbox(key="plan_scenario").value
    assert chosen.startswith("out/uploads/") and chosen.endswith("double11-2026.toml")
    assert (tmp_path / chosen).parent.joinpath("agents.csv").read_bytes() == good
    assert lever(at, "volume_scale").value == 1.0


def test_lever_change_replans_and_opens_in_overview(tmp_path, monkeypatch) -> None:
    files = tiny_files(tmp_path / "data")
    text = files["scenario"].read_text(encoding="utf-8")
    text = (text.replace("end = 2026-10-28", "end = 2026-10-29")
            .replace("lp_bound = true", "lp_bound = false")
            .replace("random_seed = 0", "random_seed = 0\ndeterministic = true"))
    files["scenario"].write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    at = plan_page()
    at.selectbox(key="plan_scenario").set_value("data/tiny.toml").run()
    lever(at, "volume_scale").set_value(1.3).run()
    lever(at, "time_limit").set_value(2.0).run()
    at.button(key="plan_run_button").click().run()
    stages, bars = set(), 0
    deadline = time.monotonic() + 180
    while at.session_state["plan_run"].state == "running" and time.monotonic() < deadline:
        metrics = {m.label: m.value for m in at.metric}
        stages.add(metrics.get("Stage"))
        bars += len(at.get("progress"))  # the solve's share of its time limit
        assert at.button(key="plan_cancel").label == "Cancel"
        time.sleep(0.3)
        at.run()
    run = at.session_state["plan_run"]
    assert run.state == "done", run.error
    assert {"forecasting volume", "solving the roster"} & stages
    assert bars > 0 or "solving the roster" not in stages
    assert (run.out_dir / RUN_MARKER).is_file()
    assert run.out_dir.parent == tmp_path / "out" and run.out_dir.name.startswith("plan-")
    assert any("Plan complete" in s.value for s in at.success)
    # the form hidden during the run comes back as the user left it
    assert at.selectbox(key="plan_scenario").value == "data/tiny.toml"
    assert lever(at, "volume_scale").value == pytest.approx(1.3)
    at.button(key="plan_open").click().run()
    assert not at.exception, at.exception
    shown = str(run.out_dir.relative_to(tmp_path))
    assert at.session_state[RUN_KEY] == shown
    assert at.text_input(key="run_text").value == shown
    assert not at.error
    # the overview now shows the new run's figures (its wages tile), no restart
    assert not at.title[0].value.startswith("Plan")
    assert f"¥{run.figures['wages_cny']:,.0f}" in [m.value for m in at.metric]


def test_every_dynamic_text_key_exists() -> None:
    """Keys built at run time (levers, stages, bundled variants) are all in the table."""
    from dashboard.i18n import TEXTS
    from dashboard.plan_form import LEVERS
    from dashboard.plan_runner import CANCELLED, DONE, FAILED, STAGES

    keys = [f"plan.lever.{lv.name}{end}" for lv in LEVERS for end in ("", "_help")]
    stages = [s for s in STAGES if s != "warning"]
    keys += [f"plan.stage.{s}" for s in (*stages, DONE, FAILED, CANCELLED)]
    keys += [f"plan.variant.{v}" for v in ("none", "base", "high_volume", "more_bot")]
    assert [k for k in keys if k not in TEXTS] == []
    assert all(TEXTS[k][0] != TEXTS[k][1] for k in keys if k.startswith("plan.stage."))
