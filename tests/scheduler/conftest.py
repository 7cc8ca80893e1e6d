"""Tests of ``scheduler/``, mirroring its packages (``roster/<stage>/``, ``staffing/``). The
shared test helpers (``roster_factory``, ``roster_checks``, ``local_search_support``,
``problem_strategies``) live here and are importable from every subfolder."""

from __future__ import annotations

import sys
from pathlib import Path

HELPERS = str(Path(__file__).resolve().parent)
if HELPERS not in sys.path:
    sys.path.insert(0, HELPERS)
