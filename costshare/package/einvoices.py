"""Making and validating the package's e-invoices (``einvoices/`` in a ``run`` package).

One document per payer and format named in ``[invoicing]``: ``einvoices/157-gentofte-
oioubl.xml`` and ``…-peppol.xml``. A payer needs an EAN and a person reference
(``attention``) from the payer register to get one; the others are named in one warning
(their letters still go out). A zero share gets no document. Every document is
validated as it is written; an invalid one stops the run with its file and first failed
rule, so a package never holds a document a receiver would bounce.

Who gets a document is :func:`~costshare.programme.invoicing.invoiced_payers`, the
decision the letters also ask (a letter names its e-invoice). Each document carries the
payer's letter and the annex as attachments, handed over as bytes by the package that
wrote them first.

The settlement run writes the same documents for the differences (``settling``): the
payers it gives carry the difference as their amount, so an extra charge is an invoice,
a credit a credit note and no change no document (see :class:`~.charge.Settling`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from costshare.base.errors import CostshareError
from costshare.base.i18n import lazy, tr
from costshare.base.money import format_plain
from costshare.documents.einvoice.charge import Attachment, Settling, charge_for
from costshare.package.staging import Stage
from costshare.programme.einvoiced import einvoice_number, invoiced_payers
from costshare.programme.model import ProgrammeResult
from costshare.programme.naming import EINVOICE_FOLDER
from costshare.programme.payers import Payer


class InvalidEinvoiceError(CostshareError):
    """A generated e-invoice fails validation; the package is not written."""


@dataclass
class EinvoiceOutput:
    """What an :class:`EinvoiceWriter` wrote: manifest entries and warnings."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def einvoice_count(result: ProgrammeResult, everyone: Sequence[Payer]) -> int:
    """How many documents an :class:`EinvoiceWriter` will write (for a progress bar)."""
    invoicing = result.programme.invoicing
    if invoicing is None:
        return 0
    return len(invoiced_payers(everyone)[0]) * len(invoicing.formats)


class EinvoiceWriter:
    """The e-invoices written payer by payer, as each payer's letter is done (a run writes
    them beside its letters, while typst sets the next ones), validated and handed to the
    stage as ``einvoices/…``. Writes nothing for a programme without ``[invoicing]``. With
    ``settling`` the documents settle an earlier charge (``everyone``'s amounts are the
    differences).

    What stops the run (two payers with one number, a document that fails a rule) is
    raised by :meth:`finish`, after the letters, the first of them as when every
    e-invoice was written after every letter: a letter's error still comes first.
    """

    def __init__(
        self,
        result: ProgrammeResult,
        everyone: Sequence[Payer],
        stage: Stage,
        progress: Callable[[int], Any] = lambda n: None,
        settling: Settling | None = None,
    ) -> None:
        self._result, self._stage, self._progress = result, stage, progress
        self._settling = settling
        self._output = EinvoiceOutput()
        self._failure: InvalidEinvoiceError | None = None
        self._invoicing = result.programme.invoicing
        self._chosen: set[str] = set()
        if self._invoicing is None:  # nothing to write: the writers and rules are not imported
            return
        chosen, missing = invoiced_payers(everyone)
        self._chosen = {payer.code for payer in chosen}
        self._output.warnings.extend(_left_out(missing))
        try:
            _check_numbers(result, chosen, settling)
        except InvalidEinvoiceError as failure:
            self._failure = failure

    def write(self, payer: Payer, attachments: tuple[Attachment, ...] = ()) -> None:
        """Write, validate and stage ``payer``'s documents (none if it gets none)."""
        if self._invoicing is None or self._failure is not None or payer.code not in self._chosen:
            return
        from costshare.check.einvoice.validate import validate_document
        from costshare.documents.einvoice.formats import WRITERS

        charge = charge_for(self._result, payer, self._settling, attachments)
        assert charge is not None  # zero shares were left out above
        for name in self._invoicing.formats:
            xml = WRITERS[name](charge)
            path = f"{EINVOICE_FOLDER}/{payer.stem}-{name}.xml"
            report = validate_document(xml)
            if not report.valid:
                self._failure = _invalid(path, name, payer, report.errors)
                return
            self._output.entries.append(
                {
                    "path": path,
                    "kind": "einvoice",
                    "sha256": self._stage.add(path, xml),
                    "format": name,
                    "code": payer.code,
                    "name": payer.name,
                    "document": "credit note" if charge.credit else "invoice",
                    "amount": format_plain(payer.amount_ore, self._result.programme.unit),
                    "reference": charge.number,
                }
            )
            self._progress(1)

    def finish(self) -> EinvoiceOutput:
        """What was written; raises the first :class:`InvalidEinvoiceError` met."""
        if self._failure is not None:
            raise self._failure
        return self._output


def _left_out(missing: dict[str, list[Payer]]) -> list[str]:
    """A warning for each thing payers lack to get an e-invoice."""
    warnings = []
    for lacking, left_out in missing.items():
        if left_out:
            names = ", ".join(f"{payer.code} {payer.name}" for payer in left_out)
            warnings.append(
                tr(
                    "no e-invoice for {count} payer(s) without {lacking} in the payer "
                    "register: {names} (their letters still go out)",
                    count=len(left_out),
                    lacking=tr(lacking),
                    names=names,
                )
            )
    return warnings


def _invalid(path: str, name: str, payer: Payer, errors: Sequence[Any]) -> InvalidEinvoiceError:
    """The error for a document that fails a rule: its file and first failed rule."""
    first = errors[0]
    more = len(errors) - 1
    # The rule's text is quoted as the rule set publishes it (English).
    rule = f"{first.rule}: {first.text}"
    return InvalidEinvoiceError(
        lazy(
            "{path}: the {format} e-invoice for {code} {name} fails rule {rule} (and {more} more); check the payer register and [invoicing] (costshare einvoice validate lists every rule)",
            path=path,
            format=name,
            code=payer.code,
            name=payer.name,
            rule=rule,
            more=more,
        )
        if more
        else lazy(
            "{path}: the {format} e-invoice for {code} {name} fails rule {rule}; check the payer register and [invoicing] (costshare einvoice validate lists every rule)",
            path=path,
            format=name,
            code=payer.code,
            name=payer.name,
            rule=rule,
        )
    )


def _check_numbers(result: ProgrammeResult, chosen: list[Payer], settling: Settling | None) -> None:
    programme = result.programme
    numbers: dict[str, Payer] = {}
    for payer in chosen:
        number = einvoice_number(programme, payer.code, settlement=settling is not None)
        if number in numbers:
            raise InvalidEinvoiceError(
                lazy(
                    "{path}: key 'invoicing.number': payers {first} and {second} would both get number {number}; include {{code}} in the pattern",
                    path=programme.path,
                    first=numbers[number].code,
                    second=payer.code,
                    number=repr(number),
                )
            )
        numbers[number] = payer
