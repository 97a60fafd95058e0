"""Fetching population figures from Statistics Denmark's StatBank API, with provenance.

``costshare data fetch --quarter 2024K4 [--ages 0-17]`` asks the public API
(``https://api.statbank.dk/v1``, or ``--api-url`` / ``COSTSHARE_STATBANK_URL``) for FOLK1A
(quarters) or FOLK1AM (months), by municipality. Two calls, both POST with a JSON body:

* ``{base}/tableinfo`` – the table's own metadata: its title, when it was last updated,
  which periods it holds (so an unknown quarter is refused before any data is asked for)
  and which ages (ALDER codes);
* ``{base}/data`` – ``format = "CSV"`` (semicolon-separated, header ``OMRÅDE;TID;INDHOLD``,
  codes rather than labels with ``valuePresentation = "Code"``). Variables left out (KØN,
  CIVILSTAND, and ALDER for all ages) are eliminated to their totals by the server; an age
  group is asked for as its plain ALDER codes (``0``, ``1``, …, ``17``) and summed here,
  exactly, so the fetch depends on no server-side ``sum(...)`` syntax (issue #21).

The answers are read by :mod:`costshare.population.statbank_answer` (every row checked,
the national total against the sum of the rows) over the bounded HTTP of
:mod:`costshare.population.statbank_http` (bytes, total time, redirects within the host).
The result is stored in the user data folder as a CSV in the packaged layout (``code,
name, region, <basis>``) with a ``.source.toml`` beside it: the request body, the URL
that answered, the response's SHA-256, the retrieval time (UTC), the table and the API's
metadata. Both files are written to temporary names and renamed into place only when
everything checked out; if the second rename fails the first is undone, so a failed fetch
leaves the set it would have replaced as it was.

Every failure is one :class:`InputError` line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.population import statbank_answer as answer
from costshare.population.datasets import (
    Dataset,
    age_range,
    fetched_dir,
    is_month,
    normalise_basis,
    read_fetched,
)
from costshare.population.names import municipality_names
from costshare.population.statbank_http import Answer, Deadline, check_url, post

DEFAULT_URL = "https://api.statbank.dk/v1"
MAX_AGE = 125  # FOLK1A's and FOLK1AM's oldest single age


@dataclass(frozen=True)
class Fetched:
    """What a fetch stored: the basis (``2024K4``, ``2025K1:0-17``) and its data set."""

    basis: str
    dataset: Dataset
    csv_path: Path


def api_url(given: str | None = None, environ: Mapping[str, str] = os.environ) -> str:
    """``--api-url``, else ``COSTSHARE_STATBANK_URL``, else Statistics Denmark's API."""
    url = given or environ.get("COSTSHARE_STATBANK_URL", "").strip() or DEFAULT_URL
    return url.rstrip("/")


def request_body(period: str, ages: Sequence[str] | None) -> dict[str, Any]:
    """The JSON body of the data call for one period and optional plain ALDER codes.

    >>> request_body("2024K4", ["0", "1", "2"])["variables"][2]
    {'code': 'ALDER', 'values': ['0', '1', '2']}
    """
    variables: list[dict[str, Any]] = [
        {"code": "OMRÅDE", "values": ["*"]},
        {"code": "Tid", "values": [period]},
    ]
    if ages is not None:
        variables.append({"code": "ALDER", "values": list(ages)})
    return {
        "table": table_for(period),
        "format": "CSV",
        "lang": "da",
        "valuePresentation": "Code",
        "variables": variables,
    }


def table_for(period: str) -> str:
    """FOLK1AM for a month (``2024M12``), FOLK1A for a quarter."""
    return "FOLK1AM" if is_month(period) else "FOLK1A"


def fetch(
    period: str,
    ages: str | None = None,
    url: str | None = None,
    folder: Path | None = None,
) -> Fetched:
    """Fetch one period (and age group) from StatBank and store it with its provenance.

    Raises :class:`InputError` for a bad period, age group or URL, a network or HTTP
    error, an answer too large or too slow, a period or age the table does not hold, or
    figures that do not check out (see :mod:`costshare.population.statbank_answer`).
    """
    basis = _basis(period, ages)
    normal_period = basis.split(":")[0]
    base = api_url(url)
    check_url(base)
    deadline = Deadline()  # one for the whole fetch: both calls, every redirect
    table = table_for(normal_period)
    info_body = {"table": table, "format": "JSON", "lang": "da"}
    metadata = answer.metadata(post(f"{base}/tableinfo", info_body, deadline, base).body, table)
    _check_period(metadata, table, normal_period)
    bounds = age_range(basis)
    codes = None if bounds is None else answer.age_codes(metadata, table, *bounds)
    body = request_body(normal_period, codes)
    data = post(f"{base}/data", body, deadline, base)
    counts = answer.counts(data.body, normal_period, codes)
    retrieved = datetime.now(UTC).replace(microsecond=0)
    request = _Request(body, base, data, retrieved)
    return _store(basis, table, counts, request, metadata, folder)


@dataclass(frozen=True)
class _Request:
    """What the provenance records of the data call."""

    body: dict[str, Any]
    api_url: str
    answer: Answer
    retrieved: datetime


