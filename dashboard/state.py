"""Run- and review-directory selection and cached loading shared by ``app.py`` and the views."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import streamlit as st

from dashboard.data import RunData, RunDirError, load_run, run_fingerprint
from dashboard.review_data import ReviewData, ReviewDirError, load_review, review_fingerprint

RUN_KEY = "peakplan_run_dir"
ENV_VAR = "PEAKPLAN_RUN"
REVIEW_KEY = "peakplan_review_dir"
REVIEW_ENV_VAR = "PEAKPLAN_REVIEW"


def run_from_cli(argv: list[str]) -> str | None:
    """Value of ``--run DIR`` in the script arguments (after ``--`` on ``streamlit run``)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--run", default=None)
    known, _ = parser.parse_known_args(argv)
    return known.run


def default_run_dir(argv: list[str]) -> str | None:
    """``--run`` CLI argument, else the ``PEAKPLAN_RUN`` environment variable, else None."""
    return run_from_cli(argv) or os.environ.get(ENV_VAR) or None


@st.cache_data(max_entries=8, show_spinner="Loading run…")
def _cached_load(path: str, fingerprint: tuple[tuple[str, float], ...]) -> RunData:
    del fingerprint  # only part of the cache key: a rewritten run is reloaded
    return load_run(path)


def load_cached(path: str) -> RunData:
    """:func:`dashboard.data.load_run` cached per path and file modification times."""
    return _cached_load(path, run_fingerprint(path))


def current_run() -> RunData:
    """The run chosen in the sidebar; shows ``st.error`` and stops the page if it is unusable."""
    path = st.session_state.get(RUN_KEY)
    if not path:
        st.info("Choose a run directory in the sidebar (`peakplan run S.toml --out DIR`).")
        st.stop()
    try:
        return load_cached(str(path))
    except RunDirError as exc:
        st.error(f"Cannot show this run: {exc}")
        st.stop()
    except OSError as exc:
        st.error(f"Cannot read run directory {path}: {exc}")
        st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def review_from_cli(argv: list[str]) -> str | None:
    """Value of ``--review DIR`` in the script arguments (after ``--`` on ``streamlit run``)."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--review", default=None)
    known, _ = parser.parse_known_args(argv)
    return known.review


def default_review_dir(argv: list[str]) -> str | None:
    """``--review`` CLI argument, else the ``PEAKPLAN_REVIEW`` environment variable, else None
    (the Review page then offers the newest review under ``out/``)."""
    return review_from_cli(argv) or os.environ.get(REVIEW_ENV_VAR) or None


@st.cache_data(max_entries=8, show_spinner="Loading review…")
def _cached_review(path: str, fingerprint: tuple[tuple[str, float], ...]) -> ReviewData:
    del fingerprint  # only part of the cache key: a rewritten review is reloaded
    return load_review(path)


def current_review() -> ReviewData:
    """The review chosen on the Review page; ``st.error``/``st.info`` and stop if unusable."""
    path = st.session_state.get(REVIEW_KEY)
    if not path:
        st.info(
            "没有复盘目录 No review directory: run `peakplan review --run RUN_DIR --actuals DIR "
            "--out DIR`, then choose the output in the sidebar."
        )
        st.stop()
    try:
        return _cached_review(str(path), review_fingerprint(path))
    except ReviewDirError as exc:
        st.error(f"无法显示复盘 Cannot show this review: {exc}")
        st.stop()
    except OSError as exc:
        st.error(f"无法读取 Cannot read review directory {path}: {exc}")
        st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def format_path(path: Path) -> str:
    """Path relative to the working directory when below it (for display)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
