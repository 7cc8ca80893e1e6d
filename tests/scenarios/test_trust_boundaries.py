"""Trust boundaries (issue 17, point 10): a scenario received from someone else.

Its data paths stay inside the scenario's folder unless ``--allow-outside-paths``; errors never echo
file contents beyond column names, and never the cell values of a CSV file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from scenarios import io
from scenarios.agents import agents_from_frame
from scenarios.cli import main
from scenarios.load import ScenarioError, load_scenario

SECRET = "hunter2"
HINT = "(pass --allow-outside-paths if you trust this scenario)"


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(code: int, err: str) -> str:
    lines = [line for line in err.strip().splitlines() if line]
    assert code == 2 and len(lines) == 1, err
    assert lines[0].startswith("peakplan: error: ")
    return lines[0]


def set_path(scenario: Path, key: str, value: str) -> None:
    """Point the scenario's ``history`` or ``agents`` key at ``value``."""
    lines = scenario.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith(f"{key} = "):
            lines[i] = f'{key} = "{value}"\n'
            break
    else:
        raise AssertionError(f"no {key} key")
    scenario.write_text("".join(lines), encoding="utf-8")


# ------------------------------------------------------------------------ paths in the scenario


@pytest.mark.parametrize(
    "key,dotted,value",
    [
        ("history", "forecast.history", "../../../etc/passwd"),
        ("agents", "workforce.agents", "/etc/passwd"),
    ],
)
def test_paths_outside_the_scenario_folder_are_refused(tiny, key, dotted, value):
    set_path(tiny["scenario"], key, value)
    with pytest.raises(ScenarioError) as err:
        load_scenario(tiny["scenario"])
    assert str(err.value) == (
        f"tiny.toml: {dotted}: '{value}' is outside the scenario's folder {HINT}"
    )


