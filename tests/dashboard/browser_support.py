"""Shared pieces of the real-browser tests (``-m e2e``): the chromium check, the Streamlit
server, the real demo run, and what a page is checked for (tiles cut off, Chinese glyphs, English
identifiers leaking into the Chinese UI).

Under CI=true a missing chromium is a failure, not a skip (issue 20 acceptance 5); ``make e2e``
installs chromium and fonts-wqy-microhei with apt-get when it runs as root.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
MAIN = "[data-testid='stMain']"
VIEWPORT = {"width": 1280, "height": 900}
LOCALES = {"zh": "zh-CN", "en": "en-US"}

needs_browser = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="chromium not installed (under CI=true a missing browser fails)",
)


def require_chromium() -> None:
    """Fail (never skip) when chromium is missing: the skip above already let local runs pass."""
    assert CHROMIUM is not None, "chromium is not installed: run make e2e as root to install it"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(run_dir: Path, review_dir: Path | None = None, cwd: Path = REPO) -> Iterator[str]:
    """URL of ``streamlit run dashboard/app.py -- --run RUN [--review REVIEW]`` (stopped
    after), started in ``cwd`` (the repository: its ``.streamlit/config.toml`` applies; another
    folder gets a copy of that file)."""
    if cwd != REPO:
        (cwd / ".streamlit").mkdir(exist_ok=True)
        shutil.copy(REPO / ".streamlit" / "config.toml", cwd / ".streamlit" / "config.toml")
    port = _free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard" / "app.py"),
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none", "--", "--run", str(run_dir),
        *(["--review", str(review_dir)] if review_dir is not None else []),
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in ("PEAKPLAN_RUN", "PEAKPLAN_REVIEW")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("streamlit server did not become healthy in 60 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def launch(p):
    """Headless chromium of the machine (Playwright cannot download browsers here)."""
    return p.chromium.launch(
        executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
    )


def demo_run(out: Path) -> tuple[Path, Path]:
    """A real ``peakplan run`` of the bundled Double 11 scenario (tiny solver limits) and its
    real ``peakplan review`` against data/sample/actuals: (run dir, review dir)."""
    run_dir, review_dir = out / "run", out / "review"
    cli = [sys.executable, "-m", "scenarios.cli"]
    subprocess.run(
        [*cli, "run", "data/sample/double11-2026.toml", "--out", str(run_dir), "--quiet",
         "--time-limit", "3", "--workers", "1", "--seed", "0", "--no-lp-bound"],
        cwd=REPO, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    subprocess.run(
        [*cli, "review", "--run", str(run_dir), "--actuals", "data/sample/actuals",
         "--out", str(review_dir), "--time-limit", "2", "--seed", "0"],
        cwd=REPO, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return run_dir, review_dir


_DEMO: list[tuple[Path, Path]] = []


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> tuple[Path, Path]:
    """(run dir, review dir) of one real demo run and review, made once per test session and
    shared by the e2e modules (each module that imports this fixture gets its own fixture
    definition; the cache makes them one run)."""
    require_chromium()
    if not _DEMO:
        _DEMO.append(demo_run(tmp_path_factory.mktemp("demo")))
    return _DEMO[0]


@pytest.fixture(scope="module")
def browser():
    """Headless chromium for a test module (fails, never skips, when chromium is missing)."""
    require_chromium()
    from playwright import sync_api

    with sync_api.sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


def screenshots_dir(default: Path) -> Path:
    """Where screenshots go: ``$PEAKPLAN_SCREENSHOTS``, else ``default`` (a tmp dir)."""
    folder = Path(os.environ.get("PEAKPLAN_SCREENSHOTS") or default)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_screenshot(page, path: Path) -> None:
    """The viewport (1280×900) as a small PNG: 256 colours (text and charts stay sharp)."""
    import io

    from PIL import Image

    shot = Image.open(io.BytesIO(page.screenshot()))
    shot.convert("RGB").quantize(colors=256).save(path, optimize=True)


def wait_rendered(page, timeout: int = 60_000) -> None:
    """Wait until the page's script has run and its title is shown; no exception on it."""
    page.wait_for_selector(f"{MAIN} h1", timeout=timeout)
    page.wait_for_selector(READY, timeout=timeout)
    page.wait_for_timeout(300)  # charts draw after the script ends
    page.wait_for_selector(READY, timeout=timeout)
    page.wait_for_function(  # placeholders of elements still being drawn
        "() => !document.querySelector('[data-testid=stSkeleton]')", timeout=timeout
    )
    grids_filled(page, timeout)
    errors = page.locator("[data-testid='stException']")
    assert errors.count() == 0, errors.first.inner_text()


def grids_filled(page, timeout: int = 30_000) -> None:
    """Wait until every visible data grid has drawn its cells (their text comes late)."""
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('[data-testid=stDataFrame]'))
            .filter(e => e.checkVisibility()).every(e => e.textContent.length > 0)""",
        timeout=timeout,
    )


def revealed_text(page) -> str:
    """:func:`page_text` with every tab shown in turn and every expander opened (except raw
    JSON views), so hidden tables are scanned too."""
    texts = []
    for expander in page.locator(f"{MAIN} [data-testid=stExpander] summary").all():
        if ".json" not in expander.inner_text():
            expander.click()
    tabs = page.locator(f"{MAIN} [data-baseweb=tab]").all()
    for tab in tabs or [None]:
        if tab is not None:
            tab.click()
        page.wait_for_timeout(200)
        grids_filled(page)
        texts.append(page_text(page))
    return "\n".join(texts)


def metrics(page) -> dict[str, str]:
    """Label → value text of every tile (stMetric) on the page."""
    pairs = page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-testid=stMetric]')).map(m => [
            (m.querySelector('[data-testid=stMetricLabel]') || {}).innerText || '',
            (m.querySelector('[data-testid=stMetricValue]') || {}).innerText || ''])"""
    )
    return {label.strip(): value.strip() for label, value in pairs}


