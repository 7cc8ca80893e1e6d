"""First render of the dashboard's Overview on the demo run, in a real headless browser (issue
20 acceptance 3: ≤ 2 s after the server is up), and a check that no tile is cut to "…".

Starts ``python -m dashboard.serve -- --run DIR`` (``streamlit run dashboard/app.py`` with the
dashboard's modules imported before the server listens, as ``make dashboard`` does) headless on
a free port from the repository root (so .streamlit/config.toml applies), waits for
``/_stcore/health``, then times a headless chromium (Playwright, ``/usr/bin/chromium
--no-sandbox``) from ``goto`` to the first metric tile visible, and to the whole Overview (its
last section, the unmet-demand table),
``--repeat`` times, each in a fresh browser context (a new Streamlit session; the server's
caches stay warm after the first, as for a manager opening the page again). Two baselines are
timed the same way, interleaved: a bare Streamlit page with one tile (the floor on this machine)
and the app shell (app.py with every page replaced by that bare page). Then it opens the
Overview, Forecast and Staffing at 1280 and 1440 px in English and Chinese and counts metric
tiles whose label, value or delta is cut (text wider than its box, or ending in "…").

Without ``--run`` the demo run is made first into a temporary directory:
``peakplan run data/sample/double11-2026.toml --time-limit 20 --workers 1 --no-lp-bound``.

Usage: python benchmarks/dashboard_bench.py [--run DIR] [--repeat 5] [--write]
(``--write`` writes benchmarks/results/dashboard.md; otherwise the report goes to stdout).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "dashboard.md"
CHROMIUM = "/usr/bin/chromium"
SCENARIO = ROOT / "data" / "sample" / "double11-2026.toml"
TILE = '[data-testid="stMetric"]'
#: URL paths of the pages checked; the Overview is the default page, served at "/" (its
#: url_path "overview" is not a route of its own).
PAGES = {"overview": "", "forecast": "forecast", "staffing": "staffing"}

#: JavaScript returning the texts of metric tiles cut (label, value or delta): wider than its box or
#: ending in "…" (the issue's "110,667 / 92,…").
CUT_TILES = """() => [...document.querySelectorAll('[data-testid="stMetric"]')].flatMap(tile =>
  [...tile.querySelectorAll(
    '[data-testid="stMetricLabel"], [data-testid="stMetricValue"], [data-testid="stMetricDelta"]')]
    .flatMap(el => [el, ...el.querySelectorAll('*')])
    .filter(el => el.scrollWidth > el.clientWidth + 1
                  || (el.textContent || '').trim().endsWith('…'))
    .map(el => (el.textContent || '').trim()).filter(text => text))"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _demo_run(folder: Path) -> Path:
    out = folder / "demo"
    cmd = [str(Path(sys.executable).with_name("peakplan")), "run", str(SCENARIO), "--out",
           str(out), "--time-limit", "20", "--workers", "1", "--no-lp-bound"]  # fmt: skip
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return out


#: The floor: a page with a title and one tile, served and timed the same way, so the report
#: can tell Streamlit's and the browser's own start-up on this machine from the Overview's.
FLOOR_APP = 'import streamlit as st\n\nst.title("floor")\nst.metric("tile", "1")\n'


def _shell_app(folder: Path) -> Path:
    """A copy of dashboard/app.py (sidebar, language switch, run chooser, navigation) whose
    every page is the floor page: the app's own shell, without the Overview's content."""
    views = folder / "shell" / "views"
    views.mkdir(parents=True)
    for page in (ROOT / "dashboard" / "views").glob("*.py"):
        (views / page.name).write_text(FLOOR_APP, encoding="utf-8")
    app = folder / "shell" / "app.py"
    app.write_text((ROOT / "dashboard" / "app.py").read_text(encoding="utf-8"), encoding="utf-8")
    return app


