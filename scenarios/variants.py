"""Scenario variants and ``--set`` overrides: the base scenario with some fields replaced.

A scenario file may declare ``[variants.NAME]`` tables whose keys are dotted field paths
(``forecast.volume_scale = 1.2``); ``--set key=value`` (repeatable) is applied after the variant.
The result is validated by the same ``Scenario`` schema, so an unknown key or a wrong type is a
one-line error naming the key where it was given: ``--set service.nope`` or
``variants.NAME.service.nope``. Every variant in a file is checked when the file is loaded.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

#: pydantic error-type prefix -> the expected type in words.
_EXPECTED = (
    ("bool", "true or false"),
    ("int", "an integer"),
    ("float", "a number"),
    ("decimal", "a number"),
    ("string", "a string"),
    ("datetime", "a date-time"),
    ("date", "a date"),
    ("time", "a time"),
    ("list", "an array"),
    ("tuple", "an array"),
    ("dict", "a table"),
    ("model", "a table"),
    ("path", "a path string"),
)


class OverrideError(ValueError):
    """A bad variant name or override; the message is one line without the file name."""


def parse_set(text: str) -> tuple[str, Any]:
    """``key=value`` -> (dotted key, TOML value); a value that is not TOML is taken as a string
    (the shell strips quotes, so ``--set campaign.name="x"`` arrives as ``campaign.name=x``)."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key or any(not part.strip() for part in key.split(".")):
        raise OverrideError(f"--set: expected KEY=VALUE with a dotted key (got '{text[:80]}')")
    try:
        value = tomllib.loads(f"v = {raw.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw.strip()
    return key, value


def flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A variant table (TOML dotted keys make nested tables) as ``{dotted.key: value}``."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            out.update(flatten(value, path + "."))
        else:
            out[path] = value
    return out


def _set(data: dict, key: str, value: Any) -> bool:
    """Set ``data[a][b][c] = value`` for ``a.b.c``; False when a parent is not a table."""
    *parents, leaf = key.split(".")
    node = data
    for part in parents:
        child = node.get(part)
        if child is None:
            child = node[part] = {}
        elif not isinstance(child, dict):
            return False
        else:
            child = node[part] = dict(child)
        node = child
    node[leaf] = value
    return True


def resolve(
    data: dict, variant: str | None = None, overrides: Iterable[tuple[str, Any]] = ()
) -> tuple[dict, dict[str, str]]:
    """The raw scenario with the variant's fields then ``overrides`` replaced (``variants``
    removed), and where each key came from (``key -> 'variants.NAME.key' | '--set key'``).

    Raises:
        OverrideError: unknown variant, ``variants`` that is not a table of tables, or a key
            under a field that is not a table.
    """
    variants = data.get("variants", {})
    if not isinstance(variants, dict) or any(not isinstance(v, dict) for v in variants.values()):
        raise OverrideError("variants: must be tables [variants.NAME]")
    base = {k: v for k, v in data.items() if k != "variants"}
    items: list[tuple[str, Any, str]] = []
    if variant is not None:
        if variant not in variants:
            names = ", ".join(variants) or "none"
            raise OverrideError(f"unknown variant '{variant}' (variants: {names})")
        table = flatten(variants[variant])
        items += [(k, v, f"variants.{variant}.{k}") for k, v in table.items()]
    items += [(k, v, f"--set {k}") for k, v in overrides]
    origin: dict[str, str] = {}
    for key, value, where in items:
        if not _set(base, key, value):
            raise OverrideError(f"{where}: unknown key")
        origin[key] = where
    return base, origin


def _expected(kind: str) -> str | None:
    return next((words for prefix, words in _EXPECTED if kind.startswith(prefix)), None)


def override_message(error: ValidationError, origin: Mapping[str, str]) -> str | None:
    """One line naming the override behind the first error, or None when no override caused it
    (the caller then reports the error as in the file)."""
    from scenarios.parse import bound_message

    errors = error.errors(include_url=False)
    first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    where = ".".join(str(part) for part in first["loc"])
    for key, source in origin.items():
        if first["type"] == "extra_forbidden" and (key == where or key.startswith(where + ".")):
            return f"{source}: unknown key"
        if key == where or where.startswith(key + "."):
            expected = _expected(first["type"])
            typed = first["type"].endswith(("_type", "_parsing")) or "_from_" in first["type"]
            if expected is not None and typed:
                return f"{source}: expected {expected}"
            return f"{source}: {bound_message(first)}"
    return None


def scale_forecast(frame, scale: float):
    """The forecast frame with its volume and interval bounds (``lower_L``/``upper_L``) times
    ``scale`` (``forecast.volume_scale``) and its predictive variances (``var``, ``var_level``,
    inquiries²) times ``scale**2``; the frame itself when ``scale`` is 1."""
    if scale == 1.0:
        return frame
    out = frame.copy()
    for column in out.columns:
        if column == "volume" or str(column).startswith(("lower_", "upper_")):
            out[column] = out[column] * scale
        elif column in ("var", "var_level"):
            out[column] = out[column] * scale**2
    return out


def run_choice(run_dir) -> dict:
    """The ``variant`` and ``overrides`` a run directory's summary.json records, as
    ``load_scenario`` keyword arguments (none for a run without them or an unreadable summary),
    so a review re-reads the scenario the run planned with from its scenario.toml copy."""
    import json
    from pathlib import Path

    try:
        recorded = json.loads((Path(run_dir) / "summary.json").read_text(encoding="utf-8"))
        scenario = recorded["scenario"]
        variant, overrides = scenario.get("variant"), scenario.get("overrides") or {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {"variant": None, "overrides": ()}
    if not isinstance(variant, str | None) or not isinstance(overrides, dict):
        return {"variant": None, "overrides": ()}
    return {"variant": variant, "overrides": tuple(overrides.items())}
