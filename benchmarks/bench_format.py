"""Formatting shared by the benchmark reports: money and counts with thousands separators, a
percentage above a reference, the cores a run may use and the library versions a result
was measured with."""

from __future__ import annotations

import importlib.metadata as md
import platform

from scheduler.cores import usable_cores


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


def cores() -> str:
    """The cores this process may use, for a report's header ("2 cores (affinity)"): the
    machine's count (``os.cpu_count``) overstates a pinned or containerised run."""
    n = usable_cores()
    return f"{n} {'core' if n == 1 else 'cores'} (affinity)"


#: The reference implementation the Makefile installs in .venv-ref (benchmarks only).
REFERENCE = "pyworkforce 0.5.1 in .venv-ref (Python 3.11)"


def versions(reference: bool = False) -> str:
    """Python and the solver libraries' versions, for a report's header; ``reference``: the
    report also ran the pyworkforce reference, so it is named too."""
    v = package_version
    libs = (f"Python {platform.python_version()}, ortools {v('ortools')}, "
            f"highspy {v('highspy')}, pandas {v('pandas')}")
    return f"{libs}; {REFERENCE}" if reference else libs
