"""Danish business identifiers: GLN/EAN location numbers, CVR numbers, and bank accounts.

A CVR number is 8 digits whose weighted sum (weights 2, 7, 6, 5, 4, 3, 2, 1) is divisible by
11 (the modulus-11 check of the CVR register). An EAN (GS1 Global Location Number) is 13 digits whose last digit is a GS1 check digit;
NemHandel routes a municipality's invoices to its EAN location.

>>> gln_ok("5798000000001"), gln_ok("5798009811578")
(True, True)
>>> gln_ok("5798000000002"), gln_ok("579800000000"), gln_ok("579800000000x")
(False, False, False)
>>> cvr_ok("29189897"), cvr_ok("2918989"), cvr_ok("DK29189897")
(True, False, False)
>>> cvr_check_ok("19438414"), cvr_check_ok("19438415")
(True, False)

An IBAN (ISO 13616) is a country code, two check digits and the national account number;
moving the first four characters to the end and reading letters as numbers (A = 10 …
Z = 35) gives a number whose remainder modulo 97 is 1. Danish IBANs (and those of the
Faroe Islands and Greenland) have 18 characters. A BIC (ISO 9362) is 8 or 11 characters:
bank, country, location and an optional branch.

>>> iban_ok("DK5000400440116243"), iban_ok("DK5000400440116244"), iban_ok("DK500040044011624")
(True, False, False)
>>> bic_ok("DABADKKK"), bic_ok("DABADKKKXXX"), bic_ok("DABA DKKK")
(True, True, False)
"""

from __future__ import annotations


def gln_check_digit(digits: str) -> int:
    """The GS1 check digit for ``digits``: weights 3 and 1 from the right, mod 10."""
    total = sum(
        int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(reversed(digits))
    )
    return (10 - total % 10) % 10


def gs1_check_ok(text: str) -> bool:
    """Whether the last digit of ``text`` (digits only, any length) is its GS1 check digit,
    as Peppol's GLN rule checks it (PEPPOL-COMMON-R040)."""
    return (
        len(text) >= 2
        and text.isascii()
        and text.isdigit()
        and gln_check_digit(text[:-1]) == int(text[-1])
    )


def gln_ok(text: str) -> bool:
    """Whether ``text`` is an EAN location number: 13 digits with a correct check digit."""
    return len(text) == 13 and gs1_check_ok(text)


def cvr_ok(text: str) -> bool:
    """Whether ``text`` is a CVR number as the e-invoice formats take it: 8 digits."""
    return len(text) == 8 and text.isascii() and text.isdigit()


_CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def cvr_check_ok(text: str) -> bool:
    """Whether ``text`` is a CVR number that passes the modulus-11 check."""
    return (
        cvr_ok(text) and sum(int(d) * w for d, w in zip(text, _CVR_WEIGHTS, strict=True)) % 11 == 0
    )


# The IBAN lengths of the Danish realm; other countries are held to ISO 13616's bounds.
_IBAN_LENGTHS = {"DK": 18, "FO": 18, "GL": 18}


def iban_ok(text: str) -> bool:
    """Whether ``text`` (upper case, no spaces) is an IBAN whose check digits are right."""
    if not (15 <= len(text) <= 34 and text.isascii() and text.isalnum()):
        return False
    country, check = text[:2], text[2:4]
    if not (country.isalpha() and country.isupper() and check.isdigit()):
        return False
    if _IBAN_LENGTHS.get(country, len(text)) != len(text):
        return False
    if not all(char.isdigit() or char.isupper() for char in text):
        return False
    rearranged = text[4:] + text[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def bic_ok(text: str) -> bool:
    """Whether ``text`` (upper case, no spaces) has a BIC's form: 4 letters for the bank,
    2 for the country, 2 letters or digits for the place, and optionally 3 for a branch."""
    return (
        len(text) in (8, 11)
        and text.isascii()
        and text[:6].isalpha()
        and text[:6].isupper()
        and all(char.isdigit() or char.isupper() for char in text[6:])
    )
