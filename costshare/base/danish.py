"""Danish formatting of amounts, counts, percentages and dates for documents.

Everything a person reads in an annex, a letter or the split table goes through here,
so the same integer always looks the same: ``1.234.567 kr.``, ``20.415,50 kr.``,
``34,552 %``, ``3. februar 2025``. Only integers and fractions come in; no floats.

>>> format_kr(52500000)
'525.000 kr.'
>>> format_kr(-2041550, decimals=True)
'-20.415,50 kr.'
>>> format_count(1930703)
'1.930.703'
>>> format_percent(667099, 1930703)
'34,552 %'
>>> format_date(date(2025, 2, 3))
'3. februar 2025'
>>> parse_date("3. februar 2025"), parse_date("3.2.2025"), parse_date("2025-02-03")
(datetime.date(2025, 2, 3), datetime.date(2025, 2, 3), datetime.date(2025, 2, 3))
"""

from __future__ import annotations

import re
from datetime import date
from fractions import Fraction

from costshare.base.money import ORE_PER_KRONE

MONTHS = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]


def format_count(value: int) -> str:
    """A whole number with '.' as thousands separator: ``1.930.703``."""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", ".")


def format_kr(amount_ore: int, decimals: bool = False) -> str:
    """An amount in øre as Danish kroner: ``181.399 kr.``, or ``181.399,25 kr.``.

    Øre are shown when ``decimals`` is true or when the amount has øre, so an amount is
    never shown rounded.
    """
    return format_number(amount_ore, decimals) + " kr."


NO_BREAK = "\u00a0"
"""A no-break space: between a number and its unit on a page that breaks lines, so that
"1.012.345" does not end one line and "kr." begin the next."""
_BREAKABLE_AMOUNT = re.compile(r"(?<=[0-9]) (?=(?:kr\.|%|pct\.|øre)(?![^\W_]))")


def unbreakable_amounts(text: str) -> str:
    """``text`` with a no-break space between each number and its unit (``kr.``, ``%``,
    ``pct.``, ``øre``), for a document that breaks lines (a PDF); the amounts themselves
    have no space to break at (``1.012.345``, ``-972``).

    >>> unbreakable_amounts("i alt 1.012.345 kr., 3,889 % og 80,80 øre; 5 kroner")
    'i alt 1.012.345\xa0kr., 3,889\xa0% og 80,80\xa0øre; 5 kroner'
    """
    return _BREAKABLE_AMOUNT.sub(NO_BREAK, text)


def format_number(amount_ore: int, decimals: bool = False) -> str:
    """An amount in øre as a Danish number without the currency: ``181.399``."""
    sign = "-" if amount_ore < 0 else ""
    kroner, ore = divmod(abs(amount_ore), ORE_PER_KRONE)
    text = sign + format_count(kroner)
    if decimals or ore:
        text += f",{ore:02d}"
    return text


def format_fraction(value: Fraction, places: int) -> str:
    """An exact fraction rounded half away from zero to ``places`` decimals, Danish style.

    >>> format_fraction(Fraction(10006485000, 24229), 4)
    '412.996,2029'
    """
    scale = 10**places
    magnitude = abs(value) * scale
    rounded = int(magnitude + Fraction(1, 2))
    whole, fraction = divmod(rounded, scale)
    sign = "-" if value < 0 and rounded else ""
    text = sign + format_count(whole)
    return f"{text},{fraction:0{places}d}" if places else text


def format_percent(part: int, whole: int, places: int = 3) -> str:
    """``part/whole`` as a Danish percentage, rounded half up: ``34,552 %``."""
    return format_fraction(Fraction(100 * part, whole), places) + " %"


