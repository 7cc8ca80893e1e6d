"""Input encodings: UTF-8 (with or without BOM), GBK and Big5 are told apart or the user is asked.

Issue 17: Big5 files decoded as GB18030 gave garbled names in the HR roster and in queue names.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scenarios import io
from scenarios.agents import load_agents
from scenarios.cli import main

AGENT_COLUMNS = (
    "agent_id,name,agent_type,contract_hours_per_week,min_hours_per_week,"
    "max_hours_per_week,hourly_cost_cny\n"
)
SIMPLIFIED = ["王芳", "张伟", "李娜", "刘洋", "陈静", "客服1", "兼职1"]
TRADITIONAL = ["陳志明", "黃淑芬", "林雅婷", "張家豪", "吳宗憲"]


def agents_text(names: list[str]) -> str:
    rows = [f"{i:03d},{name},permanent,40,0,54,30\n" for i, name in enumerate(names, 1)]
    return AGENT_COLUMNS + "".join(rows)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "names,codec",
    [
        (SIMPLIFIED, "gbk"),
        (TRADITIONAL, "big5"),
        (SIMPLIFIED + TRADITIONAL, "utf-8"),
        (SIMPLIFIED + TRADITIONAL, "utf-8-sig"),
    ],
)
def test_agent_names_survive_every_encoding(tmp_path, names, codec):
    path = write(tmp_path, "agents.csv", agents_text(names).encode(codec))
    assert [agent.name for agent in load_agents(path)] == names


@pytest.mark.parametrize(
    "queues,codec", [(["售前", "售後"], "big5"), (["售前", "售后"], "gbk")]
)
def test_queue_names_in_big5_and_gbk(tmp_path, queues, codec):
    rows = "".join(
        f"2026-10-01T{hour:02d}:00:00,{hour + 3},{queue}\n"
        for queue in queues
        for hour in range(24)
    )
    path = write(tmp_path, "history.csv", ("timestamp,volume,queue\n" + rows).encode(codec))
    frame = io.read_csv(path, required=("timestamp", "volume"))
    assert sorted(set(frame["queue"])) == sorted(queues)


def test_tiny_ambiguous_file_asks_for_the_encoding(tmp_path):
    # b"\xb3\xaf" is 陳 in Big5 and 朝 in GBK: both are common characters.
    path = write(tmp_path, "agents.csv", "agent_id,name\n001,陳\n".encode("big5"))
    with pytest.raises(io.InputFileError) as err:
        io.read_csv(path)
    message = str(err.value)
    assert message.startswith("agents.csv: ")
    assert "--encoding big5|gbk|utf-8" in message
    assert "\n" not in message and "陳" not in message and "朝" not in message


def test_explicit_encoding_decides(tmp_path):
    path = write(tmp_path, "agents.csv", "agent_id,name\n001,陳\n".encode("big5"))
    assert io.read_csv(path, encoding="big5").loc[0, "name"] == "陳"
    assert io.read_csv(path, encoding="gbk").loc[0, "name"] == "朝"
    with io.input_encoding("big5"):
        assert io.read_csv(path).loc[0, "name"] == "陳"
    with pytest.raises(io.InputFileError, match="--encoding"):
        io.read_csv(path)  # the context is gone again


def test_explicit_encoding_that_does_not_fit_is_one_line(tmp_path):
    path = write(tmp_path, "agents.csv", agents_text(SIMPLIFIED).encode("gbk"))
    with pytest.raises(io.InputFileError) as err:
        io.read_csv(path, encoding="utf-8")
    assert str(err.value).startswith("agents.csv: cannot decode as UTF-8")
    assert "--encoding" in str(err.value)


def test_utf8_bom_is_utf8_whatever_the_flag_says(tmp_path):
    path = write(tmp_path, "agents.csv", agents_text(TRADITIONAL).encode("utf-8-sig"))
    assert io.read_csv(path, encoding="big5").loc[0, "name"] == "陳志明"


def test_unknown_encoding_name_is_rejected(tmp_path):
    path = write(tmp_path, "agents.csv", b"a,b\n1,2\n")
    with pytest.raises(ValueError, match="big5, gbk or utf-8"):
        io.read_csv(path, encoding="latin-1")


@pytest.mark.parametrize(
    "data,encoding",
    [
        ("时间,访问量\n2026-10-01T00:00,3\n".encode("gbk"), "big5"),  # mojibake header
        ("timestamp,vol\ufffdume\n2026-10-01T00:00,3\n".encode(), None),  # replacement char
    ],
)
def test_garbled_header_says_it_may_be_an_encoding_problem(tmp_path, data, encoding):
    path = write(tmp_path, "history.csv", data)
    with pytest.raises(io.InputFileError) as err:
        io.read_csv(path, required=("timestamp", "volume"), encoding=encoding)
    message = str(err.value)
    assert message.startswith("history.csv: row 1, missing column")
    assert "encoding" in message and "--encoding" in message


def test_a_chinese_header_is_named_with_what_to_rename(tmp_path):
    # a shop's own export, cleanly decoded: the names are shown, with the rename and the
    # encoding hint (the same names could also be another encoding's mojibake)
    path = write(tmp_path, "history.csv", "时间,咨询量\n2026/11/01 00:00,318\n".encode("utf-8-sig"))
    with pytest.raises(io.InputFileError) as err:
        io.read_csv(path, required=("timestamp", "volume"))
    assert str(err.value) == (
        "history.csv: row 1, missing column 'timestamp' (expected: timestamp, volume; found: "
        "时间, 咨询量): rename the columns to the expected names; if they look garbled, this is "
        "an encoding problem: pass --encoding big5|gbk|utf-8")


def test_undecodable_file_names_the_flag(tmp_path):
    path = write(tmp_path, "history.csv", "timestamp,volume\n".encode("utf-16"))
    with pytest.raises(io.InputFileError, match="--encoding big5\\|gbk\\|utf-8"):
        io.read_csv(path)


# ------------------------------------------------------------------------------------ CLI


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def forecast_args(tiny, out: Path, *extra: str) -> list[str]:
    return [
        "forecast",
        "--history",
        str(tiny["history"]),
        "--start",
        "2026-10-27T00:00",
        "--end",
        "2026-10-27T23:00",
        "--out",
        str(out),
        *extra,
    ]


def test_cli_asks_for_encoding_then_the_flag_works(capsys, tiny):
    frame = pd.read_csv(tiny["history"])
    frame["queue"] = "售後"  # alone, its Big5 bytes also read as common GBK characters
    frame.to_csv(tiny["history"], index=False, encoding="big5")
    out = tiny["dir"] / "f.csv"
    code, _, err = run_cli(capsys, *forecast_args(tiny, out))
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1, err
    assert lines[0].startswith("peakplan: error: history.csv: ")
    assert "--encoding big5|gbk|utf-8" in lines[0]
    assert not out.exists()
    code, _, err = run_cli(capsys, *forecast_args(tiny, out, "--encoding", "big5"))
    assert code == 0, err
    assert set(pd.read_csv(out)["queue"]) == {"售後"}


def test_run_reads_big5_agents_and_the_flag_reaches_the_pipeline(capsys, tiny):
    frame = pd.read_csv(tiny["agents"], encoding="utf-8-sig", dtype=str)
    names = (TRADITIONAL * 2)[: len(frame)]
    frame["name"] = names
    frame.to_csv(tiny["agents"], index=False, encoding="big5")
    out_dir = tiny["dir"] / "utf8-run"
    args = ["run", str(tiny["scenario"]), "--out", str(out_dir), "--quiet"]
    code, _, err = run_cli(capsys, *args, "--encoding", "utf-8")
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "agents.csv: cannot decode as UTF-8" in err
    assert not out_dir.exists()
    out_dir = tiny["dir"] / "run"
    code, _, err = run_cli(capsys, "run", str(tiny["scenario"]), "--out", str(out_dir), "--quiet")
    assert code == 0, err
    roster = pd.read_csv(out_dir / "roster.csv", encoding="utf-8-sig", dtype=str)
    named = set(roster.loc[roster["agent_type"] != "temporary", "agent_name"])
    assert named and named <= set(names)


def test_unknown_encoding_flag_is_one_line(capsys, tiny):
    out = tiny["dir"] / "f.csv"
    code, _, err = run_cli(capsys, *forecast_args(tiny, out, "--encoding", "latin-1"))
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1, err
    assert lines[0] == (
        "peakplan: error: --encoding: unknown encoding 'latin-1': use big5, gbk or utf-8"
    )
    assert not out.exists()
