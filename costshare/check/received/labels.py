"""The labels of a payer's workbook that ``verify`` reads back: one owner for the writer
(:mod:`costshare.documents.xlsx.workbooks`, :mod:`~costshare.documents.xlsx.settlement_workbook`,
:mod:`~costshare.documents.xlsx.method_sheet`) and the reader
(:mod:`costshare.check.received.workbook_file`)."""

from __future__ import annotations

SETTLEMENT_SHEET = "Efterregulering"
"""The sheet of a payer's settlement workbook (and of the settlement's overview)."""
PAYER_LABEL = "Betaler"
"""The first row of a payer's workbook (charge or settlement): the payer's name."""
CODE_LABEL = "Kode"
REFERENCE_LABEL = "Reference"
AMOUNT_LABEL = "Beløb (kr.)"
"""The amount a charge asks the payer to pay."""
SETTLEMENT_REFERENCE_LABEL = "Reference for efterreguleringen"
CHARGED_LABEL = "Opkrævet (kr.)"
FINAL_LABEL = "Endeligt beløb (kr.)"
DIFFERENCE_LABEL = "Efterregulering (kr.)"
OVERVIEW_FINAL_LABEL = "Endelig (kr.)"
"""The settlement overview's column of final amounts (a payer's workbook says it in full)."""
METHOD_FIRST_LABEL = "Sag"
"""The first row of the "Metode" sheet under its title (the case)."""
SHA256_LABEL = "SHA-256 ({what})"
"""A row of the "Metode" sheet: the SHA-256 of an input (``programfil x.toml``, …)."""
PROGRAMME_INPUT = "programfil {name}"
"""How an input names the programme file (the manifest's ``inputs`` too)."""
