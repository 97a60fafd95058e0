"""Reading a column of amounts from an annex into øre, in the column's own number style.

Amounts written as text are read the way the column is written, which is inferred from
all its cells, because a money amount never has three decimals:

* ``20.415,50`` or ``20.415`` (a ``.`` followed by groups of three digits) read Danish,
  ``20,415.50``, ``20,415`` or ``20415.5`` read English, plain digits read either way;
* a column with both Danish and English cells is refused, naming two cells, since one
  of them must be misread;
* more than two decimals is refused (an amount is never rounded).

Numeric Excel cells are exact for whole kroner; a fractional cell is taken to the øre
only if it is within 10⁻⁹ kr. of a whole øre (binary floats cannot hold 0,10 exactly).

>>> parse_column(["20.415", "181.399", "1.050.000,00"], "Beløb")
[2041500, 18139900, 105000000]
>>> parse_column(["20,415.5", "1234"], "Amount")
[2041550, 123400]
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

from costshare.base.errors import InputError, shown
from costshare.base.i18n import lazy, mark
from costshare.base.limits import MAX_NUMBER_DIGITS

_MINUS = ("-", "\u2212")
_TOO_MANY_DIGITS = mark("{value} has more than {limit} digits, the limit for an amount; correct it")


def parse_column(
    cells: list[Any], header: str, source: str = "annex", rows: list[int] | None = None
) -> list[int | None]:
    """Read a column of amounts into øre (``None`` for empty cells), by the column's style.

    Raises :class:`InputError` naming the cell for a value with no single reading.
    """
    numbers = rows or list(range(1, len(cells) + 1))
    styles: dict[str, tuple[int, str]] = {}
    for number, value in zip(numbers, cells, strict=True):
        if isinstance(value, str) and value.strip():
            style = _style(
                _bare(value)[1], lambda p, n=number, v=value: _bad(source, n, header, v, p)
            )
            if style:
                styles.setdefault(style, (number, value.strip()))
    if len(styles) > 1:
        (da_row, da_text), (en_row, en_text) = styles["da"], styles["en"]
        raise InputError(
            lazy(
                "the column mixes Danish ({danish}, row {danish_row}) and English ({english}, "
                "row {english_row}) number formats; write all amounts one way, e.g. 20.415,00",
                danish=repr(da_text),
                danish_row=da_row,
                english=repr(en_text),
                english_row=en_row,
            ),
            source=source,
            row=en_row,
            column=header,
        )
    style = next(iter(styles), "da")
    return [
        _amount(value, style, source, n, header) for n, value in zip(numbers, cells, strict=True)
    ]


def _bare(text: str) -> tuple[bool, str]:
    """Strip currency, spaces and sign: ``'-20.415 kr.'`` → ``(True, '20.415')``."""
    text = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"^(?:dkk|kr\.?)\s*|\s*(?:dkk|kr\.?)$", "", text, flags=re.IGNORECASE).strip()
    negative = text.startswith(_MINUS)
    if negative or text.startswith("+"):
        text = text[1:].strip()
    return negative, re.sub(r"(?<=\d)[ _'](?=\d{3}\b)", "", text)


def _style(text: str, bad: Any) -> str | None:
    """``'da'``, ``'en'`` or ``None`` (plain digits) for one cell's digits."""
    if re.fullmatch(r"\d+", text):
        return None
    if "." in text and "," in text:
        return "da" if text.rfind(",") > text.rfind(".") else "en"
    for separator, grouped, decimal in ((".", "da", "en"), (",", "en", "da")):
        if separator in text:
            sep = re.escape(separator)
            if re.fullmatch(rf"[1-9]\d{{0,2}}(?:{sep}\d{{3}})+", text):
                return grouped
            if re.fullmatch(rf"\d+{sep}\d{{1,2}}", text):
                return decimal
    raise bad(
        mark(
            "{value} is not an amount in kroner (at most two decimals); write e.g. 20415 or 20.415,50"
        )
    )


def _amount(value: Any, style: str, source: str, row: int, header: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise _bad(
            source,
            row,
            header,
            value,
            mark("{value} is not an amount; write a number such as 20415"),
        )
    if isinstance(value, int):
        if len(str(abs(value))) > MAX_NUMBER_DIGITS:
            raise _bad(source, row, header, value, _TOO_MANY_DIGITS)
        return value * 100
    if isinstance(value, float) and not math.isfinite(value):
        raise _bad(
            source,
            row,
            header,
            value,
            mark("{value} is not a number a spreadsheet can hold; correct it"),
        )
    if isinstance(value, float) and abs(value) >= 2**53:
        raise _bad(
            source, row, header, value,
            mark(
                "{value} is a number too large for a spreadsheet to hold exactly (over 15 "
                "digits); enter it as text, e.g. 1.065.516.172.600.254.000,00"
            ),
        )  # fmt: skip
    if isinstance(value, float | Decimal):
        ore = Decimal(str(value)) * 100
        nearest = ore.to_integral_value()
        if abs(ore - nearest) > Decimal("1e-7"):
            raise _bad(
                source,
                row,
                header,
                value,
                mark("{value} has fractions of an øre; give at most two decimals"),
            )
        return int(nearest)
    negative, text = _bare(value)
    thousands, decimal = (".", ",") if style == "da" else (",", ".")
    whole, _, fraction = text.partition(decimal)
    if thousands in whole and not re.fullmatch(
        rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+", whole
    ):
        raise _bad(source, row, header, value, mark("{value} has misplaced thousands separators"))
    whole, fraction = whole.replace(thousands, ""), fraction or "0"
    if not re.fullmatch(r"[0-9]+", whole) or not re.fullmatch(r"[0-9]{1,2}", fraction):
        raise _bad(
            source,
            row,
            header,
            value,
            mark("{value} is not an amount in kroner; write e.g. 20.415,50"),
        )
    if len(whole) > MAX_NUMBER_DIGITS:
        raise _bad(source, row, header, value, _TOO_MANY_DIGITS)
    # Integer arithmetic: exact at any size (Decimal would round to 28 digits).
    ore_value = int(whole) * 100 + int(fraction.ljust(2, "0"))
    return -ore_value if negative else ore_value


def _bad(source: str, row: int, header: str, value: Any, problem: str) -> InputError:
    quoted = shown(value) if isinstance(value, str) else repr(value)
    message = lazy(problem, value=quoted, limit=MAX_NUMBER_DIGITS)
    return InputError(message, source=source, row=row, column=header)
