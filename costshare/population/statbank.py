"""Fetching population figures from Statistics Denmark's StatBank API, with provenance.

``costshare data fetch --quarter 2024K4 [--ages 0-17]`` asks the public API
(``https://api.statbank.dk/v1``, or ``--api-url`` / ``COSTSHARE_STATBANK_URL``) for FOLK1A
(quarters) or FOLK1AM (months), by municipality. Two calls, both POST with a JSON body:

* ``{base}/tableinfo`` – the table's own metadata: its title, when it was last updated and
  which periods it holds (so an unknown quarter is refused before any data is asked for);
* ``{base}/data`` – ``format = "CSV"`` (semicolon-separated, header ``OMRÅDE;TID;INDHOLD``,
  codes rather than labels with ``valuePresentation = "Code"``). Variables left out (KØN,
  CIVILSTAND, and ALDER for all ages) are eliminated to their totals by the server; an age
  group is summed on the server with ``sum(label=0,1,…,17)``.

The result is stored in the user data folder as a CSV in the packaged layout (``code,
name, region, <basis>``) with a ``.source.toml`` beside it: the request body, the
response's SHA-256, the retrieval time (UTC), the table and the API's metadata. Both files
are written to temporary names and renamed into place only when everything checked out,
so a failed fetch leaves nothing behind.

Every failure is one :class:`InputError` line: no connection, an HTTP error, a period the
table does not hold, fewer than 98 municipalities, or a response laid out differently.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.population.datasets import (
    Dataset,
    age_range,
    fetched_dir,
    is_month,
    normalise_basis,
    read_fetched,
)
from costshare.population.packaged import municipality_names

DEFAULT_URL = "https://api.statbank.dk/v1"
MAX_AGE = 125  # FOLK1A's and FOLK1AM's oldest single age
TIMEOUT_SECONDS = 60
_IGNORED_AREAS = {"000", "081", "082", "083", "084", "085", "411"}  # totals and Christiansø


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


def request_body(period: str, ages: tuple[int, int | None] | None) -> dict[str, Any]:
    """The JSON body of the data call for one period and an optional age group.

    >>> request_body("2024K4", (0, 2))["variables"][2]
    {'code': 'ALDER', 'values': ['sum(0-2=0,1,2)']}
    """
    variables: list[dict[str, Any]] = [
        {"code": "OMRÅDE", "values": ["*"]},
        {"code": "Tid", "values": [period]},
    ]
    if ages is not None:
        low, high = ages
        top = MAX_AGE if high is None else high
        label = f"{low}-" if high is None else f"{low}-{high}"
        values = ",".join(str(age) for age in range(low, top + 1))
        variables.append({"code": "ALDER", "values": [f"sum({label}={values})"]})
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

    Raises :class:`InputError` for a bad period or age group, a network or HTTP error, a
    period the table does not hold, or a response that is not 98 municipalities.
    """
    basis = _basis(period, ages)
    normal_period = basis.split(":")[0]
    base = api_url(url)
    table = table_for(normal_period)
    info_body = {"table": table, "format": "JSON", "lang": "da"}
    metadata = _metadata(_post(f"{base}/tableinfo", info_body), table)
    known = _periods(metadata)
    if normal_period not in known:
        if known:
            problem = lazy(
                "StatBank's {table} has no period {period}; the newest is {newest}",
                table=table,
                period=normal_period,
                newest=known[-1],
            )
        else:
            problem = lazy(
                "StatBank's {table} has no period {period}", table=table, period=normal_period
            )
        raise InputError(problem)
    body = request_body(normal_period, age_range(basis))
    raw = _post(f"{base}/data", body)
    counts = _parse_counts(raw, normal_period)
    retrieved = datetime.now(UTC).replace(microsecond=0)
    return _store(basis, table, counts, raw, body, metadata, base, retrieved, folder)


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


