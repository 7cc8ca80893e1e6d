"""The Plan page in a real browser (issue 20 acceptance 2 and 4): a lever change re-plans a small
scenario to completion with live progress, the new run's figures appear in the overview of the
same server (no restart), Cancel stops a solve within 2 s and leaves no run marked complete, and
an upload with a missing column shows the one-line error while the page stays usable.

The server runs in a temporary working directory holding the `tiny` scenario of
tests/scenarios/conftest.py under ``data/`` (so the page offers it) and receives the runs in its
``out/``; it starts on the real demo run, whose figures must be replaced by the new run's.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from browser_support import (
    MAIN,
    VIEWPORT,
    browser,
    demo,
    metrics,
    needs_browser,
    serve,
    wait_rendered,
)
from tiny_scenario import tiny_files

from dashboard.i18n import TEXTS, money
from scenarios.output import RUN_MARKER

pytestmark = [pytest.mark.e2e, needs_browser]
__all__ = ["browser", "demo"]


def zh(key: str) -> str:
    return TEXTS[key][0]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A manager's folder: data/tiny/ with the small scenario, out/ empty."""
    root = tmp_path_factory.mktemp("manager")
    tiny_files(root / "data" / "tiny")
    return root


@pytest.fixture(scope="module")
def page(demo, workdir, browser):
    run_dir, _ = demo
    with serve(run_dir, cwd=workdir) as url:
        context = browser.new_context(locale="zh-CN", viewport=VIEWPORT)
        tab = context.new_page()
        tab.goto(f"{url}/plan")
        wait_rendered(tab)
        yield tab
        context.close()


def _choose_tiny(page) -> None:
    page.get_by_role("combobox", name=zh("plan.scenario")).click()
    page.get_by_role("option", name=re.compile("tiny")).click()
    page.get_by_role("spinbutton", name=zh("plan.lever.volume_scale")).wait_for()
    wait_rendered(page)


def _set_lever(page, key: str, value: str) -> None:
    box = page.get_by_role("spinbutton", name=zh(f"plan.lever.{key}"))
    box.fill(value)
    box.press("Enter")
    page.wait_for_timeout(300)
    wait_rendered(page)


def _complete_runs(workdir: Path) -> list[Path]:
    out = workdir / "out"
    return sorted(p.parent for p in out.glob("plan-*/" + RUN_MARKER)) if out.is_dir() else []


def _stage_shown(page) -> str | None:
    return metrics(page).get(zh("plan.stage"))


def test_lever_change_replans_and_the_overview_shows_the_new_run(page, demo, workdir):
    demo_summary = json.loads((demo[0] / "summary.json").read_text(encoding="utf-8-sig"))
    _choose_tiny(page)
    _set_lever(page, "volume_scale", "1.2")
    assert "1 → 1.2" in page.locator(MAIN).inner_text()  # the change is spelled out
    page.get_by_role("button", name=zh("plan.run")).click()

    stages, elapsed = set(), set()
    deadline = time.monotonic() + 240
    done = page.get_by_text(zh("plan.done").split("：")[0])
    while time.monotonic() < deadline and done.count() == 0:
        shown = metrics(page)
        if shown.get(zh("plan.stage")):
            stages.add(shown[zh("plan.stage")])
            elapsed.add(shown.get(zh("plan.elapsed")))
        page.wait_for_timeout(150)
    assert done.count() == 1, f"no result in 240 s; stages seen {stages}"
    assert stages & {zh(f"plan.stage.{s}") for s in ("forecast", "staffing", "roster")}, stages
    assert len(elapsed) >= 2, f"the elapsed time never moved: {elapsed}"  # live, not one frame

    (new_run,) = _complete_runs(workdir)
    summary = json.loads((new_run / "summary.json").read_text(encoding="utf-8-sig"))
    assert summary["scenario"]["overrides"]["forecast.volume_scale"] == 1.2
    wages = money(summary["cost_cny"]["wages_total"])
    wait_rendered(page)  # the result's tiles come after the "plan complete" line, same rerun
    assert metrics(page)[zh("plan.wages")] == wages

    page.get_by_role("button", name=zh("plan.open")).click()
    page.wait_for_url(re.compile(r"/$|/overview"), timeout=30_000)
    wait_rendered(page)
    shown = metrics(page)[zh("overview.total_cost")]
    assert shown == wages != money(demo_summary["cost_cny"]["wages_total"])


def test_cancel_stops_within_2s_and_stores_no_run(page, workdir):
    before = _complete_runs(workdir)
    page.locator("[data-testid=stSidebarNav] a").filter(has_text=zh("nav.plan")).click()
    wait_rendered(page)
    _choose_tiny(page)
    _set_lever(page, "time_limit", "120")
    page.get_by_role("button", name=zh("plan.run")).click()
    roster = zh("plan.stage.roster")
    page.wait_for_function(
        """([label, stage]) => Array.from(document.querySelectorAll('[data-testid=stMetric]'))
            .some(m => m.innerText.includes(label) && m.innerText.includes(stage))""",
        arg=[zh("plan.stage"), roster], timeout=120_000,
    )
    page.wait_for_timeout(1500)  # well inside the solve
    started = time.monotonic()
    page.get_by_role("button", name=zh("plan.cancel"), exact=True).click()
    message = page.get_by_text(re.compile(r"已取消（用时"))
    message.wait_for(timeout=10_000)
    seen_s = time.monotonic() - started
    took = float(re.search(r"用时 ([\d.]+) 秒", message.inner_text()).group(1))
    assert took <= 2.0, f"cancel took {took} s"
    assert seen_s <= 4.0, f"the page said so after {seen_s:.1f} s"  # cancel + one page rerun
    assert _complete_runs(workdir) == before  # no new complete run
    assert not [p for p in (workdir / "out").iterdir() if p.name.startswith(".")]  # no staging


def test_upload_with_a_missing_column_shows_one_line(page, workdir, tmp_path):
    bad = tmp_path / "agents.csv"  # replaces the chosen scenario's agents.csv of that name
    text = (workdir / "data" / "tiny" / "agents.csv").read_text(encoding="utf-8-sig")
    bad.write_text(text.replace("agent_type,", "kind,", 1), encoding="utf-8")
    _choose_tiny(page)
    page.locator(f"{MAIN} [data-testid=stExpander] summary").filter(
        has_text=zh("plan.upload_header")).click()
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(bad))
    page.wait_for_timeout(500)
    page.get_by_role("button", name=zh("plan.upload_button")).click()
    error = page.locator("[data-testid=stAlertContentError]")
    error.first.wait_for(timeout=30_000)
    line = error.first.inner_text()
    assert "agents.csv" in line and "agent_type" in line and "\n" not in line.strip(), line
    assert not list((workdir / "out" / "uploads").glob("*/agents.csv"))  # nothing kept
    # still usable: the form is there and a lever still answers
    _set_lever(page, "volume_scale", "1.1")
    assert "1 → 1.1" in page.locator(MAIN).inner_text()
