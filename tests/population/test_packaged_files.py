"""Every packaged file is read by one reader that checks its SHA-256 (issue #19, item 4).

The population sets, the municipalities' register and the release dates each had their own
copy of "read the CSV, compare its hash with the sidecar"; now all three go through
:func:`costshare.population.datasets.packaged_file`, so a damaged install is refused the
same way whichever file is damaged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from costshare.base.errors import DataError
from costshare.population import datasets, municipalities, releases


def _clear_caches() -> None:
    datasets.packaged.cache_clear()
    datasets.packaged_bases.cache_clear()
    municipalities._register.cache_clear()
    releases._exact.cache_clear()


@pytest.fixture
def damaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every packaged CSV one byte longer than its sidecar says."""
    real = datasets.packaged_resource

    def resource(name: str) -> Any:
        if not name.endswith(".csv"):
            return real(name)
        copy = tmp_path / name
        copy.write_bytes(real(name).read_bytes() + b"\n")
        return copy

    _clear_caches()
    monkeypatch.setattr(datasets, "packaged_resource", resource)
    yield
    monkeypatch.undo()
    _clear_caches()


READERS: dict[str, Callable[[], object]] = {
    "population": lambda: datasets.packaged("folk1a_municipalities_K1_2016-2026"),
    "register": lambda: municipalities.municipality("157"),
    "releases": lambda: releases._exact(),
}


@pytest.mark.parametrize("reader", READERS)
def test_a_damaged_packaged_file_is_refused(damaged: None, reader: str) -> None:
    with pytest.raises(DataError, match=r"does not match its recorded checksum; reinstall"):
        READERS[reader]()


@pytest.mark.parametrize("reader", READERS)
def test_an_intact_install_reads(reader: str) -> None:
    assert READERS[reader]()
