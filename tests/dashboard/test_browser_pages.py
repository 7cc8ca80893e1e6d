"""Every dashboard page in a real browser, in Chinese and in English, on a real demo run
(issue 20 point 6, acceptance 1): each page's key figure equals the run's files, no tile is cut
off at 1280 px, the roster download's header and BOM, Chinese renders with real glyphs and shows
峰值 where phases are shown, and no English identifier leaks into the Chinese UI (a scan of the
rendered text). Screenshots of every page go to ``$PEAKPLAN_SCREENSHOTS`` (default: a tmp dir).

One Streamlit server and one chromium for the module; the language comes from the browser's
locale (zh-CN / en-US), as for a manager opening the link; one test flips the sidebar switch.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from browser_support import (
    LOCALES,
    MAIN,
    READY,
    VIEWPORT,
    browser,
    cut_tiles,
    demo,
    english_leaks,
    glyphs_render,
    identifier_leaks,
    metrics,
    needs_browser,
    page_text,
    revealed_text,
    save_screenshot,
    screenshots_dir,
    serve,
    user_names,
    wait_rendered,
)

from dashboard.i18n import TEXTS, money, number, percent

pytestmark = [pytest.mark.e2e, needs_browser]
__all__ = ["browser", "demo"]  # the session fixture, shared with test_dashboard_e2e

PAGES = ("overview", "plan", "forecast", "staffing", "roster", "review", "compare")
#: Pages that show event phases as text: the Chinese UI must say 峰值 there.
PHASE_PAGES = ("overview", "forecast", "review")


def text(key: str, lang: str, **values: object) -> str:
    """The dashboard's text ``key`` in ``lang`` (the same table the pages use)."""
    shown = TEXTS[key][0 if lang == "zh" else 1]
    return shown.format(**values) if values else shown


@pytest.fixture(scope="module")
def site(demo, tmp_path_factory):
    """(URL, run dir, review dir, runs folder with two copies of the run for Compare)."""
    run_dir, review_dir = demo
    runs = tmp_path_factory.mktemp("runs")
    for name in ("base", "again"):  # byte copies: still complete, marked runs
        shutil.copytree(run_dir, runs / name)
    with serve(run_dir, review_dir) as url:
        yield url, run_dir, review_dir, runs


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    return screenshots_dir(tmp_path_factory.mktemp("screenshots"))


def _expected(name: str, lang: str, run_dir: Path, review_dir: Path) -> dict[str, str]:
    """Tile label → the value the page must show, computed here from the run's own files."""
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8-sig"))
    if name == "overview":
        return {text("overview.total_cost", lang): money(summary["cost_cny"]["wages_total"])}
    if name == "forecast":
        volume = pd.read_csv(run_dir / "forecast.csv")["volume"].sum()
        return {text("forecast.total", lang): text("forecast.total_value", lang,
                                                    value=number(volume))}  # fmt: skip
    if name == "roster":  # the whole roster is shown until a filter is set
        roster = pd.read_csv(run_dir / "roster.csv", encoding="utf-8-sig")
        return {
            text("roster.metric_shifts", lang): number(len(roster)),
            text("roster.metric_cost", lang): money(roster["cost_cny"].sum()),
        }
    if name == "review":
        totals = json.loads((review_dir / "review.json").read_text(encoding="utf-8"))["totals"]
        return {
            text("review.rate", lang): percent(totals["three_min_rate"]),
            text("review.lost", lang): number(totals["lost_inquiries"]),
        }
    return {}


def _open(page, url: str, name: str, runs: Path, lang: str) -> None:
    page.goto(f"{url}/{'' if name == 'overview' else name}")  # the default page is at /
    wait_rendered(page)
    assert page.get_by_role("dialog").count() == 0, page.get_by_role("dialog").inner_text()
    if name == "compare":
        box = page.get_by_role("textbox", name=text("compare.folder", lang))
        box.fill(str(runs))
        box.press("Enter")
        page.get_by_text(text("compare.side_by_side", lang)).first.wait_for(timeout=30_000)
        wait_rendered(page)
        page.wait_for_selector(".vega-embed svg, .vega-embed canvas", timeout=30_000)


