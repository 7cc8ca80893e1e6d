"""Run- and review-directory selection and cached loading shared by ``app.py`` and the views."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import streamlit as st

from dashboard.data import RunData, RunDirError, load_run, run_fingerprint
from dashboard.i18n import t
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


@st.cache_data(max_entries=8, show_spinner=False)
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
        st.info(t("common.choose_run"))
        st.stop()
    try:
        with st.spinner(t("common.loading_run")):
            return load_cached(str(path))
    except RunDirError as exc:
        st.error(t("common.cannot_show_run", error=exc))
        st.stop()
    except OSError as exc:
        st.error(t("common.cannot_read_run", path=path, error=exc))
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


@st.cache_data(max_entries=8, show_spinner=False)
def _cached_review(path: str, fingerprint: tuple[tuple[str, float], ...]) -> ReviewData:
    del fingerprint  # only part of the cache key: a rewritten review is reloaded
    return load_review(path)


def current_review() -> ReviewData:
    """The review chosen on the Review page; ``st.error``/``st.info`` and stop if unusable."""
    path = st.session_state.get(REVIEW_KEY)
    if not path:
        st.info(t("common.no_review"))
        st.stop()
    try:
        with st.spinner(t("common.loading_review")):
            return _cached_review(str(path), review_fingerprint(path))
    except ReviewDirError as exc:
        st.error(t("common.cannot_show_review", error=exc))
        st.stop()
    except OSError as exc:
        st.error(t("common.cannot_read_review", path=path, error=exc))
        st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def format_path(path: Path) -> str:
    """Path relative to the working directory when below it (for display)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
