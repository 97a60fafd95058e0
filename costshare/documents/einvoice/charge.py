"""What one e-invoice says, independent of its format.

A payer's share becomes a :class:`Charge`: an invoice for a positive amount, a credit
note (with positive amounts, as both formats require) for a negative one, and nothing
for zero. The amounts are the split's integer øre; with ``vat = "standard"`` the share
is the net amount and VAT at the standard rate (25 %, owned by
:data:`~costshare.programme.invoicing.VAT_RATE_PERCENT`) is added on top, rounded half up
to the øre.

The account, the due date and the payment reference are the payer's
:class:`~costshare.programme.payment.PaymentInstruction`, the one its letter and workbook
print. The number is :func:`~costshare.programme.invoicing.einvoice_number`, the one its
letter names. A charge carries its :class:`Attachment` s (the payer's letter and the
annex) as bytes: the writers embed them and never read a file.

A settlement run (``costshare settle``) makes the same documents for the difference
between the final and the charged amount, given a :class:`Settling`: the number gets
:data:`~costshare.programme.invoicing.SETTLEMENT_SUFFIX` (the original invoice keeps its
own), the line says "efterregulering af …", and the earlier e-invoice's number, where the
earlier package recorded one, is the document's billing reference.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from costshare.base.danish import format_date
from costshare.programme.einvoiced import einvoice_number
from costshare.programme.invoicing import VAT_RATE_PERCENT, Invoicing, vat_ore
from costshare.programme.key_wording import charge_words
from costshare.programme.model import ProgrammeResult
from costshare.programme.naming import ANNEX_FILE
from costshare.programme.payers import Payer
from costshare.programme.payment import BankAccount, PaymentInstruction

# Seeds the documents' UUIDs (OIOUBL requires one): the same programme and payer always
# give the same UUID, so documents are byte-reproducible.
_UUID_NAMESPACE = uuid.UUID("5a1c3f0e-6b7d-4e2a-9c1b-2f3e4d5c6b7a")
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ATTACHMENT_TYPES = (PDF, XLSX)
"""The media types an attachment may have: both are in OIOUBL's list (F-LIB091) and in
EN 16931's (BR-CL-24)."""


@dataclass(frozen=True)
class Address:
    """A postal address split the way UBL wants it (any part may be empty)."""

    street: str = ""
    building: str = ""
    postcode: str = ""
    city: str = ""


@dataclass(frozen=True)
class Party:
    """The seller or the buyer of an e-invoice."""

    name: str
    legal_name: str
    cvr: str
    ean: str
    address: Address
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    attention: str = ""
    order_reference: str = ""
    reference: str = ""


@dataclass(frozen=True)
class Attachment:
    """A file the e-invoice carries inside it, so the approver sees it in the ERP."""

    filename: str
    """The file's name in the package (``157-gentofte.pdf``), also its reference."""
    description: str
    """What it is, in Danish (``Brev med beregning af andelen``)."""
    content: bytes
    mime_code: str = PDF


@dataclass(frozen=True)
class Charge:
    """One payer's e-invoice (or credit note), ready to be written in either format."""

    number: str
    credit: bool
    issue_date: date
    net_ore: int
    """The line amount, always positive (a credit note says 'credit' by its type)."""
    vat_ore: int
    vat: str
    line_name: str
    line_description: str
    case_number: str
    note: str
    seller: Party
    buyer: Party
    payment: PaymentInstruction
    """The account, the due date and the payment reference, as the letter prints them."""
    uuid: str
    payer_code: str
    billing_reference: str = ""
    """The number of the earlier invoice this document settles ("" for none)."""
    billing_date: date | None = None
    """That invoice's issue date, where known."""
    attachments: tuple[Attachment, ...] = ()

    @property
    def due(self) -> date:
        assert self.payment.due is not None  # read_invoicing requires [payment] due
        return self.payment.due

    @property
    def account(self) -> BankAccount:
        assert self.payment.account is not None  # read_invoicing requires the account
        return self.payment.account

    @property
    def vat_percent(self) -> int:
        """The VAT rate the documents state (0 outside the standard rate)."""
        return VAT_RATE_PERCENT[self.vat]

    @property
    def payable_ore(self) -> int:
        return self.net_ore + self.vat_ore

    @property
    def signed_amount_ore(self) -> int:
        """The payer's share as the split gives it (negative for a credit)."""
        return -self.net_ore if self.credit else self.net_ore


@dataclass(frozen=True)
class Settling:
    """Makes the documents a settlement (efterregulering) of an earlier charge.

    The payer's ``amount_ore`` is then the difference (final − charged).
    """

    earlier_numbers: Mapping[str, str] = field(default_factory=dict)
    """Payer code → the number of the e-invoice the earlier package sent it."""
    earlier_date: date | None = None
    """The earlier package's letter date (the issue date of its e-invoices)."""


def charge_attachments(letter_file: str, letter: bytes, annex: bytes) -> tuple[Attachment, ...]:
    """What a charge's e-invoice carries: the payer's letter and the annex."""
    return (
        Attachment(letter_file, "Brev med beregning af andelen", letter),
        Attachment(ANNEX_FILE, "Bilag: finansieringen for alle betalere", annex),
    )


