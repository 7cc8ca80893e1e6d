"""The Plan page's inputs: scenario files found on disk, uploads saved into a new folder and
checked by the pipeline's own readers, the variant, and the lever widgets turned into ``--set``
overrides (``(dotted.key, value)`` pairs for ``scenarios.load.load_scenario``).

Nothing here plans: a scenario is read with ``load_scenario`` and its CSVs with
``scenarios.pipeline.load_history`` / ``load_events`` and ``scenarios.agents.load_agents``, the
readers ``peakplan run`` uses, so an upload with a missing column gets the same one-line error
(file, row, field) before any run.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import streamlit as st

from dashboard.i18n import t
from scenarios.io import one_line
from scenarios.load import load_scenario
from scenarios.output import RUN_MARKER
from scenarios.schema import Scenario

#: The bundled sample scenario (always offered first).
BUNDLED = Path(__file__).resolve().parents[1] / "data" / "sample" / "double11-2026.toml"
#: Folders below the working directory searched for scenario files, and how deep.
SEARCH_DIRS, SEARCH_DEPTH = ("data", "out"), 4
#: Uploaded files are saved into a new folder below this one (under the working directory).
UPLOAD_DIR = Path("out") / "uploads"
#: Data files of a scenario: (section, key) of its TOML.
DATA_KEYS = (("forecast", "history"), ("forecast", "events"), ("workforce", "agents"))
_SAFE_NAME = re.compile(r"^[\w.\- ]{1,120}\.(toml|csv)$", re.IGNORECASE)


class UploadError(ValueError):
    """A one-line problem with uploaded files (nothing was saved)."""


# ------------------------------------------------------------------------------ scenarios


def _walk_tomls(root: Path, depth: int) -> Iterable[Path]:
    """``*.toml`` below ``root`` up to ``depth`` levels, skipping hidden folders and the inside
    of peakplan run directories (their scenario copies are not plans to edit)."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    if any(e.name == RUN_MARKER for e in entries):
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_file() and entry.name.endswith(".toml"):
            yield Path(entry.path)
        elif entry.is_dir(follow_symlinks=False) and depth > 0:
            yield from _walk_tomls(Path(entry.path), depth - 1)


def find_scenarios(cwd: Path) -> list[Path]:
    """The bundled scenario, then every ``*.toml`` under ``cwd/data`` and ``cwd/out`` (not
    inside run directories), each once."""
    found = [BUNDLED] if BUNDLED.is_file() else []
    for folder in SEARCH_DIRS:
        found.extend(_walk_tomls(cwd / folder, SEARCH_DEPTH))
    seen: set[Path] = set()
    unique = []
    for path in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def shown_path(path: Path, cwd: Path) -> str:
    """``path`` relative to ``cwd`` when below it, else as given."""
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)


def variant_names(path: Path) -> list[str]:
    """The ``[variants.NAME]`` of a scenario file, in file order (none when unreadable)."""
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8-sig")).get("variants", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []
    return list(table) if isinstance(table, dict) else []


def check_inputs(scenario: Scenario) -> None:
    """Read the scenario's history, events and agents CSVs with the pipeline's readers.

    Raises:
        scenarios.io.InputFileError, ForecastInputError, ...: one line naming file, row, field.
    """
    from scenarios.agents import load_agents
    from scenarios.pipeline import load_events, load_history

    zone = scenario.campaign.timezone
    load_history(scenario.forecast.history, zone)
    load_events(scenario.forecast.events, zone)
    load_agents(scenario.workforce.agents)


# ------------------------------------------------------------------------------ uploads


def _new_folder(root: Path, now: datetime | None) -> Path:
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    base = root / UPLOAD_DIR / stamp
    base.parent.mkdir(parents=True, exist_ok=True)
    for n in range(1, 1000):
        folder = base if n == 1 else base.with_name(f"{stamp}-{n}")
        try:
            folder.mkdir()  # never an existing folder: nothing of the user's is replaced
            return folder
        except FileExistsError:
            continue
    raise UploadError(f"{base}: cannot create a new upload folder")


