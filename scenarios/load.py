"""Load a scenario TOML file into a validated ``Scenario`` with one-line error messages."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import ValidationError

from scenarios.schema import Scenario


class ScenarioError(ValueError):
    """A one-line, user-facing problem with a scenario file."""


def _loc(loc: tuple) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def format_validation_error(error: ValidationError, source: str) -> str:
    """Turn pydantic's error list into one line: ``file: section.key: message (got X)``."""
    errors = error.errors(include_url=False)
    first = errors[0]
    where = _loc(tuple(first["loc"]))
    if first["type"] == "extra_forbidden":
        message = f"unknown key '{where}'" if where else "unknown key"
    else:
        message = first["msg"].removeprefix("Value error, ")
        shown = first.get("input")
        if where:
            message = f"{where}: {message}"
        if shown is not None and not isinstance(shown, dict) and first["type"] != "missing":
            message += f" (got {shown!r})"
    extra = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return f"{source}: {message}" + (extra if len(errors) > 1 else "")


def parse_scenario(text: str, source: str, base: Path | None = None) -> Scenario:
    """Parse TOML text into a Scenario; relative paths are resolved against ``base``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{source}: invalid TOML: {exc}") from exc
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(exc, source)) from exc
    return scenario.resolve_paths(base) if base is not None else scenario


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file.

    Raises:
        ScenarioError: unreadable file, invalid TOML, unknown key, invalid value or
            contradictory rules; the message is one line naming the file and the key.
    """
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(f"{path}: file not found")
    raw = path.read_bytes()
    if not raw.strip():
        raise ScenarioError(f"{path.name}: file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path.name}: TOML must be UTF-8 ({exc.reason})") from exc
    return parse_scenario(text, path.name, base=path.resolve().parent)