def settlement_attachments(
    letter_file: str, letter: bytes, workbook_file: str, workbook: bytes
) -> tuple[Attachment, ...]:
    """What a settlement's e-invoice carries: the payer's settlement letter and workbook."""
    return (
        Attachment(letter_file, "Brev om efterreguleringen", letter),
        Attachment(workbook_file, "Beregning af efterreguleringen (regneark)", workbook, XLSX),
    )


def charge_for(
    result: ProgrammeResult,
    payer: Payer,
    settling: Settling | None = None,
    attachments: tuple[Attachment, ...] = (),
) -> Charge | None:
    """The payer's e-invoice, or None for a zero share (or a zero difference).

    The programme must have ``[invoicing]``. In a settlement, ``payer`` carries the
    difference as its amount and its settlement reference as its reference.
    """
    programme = result.programme
    invoicing = programme.invoicing
    assert invoicing is not None, "e-invoices need [invoicing]"
    if payer.amount_ore == 0:
        return None
    net = abs(payer.amount_ore)
    number = einvoice_number(programme, payer.code, settlement=settling is not None)
    share = charge_words(result.municipal) if payer.municipal else "andel som medfinansierende part"
    decision = f"Beslutning i {programme.decision_body} {format_date(programme.decision_date)}"
    if programme.decision_item:
        decision += f", punkt {programme.decision_item}"
    earlier = ""
    if settling is not None:
        share = f"efterregulering af {share}"
        earlier = settling.earlier_numbers.get(payer.code, "")
        settled = f"faktura {earlier}" if earlier else "den tidligere opkrævning"
        if settling.earlier_date is not None:
            settled += f" af {format_date(settling.earlier_date)}"
        decision = f"Efterregulering af {settled}. {decision}"
    return Charge(
        number=clean(number),
        credit=payer.amount_ore < 0,
        issue_date=programme.letter_date,
        net_ore=net,
        vat_ore=vat_ore(net, invoicing.vat),
        vat=invoicing.vat,
        line_name=clean(f"{programme.short_title}: {share}"),
        line_description=clean(programme.title),
        case_number=clean(programme.case_number),
        note=clean(f"{decision} (sag {programme.case_number})"),
        seller=_seller(result, invoicing),
        buyer=_buyer(payer),
        payment=programme.payment.instruction(clean(payer.reference)),
        uuid=str(uuid.uuid5(_UUID_NAMESPACE, f"{programme.sha256}/{number}")),
        payer_code=payer.code,
        billing_reference=clean(earlier),
        billing_date=settling.earlier_date if settling is not None and earlier else None,
        attachments=attachments,
    )


def _seller(result: ProgrammeResult, invoicing: Invoicing) -> Party:
    programme = result.programme
    sender, contact = programme.sender, programme.contact
    name = sender.get("name", "")
    return Party(
        name=clean(name),
        legal_name=clean(sender.get("organisation") or name),
        cvr=invoicing.seller_cvr,
        ean=invoicing.seller_ean,
        address=split_address(sender.get("address", "")),
        contact_name=clean(contact.get("name", "")),
        email=clean(contact.get("email") or sender.get("email", "")),
        phone=clean(contact.get("phone", "")),
    )


def _buyer(payer: Payer) -> Party:
    return Party(
        name=clean(payer.official_name or payer.name),
        legal_name=clean(payer.official_name or payer.name),
        cvr=payer.cvr.strip().removeprefix("DK"),
        ean=payer.ean.strip(),
        address=split_address(payer.address, payer.postcode, payer.city),
        attention=clean(payer.attention),
        order_reference=clean(payer.order_reference),
        reference=clean(payer.reference),
    )


_STREET = re.compile(r"^(?P<street>.*?\S)\s+(?P<number>\d+\s?[A-Za-zÆØÅæøå]?(?:[-,]\s*\S+)*)$")
_TOWN = re.compile(r"^(?P<postcode>\d{4})\s+(?P<city>.+)$")


def split_address(address: str, postcode: str = "", city: str = "") -> Address:
    """``Kongens Vænge 2, 3400 Hillerød`` → street, building number, postcode and city.

    >>> split_address("Kongens Vænge 2, 3400 Hillerød")
    Address(street='Kongens Vænge', building='2', postcode='3400', city='Hillerød')
    >>> split_address("Rådhuset", "2620", "Albertslund")
    Address(street='Rådhuset', building='', postcode='2620', city='Albertslund')
    """
    lines = [part.strip() for part in clean(address).split(",") if part.strip()]
    if not postcode and lines and (town := _TOWN.match(lines[-1])):
        postcode, city = town["postcode"], town["city"]
        lines.pop()
    street = ", ".join(lines)
    building = ""
    if match := _STREET.match(street):
        street, building = match["street"], match["number"]
    return Address(street, building, clean(postcode), clean(city))


def clean(text: str) -> str:
    """Text fit for an XML element: control characters become spaces, runs of blanks one
    space (XML 1.0 cannot carry most control characters at all)."""
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cs") else c for c in text)
    return " ".join(text.split())


def decimal(ore: int) -> str:
    """Øre as the decimal text UBL amounts use: ``123456`` → ``1234.56``."""
    sign = "-" if ore < 0 else ""
    return f"{sign}{abs(ore) // 100}.{abs(ore) % 100:02d}"
