"""Browser test: the real ``streamlit run`` server in headless Chromium (``-m e2e``).

Skipped when chromium is missing, except under CI=true, where that fails. Install:
``apt-get install chromium fonts-wqy-microhei`` (``playwright install`` cannot download browsers
on our machines; ``make e2e`` installs them as root).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(fake_run):
    port = _free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", "dashboard/app.py",
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none", "--", "--run", str(fake_run),
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("streamlit server did not become healthy in 30 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="chromium not installed (under CI=true a missing browser fails)",
)
def test_pages_render_and_roster_downloads_with_bom(server):
    assert CHROMIUM is not None, "chromium is not installed: run make e2e as root to install it"
    from playwright import sync_api
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        page = browser.new_page(accept_downloads=True)
        page.goto(server)
        page.get_by_text("Total cost").wait_for(timeout=30_000)
        for name in ("Forecast", "Staffing", "Roster"):
            page.get_by_role("link", name=name).click()
            page.wait_for_selector(f"h1:has-text('{name}')", timeout=30_000)
            page.wait_for_selector(READY, timeout=30_000)
            page.wait_for_selector("[data-testid='stMetric']", timeout=30_000)
            assert page.locator("[data-testid='stException']").count() == 0
        with page.expect_download() as info:
            page.get_by_role("button", name="Download roster.csv").click()
        data = Path(info.value.path()).read_bytes()
        browser.close()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "张三" in data.decode("utf-8-sig")
