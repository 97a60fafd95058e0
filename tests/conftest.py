"""Shared test configuration.

Hypothesis profiles: ``dev`` (the default) explores with fresh random examples on every
run; ``ci`` (loaded when the ``CI`` environment variable is set, as CI services do) is
derandomised, so a CI failure reproduces exactly on any machine, and uses no example
database. Choose one explicitly with ``HYPOTHESIS_PROFILE=ci``.

Golden files (issue #3): ``pytest --update-golden`` rewrites ``tests/golden/`` on purpose.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

# No deadline in either profile: the big-integer and Fraction oracles take a variable time
# on a shared machine, and a deadline would make the suite flaky, not faster.
settings.register_profile("ci", derandomize=True, database=None, max_examples=300, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

# English for the whole session, module- and session-scoped fixtures included (they run
# before the per-test fixture below); tests of the Danish default ask for it explicitly.
os.environ["COSTSHARE_LANG"] = "en"


# --- golden files (issue #3) ---
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


# --- the user data folder (issue #13) ---
@pytest.fixture(autouse=True)
def _private_data_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test sees an empty user data folder of its own, never the real one, and a
    cache folder of its test process."""
    monkeypatch.setenv("COSTSHARE_DATA_DIR", str(tmp_path_factory.mktemp("costshare-data")))
    # The compiled templates (issue #23): one folder per test process, never the user's.
    monkeypatch.setenv("COSTSHARE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.delenv("COSTSHARE_STATBANK_URL", raising=False)


# --- language (issue #11) ---
@pytest.fixture(autouse=True)
def english_unless_asked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The suite's assertions are written in English: run every test in English
    (``COSTSHARE_LANG=en`` reaches CliRunner and subprocess runs alike). Danish is the
    default for users; tests that check it pass ``--lang da`` or set the variable."""
    from costshare.base.i18n import set_language

    monkeypatch.setenv("COSTSHARE_LANG", "en")
    set_language("en")
    yield
    set_language("en")  # the doctests in costshare/ run after the tests, in English


# --- end language ---


# --- every manifest follows the published schema (issue #19, item 3) ---
@pytest.fixture(autouse=True, scope="session")
def _manifests_follow_the_published_schema() -> Iterator[None]:
    """Every manifest a test writes (in this process, through the one writer) is validated
    against docs/reference/manifest.schema.json by the jsonschema library, an
    implementation independent of costshare's own check."""
    import json

    import jsonschema
    from paths import DOCS

    from costshare.package import manifest

    schema = json.loads((DOCS / "reference" / "manifest.schema.json").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    written = manifest.as_json

    def validated(document: dict[str, object]) -> bytes:
        data = written(document)
        validator.validate(json.loads(data))
        return data

    manifest.as_json = validated  # type: ignore[assignment]
    yield
    manifest.as_json = written  # type: ignore[assignment]
