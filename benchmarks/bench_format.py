"""Formatting shared by the benchmark reports: money and counts with thousands separators, a
percentage above a reference, and the library versions a result was measured with."""

from __future__ import annotations

import importlib.metadata as md
import platform


def cny(x: float | None, nd: int = 0) -> str:
    """``x`` with thousands separators and ``nd`` decimals ("–" when missing)."""
    return "–" if x is None else f"{x:,.{nd}f}"


def pct_over(a: float | None, b: float | None) -> str:
    """How far ``a`` is above ``b``, in percent of ``b`` ("–" when either is missing or b is 0)."""
    if a is None or b is None or b == 0:
        return "–"
    return f"{100 * (a - b) / abs(b):+.2f} %"


def package_version(name: str) -> str:
    """The installed version of package ``name`` ("?" when it is not installed)."""
    try:
        return md.version(name)
    except md.PackageNotFoundError:
        return "?"


def versions() -> str:
    """Python and the solver libraries' versions, for a report's header."""
    v = package_version
    return (
        f"Python {platform.python_version()}, ortools {v('ortools')}, highspy {v('highspy')}, "
        f"pandas {v('pandas')}; pyworkforce 0.5.1 in .venv-ref (Python 3.11)"
    )
