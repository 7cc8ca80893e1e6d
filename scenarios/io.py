"""File input and output shared by the CLI and the pipeline.

Reading: CSV exports from Excel and Chinese HR systems arrive as UTF-8 (with or without BOM) or
GBK; we try ``utf-8-sig`` first and fall back to ``gb18030`` (a superset of GBK). Every column is
read as text so IDs keep their leading zeros; the engines parse and validate what they need.

Writing: every output goes to a temporary file in the target directory and is renamed into place,
so a failed run never leaves a half-written file. CSVs for people are written ``utf-8-sig`` (Excel
needs the BOM to show Chinese), with cells that start with ``= + - @`` neutralised.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd


class InputFileError(ValueError):
    """A one-line, user-facing problem with an input file (file, row, field)."""


_FORMULA_PREFIXES = ("=", "+", "-", "@")


def read_csv(path: str | Path, required: Iterable[str] = ()) -> pd.DataFrame:
    """Read a CSV as text columns, checking the file exists, decodes and has ``required`` columns.

    Args:
        path: the CSV file.
        required: column names that must be present.

    Returns:
        A frame of ``str`` columns (empty cells are ``NaN``) with a RangeIndex, so that CSV row
        number = index + 2 (the header is row 1).

    Raises:
        InputFileError: missing file, empty file, undecodable bytes, unparsable CSV, missing column.
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise InputFileError(f"{path}: file not found")
    raw = path.read_bytes()
    if not raw.strip():
        raise InputFileError(f"{name}: file is empty")
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise InputFileError(f"{name}: cannot decode as UTF-8 or GBK/GB18030")
    text = text.lstrip("\ufeff")
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError as exc:
        raise InputFileError(f"{name}: file is empty") from exc
    except pd.errors.ParserError as exc:
        raise InputFileError(f"{name}: not a valid CSV ({str(exc).splitlines()[0]})") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        found = ", ".join(frame.columns)
        raise InputFileError(f"{name}: row 1, missing column '{missing[0]}' (found: {found})")
    if frame.empty:
        raise InputFileError(f"{name}: no data rows")
    return frame.reset_index(drop=True)


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells starting with ``= + - @`` with ``'`` so Excel shows them as text."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            values = out[column].astype("string")
            risky = values.str.startswith(_FORMULA_PREFIXES, na=False)
            if risky.any():
                out[column] = values.where(~risky, "'" + values)
    return out


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def csv_bytes(frame: pd.DataFrame, *, for_people: bool = False) -> bytes:
    """Serialise a frame as CSV bytes (``utf-8-sig`` and formula-safe when ``for_people``)."""
    if for_people:
        return neutralise_formulas(frame).to_csv(index=False).encode("utf-8-sig")
    return frame.to_csv(index=False).encode("utf-8")


def write_csv(frame: pd.DataFrame, path: str | Path, *, for_people: bool = False) -> Path:
    """Write ``frame`` atomically; ``for_people`` adds the BOM and neutralises formulas."""
    path = Path(path)
    _atomic_write_bytes(path, csv_bytes(frame, for_people=for_people))
    return path


def write_json(obj: object, path: str | Path) -> Path:
    """Write JSON atomically (UTF-8, Chinese kept readable)."""
    path = Path(path)
    text = json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n"
    _atomic_write_bytes(path, text.encode("utf-8"))
    return path


def write_text(text: str, path: str | Path) -> Path:
    """Write UTF-8 text atomically."""
    path = Path(path)
    _atomic_write_bytes(path, text.encode("utf-8"))
    return path
