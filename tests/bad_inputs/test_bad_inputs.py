"""The bad-input corpus (``cases.toml``): every case breaks the valid project of
``bad_input_project.py`` in one way, runs one ``peakplan`` command in-process and must end with
exactly its expected outcome: the exit code, one stderr line ``peakplan: error: <message>``
equal to the case's ``error`` (``{dir}`` stands for the project folder), no traceback, and the
project folder byte-for-byte as it was (nothing written, deleted, renamed or overwritten).

Mutations a case can apply, in this order (files by short name: scenario, history, events, agents,
forecast, requirements):
  scenario_replace  [[old, new], ...]  text replacements in the scenario (each must match)
  scenario_append   text added at the end of the scenario
  cells             [[file, csv_row, column, value], ...]  (csv_row: header = 1)
  drop_column       [file, column]
  rename_column     [file, old, new]
  keep_rows         [file, n]  keep the header and the first n data rows
  dup_row           [file, csv_row]  repeat that row right after itself
  file_text         [file, text]  the whole file (UTF-8)
  file_encoding     [file, codec]  re-encode the file's text in another codec
  file_hex          [file, hex]  the whole file as raw bytes
  make_files        {relative path = text}  extra files in the project (e.g. in --out)
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest
from bad_input_project import build_project

from scenarios.cli import main

CASES = tomllib.loads((Path(__file__).with_name("cases.toml")).read_text(encoding="utf-8"))["case"]
FILES = ("scenario", "history", "events", "agents", "forecast", "requirements")


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _write(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False)


def _mutate(case: dict, paths: dict[str, Path]) -> None:
    scenario = paths["scenario"]
    for old, new in case.get("scenario_replace", []):
        text = scenario.read_text(encoding="utf-8")
        assert old in text, f"{case['name']}: {old!r} not in the scenario"
        scenario.write_text(text.replace(old, new, 1), encoding="utf-8")
    if "scenario_append" in case:
        scenario.write_text(scenario.read_text(encoding="utf-8") + case["scenario_append"],
                            encoding="utf-8")
    for name, row, column, value in case.get("cells", []):
        frame = _read(paths[name])
        frame.loc[row - 2, column] = value
        _write(frame, paths[name])
    if "drop_column" in case:
        name, column = case["drop_column"]
        _write(_read(paths[name]).drop(columns=[column]), paths[name])
    if "rename_column" in case:
        name, old, new = case["rename_column"]
        _write(_read(paths[name]).rename(columns={old: new}), paths[name])
    if "keep_rows" in case:
        name, n = case["keep_rows"]
        _write(_read(paths[name]).head(n), paths[name])
    if "dup_row" in case:
        name, row = case["dup_row"]
        frame = _read(paths[name])
        frame = pd.concat([frame.iloc[: row - 1], frame.iloc[row - 2: row - 1],
                           frame.iloc[row - 1:]], ignore_index=True)
        _write(frame, paths[name])
    if "file_text" in case:
        name, text = case["file_text"]
        paths[name].write_text(text, encoding="utf-8")
    if "file_encoding" in case:
        name, codec = case["file_encoding"]
        text = paths[name].read_bytes().decode("utf-8-sig")
        paths[name].write_bytes(text.encode(codec))
    if "file_hex" in case:
        name, data = case["file_hex"]
        paths[name].write_bytes(bytes.fromhex(data))
    for relative, text in case.get("make_files", {}).items():
        target = paths["dir"] / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def _snapshot(folder: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every entry below ``folder``: bytes (None for directories) and mode."""
    out = {}
    for path in sorted(folder.rglob("*")):
        stat = path.lstat()
        out[str(path.relative_to(folder))] = (
            None if path.is_dir() else path.read_bytes(), stat.st_mode)
    return out


def _argv(case: dict, paths: dict[str, Path]) -> list[str]:
    values = {name: str(path) for name, path in paths.items()}
    values["out"] = str(paths["dir"] / "out")
    return [part.format(**values) for part in case["argv"]]


def test_corpus_is_large_and_named_uniquely():
    names = [case["name"] for case in CASES]
    assert len(names) >= 60
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_bad_input(case, tmp_path, capsys, monkeypatch):
    folder = tmp_path / "proj"
    paths = build_project(folder)
    paths["dir"] = folder
    _mutate(case, paths)
    monkeypatch.chdir(folder)
    before = _snapshot(folder)
    code = main(_argv(case, paths))
    out, err = capsys.readouterr()
    lines = [line for line in err.splitlines() if not line.startswith("peakplan: warning:")]
    assert code == case.get("exit", 2), (out, err)
    assert "Traceback" not in err
    assert len(lines) == 1, err
    assert lines[0].startswith("peakplan: error: "), err
    message = lines[0].removeprefix("peakplan: error: ")
    assert message == case["error"].replace("{dir}", str(folder))
    assert _snapshot(folder) == before, "the command wrote, deleted or changed a file"