def save_upload(
    files: Sequence[tuple[str, bytes]],
    root: Path,
    base_scenario: Path | None,
    now: datetime | None = None,
) -> Path:
    """Save uploaded ``(file name, bytes)`` into a new folder ``root/out/uploads/<time>/`` and
    return the scenario TOML there. One TOML: saved as it is, with the CSVs. CSVs alone: the
    ``base_scenario``'s data files with the uploaded ones replacing those of the same name,
    and a copy of its TOML naming them (variants kept).

    Raises:
        UploadError: no files, a bad name, two TOMLs, a CSV the scenario does not use.
    """
    import tomli_w

    if not files:
        raise UploadError("no files uploaded")
    names = [Path(name).name for name, _ in files]
    bad = next((n for n in names if not _SAFE_NAME.match(n)), None)
    if bad is not None:
        raise UploadError(f"{bad[:80]!r}: expected a .toml or .csv file name")
    if len(set(names)) != len(names):
        raise UploadError("the same file name was uploaded twice")
    tomls = [n for n in names if n.lower().endswith(".toml")]
    if len(tomls) > 1:
        raise UploadError("upload one scenario TOML at a time")
    data_files: dict[str, Path] = {}
    text: str | None = None
    if not tomls:
        if base_scenario is None:
            raise UploadError("upload a scenario TOML, or choose a scenario for the CSVs")
        try:
            base = load_scenario(base_scenario, allow_outside_paths=True)
            data = tomllib.loads(base_scenario.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise UploadError(one_line(exc)) from None
        for section, key in DATA_KEYS:
            path = getattr(getattr(base, section), key)
            if path is not None:
                data_files[Path(path).name] = Path(path)
                data.setdefault(section, {})[key] = Path(path).name
        unused = [n for n in names if n not in data_files]
        if unused:
            expected = ", ".join(data_files)
            raise UploadError(f"{unused[0]}: not a file of the scenario (expected {expected})")
        text = tomli_w.dumps(data)
    folder = _new_folder(root, now)
    for name, content in zip(names, (c for _, c in files), strict=True):
        with open(folder / name, "xb") as handle:
            handle.write(content)
    if text is None:
        return folder / tomls[0]
    for name, source in data_files.items():
        if name not in names:
            with open(folder / name, "xb") as handle:
                handle.write(source.read_bytes())
    target = folder / Path(base_scenario).name
    with open(target, "x", encoding="utf-8") as handle:
        handle.write(text)
    return target


# ------------------------------------------------------------------------------ levers


@dataclass(frozen=True)
class Lever:
    """One lever widget: the scenario field it sets and its widget range (within the schema's
    bounds, which ``load_scenario`` checks again)."""

    key: str  # dotted field path, as in ``--set KEY=VALUE``
    name: str  # texts ``plan.lever.<name>``
    kind: type  # float, int or bool
    low: float = 0.0
    high: float = 1.0
    step: float = 0.01


LEVERS = (
    Lever("forecast.volume_scale", "volume_scale", float, 0.05, 100.0, 0.05),
    Lever("service.bot_deflection", "bot_deflection", float, 0.0, 0.99, 0.01),
    Lever("service.service_level", "service_level", float, 0.01, 0.99, 0.01),
    Lever("workforce.temporary.max_headcount", "max_headcount", int, 0, 100_000, 1),
    Lever("workforce.temporary.hourly_cost_cny", "temp_hourly", float, 0.0, 1e6, 1.0),
    Lever("workforce.temporary.onboarding_cost_cny", "onboarding", float, 0.0, 1e6, 10.0),
    Lever("costs.overtime_premium", "overtime", float, 1.0, 10.0, 0.05),
    Lever("solver.time_limit_s", "time_limit", float, 1.0, 86_400.0, 5.0),
    Lever("solver.num_workers", "workers", int, 1, 64, 1),
    Lever("solver.lp_bound", "lp_bound", bool),
)


def field_value(scenario: Scenario, key: str) -> object:
    """The value of a dotted field of the scenario (``service.bot_deflection``)."""
    value: object = scenario
    for part in key.split("."):
        value = getattr(value, part)
    return value


def lever_widgets(scenario: Scenario, scope: str) -> list[tuple[str, object]]:
    """One widget per lever, pre-filled from ``scenario`` (variant applied); ``scope`` makes
    the widget keys new when the scenario or variant changes. Returns the changed levers as
    ``(dotted.key, value)`` overrides, typed as the schema expects (int, float, bool)."""
    overrides: list[tuple[str, object]] = []
    columns = st.columns(3)
    for i, lever in enumerate(LEVERS):
        current = field_value(scenario, lever.key)
        if current is None:
            continue  # e.g. no service-level target set: the lever does not apply
        label, key = t(f"plan.lever.{lever.name}"), f"plan_lever_{lever.name}_{scope}"
        help_text = t(f"plan.lever.{lever.name}_help") + f" (`{lever.key}`)"
        with columns[i % 3]:
            if lever.kind is bool:
                value: object = st.checkbox(label, value=bool(current), key=key, help=help_text)
            elif lever.kind is int:
                shown = int(min(max(int(current), lever.low), lever.high))
                value = int(st.number_input(label, int(lever.low), int(lever.high), shown,
                                            int(lever.step), key=key, help=help_text))
            else:
                shown_f = float(min(max(float(current), lever.low), lever.high))
                value = float(st.number_input(label, float(lever.low), float(lever.high),
                                              shown_f, float(lever.step), key=key,
                                              help=help_text, format="%g"))
        if value != current:
            overrides.append((lever.key, value))
    return overrides


def describe(overrides: Sequence[tuple[str, object]], scenario: Scenario) -> str:
    """``label old → new`` for each override, in the page's language."""
    names = {lever.key: lever.name for lever in LEVERS}
    parts = []
    for key, value in overrides:
        label = t(f"plan.lever.{names[key]}") if key in names else key
        if isinstance(value, bool):
            parts.append(f"{label} {'✓' if value else '✗'}")
        elif isinstance(value, int | float):
            parts.append(f"{label} {field_value(scenario, key):g} → {value:g}")
        else:
            parts.append(f"{label} → {value}")
    return "; ".join(parts)
