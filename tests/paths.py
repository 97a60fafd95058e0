"""Where the tests find the project's files, wherever in ``tests/`` a test module sits."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
EXAMPLES = ROOT / "examples"
POPULATION_DATA = ROOT / "population"
DOCS = ROOT / "docs"
CATALOGUE = TESTS / "catalogue"
DATA = TESTS / "data"
GOLDEN = TESTS / "golden"
