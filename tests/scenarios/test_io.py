"""CSV reading (encodings, errors) and atomic, Excel-safe writing."""

from pathlib import Path

import pandas as pd
import pytest

from scenarios import io


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_reads_utf8_with_bom(tmp_path):
    path = write(tmp_path, "a.csv", "agent_id,name\n007,张伟\n".encode("utf-8-sig"))
    frame = io.read_csv(path, required=["agent_id"])
    assert list(frame.columns) == ["agent_id", "name"]
    assert frame.loc[0, "agent_id"] == "007"
    assert frame.loc[0, "name"] == "张伟"


def test_reads_gbk(tmp_path):
    path = write(tmp_path, "a.csv", "agent_id,name\n001,王芳\n".encode("gbk"))
    assert io.read_csv(path).loc[0, "name"] == "王芳"


@pytest.mark.parametrize(
    "data,expected",
    [(b"", "file is empty"), (b"  \n", "file is empty"), (b"timestamp,volume\n", "no data rows")],
)
def test_empty_files_name_the_file(tmp_path, data, expected):
    path = write(tmp_path, "history.csv", data)
    with pytest.raises(io.InputFileError, match=f"history.csv: {expected}"):
        io.read_csv(path)


def test_missing_column_names_file_row_and_column(tmp_path):
    path = write(tmp_path, "history.csv", b"timestamp,vol\n2026-01-01T00:00,3\n")
    with pytest.raises(io.InputFileError) as err:
        io.read_csv(path, required=["timestamp", "volume"])
    assert str(err.value).startswith("history.csv: row 1, missing column 'volume'")
    assert "\n" not in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(io.InputFileError, match="file not found"):
        io.read_csv(tmp_path / "nope.csv")


def test_formula_cells_neutralised_and_bom_written(tmp_path):
    frame = pd.DataFrame({"agent_name": ["=HYPERLINK(1)", "+86", "-x", "@a", "张三"], "n": [1] * 5})
    path = io.write_csv(frame, tmp_path / "r.csv", for_people=True)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    assert back["agent_name"].tolist() == ["'=HYPERLINK(1)", "'+86", "'-x", "'@a", "张三"]
    assert back["n"].tolist() == ["1"] * 5


def test_atomic_write_leaves_no_temp_files(tmp_path):
    io.write_json({"a": "双十一"}, tmp_path / "s.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]
    assert "双十一" in (tmp_path / "s.json").read_text(encoding="utf-8")
