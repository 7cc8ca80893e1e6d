"""The `tiny` scenario of tests/scenarios/conftest.py (2 days, 5-second single-worker solves) as
plain files, for dashboard tests that plan or compare real runs.

Named uniquely because tests/ has no __init__.py (pytest puts this folder on sys.path)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def tiny_files(directory: Path) -> dict[str, Path]:
    """The `tiny` scenario files written into ``directory``: keys ``scenario``, ``history``,
    ``agents``, ``events``, ``dir``."""
    spec = importlib.util.spec_from_file_location(
        "_scenario_fixtures", ROOT / "tests" / "scenarios" / "conftest.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    make = getattr(module.tiny, "__wrapped__", module.tiny)  # the fixture's plain function
    directory.mkdir(parents=True, exist_ok=True)
    return make(directory)
