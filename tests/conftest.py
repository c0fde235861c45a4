"""Shared test fixtures: paths to the fixture record trees."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def valid_records() -> Path:
    return FIXTURES / "valid" / "records"


@pytest.fixture
def broken_records() -> Path:
    return FIXTURES / "broken" / "records"


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, so problem paths are relative to it."""
    monkeypatch.chdir(ROOT)
    return ROOT