def _check_figures(page, name: str, lang: str, run_dir: Path, review_dir: Path) -> list[str]:
    problems = []
    shown = metrics(page)
    for label, value in _expected(name, lang, run_dir, review_dir).items():
        if shown.get(label) != value:
            problems.append(f"tile {label!r} shows {shown.get(label)!r}, the run says {value!r}")
    if name == "staffing":
        required = pd.read_csv(run_dir / "coverage.csv")["required"].max()
        value = shown.get(text("staffing.peak_required", lang), "")
        if number(required) not in value:
            problems.append(f"peak required shows {value!r}, coverage.csv says {required}")
    if name == "compare":
        summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8-sig"))
        grid = page_text(page)
        for needed in (text("compare.figure.cost_cny.wages_total", lang),
                       repr(float(summary["cost_cny"]["wages_total"]))):  # fmt: skip
            if needed not in grid:
                problems.append(f"compare table lacks {needed!r}")
    return problems


def _check_roster_download(page, run_dir: Path, lang: str) -> list[str]:
    from scenarios.hr_export import header_names, hr_csv_bytes, read_roster_text

    with page.expect_download() as info:
        page.locator(".st-key-roster_download button").click()
    data = Path(info.value.path()).read_bytes()
    expected = hr_csv_bytes(read_roster_text((run_dir / "roster.csv").read_bytes()), lang)
    problems = []
    if not data.startswith(b"\xef\xbb\xbf"):
        problems.append("roster download has no UTF-8 BOM")
    header = data.decode("utf-8-sig").splitlines()[0]
    if header != ",".join(header_names(lang)):
        problems.append(f"roster download header {header!r}")
    if data != expected:
        problems.append("roster download differs from the run's roster.csv in HR form")
    return problems


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_page_in_the_browser(site, browser, shots, name, lang):
    url, run_dir, review_dir, runs = site
    context = browser.new_context(locale=LOCALES[lang], viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    try:
        _open(page, url, name, runs, lang)
        nav = page.locator("[data-testid=stSidebarNav] a").all_inner_texts()
        assert text(f"nav.{name}", lang) in " ".join(nav), nav
        problems = [f"tile cut off at 1280 px: {cut}" for cut in cut_tiles(page)]
        problems += _check_figures(page, name, lang, run_dir, review_dir)
        save_screenshot(page, shots / f"{name}-{lang}.png")
        if name == "roster":
            problems += _check_roster_download(page, run_dir, lang)
        rendered = revealed_text(page)
        if lang == "en" and identifier_leaks(rendered):
            problems.append(f"raw identifiers in the English UI: {identifier_leaks(rendered)}")
        if lang == "zh":
            named = (*user_names(run_dir), *(p.name for p in runs.iterdir()))  # run folders
            leaks = english_leaks(rendered, named)
            if leaks:
                problems.append(f"English in the Chinese UI: {leaks}")
            if name in PHASE_PAGES and "峰值" not in rendered:
                problems.append("no 峰值 on a page that shows phases")
            if not glyphs_render(page):
                problems.append("Chinese does not render with real glyphs (missing font)")
        assert not problems, f"{name} ({lang}):\n" + "\n".join(problems)
    finally:
        context.close()


def test_sidebar_switch_changes_the_language(site, browser):
    url = site[0]
    context = browser.new_context(locale="en-US", viewport=VIEWPORT)
    page = context.new_page()
    try:
        page.goto(url)
        wait_rendered(page)
        assert text("overview.total_cost", "en") in metrics(page)
        page.locator("[data-testid=stSidebar] label").filter(has_text="中文").click()
        page.get_by_role("link", name="总览").wait_for(timeout=30_000)
        page.wait_for_selector(READY, timeout=30_000)
        page.get_by_text(text("overview.total_cost", "zh"), exact=True).wait_for(timeout=30_000)
        page.get_by_role("link", name="复盘").click()
        page.wait_for_selector(f"{MAIN} h1:has-text('复盘')", timeout=30_000)
        wait_rendered(page)  # the choice holds across pages
        assert text("review.rate", "zh") in metrics(page)
    finally:
        context.close()
