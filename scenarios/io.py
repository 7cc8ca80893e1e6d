"""File input and output shared by the CLI and the pipeline.

Reading: CSV exports from Excel and Chinese HR systems arrive as UTF-8 (with or without BOM),
GBK or Big5; :mod:`scenarios.encodings` decodes them, telling GBK from Big5 or asking the user for
``--encoding`` (see there for the detector). Every column is read as text so IDs keep their
leading zeros; the engines parse and validate what they need. Error messages never echo the
file's contents beyond column names, and only when row 1 looks like a CSV header.

Writing: every output goes to a temporary file in the target directory and is renamed into place,
so a failed run never leaves a half-written file; files get ``0o666`` less the umask. Every CSV has
its text cells that start with ``= + - @`` neutralised (a ``'`` in front, plain numbers such as
``-3.5`` excepted); the HR roster (``for_people``) is written ``utf-8-sig`` (Excel needs the BOM to
show Chinese). Which paths a command may write is decided in :mod:`scenarios.output`.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from scenarios.encodings import EncodingError, decode_bytes
from scenarios.encodings import input_encoding as input_encoding


class InputFileError(ValueError):
    """A one-line, user-facing problem with an input file (file, row, field)."""


def one_line(exc: BaseException) -> str:
    """The first line of an error's message, as the user sees it (the CLI's stderr line, the
    dashboard's error box); a pydantic error as ``loc: msg`` of its first problem."""
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg'].removeprefix('Value error, ')}"
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


_FORMULA_PREFIXES = ("=", "+", "-", "@")


def read_csv(
    path: str | Path, required: Iterable[str] = (), *, encoding: str | None = None
) -> pd.DataFrame:
    """Read a CSV as text columns, checking the file exists, decodes and has ``required`` columns.

    Args:
        path: the CSV file.
        required: column names that must be present.
        encoding: ``big5``, ``gbk`` or ``utf-8``; ``None`` = the :func:`input_encoding` context
            (the CLI's ``--encoding``), else detected (UTF-8, or GBK vs Big5 with a clear margin).

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
    try:
        text = decode_bytes(raw, encoding).lstrip("\ufeff")
    except EncodingError as exc:
        raise InputFileError(f"{name}: {exc}") from None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError as exc:
        raise InputFileError(f"{name}: file is empty") from exc
    except pd.errors.ParserError as exc:
        raise InputFileError(f"{name}: not a valid CSV ({str(exc).splitlines()[0]})") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    required = tuple(required)
    missing = [c for c in required if c not in frame.columns]
    if missing:
        problem = _header_problem(list(frame.columns), required)
        raise InputFileError(f"{name}: row 1, missing column '{missing[0]}' {problem}")
    if frame.empty:
        raise InputFileError(f"{name}: no data rows")
    return frame.reset_index(drop=True)


_SHOWN_COLUMNS = 10  # at most this many column names are echoed in an error
_NAME_CHARS = 40  # a longer "column name" means row 1 is not a CSV header
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_ .-]*")


def _header_problem(columns: list[str], required: tuple[str, ...]) -> str:
    """Say what is wrong with row 1 without echoing more of the file than plain column names.

    Row 1 looks like a CSV header when its names are printable, at most 40 characters, have no
    ``=`` and, when there is only one, it is a plain identifier (not ``db_password=...`` or
    ``root:x:0:0:...``). Non-ASCII characters in it may mean a wrong encoding.
    """
    expected = ", ".join(required)
    plain = all(0 < len(c) <= _NAME_CHARS and c.isprintable() and "=" not in c for c in columns)
    if any(not c.isascii() for c in columns):
        if plain and "\ufffd" not in "".join(columns):  # e.g. a Chinese export's own names
            return (
                f"(expected: {expected}; found: {_shown(columns)}): rename the columns to the "
                "expected names; if they look garbled, this is an encoding problem: pass "
                "--encoding big5|gbk|utf-8"
            )
        return (
            f"(expected: {expected}): the header has non-ASCII characters; if they look garbled, "
            "this is an encoding problem: pass --encoding big5|gbk|utf-8"
        )
    if not plain or (len(columns) == 1 and not _IDENTIFIER.fullmatch(columns[0])):
        return f"(expected: {expected}): row 1 does not look like a CSV header"
    return f"(found: {_shown(columns)})"


def _shown(columns: list[str]) -> str:
    """The first :data:`_SHOWN_COLUMNS` column names, comma-separated, and how many more."""
    shown = ", ".join(columns[:_SHOWN_COLUMNS])
    if len(columns) > _SHOWN_COLUMNS:
        shown += f" and {len(columns) - _SHOWN_COLUMNS} more"
    return shown


#: A cell that is a plain decimal number as peakplan writes one ("-3.5", "12", "-1e-05"): Excel
#: reads it as a number, never as a formula, so it is left unchanged.
_PLAIN_NUMBER = r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells starting with ``= + - @`` with ``'`` so Excel shows them as text.

    Cells that are plain numbers written the usual way (``-3.5``) are left as they are; numeric
    columns are never touched.
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            values = out[column].astype("string")
            risky = values.str.startswith(_FORMULA_PREFIXES, na=False) & ~values.str.fullmatch(
                _PLAIN_NUMBER, na=False
            )
            if risky.any():
                out[column] = values.where(~risky, "'" + values)
    return out


@functools.cache
def process_umask() -> int:
    """The process's umask (read once: setting it to read it is not thread-safe)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """Permission bits of a new output file: ``0o666`` less the umask."""
    return 0o666 & ~process_umask()


def dir_mode() -> int:
    """Permission bits of a new output directory: ``0o777`` less the umask."""
    return 0o777 & ~process_umask()


TEMP_TAG = ".peakplan-"


def write_temp(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new hidden temp file beside ``path`` (``.NAME.peakplan-XXXX.tmp``,
    mode per umask) and return its path; the caller renames it into place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}{TEMP_TAG}", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, file_mode())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BaseException:
        os.unlink(tmp)
        raise
    return Path(tmp)


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``path`` via a temp file and a rename: readers see the old or the whole new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = write_temp(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def csv_bytes(frame: pd.DataFrame, *, for_people: bool = False) -> bytes:
    """Serialise a frame as formula-neutral CSV bytes (``utf-8-sig`` when ``for_people``, the HR
    roster for Excel; plain UTF-8 otherwise)."""
    text = neutralise_formulas(frame).to_csv(index=False)
    return text.encode("utf-8-sig" if for_people else "utf-8")


def write_csv(frame: pd.DataFrame, path: str | Path, *, for_people: bool = False) -> Path:
    """Write ``frame`` atomically and formula-neutral; ``for_people`` adds the BOM."""
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