def test_a_symlink_leading_outside_is_refused(tiny, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "history.csv"
    outside.write_bytes(tiny["history"].read_bytes())
    link = tiny["dir"] / "linked.csv"
    os.symlink(outside, link)
    set_path(tiny["scenario"], "history", "linked.csv")
    with pytest.raises(ScenarioError, match="forecast.history: 'linked.csv' is outside"):
        load_scenario(tiny["scenario"])


def test_allow_outside_paths_and_paths_inside(tiny):
    set_path(tiny["scenario"], "history", "../../../etc/passwd")
    scenario = load_scenario(tiny["scenario"], allow_outside_paths=True)
    assert scenario.forecast.history == (tiny["dir"] / "../../../etc/passwd").resolve()
    (tiny["dir"] / "data").mkdir()
    (tiny["dir"] / "data" / "h.csv").write_bytes(tiny["history"].read_bytes())
    set_path(tiny["scenario"], "history", "data/../data/h.csv")
    assert load_scenario(tiny["scenario"]).forecast.history == tiny["dir"].resolve() / "data/h.csv"


def forecast_csv(path: Path) -> Path:
    stamps = pd.date_range("2026-10-27", periods=96, freq="30min")
    frame = pd.DataFrame({"timestamp": stamps.strftime("%Y-%m-%dT%H:%M:%S"), "volume": 40.0})
    frame.to_csv(path, index=False)
    return path


def test_cli_refuses_outside_paths_unless_allowed(capsys, tiny):
    set_path(tiny["scenario"], "agents", "/etc/passwd")
    fc = forecast_csv(tiny["dir"] / "forecast.csv")
    out = tiny["dir"] / "req.csv"
    args = ["staff", "--forecast", str(fc), "--scenario", str(tiny["scenario"]), "--out", str(out)]
    line = one_error_line(*run_cli(capsys, *args)[::2])
    assert line.endswith(f"tiny.toml: workforce.agents: '/etc/passwd' is outside the scenario's "
                         f"folder {HINT}")
    assert not out.exists()
    code, _, err = run_cli(capsys, *args, "--allow-outside-paths")
    assert code == 0, err
    assert out.exists()


def test_run_refuses_outside_paths_before_writing(capsys, tiny):
    set_path(tiny["scenario"], "history", "../../../etc/passwd")
    out_dir = tiny["dir"] / "run"
    line = one_error_line(
        *run_cli(capsys, "run", str(tiny["scenario"]), "--out", str(out_dir))[::2]
    )
    assert "forecast.history: '../../../etc/passwd' is outside" in line
    assert not out_dir.exists()


# --------------------------------------------------------------------- no echo of file contents


@pytest.mark.parametrize(
    "first_line",
    [
        f"db_password={SECRET}",
        f"user,db_password={SECRET}",
        f"host,{SECRET}" + "x" * 200,
        f"a,b\x07{SECRET}",
    ],
)
def test_header_that_is_not_a_csv_header_is_not_echoed(tmp_path, first_line):
    path = tmp_path / "history.csv"
    path.write_text(first_line + "\nsecond,line\n", encoding="utf-8")
    with pytest.raises(io.InputFileError) as err:
        io.read_csv(path, required=("timestamp", "volume"))
    message = str(err.value)
    assert SECRET not in message
    assert message.startswith("history.csv: row 1")
    assert "does not look like a CSV header" in message
    assert "timestamp" in message  # says what was expected


def test_echoed_column_names_are_capped(tmp_path):
    names = [f"col{i}" for i in range(40)]
    path = tmp_path / "history.csv"
    path.write_text(",".join(names) + "\n" + ",".join("1" * 40) + "\n", encoding="utf-8")
    with pytest.raises(io.InputFileError) as err:
        io.read_csv(path, required=("timestamp", "volume"))
    message = str(err.value)
    assert "col0" in message and "col39" not in message and "30 more" in message
    assert len(message) < 300


def test_the_passwd_file_is_not_echoed(capsys, tiny, tmp_path):
    secret = tiny["dir"] / "settings.txt"
    secret.write_text(f"root:x:0:0:{SECRET}:/root:/bin/bash\nx:y\n", encoding="utf-8")
    set_path(tiny["scenario"], "history", "settings.txt")
    out_dir = tiny["dir"] / "run"
    line = one_error_line(
        *run_cli(capsys, "run", str(tiny["scenario"]), "--out", str(out_dir))[::2]
    )
    assert SECRET not in line and "root" not in line
    assert "settings.txt: row 1, missing column 'timestamp'" in line
    assert line.endswith("row 1 does not look like a CSV header")


BASE = {
    "agent_id": "007",
    "name": "张伟",
    "agent_type": "permanent",
    "contract_hours_per_week": "40",
    "min_hours_per_week": "40",
    "max_hours_per_week": "54",
    "hourly_cost_cny": "30",
    "available_weekdays": "Mon,Tue,Sat",
    "available_from": "18:00",
    "available_to": "02:00",
    "days_off": "2026-11-05",
    "efficiency": "1.1",
}


@pytest.mark.parametrize(
    "field,value,expected",
    [
        ("agent_type", f"x{SECRET}", "must be permanent or part_time"),
        ("hourly_cost_cny", f"{SECRET}", "not a number"),
        ("max_hours_per_week", "-1", "negative"),
        ("hourly_cost_cny", "inf", "infinite"),
        ("efficiency", "nan", "not a number"),
        ("available_from", f"{SECRET}", "not a time"),
        ("available_weekdays", f"Mon,{SECRET}", "unknown weekday"),
        ("days_off", f"2026-11-05;{SECRET}", "not a date"),
        ("min_hours_per_week", "60", "min_hours_per_week is greater than max_hours_per_week"),
    ],
)
def test_agent_errors_do_not_echo_cell_values(field, value, expected):
    frame = pd.DataFrame([{**BASE, field: value}], dtype="string")
    with pytest.raises(io.InputFileError) as err:
        agents_from_frame(frame, "agents.csv")
    message = str(err.value)
    assert message.startswith(f"agents.csv: row 2, field '{field}': ")
    assert expected in message
    assert SECRET not in message and repr(value) not in message


def test_duplicate_agent_id_names_both_rows_not_the_id():
    frame = pd.DataFrame([BASE, {**BASE, "agent_id": "x"}, BASE], dtype="string")
    with pytest.raises(io.InputFileError) as err:
        agents_from_frame(frame, "agents.csv")
    assert str(err.value) == "agents.csv: row 4, field 'agent_id': duplicate of row 2"


def test_scenario_errors_echo_numbers_not_strings(tiny):
    text = tiny["scenario"].read_text(encoding="utf-8")
    path = tiny["dir"] / "s.toml"
    path.write_text(text.replace("interval_minutes = 30", f'interval_minutes = "{SECRET}"'),
                    encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert "campaign.interval_minutes" in str(err.value) and SECRET not in str(err.value)
    path.write_text(text.replace("shrinkage = 0.12", "shrinkage = 1.5"), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"service.shrinkage: .*\(got 1.5\)"):
        load_scenario(path)
