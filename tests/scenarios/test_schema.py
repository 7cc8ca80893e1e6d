"""Scenario validation: the bundled example loads; typos and contradictions are one-liners."""

from pathlib import Path

import pytest

from scenarios.load import ScenarioError, load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "sample" / "double11-2026.toml"


def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def test_bundled_example_loads_and_resolves_paths():
    scenario = load_scenario(EXAMPLE)
    assert scenario.campaign.interval_minutes == 30
    assert scenario.forecast.history.is_absolute()
    assert scenario.forecast.history == (ROOT / "data" / "sample" / "history.csv").resolve()
    assert scenario.workforce.temporary.efficiency_ramp == (0.7, 0.85, 1.0)
    assert len(scenario.campaign.slot_starts()) == 14 * 48


@pytest.mark.parametrize(
    "old,new,expected",
    [
        ("concurrency = 3 ", "concurency = 3 ", "unknown key 'service.concurency'"),
        (
            "max_headcount = 50",
            "max_headcount = 50\nhourly_wage = 3",
            "workforce.temporary.hourly_wage",
        ),
        ("service_level = 0.80", "service_level = 1.2", "service.service_level"),
        (
            "interval_minutes = 30",
            "interval_minutes = 25",
            "campaign.interval_minutes: must divide 60",
        ),
        ('staff_to = "mean"', 'staff_to = "upper_90"', "needs level 90"),
        ("max_hours_per_day = 10", "max_hours_per_day = 7", "paid_hours_min 8.0 exceeds"),
    ],
)
def test_invalid_scenarios_give_one_line_naming_the_key(old, new, expected):
    text = example_text()
    assert old in text
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text.replace(old, new, 1), "s.toml")
    message = str(err.value)
    assert message.startswith("s.toml: ")
    assert expected in message
    assert "\n" not in message


def test_min_weekly_hours_above_max_is_rejected_naming_the_rule():
    text = example_text().replace("min_hours_per_week = 0", "min_hours_per_week = 70", 1)
    with pytest.raises(ScenarioError, match="min_hours_per_week 70.0 exceeds max_hours_per_week"):
        parse_scenario(text, "s.toml")


def test_invalid_toml(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[campaign\nname = 1", encoding="utf-8")
    with pytest.raises(ScenarioError, match="bad.toml: invalid TOML"):
        load_scenario(path)


def test_shortfall_price_needs_a_source():
    text = example_text().replace("average_order_value_cny = 260\n", "", 1)
    with pytest.raises(ScenarioError, match="shortfall_cost_per_agent_hour_cny"):
        parse_scenario(text, "s.toml")
