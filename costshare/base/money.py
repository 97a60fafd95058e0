"""Exact parsing and plain formatting of Danish kroner amounts.

Amounts are held as whole øre in a Python ``int`` (1 kr. = 100 øre); a float never
touches money. Text is parsed with :class:`decimal.Decimal` only to read it exactly.

Accepted forms (only forms with a single reading are accepted; a separator that could
be either a thousands separator or a decimal point is never guessed):

* plain digits with an optional decimal point or comma: ``525000``, ``525000.00``,
  ``525000,5``, ``-1250.75``;
* thousands separators together with a decimal part: ``525.000,00`` (Danish),
  ``525,000.00`` (English);
* repeated thousands separators: ``1.050.000``, ``1,050,000``; spaces or ``_`` as
  separators: ``1 050 000``;
* an optional ``kr.``/``kr``/``DKK`` before or after the number.

* a single separator followed by exactly three digits is a thousands separator in an
  amount or a unit (``525.000``, ``1,050``, ``525.000 kr.``): money has at most two
  decimals, so that is the only reading. Elsewhere (percentages, weights), where three
  decimals are possible, such a number is refused with both readings shown.

The rounding unit is what shares are rounded to: ``1`` (whole kroner, the default),
``0.01`` (øre) or a coarser unit such as ``100``. It must be a whole number of øre.

>>> parse_amount("1.050.000")
105000000
>>> parse_amount("525.000,00 kr.")
52500000
>>> parse_amount("525.000 kr."), parse_amount("1,050"), parse_amount("525,00")
(52500000, 105000, 52500)
>>> Unit.parse("0.01").to_units(parse_amount("-12,34"))
-1234
>>> format_plain(18139925, Unit.parse("0.01"))
'181399.25'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from costshare.base.errors import InputError, shown
from costshare.base.i18n import lazy, mark
from costshare.base.limits import MAX_NUMBER_DIGITS

ORE_PER_KRONE = 100

_CURRENCY = re.compile(r"^(?:dkk|kr\.?)\s*|\s*(?:dkk|kr\.?)$", re.IGNORECASE)
# ASCII digits only: ``\d`` would also take Arabic-Indic or full-width digits, which no
# Danish finance system writes and which would slip past every check a person can do.
_GROUPED = re.compile(r"^[0-9]{1,3}(?:X[0-9]{3})+$")
_DIGITS = re.compile(r"^[0-9]+$")
_MINUS_SIGNS = ("-", "\u2212")
# Words that name the value in a message; options (--amount) and keys stay as written.
AMOUNT = mark("amount")
PERCENTAGE = mark("percentage")
UNIT = mark("unit")
AMOUNT_EXAMPLE = mark("525000 or 525000,00")


def parse_decimal(
    text: str,
    what: str = AMOUNT,
    example: str = AMOUNT_EXAMPLE,
    *,
    money: bool = False,
) -> Decimal:
    """Read a number written by a person into an exact :class:`Decimal`.

    Raises :class:`InputError` for anything that is not a plain number (``abc``,
    ``NaN``, ``1e999``) and for an ambiguous separator (``525.000``); ``example`` is
    the form the message suggests instead. With ``money=True`` (kroner, at most two
    decimals) a single separator before exactly three digits is a thousands separator,
    so ``525.000`` has one reading and is not ambiguous.

    >>> parse_decimal("1 050 000")
    Decimal('1050000')
    >>> parse_decimal("525.000", money=True)
    Decimal('525000')
    >>> parse_decimal("525.000")
    Traceback (most recent call last):
    ...
    costshare.base.errors.InputError: amount '525.000' is ambiguous: it reads as 525000 or as 525; write 525000 (or 525.000,00) for the first
    """
    original = text
    if len(text) > 4 * MAX_NUMBER_DIGITS:  # before any pattern looks at it
        raise _too_long(what, original)
    text = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    text = _CURRENCY.sub("", text).strip()
    negative = text.startswith(_MINUS_SIGNS)
    if negative or text.startswith("+"):
        text = text[1:].strip()
    text = re.sub(r"(?<=[0-9])[ _](?=[0-9]{3}(?![0-9]))", "", text)
    digits = _unseparated(text, original, what, money)
    if not digits or not re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", digits):
        raise InputError(
            lazy(
                "{what} {value} is not a number; write digits such as {example}",
                what=lazy(what),
                value=shown(original),
                example=lazy(example),
            )
        )
    if len(digits) - ("." in digits) > MAX_NUMBER_DIGITS:
        raise _too_long(what, original)
    value = Decimal(digits)
    return value.copy_negate() if negative else value  # exact; unary minus rounds to 28 digits


def _too_long(what: str, original: str) -> InputError:
    return InputError(
        lazy(
            "{what} {value} has more than {limit} digits, the limit for a number; check it",
            what=lazy(what),
            value=shown(original),
            limit=MAX_NUMBER_DIGITS,
        )
    )


def _unseparated(text: str, original: str, what: str, money: bool) -> str:
    """Remove thousands separators and turn the decimal separator into '.'."""
    has_dot, has_comma = "." in text, "," in text
    if has_dot and has_comma:
        decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
        thousands_sep = "," if decimal_sep == "." else "."
        whole, _, fraction = text.rpartition(decimal_sep)
        if decimal_sep in whole or not _GROUPED.match(whole.replace(thousands_sep, "X")):
            raise InputError(
                lazy(
                    "{what} {value} mixes '.' and ',' in a way that has no single reading; write it as 525000.00 or 525.000,00",
                    what=lazy(what),
                    value=shown(original),
                )
            )
        return whole.replace(thousands_sep, "") + "." + fraction
    sep = "." if has_dot else "," if has_comma else ""
    if not sep:
        return text
    parts = text.split(sep)
    if len(parts) > 2:
        if not _GROUPED.match(text.replace(sep, "X")):
            raise InputError(
                lazy(
                    "{what} {value} has misplaced thousands separators; write it without them, e.g. 1050000",
                    what=lazy(what),
                    value=shown(original),
                )
            )
        return text.replace(sep, "")
    whole, fraction = parts
    if money and _GROUPED.match(f"{whole}X{fraction}") and whole != "0":
        # Three digits after the only separator are never øre: a thousands separator.
        return whole + fraction
    if (
        not money
        and len(fraction) == 3
        and _DIGITS.match(whole)
        and _DIGITS.match(fraction)
        and whole != "0"
    ):
        as_thousands = whole + fraction
        as_decimal = f"{whole}.{fraction}".rstrip("0").rstrip(".")
        raise InputError(
            lazy(
                "{what} {value} is ambiguous: it reads as {thousands} or as {decimal}; write {thousands} (or {grouped},00) for the first",
                what=lazy(what),
                value=shown(original),
                thousands=as_thousands,
                decimal=as_decimal,
                grouped=f"{whole}.{fraction}",
            )
        )
    return f"{whole}.{fraction}"


def parse_percent(text: str, what: str = PERCENTAGE) -> Fraction:
    """Parse a percentage between 0 and 100 (``40``, ``40 %``, ``12,5%``) as a fraction of 1.

    Raises :class:`InputError` if it is not a number or lies outside 0–100.

    >>> parse_percent("40 %")
    Fraction(2, 5)
    """
    number = parse_decimal(text.strip().removesuffix("%"), what, mark("40 or 12,5 %"))
    if not 0 <= number <= 100:
        raise InputError(
            lazy(
                "{what} {value} must be between 0 and 100 %",
                what=lazy(what),
                value=shown(text.strip()),
            )
        )
    return Fraction(number) / 100


def parse_amount(text: str, what: str = AMOUNT) -> int:
    """Parse an amount in kroner into whole øre.

    Raises :class:`InputError` if the text is not a number or has more than two
    decimals that are not zero (an amount is never rounded silently).

    >>> parse_amount("20.415,5")
    2041550
    """
    ore = _whole_ore(parse_decimal(text, what, money=True))
    if ore is None:
        raise InputError(
            lazy(
                "{what} {value} has fractions of an øre; give at most two decimals",
                what=lazy(what),
                value=shown(text.strip()),
            )
        )
    return ore


def _whole_ore(kroner: Decimal) -> int | None:
    """Kroner as whole øre, exactly; None if it has a fraction of an øre.

    Not ``kroner * 100``: Decimal arithmetic rounds to 28 digits, and an amount has no
    upper limit (``100000000000000000000000000.01`` must stay exact).
    """
    sign, digits, exponent = kroner.as_tuple()
    assert isinstance(exponent, int)  # parse_decimal never gives NaN or infinity
    number = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
    shift: int = exponent + 2  # 1 kr. = 10**2 øre
    scale: int = 10 ** abs(shift)
    if shift >= 0:
        return number * scale
    ore, rest = divmod(number, scale)
    return None if rest else ore


@dataclass(frozen=True)
class Unit:
    """The rounding unit: every share is a whole number of these, held as øre."""

    ore: int = ORE_PER_KRONE

    @classmethod
    def parse(cls, text: str) -> Unit:
        """Read a rounding unit such as ``1``, ``0.01`` or ``100``.

        Raises :class:`InputError` if it is not positive or not a whole number of øre.
        """
        example = mark("1 (kroner), 0.01 (øre) or 100")
        ore = _whole_ore(parse_decimal(text, UNIT, example, money=True))
        if ore is None or ore <= 0:
            raise InputError(
                lazy(
                    "unit {value} must be a positive whole number of øre, such as 1 (kroner), 0.01 (øre) or 100",
                    value=shown(text.strip()),
                )
            )
        return cls(ore)

    @property
    def shows_ore(self) -> bool:
        """Whether amounts in this unit need two decimals to be shown."""
        return self.ore % ORE_PER_KRONE != 0

    def to_units(self, amount_ore: int, what: str = AMOUNT) -> int:
        """Convert øre to whole units; raise :class:`InputError` if it does not divide."""
        units, rest = divmod(amount_ore, self.ore)
        if rest:
            raise InputError(
                lazy(
                    "{what} {amount} is not a whole number of the rounding unit {unit} kr.; change the amount or choose a smaller unit (e.g. 0.01)",
                    what=lazy(what),
                    amount=format_plain(amount_ore, Unit(1)),
                    unit=str(self),
                )
            )
        return units

    def to_ore(self, units: int) -> int:
        """Convert whole units back to øre."""
        return units * self.ore

    def __str__(self) -> str:
        return format_plain(self.ore, Unit(1 if self.shows_ore else ORE_PER_KRONE))


def format_plain(amount_ore: int, unit: Unit = Unit()) -> str:
    """Format øre as a plain decimal for machines: '.' decimal point, no separators.

    Two decimals are shown when the unit has øre, none otherwise.

    >>> format_plain(-5, Unit(1))
    '-0.05'
    >>> format_plain(52500000)
    '525000'
    """
    sign = "-" if amount_ore < 0 else ""
    kroner, ore = divmod(abs(amount_ore), ORE_PER_KRONE)
    if unit.shows_ore or ore:
        return f"{sign}{kroner}.{ore:02d}"
    return f"{sign}{kroner}"


def plain_ore(text: str) -> int:
    """A plain decimal as :func:`format_plain` writes it (``"20415"``, ``"-51000.50"``) in
    øre, exactly. Only for text a schema has checked (digits, an optional sign and at most
    two decimals): the manifest's and a PDF's data.

    >>> plain_ore("-51000.50"), plain_ore("20415")
    (-5100050, 2041500)
    """
    sign = -1 if text.startswith("-") else 1
    kroner, _, ore = text.lstrip("-").partition(".")
    return sign * (int(kroner) * 100 + int(ore.ljust(2, "0")))
