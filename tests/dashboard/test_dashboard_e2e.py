"""Browser test: the real ``streamlit run`` server in headless Chromium (``-m e2e``), on a fake
run (downloads byte for byte) and on the real bundled demo run and review.

Skipped when chromium is missing, except under CI=true, where that fails. Install:
``apt-get install chromium fonts-wqy-microhei`` (``playwright install`` cannot download browsers
on our machines; ``make e2e`` installs them as root). The pages in zh and en, content checks and
screenshots: test_browser_pages.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser_support import (
    READY,
    VIEWPORT,
    browser,
    demo,
    metrics,
    needs_browser,
    serve,
    wait_rendered,
)
from dashboard_fake_review import write_fake_review
from dashboard_fake_run import write_fake_run

pytestmark = [pytest.mark.e2e, needs_browser]
__all__ = ["browser", "demo"]  # the session fixture: one real demo run for every e2e module


@pytest.fixture(scope="module")
def fake(tmp_path_factory) -> tuple[Path, Path]:
    """(fake run, fake review) written once for the module."""
    base = tmp_path_factory.mktemp("fake")
    return write_fake_run(base / "run"), write_fake_review(base / "review")


@pytest.fixture(scope="module")
def server(fake):
    with serve(*fake) as url:
        yield url


def _open_review(page) -> None:
    """Go to the Review page (English) and wait until it has rendered without an error."""
    page.get_by_role("link", name="Review").click()
    page.wait_for_selector("h1:has-text('Review')", timeout=30_000)
    wait_rendered(page)
    page.get_by_text("Forecast error (WAPE)").wait_for(timeout=30_000)
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    page.wait_for_selector(".vega-embed canvas, .vega-embed svg", timeout=30_000)
    for heading in ("Forecast vs actual", "Scheduled vs logged in", "Where the miss came from",
                    "Breakdowns", "Findings"):  # fmt: skip
        assert page.get_by_text(heading, exact=True).first.is_visible(), heading


def test_pages_render_and_roster_downloads_with_bom(server, browser, fake):
    page = browser.new_page(accept_downloads=True, locale="en-US", viewport=VIEWPORT)
    page.goto(server)
    page.get_by_text("Total cost").wait_for(timeout=30_000)
    for name in ("Forecast", "Staffing", "Roster"):
        page.get_by_role("link", name=name).click()
        page.wait_for_url(f"**/{name.lower()}", timeout=30_000)
        wait_rendered(page)
        page.wait_for_selector("[data-testid='stMetric']", timeout=30_000)
    with page.expect_download() as info:
        page.locator(".st-key-roster_download button").click()
    data = Path(info.value.path()).read_bytes()

    _open_review(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download tracking.csv").click()
    tracking = Path(info.value.path()).read_bytes()
    page.close()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "张三" in data.decode("utf-8-sig")
    assert tracking == (fake[1] / "tracking.csv").read_bytes()  # byte for byte, BOM kept
    assert tracking.startswith(b"\xef\xbb\xbf")


def test_review_page_on_bundled_data(demo, browser):
    """Acceptance 5 of issue 18: a real `peakplan run` of the bundled Double 11 scenario (tiny
    solver limits), its real `peakplan review` against data/sample/actuals, shown in the browser."""
    run_dir, review_dir = demo
    review = json.loads((review_dir / "review.json").read_text(encoding="utf-8"))
    worst = review["worst_slots"][0]
    with serve(run_dir, review_dir) as url:
        page = browser.new_page(accept_downloads=True, locale="en-US", viewport=VIEWPORT)
        page.goto(url)
        page.get_by_text("Total cost").wait_for(timeout=30_000)
        _open_review(page)
        assert metrics(page)["Lost inquiries"] == f"{review['totals']['lost_inquiries']:,.0f}"
        # the worst slot is in the slots table (a canvas grid: its cells are attached, hidden)
        when = worst["start"].replace("T", " ")[:16]
        page.get_by_text(when).first.wait_for(state="attached", timeout=10_000)
        with page.expect_download() as info:
            page.get_by_role("button", name="Download tracking.csv").click()
        tracking = Path(info.value.path()).read_bytes()
        page.close()
    assert tracking == (review_dir / "tracking.csv").read_bytes()
    assert tracking.startswith(b"\xef\xbb\xbf")


def test_compare_page_shows_two_runs(tmp_path, server, browser):
    """Issue 19 point 7 in the browser: two runs under a folder typed into the Compare page are
    shown side by side, on the cost-service chart and as per-interval differences."""
    from scenarios.output import RUN_MARKER, marker_bytes

    runs = tmp_path / "runs"
    for run in (write_fake_run(runs / "base"), write_fake_run(runs / "high_volume")):
        files = {f.name: f.read_bytes() for f in run.iterdir() if f.is_file()}
        (run / RUN_MARKER).write_bytes(marker_bytes(files))  # marked as peakplan's own runs
    page = browser.new_page(locale="en-US", viewport=VIEWPORT)
    page.goto(f"{server}/compare")
    page.wait_for_selector("h1:has-text('Compare runs')", timeout=30_000)
    box = page.get_by_role("textbox", name="Runs folder")
    box.fill(str(runs))
    box.press("Enter")
    page.wait_for_selector(READY, timeout=30_000)
    for heading in ("Side by side", "Cost vs service", "Per-interval differences"):
        page.get_by_text(heading).first.wait_for(timeout=30_000)
    page.wait_for_selector(".vega-embed canvas, .vega-embed svg", timeout=30_000)
    wait_rendered(page)
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    page.close()
