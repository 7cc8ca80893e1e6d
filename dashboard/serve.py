"""Start the dashboard with its modules already imported: ``python -m dashboard.serve
[streamlit options] -- --run DIR [--review DIR]`` is ``streamlit run dashboard/app.py ...``
except that pandas, Altair and every ``dashboard`` module (and the ``scenarios`` readers they use)
are imported before the server listens, so the first page a manager opens does not wait for
them (about 1 s on the demo machine; benchmarks/results/dashboard.md).

Streamlit runs each page script in this same process, so modules imported here are the ones the
pages get. The page scripts (``app.py``, ``views/``) are not imported: they draw widgets.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"
#: Modules of this package that are scripts, not libraries.
SCRIPTS = frozenset({"app", "serve", "views"})


def preload() -> list[str]:
    """Import every library module of ``dashboard`` (their imports follow); returns the names."""
    import dashboard

    names = [
        f"dashboard.{info.name}"
        for info in pkgutil.iter_modules(dashboard.__path__)
        if info.name not in SCRIPTS
    ]
    # st.cache_data functions defined before the server exists log "No runtime found" once
    # each; they get the server's cache when called, so the warning is noise here.
    import streamlit.runtime.caching.cache_data_api as cache_api

    quiet = logging.getLogger(cache_api.__name__)
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        for name in names:
            importlib.import_module(name)
    finally:
        quiet.setLevel(level)
    _warm_altair()
    return names


def _warm_altair() -> None:
    """Validate one tiny chart: Altair loads its Vega-Lite schema on the first ``to_dict``
    (about 0.1 s), which would otherwise fall on the first page's first chart."""
    import altair as alt
    import pandas as pd

    alt.Chart(pd.DataFrame({"x": [0.0], "y": [0.0]})).mark_line().encode(x="x:Q", y="y:Q").to_dict()


def main(argv: list[str] | None = None) -> None:
    """Preload, then hand over to ``streamlit run`` with the same options."""
    args = sys.argv[1:] if argv is None else argv
    preload()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *args]
    cli.main()


if __name__ == "__main__":
    main()
