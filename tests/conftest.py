"""Shared pytest configuration."""

from __future__ import annotations

import pytest


# --- golden files (issue #3): `pytest --update-golden` rewrites tests/golden/ on purpose ---
def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite the golden files under tests/golden/ instead of comparing with them.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run rewrites golden files (``--update-golden``)."""
    return bool(request.config.getoption("--update-golden"))


# --- end golden files ---
