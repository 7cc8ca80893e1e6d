"""How many CPU cores this process may use: the one helper that sizes every process pool.

``os.cpu_count()`` counts the machine's cores, not the ones a container, ``taskset`` or a batch
scheduler lets this process run on; a pool sized by it oversubscribes the allowed cores. The
affinity mask (``os.sched_getaffinity``, Linux) is the right count; where it is missing (macOS,
Windows) the machine's count is the best there is. ``scenarios`` sizes its sweeps with it too
(``scheduler`` never imports ``scenarios``).
"""

from __future__ import annotations

import os

__all__ = ["usable_cores"]


def usable_cores() -> int:
    """CPU cores this process may run on (its affinity mask, else ``os.cpu_count()``), >= 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # no affinity on this platform
        return max(1, os.cpu_count() or 1)
