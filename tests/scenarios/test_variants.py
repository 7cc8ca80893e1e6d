"""Scenario variants (``[variants.NAME]``), ``--set`` overrides and ``forecast.volume_scale``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from scenarios.cli import main
from scenarios.load import ScenarioError, load_scenario
from scenarios.pipeline import prepare_plan
from scenarios.review.run_review import scenario_sections
from scenarios.variants import parse_set, run_choice, scale_forecast

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "sample" / "double11-2026.toml"


def test_bundled_variants_replace_their_fields():
    base = load_scenario(EXAMPLE)
    assert base.forecast.volume_scale == 1.0
    assert load_scenario(EXAMPLE, variant="base") == base
    high = load_scenario(EXAMPLE, variant="high_volume")
    assert high.forecast.volume_scale == 1.2
    assert high.model_copy(update={"forecast": base.forecast}) == base
    assert load_scenario(EXAMPLE, variant="more_bot").service.bot_deflection == 0.45
    small = load_scenario(EXAMPLE, variant="small_temp_pool")
    assert small.workforce.temporary.max_headcount == 30
    assert small.workforce.temporary.hourly_cost_cny == base.workforce.temporary.hourly_cost_cny


def test_set_is_typed_and_applied_after_the_variant():
    assert parse_set("service.bot_deflection=0.45") == ("service.bot_deflection", 0.45)
    assert parse_set('campaign.name="x y"') == ("campaign.name", "x y")
    assert parse_set("campaign.name=x") == ("campaign.name", "x")  # the shell ate the quotes
    assert parse_set("solver.lp_bound=false") == ("solver.lp_bound", False)
    overrides = [parse_set("forecast.volume_scale=1.5"), parse_set("service.service_level=0.9")]
    scenario = load_scenario(EXAMPLE, variant="high_volume", overrides=overrides)
    assert scenario.forecast.volume_scale == 1.5
    assert scenario.service.service_level == 0.9
    scenario = load_scenario(EXAMPLE, overrides=[parse_set("campaign.name=Test")])
    assert scenario.campaign.name == "Test"


@pytest.mark.parametrize(
    ("variant", "setting", "message"),
    [
        (None, "service.nope=1", "double11-2026.toml: --set service.nope: unknown key"),
        (None, "nope.deeper=1", "double11-2026.toml: --set nope.deeper: unknown key"),
        (None, "service.aht_seconds.x=1", "double11-2026.toml: --set service.aht_seconds.x: "
         "unknown key"),
        (None, "service.bot_deflection=abc", "double11-2026.toml: --set service.bot_deflection: "
         "expected a number"),
        (None, "workforce.temporary.max_headcount=2.5", "double11-2026.toml: --set "
         "workforce.temporary.max_headcount: expected an integer"),
        (None, "service.bot_deflection=1.5", "double11-2026.toml: --set service.bot_deflection: "
         "must be < 1"),
        ("foo", None, "double11-2026.toml: unknown variant 'foo' (variants: base, high_volume, "
         "more_bot, small_temp_pool)"),
    ],
)
def test_bad_overrides_name_the_key(variant, setting, message):
    overrides = [parse_set(setting)] if setting else []
    with pytest.raises(ScenarioError) as info:
        load_scenario(EXAMPLE, variant=variant, overrides=overrides)
    assert str(info.value) == message


def test_a_variant_with_an_unknown_key_is_an_error_on_load(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8") + "\n[variants.typo]\nservice.bot_deflectin = 0.4\n"
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    for variant in (None, "typo"):
        with pytest.raises(ScenarioError, match=r"^s\.toml: variants\.typo\.service\."
                           r"bot_deflectin: unknown key$"):
            load_scenario(path, allow_outside_paths=True, variant=variant)


def test_volume_scale_scales_volume_and_bounds():
    import pandas as pd

    frame = pd.DataFrame({"timestamp": [1, 2], "volume": [10.0, 20.0], "lower_80": [5.0, 8.0],
                          "upper_80": [12.0, 30.0]})
    assert scale_forecast(frame, 1.0) is frame
    doubled = scale_forecast(frame, 2.0)
    assert doubled["volume"].tolist() == [20.0, 40.0]
    assert doubled["upper_80"].tolist() == [24.0, 60.0]
    assert doubled["timestamp"].tolist() == [1, 2]


def test_volume_scale_doubles_the_requirements_volume(tiny):
    base = prepare_plan(load_scenario(tiny["scenario"]))
    double = prepare_plan(load_scenario(tiny["scenario"],
                                        overrides=[("forecast.volume_scale", 2.0)]))
    np.testing.assert_allclose(double.requirements["volume"], 2 * base.requirements["volume"])
    assert double.requirements["agents_required"].sum() > base.requirements["agents_required"].sum()


def test_run_records_variant_and_overrides(tiny, capsys):
    out = tiny["dir"] / "run"
    code = main(["run", str(tiny["scenario"]), "--out", str(out), "--quiet",
                 "--variant", "more_bot", "--set", "solver.lp_bound=false",
                 "--set", "solver.time_limit_s=2", "--seed", "0"])
    assert code == 0, capsys.readouterr().err
    scenario = json.loads((out / "summary.json").read_text(encoding="utf-8"))["scenario"]
    assert scenario["variant"] == "more_bot"
    assert scenario["overrides"] == {"solver.lp_bound": False, "solver.time_limit_s": 2}
    choice = run_choice(out)  # a review re-reads the scenario as the run planned it
    assert choice == {"variant": "more_bot",
                      "overrides": (("solver.lp_bound", False), ("solver.time_limit_s", 2))}
    assert scenario_sections(out)[0].bot_deflection == 0.45


def test_bad_set_writes_nothing(tiny, capsys):
    out = tiny["dir"] / "run"
    code = main(["run", str(tiny["scenario"]), "--out", str(out), "--set", "service.nope=1"])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["peakplan: error: tiny.toml: --set service.nope: unknown key"]
    assert not out.exists()


def test_staff_applies_the_variant_volume_scale(tiny, capsys):
    import pandas as pd

    slots = load_scenario(tiny["scenario"]).campaign.slot_starts()
    forecast = tiny["dir"] / "forecast.csv"
    pd.DataFrame({"timestamp": [s.isoformat() for s in slots], "volume": 40.0}).to_csv(
        forecast, index=False)
    frames = []
    for name, extra in (("base", []), ("high", ["--variant", "high_volume"])):
        out = tiny["dir"] / f"req_{name}.csv"
        argv = ["staff", "--forecast", str(forecast), "--scenario", str(tiny["scenario"]),
                "--out", str(out), *extra]
        assert main(argv) == 0, capsys.readouterr().err
        frames.append(pd.read_csv(out))
    np.testing.assert_allclose(frames[1]["volume"], 1.2 * frames[0]["volume"])