def cut_tiles(page) -> list[str]:
    """Tile values and deltas whose text is cut (CSS ellipsis leaves textContent whole, so the
    rendered width is compared: scrollWidth > clientWidth)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll(
                '[data-testid=stMetricValue], [data-testid=stMetricDelta]'))
            .filter(e => e.scrollWidth > e.clientWidth + 1
                      || Array.from(e.querySelectorAll('*')).some(
                           c => c.scrollWidth > c.clientWidth + 1))
            .map(e => e.innerText + ' (' + e.scrollWidth + ' > ' + e.clientWidth + ')')"""
    )


def glyphs_render(page) -> bool:
    """Chinese renders with real glyphs in the heading's font: 峰值 drawn on a canvas differs
    from two characters no font has (drawn as .notdef boxes) and is not blank."""
    return page.evaluate(
        """() => {
            const font = getComputedStyle(document.querySelector('[data-testid=stMain] h1'))
                .fontFamily;
            const c = document.createElement('canvas'); c.width = 160; c.height = 60;
            const g = c.getContext('2d');
            const draw = s => { g.clearRect(0, 0, 160, 60); g.font = '40px ' + font;
                g.fillStyle = '#000'; g.fillText(s, 4, 46);
                return Array.from(g.getImageData(0, 0, 160, 60).data); };
            const han = draw('峰值'), boxes = draw('\\u{10FFFD}\\u{10FFFD}');
            const inked = han.filter((v, i) => i % 4 === 3 && v > 0).length;
            return inked > 50 && han.some((v, i) => v !== boxes[i]);
        }"""
    )


def page_text(page) -> str:
    """The main block's visible text (code spans and Material icon names left out) plus the
    text of its data grids (their cells are drawn on a canvas; their accessible copy is
    hidden; checkbox cells, ``true``/``false`` there, are left out), one line per text node."""
    return page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid=stMain]');
            const skip = 'code, [data-testid=stIconMaterial], .material-symbols-rounded';
            const out = [];
            const walk = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
            for (let n = walk.nextNode(); n; n = walk.nextNode()) {
                const el = n.parentElement;
                if (!el || el.closest(skip) || !n.textContent.trim()) continue;
                const grid = el.closest('[data-testid=stDataFrame]');
                const box = grid && /^(true|false)$/.test(n.textContent.trim());  // a checkbox
                if ((grid && !box) || el.checkVisibility()) out.push(n.textContent.trim());
            }
            return out.join('\\n');
        }"""
    )


#: English words the issue names (UI words and identifier parts); any other English word of two
#: or more letters is flagged too, unless it is one of :data:`ACRONYMS`.
ENGLISH_WORDS = (
    "overview", "forecast", "staffing", "roster", "review", "compare", "plan", "permanent",
    "part-time", "temporary", "peak", "main", "warm-up", "presale", "pre-sale", "tail",
    "after-sales", "days", "wages", "cost", "total", "download", "upload", "file", "service",
    "agents", "shortfall", "schedule", "interval", "target", "actual", "volume", "phase",
    "hours", "solver", "status", "worst", "finding", "owner", "metric", "yes", "no", "n/a",
)
#: Abbreviations and names a Chinese manager reads as they are.
ACRONYMS = frozenset({
    "CSV", "TOML", "JSON", "BOM", "UTF", "Excel", "WAPE", "CSAT", "FCR", "CNY", "CP-SAT", "SAT",
    "KPI", "ID", "HR", "LP", "vs", "peakplan", "English",
})  # fmt: skip
_ALLOWED = re.compile(
    r"[\w./\\-]*\.(?:csv|json|toml|xlsx|md|html|png)\b"  # file names and extensions
    r"|(?:/[\w.\-]+)+/?"  # paths
    r"|\b[A-Z]+-\d+\b"  # agent IDs such as TEMP-012
)
_SNAKE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
_WORDS = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(w) for w in ENGLISH_WORDS) + r")(?![\w-])", re.I
)
_ANY_WORD = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z-]*[A-Za-z](?![\w-])")


def english_leaks(text: str, data: tuple[str, ...] = ()) -> list[str]:
    """English identifiers and words in ``text`` (the Chinese UI), after taking out what may
    stay: file names, paths, agent IDs, :data:`ACRONYMS` and ``data`` (names the user gave)."""
    for value in data:
        text = text.replace(value, " ")
    text = _ALLOWED.sub(" ", text)
    found = set(_SNAKE.findall(text)) | set(_WORDS.findall(text))
    found |= {w for w in _ANY_WORD.findall(_SNAKE.sub(" ", text)) if w not in ACRONYMS}
    return sorted(found)


_DOTTED = re.compile(r"\b[a-z_]+(?:\.[a-z0-9_]+)+\b")


def identifier_leaks(text: str) -> list[str]:
    """Raw snake_case identifiers in ``text`` (the English UI: ``deposit_payment`` must read
    ``deposit & balance`` there too); dotted summary.json keys (``cost_cny.wages_total``, the
    Compare table's ``key`` column), file names and paths may stay."""
    text = _DOTTED.sub(" ", _ALLOWED.sub(" ", text))
    return sorted(set(_SNAKE.findall(text)))


def user_names(run_dir: Path) -> tuple[str, ...]:
    """Texts of the run the user named (scenario name, store), allowed in any language."""
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8-sig"))
    scenario = summary.get("scenario") or {}
    names = [str(v) for k, v in scenario.items() if isinstance(v, str) and k in ("name", "store")]
    return tuple(n for part in names for n in (part, *part.split(" · ")) if n)
