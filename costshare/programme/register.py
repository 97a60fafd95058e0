"""A programme's payer register: address, CVR, EAN and att. for each payer.

A programme may name a register file (``register = "modtagere.csv"``, relative to the
programme), CSV or Excel, read by the same table reader as population files. One row per
payer; ``code`` is required, every other column optional, with English or Danish headers:

========================  ==========================================
column                    Danish header
========================  ==========================================
``code``                  ``kommunekode`` (also ``kode``)
``name``                  ``navn``
``address``               ``adresse``
``postcode``              ``postnr`` (also ``postnummer``)
``city``                  ``by``
``cvr``                   ``cvr`` (8 digits, modulus-11 checked)
``ean``                   ``ean`` (also ``gln``; 13 digits, GS1 check digit)
``attention``             ``att``
``email``                 ``e-mail``
``order_reference``       ``rekvisitionsnummer``
========================  ==========================================

A code that is not a payer of the programme is refused (a typo would otherwise leave a
payer without its address); a payer without a row is allowed. Every error names the
file, the row and the column.

>>> is_valid_cvr("19438414"), is_valid_cvr("19438415")
(True, False)
>>> is_valid_gln("5798000000001"), is_valid_gln("5798000000002")
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

from costshare.base.codes import same_code
from costshare.base.errors import InputError, shown
from costshare.base.i18n import Text, lazy

# Header (case-insensitive, spaces and dots ignored) -> field of RegisterEntry.
HEADERS = {
    "code": "code",
    "kommunekode": "code",
    "kode": "code",
    "name": "name",
    "navn": "name",
    "address": "address",
    "adresse": "address",
    "postcode": "postcode",
    "postnr": "postcode",
    "postnummer": "postcode",
    "city": "city",
    "by": "city",
    "cvr": "cvr",
    "cvrnr": "cvr",
    "cvr-nr": "cvr",
    "ean": "ean",
    "eannr": "ean",
    "ean-nr": "ean",
    "gln": "ean",
    "attention": "attention",
    "att": "attention",
    "email": "email",
    "e-mail": "email",
    "order_reference": "order_reference",
    "rekvisitionsnummer": "order_reference",
    "rekvisitionsnr": "order_reference",
}
_CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


@dataclass(frozen=True)
class RegisterEntry:
    """One payer's row; "" where the register gives nothing."""

    code: str
    name: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    cvr: str = ""
    ean: str = ""
    attention: str = ""
    email: str = ""
    order_reference: str = ""


def load_register(path: Path, payer_codes: Collection[str]) -> dict[str, RegisterEntry]:
    """The register's rows keyed by the payer's own code (``0157`` in the file → ``157``).

    Raises :class:`InputError` naming the cell for an unknown header, a missing or
    unknown or repeated code, a CVR that is not 8 digits or fails the modulus-11 check,
    or an EAN that is not 13 digits with a valid GS1 check digit.
    """
    # Imported here: reading a file needs polars, which a split on packaged data avoids.
    from costshare.population.tables import read_table

    table = read_table(path, lambda header: "code" in _columns(header, None).values())
    source = table.source
    roles = _columns(table.header, source)
    if "code" not in roles.values():
        raise InputError(
            lazy("has no code column; add one headed 'code' or 'kommunekode'"),
            source=source,
            row=1,
        )
    found: dict[str, RegisterEntry] = {}
    for record in table.frame.iter_rows(named=True):
        row = table.row_number(record["_rec"])
        values = {
            role: (record[table.column(index)] or "").strip() for index, role in roles.items()
        }
        code_column = table.header[next(i for i, r in roles.items() if r == "code")]
        code = values["code"]
        if not code:
            raise InputError(
                lazy("the code is empty; give the payer's code"),
                source=source,
                row=row,
                column=code_column,
            )
        payer = next((c for c in payer_codes if same_code(c, code)), None)
        if payer is None:
            raise InputError(
                lazy(
                    "{code} is not a payer of this programme; correct the code or delete the row",
                    code=shown(code),
                ),
                source=source,
                row=row,
                column=code_column,
            )
        if payer in found:
            raise InputError(
                lazy("payer {code} has a second row; keep one", code=code),
                source=source,
                row=row,
                column=code_column,
            )
        for index, role in roles.items():
            problem = _check(role, values[role])
            if problem:
                raise InputError(problem, source=source, row=row, column=table.header[index])
            if role in ("cvr", "ean"):
                values[role] = values[role].replace(" ", "")
        found[payer] = RegisterEntry(**{**values, "code": payer})
    return found


def is_valid_cvr(text: str) -> bool:
    """Whether ``text`` is 8 digits whose weighted sum (2,7,6,5,4,3,2,1) is divisible by 11."""
    if not re.fullmatch(r"[0-9]{8}", text):
        return False
    return sum(int(d) * w for d, w in zip(text, _CVR_WEIGHTS, strict=True)) % 11 == 0


def is_valid_gln(text: str) -> bool:
    """Whether ``text`` is a 13-digit GLN (EAN location number) with a valid GS1 check digit."""
    if not re.fullmatch(r"[0-9]{13}", text):
        return False
    body = [int(d) for d in text[:12]]
    weighted = sum(d * (3 if i % 2 else 1) for i, d in enumerate(body))
    return (10 - weighted % 10) % 10 == int(text[12])


def _columns(header: Sequence[str], source: str | None) -> dict[int, str]:
    """Header index -> role; with a ``source``, an unknown or repeated header is refused."""
    roles: dict[int, str] = {}
    for index, title in enumerate(header):
        key = re.sub(r"[\s.]+", "", title.casefold())
        if not key:
            continue
        role = HEADERS.get(key)
        if source is None:
            if role:
                roles[index] = role
            continue
        if role is None:
            known = ", ".join(field.name for field in fields(RegisterEntry))
            raise InputError(
                lazy(
                    "unknown column {title}; use {known} (or the Danish headers)",
                    title=shown(title),
                    known=known,
                ),
                source=source,
                row=1,
                column=title,
            )
        if role in roles.values():
            raise InputError(
                lazy("a second column for {role}; keep one", role=role),
                source=source,
                row=1,
                column=title,
            )
        roles[index] = role
    return roles


def _check(role: str, value: str) -> Text | None:
    """What is wrong with a CVR or EAN cell, or None."""
    if not value:
        return None
    if role == "cvr":
        digits = value.replace(" ", "")
        if not re.fullmatch(r"[0-9]{8}", digits):
            return lazy(
                "CVR {value} is not 8 digits; write the CVR number, e.g. 19438414",
                value=shown(value),
            )
        if not is_valid_cvr(digits):
            return lazy(
                "CVR {value} fails the CVR check digit; check the number", value=shown(value)
            )
    if role == "ean":
        digits = value.replace(" ", "")
        if not re.fullmatch(r"[0-9]{13}", digits):
            return lazy(
                "EAN {value} is not 13 digits; write the EAN (GLN) number", value=shown(value)
            )
        if not is_valid_gln(digits):
            return lazy(
                "EAN {value} has a wrong check digit (GS1); check the number", value=shown(value)
            )
    return None
