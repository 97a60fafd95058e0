"""What ``costshare verify FILE`` prints: what the file is, then OK or each difference.

The first line names what was given as a person would ("Gentofte Kommunes brev om
TeleHjerte, forlængelse 2025, SAG-2024-05018"); the second says OK, with what was
re-derived from (programme, basis, fingerprint), or lists every difference with what
was expected and what was found, file by file for a package.
"""

from __future__ import annotations

from costshare.base.danish import format_kr
from costshare.base.i18n import language, ntr, tr
from costshare.check.received.outcome import Difference, Verdict
from costshare.documents.pdf.letter_basis import genitive


def _owner(name: str) -> str:
    """A payer's name as the owner of a document: ``Gentofte Kommunes`` (Danish),
    ``Gentofte Kommune's`` (English)."""
    return genitive(name) if language() == "da" else f"{name}'s"


def describe(verdict: Verdict) -> str:
    """What was given, in words."""
    fields = {"title": verdict.short_title, "case": verdict.case_number}
    owner = _owner(verdict.payer) if verdict.payer else ""
    kind = verdict.kind
    if kind == "letter":
        return tr("{owner} letter about {title}, {case}", owner=owner, **fields)
    if kind == "settlement-letter":
        return tr("{owner} settlement letter about {title}, {case}", owner=owner, **fields)
    if kind == "annex":
        return tr("the annex (financing per municipality) of {title}, {case}", **fields)
    if kind == "review":
        return tr("the review copy of every letter of {title}, {case}", **fields)
    if kind == "settlement-review":
        return tr("the review copy of every settlement letter of {title}, {case}", **fields)
    if kind == "workbook":
        return tr("{owner} workbook for {title}, {case}", owner=owner, **fields)
    if kind == "overview":
        return tr("the overview (financing per municipality) of {title}, {case}", **fields)
    if kind == "settlement-overview":
        return tr("the settlement overview of {title}, {case}", **fields)
    if kind == "einvoice":
        detail = verdict.detail
        return tr("{owner} e-invoice {detail} about {title}, {case}", owner=owner, detail=detail, **fields)  # fmt: skip
    if kind == "credit-note":
        detail = verdict.detail
        return tr("{owner} credit note {detail} about {title}, {case}", owner=owner, detail=detail, **fields)  # fmt: skip
    if kind in ("programme", "population", "register", "index"):
        return tr("the package's copy of a file it was computed from, {title}, {case}", **fields)
    count = len(verdict.documents)
    if kind == "zip":
        return tr("a zip of the package of {title}, {case} ({count} files)", count=count, **fields)
    return tr("the package of {title}, {case} ({count} files)", count=count, **fields)


def _basis(verdict: Verdict) -> str:
    return tr(
        "the programme {programme} and population {basis} (fingerprint {fingerprint})",
        programme=verdict.programme_file,
        basis=verdict.basis,
        fingerprint=verdict.fingerprint,
    )


def render_received(verdict: Verdict) -> str:
    """The report: the description, then OK or the differences."""
    lines = [f"{verdict.source}: {describe(verdict)}"]
    if verdict.what_if:  # the same fingerprint as the decided run's, so say it here
        changes = "; ".join(verdict.what_if)
        lines.append(tr("a draft (what-if: {changes}), not a claim", changes=changes))
    basis = _basis(verdict)
    if verdict.ok:
        lines.append(_ok(verdict, basis))
        return "\n".join(lines) + "\n"
    count = len(verdict.differences)
    lines.append(
        ntr(
            "does NOT agree with costshare's own computation from {basis}; {count} difference:",
            "does NOT agree with costshare's own computation from {basis}; {count} differences:",
            count,
            basis=basis,
            count=count,
        )
    )
    package = verdict.kind in ("package", "zip")
    for document in verdict.documents:
        lines += [f"  {_difference(d, package)}" for d in document.differences]
    return "\n".join(lines) + "\n"


def _ok(verdict: Verdict, basis: str) -> str:
    if verdict.amount_ore is not None:
        amount = format_kr(verdict.amount_ore, verdict.shows_ore)
        return tr(
            "OK: {amount}, reference {reference}, agrees with costshare's own computation from {basis}",
            amount=amount,
            reference=verdict.reference,
            basis=basis,
        )
    if verdict.kind in ("package", "zip"):
        return tr(
            "OK: all {count} files agree with costshare's own computation from {basis}",
            count=len(verdict.documents),
            basis=basis,
        )
    return tr("OK: every amount agrees with costshare's own computation from {basis}", basis=basis)


def _difference(difference: Difference, package: bool) -> str:
    where = f"{difference.source}: " if package else ""
    if not difference.expected and not difference.found:
        return f"{where}{difference.what}"
    return tr(
        "{where}{what}: expected {expected}, found {found}",
        where=where,
        what=difference.what,
        expected=difference.expected,
        found=difference.found,
    )