def _start_server(app: str, port: int, *args: str) -> tuple[subprocess.Popen, float]:
    """The streamlit server of ``app`` and the seconds until /_stcore/health answered ok."""
    launcher = ["dashboard.serve"] if app == "dashboard/app.py" else ["streamlit", "run", app]
    cmd = [sys.executable, "-m", *launcher, "--server.port", str(port),
           "--server.headless", "true", "--", *args]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}/_stcore/health"
    while time.perf_counter() - start < 60:
        try:
            with urllib.request.urlopen(url, timeout=1) as reply:
                if reply.read().strip() == b"ok":
                    return server, time.perf_counter() - start
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise SystemExit("dashboard_bench: the streamlit server did not come up within 60 s")


def _first_tile(browser, url: str, last_text: str | None = None) -> tuple[float, float]:
    """(s from goto to the first tile visible, s to ``last_text`` visible) in a fresh context
    (a new browser profile and a new Streamlit session)."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(TILE, state="visible", timeout=30_000)
    first = time.perf_counter() - start
    if last_text:
        page.get_by_text(last_text, exact=True).wait_for(state="visible", timeout=30_000)
    whole = time.perf_counter() - start
    context.close()
    return first, whole


def _time_overview(browser, base: str, floor: str, shell: str, repeat: int):
    """Overview (first tile, whole page), floor and shell (first tile) times, tries interleaved
    so that the machine's load drifts alike over all three. Each round opens the floor first:
    the very first page a new chromium opens pays for the browser's own start-up (about 0.3 s
    here), which is not the dashboard's; a manager's browser is already running."""
    times, floors, shells = [], [], []
    for _ in range(repeat):
        floors.append(_first_tile(browser, floor)[0])
        times.append(_first_tile(browser, f"{base}/", "Unmet demand"))
        shells.append(_first_tile(browser, shell)[0])
    return times, floors, shells


def _cut_tiles(browser, base: str) -> list[tuple[str, int, str, int, list[str]]]:
    """(language, width, page, tiles, cut texts) for every page, language and width."""
    rows = []
    for locale, lang in (("en-US", "en"), ("zh-CN", "zh")):
        for width in (1280, 1440):
            context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
            page = context.new_page()
            for name, path in PAGES.items():
                page.goto(f"{base}/{path}")
                page.wait_for_selector(TILE, state="visible", timeout=30_000)
                page.wait_for_timeout(1500)  # let every tile of the page render
                tiles = page.locator(TILE).count()
                rows.append((lang, width, name, tiles, page.evaluate(CUT_TILES)))
            context.close()
    return rows


#: Earlier figures of this benchmark on the same machine, kept for what changed them.
HISTORY = (
    "Earlier, same machine and method: 2026-12-05 08:38, plain `streamlit run`, run chooser a "
    "select box and a text box: median 1.94 s, max 2.70 s. 11:02, modules imported by "
    "`dashboard.serve` before the server listens: median 1.94 s, max 2.30 s. Then the sidebar's "
    "select box and text box were found to cost about 0.5 s each first load (a new browser "
    "loads Streamlit's input widgets before it draws the page; radio buttons, checkboxes and a "
    "popover's unopened content cost nothing measurable), so the run chooser became radio "
    "buttons (a select box above 8 runs) and the other-directory box moved into a popover: "
    "median 1.74 and 1.87 s, max 1.93 and 2.24 s in two runs, when each round still opened "
    "the Overview first (its try 1 then also paid for chromium's own start-up). With the floor "
    "first in each round: median 1.84 s, max 1.96 s (7 tries), and the figures above. Tries "
    "vary by about 0.5 s from one to the next in every server, the floor's included.",
)


def _report(health_s: float, times: list[tuple[float, float]], floors: list[float],
            shells: list[float], cut, load: list[float]) -> str:  # fmt: skip
    first = [f for f, _ in times]
    whole = [w for _, w in times]
    lines = [
        "# Dashboard: first render of the Overview (demo run)",
        "",
        f"Measured {datetime.now():%Y-%m-%d %H:%M} with `python benchmarks/dashboard_bench.py` "
        f"on the demo run (`peakplan run data/sample/double11-2026.toml --time-limit 20 "
        f"--workers 1 --no-lp-bound`, 14 days x 48 intervals). Server: `python -m "
        f"dashboard.serve -- --run DIR` (streamlit run dashboard/app.py with the dashboard's "
        f"modules imported before the server listens; the baselines use plain `streamlit "
        f"run`), headless, from the repository root; browser: headless "
        f"chromium via Playwright, 1280 x 900, a fresh context (new session) per try. The "
        f"machine has 2 cores shared with other work, so figures vary by a few tenths.",
        "",
        f"Server start to `/_stcore/health` = ok: {health_s:.2f} s. Load average (1 min) "
        f"before and after the timed tries: {load[0]:.1f} / {load[1]:.1f} on 2 cores.",
        "",
        "| try | goto → first tile visible (s) | goto → whole Overview (s) | floor (s) | "
        "app shell (s) |",
        "|---|---|---|---|---|",
        *(f"| {i + 1} | {f:.2f} | {w:.2f} | {fl:.2f} | {sh:.2f} |"
          for i, ((f, w), fl, sh) in enumerate(zip(times, floors, shells, strict=True))),
        "",
        f"First tile: median {statistics.median(first):.2f} s, max {max(first):.2f} s "
        f"(try 1 is the Overview server's first session; the browser opened the floor page "
        f"just before, so the browser's own start-up falls in the floor's try 1). "
        f"Whole Overview (down to the unmet-demand table): median "
        f"{statistics.median(whole):.2f} s, max {max(whole):.2f} s. Target (acceptance 3): "
        f"first render ≤ 2 s after the server is up — median "
        f"{'met' if statistics.median(first) <= 2.0 else 'NOT met'}, max "
        f"{'met' if max(first) <= 2.0 else 'NOT met'}.",
        "",
        f"Baselines, served and timed the same way, tries interleaved with the Overview's: the "
        f"floor (a bare Streamlit page with a title and one tile) median "
        f"{statistics.median(floors):.2f} s; the app shell (dashboard/app.py's sidebar, "
        f"language switch, run chooser and navigation, every page replaced by the floor page) "
        f"median {statistics.median(shells):.2f} s. So of the Overview's median first render, "
        f"Streamlit and the browser take {statistics.median(floors):.2f} s, the app shell "
        f"{statistics.median(shells) - statistics.median(floors):.2f} s and the Overview's own "
        f"content {statistics.median(first) - statistics.median(shells):.2f} s.",
        "",
        *HISTORY,
        "",
        "## Tiles cut to \"…\" (label, value or delta wider than its box)",
        "",
        "| language | width (px) | page | tiles | cut |",
        "|---|---|---|---|---|",
        *(f"| {lang} | {width} | {page} | {tiles} | {', '.join(texts) or 'none'} |"
          for lang, width, page, tiles, texts in cut),  # fmt: skip
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, default=None, help="a finished run directory")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(ROOT)}")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        run = args.run.resolve() if args.run else _demo_run(Path(tmp))
        port = _free_port()
        server, health_s = _start_server("dashboard/app.py", port, "--run", str(run))
        floor_app = Path(tmp) / "floor.py"
        floor_app.write_text(FLOOR_APP, encoding="utf-8")
        floor_port = _free_port()
        floor_server, _ = _start_server(str(floor_app), floor_port)
        shell_port = _free_port()
        shell_server, _ = _start_server(str(_shell_app(Path(tmp))), shell_port, "--run", str(run))
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                base = f"http://127.0.0.1:{port}"
                load = [os.getloadavg()[0]]
                floor = f"http://127.0.0.1:{floor_port}/"
                shell = f"http://127.0.0.1:{shell_port}/"
                times, floors, shells = _time_overview(browser, base, floor, shell, args.repeat)
                load.append(os.getloadavg()[0])
                cut = _cut_tiles(browser, base)
                browser.close()
        finally:
            for process in (server, floor_server, shell_server):
                process.terminate()
                process.wait(timeout=10)
    text = _report(health_s, times, floors, shells, cut, load)
    print(text)
    if args.write:
        OUT.write_text(text, encoding="utf-8")
    return 0 if all(not texts for *_, texts in cut) else 1


if __name__ == "__main__":
    sys.exit(main())
