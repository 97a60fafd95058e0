"""One manifest: one schema (published as docs/reference/manifest.schema.json), one writer,
one reader (issue #19, item 3).

The published file is the schema the code checks with; every manifest a test writes is
validated against it by the jsonschema library (tests/conftest.py), and here costshare's own
check and jsonschema are shown to agree on manifests broken in every way the reader refuses.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from annex_helpers import build_package
from paths import DOCS

from costshare.package.manifest import read_manifest
from costshare.package.manifest_schema import problem, schema_text

SCHEMA_FILE = DOCS / "reference" / "manifest.schema.json"
VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text("utf-8")))


def test_the_published_schema_is_the_one_the_code_checks_with() -> None:
    assert SCHEMA_FILE.read_text("utf-8") == schema_text(), (
        "run: python -m costshare.package.manifest_schema > docs/reference/manifest.schema.json"
    )
    jsonschema.Draft202012Validator.check_schema(json.loads(schema_text()))


def test_the_reference_page_links_the_schema() -> None:
    page = (DOCS / "reference" / "annex-package.md").read_text("utf-8")
    assert "(manifest.schema.json)" in page


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = build_package("telehjerte-2025", tmp_path_factory.mktemp("m") / "out")
    return dict(json.loads((out / "manifest.json").read_text("utf-8")))


@pytest.mark.slow
def test_a_written_manifest_reads_back(written: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps(written), "utf-8")
    manifest = read_manifest(tmp_path)
    gentofte = next(f for f in manifest.files if f.path == "157-gentofte.pdf")
    assert (gentofte.code, gentofte.amount_ore, gentofte.kind) == ("157", 2041500, "letter")
    assert written["schema_version"] == 1 and written["package"] == "charge"


BROKEN = {
    "no schema_version": lambda d: d.pop("schema_version"),
    "schema_version as text": lambda d: d.update(schema_version="1"),
    "an unknown package": lambda d: d.update(package="invoice"),
    "a generator that is not costshare": lambda d: d.update(generator="other 1.0"),
    "a negative payer count": lambda d: d["totals"].update(payers=-1),
    "a payer count that is true": lambda d: d["totals"].update(payers=True),
    "a date that is not ISO": lambda d: d["programme"].update(letter_date="17-02-2025"),
    "a SHA-256 in capitals": lambda d: d["files"][0].update(sha256=d["files"][0]["sha256"].upper()),
    "a hidden file": lambda d: d["files"][0].update(path=".hidden"),
    "a back-slash path": lambda d: d["files"][0].update(path="a\\b.pdf"),
    "an unknown kind": lambda d: d["files"][0].update(kind="script"),
    "a control character": lambda d: d["programme"].update(title="a\x1bb"),
    "an extra top-level key": lambda d: d.update(note="x"),
    "a missing totals": lambda d: d.pop("totals"),
    "a party amount as a number": lambda d: d["totals"]["parties"].update({"084": 525000}),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", BROKEN)
def test_costshare_and_jsonschema_refuse_the_same_manifests(
    case: str, written: dict[str, Any]
) -> None:
    document = copy.deepcopy(written)
    BROKEN[case](document)
    assert problem(document) is not None
    assert not VALIDATOR.is_valid(document)


@pytest.mark.slow
def test_costshare_and_jsonschema_accept_the_written_manifest(written: dict[str, Any]) -> None:
    assert problem(written) is None
    VALIDATOR.validate(written)
