"""dashboard.serve: the launcher imports the dashboard's library modules (not its page scripts)
before handing the same options to ``streamlit run dashboard/app.py``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import dashboard.serve as serve

ROOT = Path(__file__).resolve().parents[2]


def test_preload_imports_the_libraries_and_no_page_script() -> None:
    code = (
        "import sys, dashboard.serve as s; names = s.preload(); "
        "print(sorted(names)); print('dashboard.app' in sys.modules, "
        "any(m.startswith('dashboard.views') for m in sys.modules), "
        "'pandas' in sys.modules, 'altair' in sys.modules, 'scenarios.load' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)  # fmt: skip
    assert "No runtime found" not in done.stderr  # no start-up noise for the manager
    out = done.stdout.splitlines()
    names = eval(out[0])  # noqa: S307 - our own printed list
    libraries = {f"dashboard.{p.stem}" for p in (ROOT / "dashboard").glob("*.py")} - {
        "dashboard.__init__", "dashboard.app", "dashboard.serve"}  # fmt: skip
    assert set(names) >= libraries - {"dashboard.texts"}
    assert out[1] == "False False True True True"


def test_main_hands_the_options_to_streamlit_run(monkeypatch) -> None:
    seen: list[list[str]] = []
    monkeypatch.setattr(serve, "preload", lambda: [])
    import streamlit.web.cli as cli

    monkeypatch.setattr(cli, "main", lambda: seen.append(list(sys.argv)))
    monkeypatch.setattr(sys, "argv", ["x"])
    serve.main(["--server.port", "8600", "--", "--run", "out/demo"])
    assert seen == [["streamlit", "run", str(ROOT / "dashboard" / "app.py"), "--server.port",
                     "8600", "--", "--run", "out/demo"]]  # fmt: skip
