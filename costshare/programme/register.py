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
payer without its address); a payer without a row is allowed. A municipality's CVR must be
its own in the packaged official register (a CVR that is another municipality's is
refused naming both), and no two payers may share an EAN. Every error names the file,
the row and the column.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

from costshare.base.codes import same_code
from costshare.base.errors import InputError, shown
from costshare.base.i18n import Text, lazy
from costshare.base.identifiers import cvr_check_ok, gln_ok
from costshare.population.municipalities import municipality, municipality_with_cvr

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


def load_register(
    path: Path, payer_codes: Collection[str], municipalities: Collection[str] = ()
) -> dict[str, RegisterEntry]:
    """The register's rows keyed by the payer's own code (``0157`` in the file → ``157``).

    ``municipalities`` are the payer codes that are Danish municipalities: their CVR must
    be the one the packaged official register gives them.

    Raises :class:`InputError` naming the cell for an unknown header, a missing or
    unknown or repeated code, a CVR that is not 8 digits or fails the modulus-11 check, a
    municipality's CVR that is not its own (naming whose it is), an EAN that is not 13
    digits with a valid GS1 check digit, or an EAN a payer above already has.
    """
    # Imported here: a split on packaged data reads no file.
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
    eans: dict[str, tuple[str, int]] = {}  # EAN -> (payer code, row)
    code_column = next(i for i, r in roles.items() if r == "code")
    for rec, cells in table.rows:
        row = table.row_number(rec)
        values = {role: (cells[index] or "").strip() for index, role in roles.items()}
        payer, problem = _payer(values["code"], payer_codes, found)
        if payer is None:
            raise InputError(problem, source=source, row=row, column=table.header[code_column])
        for index, role in roles.items():
            if role not in ("cvr", "ean") or not values[role]:
                continue
            problem = _check(role, values[role])
            values[role] = values[role].replace(" ", "")
            problem = problem or _implausible(role, values[role], payer, municipalities, eans)
            if problem:
                raise InputError(problem, source=source, row=row, column=table.header[index])
        if values.get("ean"):
            eans[values["ean"]] = (payer, row)
        found[payer] = RegisterEntry(**{**values, "code": payer})
    return found


def _payer(
    code: str, payer_codes: Collection[str], found: Collection[str]
) -> tuple[str, None] | tuple[None, Text]:
    """The payer code a register row is for, or what is wrong with the row's code."""
    if not code:
        return None, lazy("the code is empty; give the payer's code")
    payer = next((c for c in payer_codes if same_code(c, code)), None)
    if payer is None:
        return None, lazy(
            "{code} is not a payer of this programme; correct the code or delete the row",
            code=shown(code),
        )
    if payer in found:
        return None, lazy("payer {code} has a second row; keep one", code=code)
    return payer, None


def _implausible(
    role: str,
    value: str,
    payer: str,
    municipalities: Collection[str],
    eans: dict[str, tuple[str, int]],
) -> Text | None:
    """A valid CVR or EAN that cannot be this payer's: another municipality's CVR, or an
    EAN a payer above already has."""
    if role == "cvr" and payer in municipalities:
        return _not_its_cvr(payer, value)
    if role == "ean" and value in eans:
        return _shared_ean(value, payer, *eans[value])
    return None


def _not_its_cvr(code: str, cvr: str) -> Text | None:
    """Why ``cvr`` is not municipality ``code``'s CVR in the official register, or None."""
    official = municipality(code)
    if official is None or official.cvr == cvr:
        return None
    owner = municipality_with_cvr(cvr)
    if owner is not None:
        return lazy(
            "CVR {cvr} is {owner} ({owner_code}), not {name} ({code}), whose CVR is "
            "{official}; correct the CVR",
            cvr=cvr,
            owner=owner.official_name,
            owner_code=owner.code,
            name=official.official_name,
            code=official.code,
            official=official.cvr,
        )
    return lazy(
        "CVR {cvr} is not {name}'s: the official register gives {official}; correct the "
        "CVR or leave the cell empty",
        cvr=cvr,
        name=official.official_name,
        official=official.cvr,
    )


def _shared_ean(ean: str, code: str, first_code: str, first_row: int) -> Text:
    return lazy(
        "EAN {ean} of payer {code} is also payer {first}'s (row {row}); each payer needs its "
        "own EAN, or both invoices reach one mailbox",
        ean=ean,
        code=code,
        first=first_code,
        row=first_row,
    )


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
        if not cvr_check_ok(digits):
            return lazy(
                "CVR {value} fails the CVR check digit; check the number", value=shown(value)
            )
    if role == "ean":
        digits = value.replace(" ", "")
        if not re.fullmatch(r"[0-9]{13}", digits):
            return lazy(
                "EAN {value} is not 13 digits; write the EAN (GLN) number", value=shown(value)
            )
        if not gln_ok(digits):
            return lazy(
                "EAN {value} has a wrong check digit (GS1); check the number", value=shown(value)
            )
    return None
