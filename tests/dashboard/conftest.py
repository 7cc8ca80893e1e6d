"""Fixtures for the dashboard tests: a fake run directory and a clean Streamlit cache."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from dashboard_fake_run import write_fake_run


@pytest.fixture
def fake_run(tmp_path: Path) -> Path:
    """Path of a freshly written fake run directory."""
    return write_fake_run(tmp_path / "run")


@pytest.fixture(autouse=True)
def _clear_streamlit_cache():
    st.cache_data.clear()
    yield
    st.cache_data.clear()
