"""Load a scenario TOML file into a validated ``Scenario`` with one-line error messages.

Trust boundary: a scenario file may come from someone else, so its data paths (``forecast.history``,
``forecast.events``, ``workforce.agents``; relative or absolute, symlinks resolved) must lie in the
scenario file's folder or below, unless the caller allows paths outside it: the
``allow_outside_paths`` argument, or the :func:`outside_paths_allowed` context that the CLI's
``--allow-outside-paths`` sets for everything a command loads. Error messages echo numbers,
booleans and dates the user typed, never strings.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time
from pathlib import Path

from pydantic import ValidationError

from scenarios import variants
from scenarios.schema import Scenario

#: ``--set`` overrides: (dotted key, TOML value) pairs, applied after the variant.
Overrides = Iterable[tuple[str, object]]


class ScenarioError(ValueError):
    """A one-line, user-facing problem with a scenario file."""


OUTSIDE_HINT = "(pass --allow-outside-paths if you trust this scenario)"
_ALLOW_OUTSIDE: ContextVar[bool] = ContextVar("peakplan_allow_outside_paths", default=False)


@contextmanager
def outside_paths_allowed(allowed: bool = True) -> Iterator[None]:
    """Within the block, ``load_scenario`` accepts data paths outside the scenario's folder."""
    token = _ALLOW_OUTSIDE.set(allowed)
    try:
        yield
    finally:
        _ALLOW_OUTSIDE.reset(token)


def _shown(value: object) -> str | None:
    """How a rejected TOML value may be echoed: numbers, booleans and dates only."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return None


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
    # A misspelt key shows up twice: as an unknown key and as the missing one; name the typo.
    first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    where = _loc(tuple(first["loc"]))
    if first["type"] == "extra_forbidden":
        message = f"unknown key '{where}'" if where else "unknown key"
    else:
        message = first["msg"].removeprefix("Value error, ")
        shown = _shown(first.get("input"))
        if where:
            message = f"{where}: {message}"
        if shown is not None and first["type"] != "missing" and "(got " not in message:
            message += f" (got {shown})"
    extra = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return f"{source}: {message}" + (extra if len(errors) > 1 else "")


def _validate(data: dict, source: str, variant: str | None, overrides: Overrides) -> Scenario:
    try:
        resolved, origin = variants.resolve(data, variant, overrides)
    except variants.OverrideError as exc:
        raise ScenarioError(f"{source}: {exc}") from None
    try:
        return Scenario.model_validate(resolved)
    except ValidationError as exc:
        message = variants.override_message(exc, origin)
        if message is not None:
            raise ScenarioError(f"{source}: {message}") from None
        raise ScenarioError(format_validation_error(exc, source)) from exc


def parse_scenario(
    text: str,
    source: str,
    base: Path | None = None,
    *,
    allow_outside_paths: bool | None = None,
    variant: str | None = None,
    overrides: Overrides = (),
) -> Scenario:
    """Parse TOML text into a Scenario; relative paths are resolved against ``base``.

    With a ``base``, data paths must lie inside it unless ``allow_outside_paths`` (``None`` = the
    :func:`outside_paths_allowed` context, false by default). ``variant`` (a ``[variants.NAME]``
    table) and then ``overrides`` (``(dotted.key, value)`` pairs, ``--set``) replace fields;
    every variant in the file is validated, so a typo in one is an error whichever is run.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{source}: invalid TOML: {exc}") from exc
    scenario = _validate(data, source, None, ())
    table = data.get("variants")
    for name in table if isinstance(table, dict) else ():
        _validate(data, source, name, ())
    if variant is not None or overrides:
        scenario = _validate(data, source, variant, tuple(overrides))
    if base is None:
        return scenario
    if allow_outside_paths is None:
        allow_outside_paths = _ALLOW_OUTSIDE.get()
    try:
        return scenario.resolve_paths(base, confine=not allow_outside_paths)
    except ValueError as exc:
        raise ScenarioError(f"{source}: {exc} {OUTSIDE_HINT}") from None


def load_scenario(
    path: str | Path,
    allow_outside_paths: bool | None = None,
    *,
    variant: str | None = None,
    overrides: Overrides = (),
) -> Scenario:
    """Read and validate a scenario file.

    Args:
        path: the TOML file.
        allow_outside_paths: accept data paths outside the file's folder; ``None`` = the
            :func:`outside_paths_allowed` context (``--allow-outside-paths``), false by default.
        variant: a ``[variants.NAME]`` of the file to apply (scenarios.variants).
        overrides: ``(dotted.key, value)`` pairs applied after the variant (``--set``).

    Raises:
        ScenarioError: unreadable file, invalid TOML, unknown key, invalid value, contradictory
            rules or a data path outside the folder; one line naming the file and the key.
    """
    path = Path(path)
    if path.is_dir():
        raise ScenarioError(f"{path}: is a directory, not a scenario file")
    if not path.is_file():
        raise ScenarioError(f"{path}: file not found")
    raw = path.read_bytes()
    if not raw.strip():
        raise ScenarioError(f"{path.name}: file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path.name}: TOML must be UTF-8 ({exc.reason})") from exc
    return parse_scenario(
        text,
        path.name,
        base=path.resolve().parent,
        allow_outside_paths=allow_outside_paths,
        variant=variant,
        overrides=overrides,
    )