def format_date(day: date) -> str:
    """A date the Danish way: ``3. februar 2025``."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


# The ways a Danish reader writes a date: ISO (2025-02-03), day-month-year in digits
# (3.2.2025, 03-02-2025, 3/2/2025: with the four-digit year last, day comes before month,
# so there is one reading) and in words (3. februar 2025, 3 feb. 2025).
_ISO_DATE = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})")
_DIGITS_DATE = re.compile(r"(?P<day>[0-9]{1,2})[-./](?P<month>[0-9]{1,2})[-./](?P<year>[0-9]{4})")
_WORDS_DATE = re.compile(r"(?P<day>[0-9]{1,2})\.? ?(?P<month>[a-zæøå]+)\.? (?P<year>[0-9]{4})")


def parse_date(text: str) -> date | None:
    """A date written the Danish way (``3. februar 2025``, ``3.2.2025``) or as ISO
    (``2025-02-03``), or None if ``text`` is none of these or names no real day. A month
    is its name or the first three or more letters of it (``feb.``, ``sept.``), in any case.

    >>> parse_date("17. Marts 2025"), parse_date("1 dec. 2024"), parse_date("30.2.2025")
    (datetime.date(2025, 3, 17), datetime.date(2024, 12, 1), None)
    """
    text = " ".join(text.split()).casefold()
    if match := _ISO_DATE.fullmatch(text) or _DIGITS_DATE.fullmatch(text):
        month = int(match["month"])
    elif match := _WORDS_DATE.fullmatch(text):
        word = match["month"]
        found = [n for n, name in enumerate(MONTHS, 1) if len(word) >= 3 and name.startswith(word)]
        if not found:
            return None
        month = found[0]
    else:
        return None
    try:
        return date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        return None


def recipients_word(municipal: bool, singular: bool = False, definite: bool = False) -> str:
    """What the recipients of a split are called: municipalities, or any other recipients
    (``definite``: the plural with its article, ``kommunerne``, ``modtagerne``).

    >>> recipients_word(True), recipients_word(False), recipients_word(False, singular=True)
    ('kommuner', 'modtagere', 'modtager')
    >>> recipients_word(True, definite=True), recipients_word(False, definite=True)
    ('kommunerne', 'modtagerne')
    """
    if definite:
        return "kommunerne" if municipal else "modtagerne"
    if municipal:
        return "kommune" if singular else "kommuner"
    return "modtager" if singular else "modtagere"


def format_trimmed(value: Fraction, places: int) -> str:
    """A number to at most ``places`` decimals, without trailing zeros: ``12,5``, ``50``.

    >>> format_trimmed(Fraction(25, 2), 4), format_trimmed(Fraction(50), 4), format_trimmed(Fraction(0), 2)
    ('12,5', '50', '0')
    """
    return format_fraction(value, places).rstrip("0").rstrip(",")


def format_rate(value: Fraction, space: str = " ") -> str:
    """A fraction of one as a Danish percentage to at most 4 decimals: ``50 %``, ``12,5 %``.

    ``space`` goes between number and sign (a no-break space where a line must not break).

    >>> format_rate(Fraction(1, 8)), format_rate(Fraction(1, 2))
    ('12,5 %', '50 %')
    """
    return format_trimmed(value * 100, 4) + space + "%"


def normalise_name(name: str) -> str:
    """Case- and spacing-insensitive form of a name, for matching."""
    return re.sub(r"\s+", " ", name.strip()).casefold().removesuffix(" kommune")


def fold_name(name: str) -> str:
    """A name as people write it without Danish letters or with other spacing, folded to one
    form: case, spaces and hyphens ignored, ``Kommune`` left out, æ/ø/å as ae/oe/aa.

    >>> fold_name("Høje Taastrup Kommune"), fold_name("Lyngby-Tårbæk")
    ('hoejetaastrup', 'lyngbytaarbaek')
    """
    key = normalise_name(name).removesuffix(" regionskommune")
    key = re.sub(r"[\s\-\u2010-\u2013]", "", key)
    for letter, spelt in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        key = key.replace(letter, spelt)
    return key