def _post(url: str, body: dict[str, Any]) -> bytes:
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            data: bytes = response.read()
            return data
    except urllib.error.HTTPError as error:
        detail = _api_message(error.read())
        raise InputError(
            lazy(
                "StatBank answered {url} with HTTP {code}{detail}; nothing was stored",
                url=url,
                code=error.code,
                detail=detail,
            )
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise InputError(
            lazy(
                "cannot reach StatBank at {url} ({reason}); check the connection or --api-url",
                url=url,
                reason=reason,
            )
        ) from None


def _api_message(raw: bytes) -> str:
    try:
        message = json.loads(raw.decode("utf-8")).get("message", "")
    except (ValueError, AttributeError, UnicodeDecodeError):
        return ""
    return f" ({' '.join(str(message).split())[:200]})" if message else ""


def _metadata(raw: bytes, table: str) -> dict[str, Any]:
    try:
        metadata = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise InputError(
            lazy(
                "StatBank's table information for {table} is not JSON; the API may have changed",
                table=table,
            )
        ) from None
    if not isinstance(metadata, dict) or not isinstance(metadata.get("variables"), list):
        raise InputError(
            lazy(
                "StatBank's table information for {table} has no variables; "
                "the API may have changed",
                table=table,
            )
        )
    return metadata


def _periods(metadata: dict[str, Any]) -> list[str]:
    for variable in metadata["variables"]:
        if isinstance(variable, dict) and str(variable.get("id", "")).casefold() == "tid":
            return [str(value.get("id")) for value in variable.get("values", [])]
    raise InputError(
        lazy("StatBank's table information has no Tid variable; the API may have changed")
    )


def _parse_counts(raw: bytes, period: str) -> dict[str, int]:
    """Municipality code → figure, from the semicolon-separated CSV of the data call."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(lazy("StatBank's answer is not UTF-8 text; nothing was stored")) from None
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = [cell.strip().upper() for cell in rows[0]] if rows else []
    if not header or header[0] != "OMRÅDE" or header[-1] != "INDHOLD" or "TID" not in header:
        raise InputError(
            lazy(
                "StatBank's answer has the columns {columns}, not "
                "OMRÅDE;…;TID;INDHOLD; the table's layout has changed, nothing was stored",
                columns=";".join(header) or lazy("none"),
            )
        )
    time_column = header.index("TID")
    known = municipality_names()
    counts: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        code = row[0].strip().lstrip("0") or "0"
        if len(row) != len(header) or row[time_column].strip() != period:
            raise InputError(
                lazy(
                    "StatBank's answer, line {line}: not a row for {period}",
                    line=number,
                    period=period,
                )
            )
        if row[0].strip().zfill(3) in _IGNORED_AREAS:
            continue
        if code not in known:
            raise InputError(
                lazy(
                    "StatBank's answer, line {line}: {value} is not one of the 98 "
                    "municipalities; the table's layout has changed, nothing was stored",
                    line=number,
                    value=repr(row[0]),
                )
            )
        value = row[-1].strip()
        if not value.isdecimal():
            raise InputError(
                lazy(
                    "StatBank's answer, line {line}: {value} is not a count",
                    line=number,
                    value=repr(value),
                )
            )
        counts[code] = int(value)
    if len(counts) < len(known):
        missing = sorted(set(known) - set(counts), key=int)
        raise InputError(
            lazy(
                "StatBank's answer holds {count} of the 98 municipalities (missing "
                "{missing}); nothing was stored",
                count=len(counts),
                missing=", ".join(missing[:5]) + (" …" if len(missing) > 5 else ""),
            )
        )
    return counts


def _store(
    basis: str,
    table: str,
    counts: dict[str, int],
    raw: bytes,
    body: dict[str, Any],
    metadata: dict[str, Any],
    url: str,
    retrieved: datetime,
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
    sidecar = _sidecar(basis, table, csv_bytes, raw, body, metadata, url, retrieved)
    csv_path, toml_path = folder / f"{stem}.csv", folder / f"{stem}.source.toml"
    _write_atomically({csv_path: csv_bytes, toml_path: sidecar.encode("utf-8")})
    return Fetched(basis, read_fetched(csv_path, toml_path), csv_path)


def _sidecar(
    basis: str,
    table: str,
    csv_bytes: bytes,
    raw: bytes,
    body: dict[str, Any],
    metadata: dict[str, Any],
    url: str,
    retrieved: datetime,
) -> str:
    title = str(metadata.get("text", ""))
    lines = [
        f"# Fetched by costshare data fetch from Statistics Denmark's StatBank API ({basis}).",
        f"dataset = {_toml(f'{table}_{basis}')}",
        f"sha256 = {_toml(hashlib.sha256(csv_bytes).hexdigest())}",
        f"response_sha256 = {_toml(hashlib.sha256(raw).hexdigest())}",
        f"retrieved_at = {_toml(retrieved.isoformat().replace('+00:00', 'Z'))}",
        f"api_url = {_toml(url)}",
        f"request_body = {_toml(json.dumps(body, ensure_ascii=False))}",
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
    """Write every file under a temporary name, then rename them all into place."""
    temporary = {path: path.with_name(f".{path.name}.part") for path in files}
    try:
        for path, data in files.items():
            temporary[path].write_bytes(data)
        for path in files:
            os.replace(temporary[path], path)
    except OSError as error:
        for part in temporary.values():
            part.unlink(missing_ok=True)
        raise InputError(
            lazy("cannot store the fetched figures ({error}); nothing was stored", error=error)
        ) from None