def _basis(period: str, ages: str | None) -> str:
    text = period.strip() + (f":{ages.strip()}" if ages else "")
    basis = normalise_basis(text)
    if basis is None or (ages and age_range(basis) is None):
        raise InputError(
            lazy(
                "{value} is not a quarter or month with an optional age group; write e.g. "
                "--quarter 2024K4, --quarter 2024M12, --ages 0-17 or --ages 65-",
                value=repr(text),
            )
        )
    bounds = age_range(basis)
    if bounds is not None and max(bounds[0], bounds[1] or 0) > MAX_AGE:
        raise InputError(lazy("ages go up to {limit}; got --ages {ages}", limit=MAX_AGE, ages=ages))
    return basis


def _check_period(metadata: dict[str, Any], table: str, period: str) -> None:
    """Refuse a period the table does not hold, naming its newest."""
    known = answer.variable_codes(metadata, "Tid", table)
    if known is None:
        raise InputError(
            lazy("StatBank's table information has no Tid variable; the API may have changed")
        )
    if period in known:
        return
    if known:
        raise InputError(
            lazy(
                "StatBank's {table} has no period {period}; the newest is {newest}",
                table=table,
                period=period,
                newest=known[-1],
            )
        )
    raise InputError(lazy("StatBank's {table} has no period {period}", table=table, period=period))


def _store(
    basis: str,
    table: str,
    counts: dict[str, int],
    request: _Request,
    metadata: dict[str, Any],
    folder: Path | None,
) -> Fetched:
    from costshare.population.packaged import _municipality_regions

    folder = fetched_dir() if folder is None else folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(
            lazy(
                "{folder}: cannot create the data folder ({reason})",
                folder=folder,
                reason=error.strerror,
            )
        ) from None
    stem = f"{table}_{basis.replace(':', '_')}"
    names, regions = municipality_names(), _municipality_regions()
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "name", "region", basis])
    for code in names:  # the packaged order
        writer.writerow([code, names[code], regions[code], counts[code]])
    csv_bytes = out.getvalue().encode("utf-8")
    sidecar = _sidecar(basis, table, csv_bytes, request, metadata)
    csv_path, toml_path = folder / f"{stem}.csv", folder / f"{stem}.source.toml"
    _write_atomically({csv_path: csv_bytes, toml_path: sidecar.encode("utf-8")})
    return Fetched(basis, read_fetched(csv_path, toml_path), csv_path)


def _sidecar(
    basis: str,
    table: str,
    csv_bytes: bytes,
    request: _Request,
    metadata: dict[str, Any],
) -> str:
    title = str(metadata.get("text", ""))
    retrieved = request.retrieved.isoformat().replace("+00:00", "Z")
    lines = [
        f"# Fetched by costshare data fetch from Statistics Denmark's StatBank API ({basis}).",
        f"dataset = {_toml(f'{table}_{basis}')}",
        f"sha256 = {_toml(hashlib.sha256(csv_bytes).hexdigest())}",
        f"response_sha256 = {_toml(hashlib.sha256(request.answer.body).hexdigest())}",
        f"retrieved_at = {_toml(retrieved)}",
        f"api_url = {_toml(request.api_url)}",
        f"response_url = {_toml(request.answer.url)}",
        f"request_body = {_toml(json.dumps(request.body, ensure_ascii=False))}",
        'publisher = "Danmarks Statistik (Statistics Denmark)"',
        'publisher_da = "Danmarks Statistik"',
        f"table = {_toml(table)}",
        f"title = {_toml(title)}",
        f"citation = {_toml(f'Kilde: Danmarks Statistik, {table}')}",
        f"periods = [{_toml(basis)}]",
        "verified = []",
        "checked_by_sums = []",
        "",
        "[api_metadata]",
        f"id = {_toml(str(metadata.get('id', table)))}",
        f"text = {_toml(title)}",
        f"unit = {_toml(str(metadata.get('unit', '')))}",
        f"updated = {_toml(str(metadata.get('updated', '')))}",
        f"contact = {_toml(str(metadata.get('contact', '')))}",
    ]
    return "\n".join(lines) + "\n"


def _toml(text: str) -> str:
    # json.dumps of a str is a valid TOML basic string (both escape quotes, backslashes
    # and control characters the same way).
    return json.dumps(text, ensure_ascii=False)


def _write_atomically(files: dict[Path, bytes]) -> None:
    """Write every file under a temporary name, then rename them all into place; if a
    rename fails, put back what the earlier ones replaced (the set stays as it was)."""
    earlier = {path: _earlier_bytes(path) for path in files}
    temporary: dict[Path, Path] = {}
    replaced: list[Path] = []
    try:
        for path, data in files.items():
            temporary[path] = _written_beside(path, data)
        for path in files:
            os.replace(temporary[path], path)
            replaced.append(path)
    except OSError as error:
        for part in temporary.values():
            part.unlink(missing_ok=True)
        _put_back(replaced, earlier)
        raise InputError(
            lazy("cannot store the fetched figures ({error}); nothing was stored", error=error)
        ) from None


def _written_beside(path: Path, data: bytes) -> Path:
    """``data`` in a new file of a unique temporary name beside ``path``."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
    except OSError:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _earlier_bytes(path: Path) -> bytes | None:
    """What a file about to be replaced holds (a fetched set is a few kB), or ``None``."""
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def _put_back(replaced: list[Path], earlier: Mapping[Path, bytes | None]) -> None:
    """Undo the renames done. Should that fail too, the set's checksum no longer matches
    and the next read says "fetch it again", never using half of two fetches."""
    for path in replaced:
        try:
            before = earlier[path]
            if before is None:
                path.unlink(missing_ok=True)
            else:
                os.replace(_written_beside(path, before), path)
        except OSError:
            continue
