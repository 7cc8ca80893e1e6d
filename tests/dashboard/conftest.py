"""Fixtures for the dashboard tests: fake run and review directories, a clean Streamlit cache."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from dashboard_fake_review import write_fake_review
from dashboard_fake_run import write_fake_run


@pytest.fixture
def fake_run(tmp_path: Path) -> Path:
    """Path of a freshly written fake run directory."""
    return write_fake_run(tmp_path / "run")


@pytest.fixture
def fake_review(tmp_path: Path) -> Path:
    """Path of a freshly written fake review directory (``peakplan review`` layout)."""
    return write_fake_review(tmp_path / "review")


@pytest.fixture(autouse=True)
def _clear_streamlit_cache():
    st.cache_data.clear()
    yield
    st.cache_data.clear()
