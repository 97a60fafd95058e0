"""Worksheet formulas, computed exactly: a cell is checked by the value a person sees.

A workbook saves, beside each formula, the value it last computed; a program that does not
recalculate (a mail preview, a phone, openpyxl) shows that saved value, while Excel and
LibreOffice show what the formula gives. A file can make the two differ: an annex cell
``=20415-10000`` saved with 20415 reads 20.415 kr. in a preview and 10.415 kr. in Excel. So
costshare never believes a saved value it can compute. :func:`evaluate` computes the
formulas of a sheet that a reader takes in, with exact rational arithmetic (no float):

* numbers (``20415``, ``0.5``, ``1E3``), cells of the same sheet (``G5``, ``$C$35``),
  ``+ - * /``, signs and parentheses, ``SUM`` of cells, ranges and expressions, and
  ``ROUND(x, n)`` (halves away from zero, as Excel does): what costshare's own workbooks
  write. Referring to an empty cell counts 0; ``SUM`` of a range skips text, as Excel does.
* Anything else (another sheet, a name, another function, text, an error value, a date,
  an array formula, a circular reference, a division by zero) is refused with the cell
  named: costshare cannot know what a spreadsheet would show.
* Bounded: at most :data:`MAX_FORMULA_CELLS` cells summed in all (ranges are read from the
  cells that exist, never from the grid they span), formulas referring to formulas at most
  :data:`MAX_FORMULA_DEPTH` deep, a formula at most 8,192 characters (Excel's limit) and 64
  parentheses deep.

>>> from costshare.population.sheets import Sheet, SheetCell
>>> sheet = Sheet("Ark1", cells={
...     (1, 1): SheetCell(20415, number="20415"),
...     (2, 1): SheetCell(20415, formula="=20415-10000"),
...     (3, 1): SheetCell(None, formula="=ROUND(SUM(A1:A2)/3, 2)"),
... })
>>> values = evaluate(sheet, [(2, 1), (3, 1)])
>>> values[2, 1], values[3, 1]
(10415, Fraction(1027667, 100))
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from costshare.base.i18n import Grouped, mark, tr
from costshare.base.limits import MAX_FORMULA_CELLS, MAX_FORMULA_DEPTH
from costshare.population.sheets import LAST_COLUMN, LAST_ROW, Sheet, column_number

MAX_FORMULA_CHARS = 8_192  # Excel's own limit
_MAX_DIGITS = 1_000  # of a product or quotient (a spreadsheet shows 15)
_MAX_BITS = _MAX_DIGITS * 10 // 3
_MAX_NESTING = 64
_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
    r"|(?P<ref>\$?[A-Za-z]{1,3}\$?\d{1,7})(?![A-Za-z0-9_.(!])"
    r"|(?P<name>[A-Za-z_\\][A-Za-z0-9_.]*)"
    r"|(?P<op>[-+*/(),:])"
    r"|(?P<text>\")"
    r"|(?P<error>#[A-Za-z0-9/]+[!?]?)"
    r"|(?P<quoted>')"
    r"|(?P<other>\S)"
    r")"
)
_FUNCTIONS = frozenset(["SUM", "ROUND"])
NOT_COMPUTED = mark(
    "costshare does not compute the formula {formula} ({reason}); replace it by its value, "
    "or use only numbers, cells of this sheet, +, -, *, /, SUM and ROUND"
)


class FormulaError(Exception):
    """A formula costshare will not compute: the cell, and what to tell the user."""

    def __init__(self, location: tuple[int, int], message: str, **fields: Any) -> None:
        super().__init__(message)
        self.cell = location
        self.message = message
        self.fields = fields


@dataclass(frozen=True)
class _Reason(Exception):
    """Why a formula is not computed (translated when raised), or a problem in its cells."""

    text: str


def cell_name(cell: tuple[int, int]) -> str:
    """``(35, 3)`` → ``C35``."""
    row, column = cell
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row}"


Number = int | Fraction
"""An exact value: whole numbers stay ``int`` (summing many is then fast)."""


def evaluate(sheet: Sheet, wanted: Iterable[tuple[int, int]]) -> dict[tuple[int, int], Number]:
    """The exact value of every formula cell in ``wanted`` (and of those they refer to).

    Raises :class:`FormulaError` naming the first formula that cannot be computed.
    """
    return _Evaluator(sheet).run(wanted)


class _Evaluator:
    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.values: dict[tuple[int, int], Number] = {}
        self.parsed: dict[tuple[int, int], Any] = {}
        self.work = MAX_FORMULA_CELLS
        columns: dict[int, list[int]] = {}
        for row, column in sorted(sheet.cells):
            columns.setdefault(column, []).append(row)
        self.columns = columns
        self.column_numbers = sorted(columns)

    def run(self, wanted: Iterable[tuple[int, int]]) -> dict[tuple[int, int], Number]:
        for cell in wanted:
            if self._is_formula(cell) and cell not in self.values:
                self._resolve(cell)
        return self.values

    def _is_formula(self, cell: tuple[int, int]) -> bool:
        found = self.sheet.cells.get(cell)
        return found is not None and found.formula is not None

    def _resolve(self, start: tuple[int, int]) -> None:
        """Compute ``start`` after the formulas it refers to, without recursion: a chain
        of formulas is walked with an explicit stack, its depth bounded."""
        stack = [start]
        visiting = {start}
        while stack:
            cell = stack[-1]
            pending = [
                d for d in self._dependencies(cell) if self._is_formula(d) and d not in self.values
            ]
            for dependency in pending:
                if dependency in visiting:
                    raise self._error(
                        cell,
                        mark(
                            "the formula {formula} refers to itself through {cell}; "
                            "remove the circular reference"
                        ),
                        cell_ref=dependency,
                    )
            if pending:
                if len(stack) >= MAX_FORMULA_DEPTH:
                    raise self._error(
                        start,
                        mark(
                            "the formula {formula} refers to formulas more than {limit} "
                            "levels deep; replace some of them by their values"
                        ),
                        limit=MAX_FORMULA_DEPTH,
                    )
                stack.append(pending[0])
                visiting.add(pending[0])
                continue
            try:
                self.values[cell] = _normal(self._value(cell, self._parse(cell)))
            except _Reason as reason:
                raise self._error(cell, NOT_COMPUTED, reason=reason.text) from None
            stack.pop()
            visiting.discard(cell)

    def _error(self, cell: tuple[int, int], message: str, **fields: Any) -> FormulaError:
        formula = self.sheet.cells[cell].formula
        shown = formula if isinstance(formula, str) else tr("an array formula")
        if "cell_ref" in fields:
            fields["cell"] = cell_name(fields.pop("cell_ref"))
        return FormulaError(cell, message, formula=shown, **fields)

    # --- parsing ---------------------------------------------------------------------

    def _parse(self, cell: tuple[int, int]) -> Any:
        if cell not in self.parsed:
            formula = self.sheet.cells[cell].formula
            if not isinstance(formula, str):
                raise self._error(cell, NOT_COMPUTED, reason=tr("an array formula"))
            try:
                self.parsed[cell] = _Parser(formula).formula()
            except _Reason as reason:
                raise self._error(cell, NOT_COMPUTED, reason=reason.text) from None
        return self.parsed[cell]

    def _dependencies(self, cell: tuple[int, int]) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        nodes = [self._parse(cell)]
        while nodes:
            node = nodes.pop()
            kind = node[0]
            if kind == "ref":
                found.append(node[1])
            elif kind == "range":
                found.extend(self._cells_in(node[1]))
            elif kind != "num":
                nodes.extend(part for part in node[1:] if isinstance(part, tuple))
                if kind == "sum":
                    nodes.extend(node[1])
        return found

    def _cells_in(self, area: tuple[int, int, int, int]) -> list[tuple[int, int]]:
        """The cells of ``area`` that hold something, found through the index by column:
        the work is the cells that exist, never the area's size."""
        top, left, bottom, right = area
        found: list[tuple[int, int]] = []
        start = bisect.bisect_left(self.column_numbers, left)
        for column in self.column_numbers[start:]:
            if column > right:
                break
            rows = self.columns[column]
            first, last = bisect.bisect_left(rows, top), bisect.bisect_right(rows, bottom)
            self.work -= 1 + last - first
            if self.work < 0:
                raise _Reason(
                    tr(
                        "the formulas add up more than {limit} cells in all",
                        limit=Grouped(MAX_FORMULA_CELLS),
                    )
                )
            found.extend((row, column) for row in rows[first:last])
        return found

    # --- computing -------------------------------------------------------------------

    def _value(self, cell: tuple[int, int], node: Any) -> Number:
        kind = node[0]
        if kind == "num":
            return _normal(node[1])
        if kind == "ref":
            return self._number(node[1], in_range=False)
        if kind == "neg":
            return -self._value(cell, node[1])
        if kind == "sum":
            total: Number = 0
            for part in node[1]:
                if part[0] == "range":
                    total += sum(self._number(c, in_range=True) for c in self._cells_in(part[1]))
                elif part[0] == "ref":
                    total += self._number(part[1], in_range=True)
                else:
                    total += self._value(cell, part)
            return total
        if kind == "round":
            return _round(self._value(cell, node[1]), self._value(cell, node[2]))
        left, right = self._value(cell, node[1]), self._value(cell, node[2])
        if kind == "+":
            return left + right
        if kind == "-":
            return left - right
        # A product or quotient of exact numbers can double their digits each time:
        # refuse what no spreadsheet shows before computing it.
        if kind in "*/" and _bits(left) + _bits(right) > _MAX_BITS:
            raise _Reason(tr("a number of more than {limit} digits", limit=Grouped(_MAX_DIGITS)))
        if kind == "*":
            return left * right
        if right == 0:
            raise _Reason(tr("it divides by zero: #DIV/0! in a spreadsheet"))
        return Fraction(left) / right

    def _number(self, cell: tuple[int, int], in_range: bool) -> Number:
        """A referred cell as a number: a formula's value, a number's digits as written,
        0 if empty; text (and TRUE/FALSE) counts 0 in a range, as Excel's SUM skips it."""
        if cell in self.values:
            return self.values[cell]
        found = self.sheet.cells.get(cell)
        value = None if found is None else found.value
        if value is None:
            return 0
        if isinstance(value, bool | str):
            if in_range:
                return 0
            raise _Reason(tr("{cell} holds text, not a number", cell=cell_name(cell)))
        if isinstance(value, datetime | date | time | timedelta):
            raise _Reason(tr("{cell} holds a date", cell=cell_name(cell)))
        assert found is not None
        if found.number is not None:
            if found.number.isdigit():
                return int(found.number)
            try:
                return _normal(Fraction(Decimal(found.number)))
            except (ArithmeticError, ValueError):
                pass
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return _normal(Fraction(repr(value)))
        raise _Reason(tr("{cell} holds text, not a number", cell=cell_name(cell)))


def _bits(value: Number) -> int:
    fraction = Fraction(value)
    return fraction.numerator.bit_length() + fraction.denominator.bit_length()


def _normal(value: Number) -> Number:
    """A whole number as ``int``."""
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    return value


def _round(value: Number, places: Number) -> Fraction:
    """``ROUND(value, places)``: halves away from zero; ``places`` cut to a whole number."""
    digits = int(places)  # Excel truncates the number of places
    if abs(digits) > 100:
        raise _Reason(tr("ROUND to more than 100 places"))
    scale = Fraction(10**digits) if digits >= 0 else Fraction(1, 10**-digits)
    magnitude = abs(Fraction(value)) * scale
    whole = int(magnitude + Fraction(1, 2))  # floor of |x|·10ⁿ + ½
    return (whole if value >= 0 else -whole) / scale


class _Parser:
    """A recursive-descent parser of the formulas costshare computes (module docstring)."""

    def __init__(self, formula: str) -> None:
        if len(formula) > MAX_FORMULA_CHARS:
            raise _Reason(tr("longer than {limit} characters", limit=Grouped(MAX_FORMULA_CHARS)))
        if not formula.startswith("="):
            raise _Reason(tr("not a formula"))
        self.tokens = list(_tokens(formula[1:]))
        self.position = 0
        self.depth = 0

    def formula(self) -> Any:
        node = self._expression()
        if self.position != len(self.tokens):
            raise _Reason(tr("{token} cannot follow there", token=self.tokens[self.position][1]))
        return node

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self, text: str | None = None) -> tuple[str, str]:
        token = self._peek()
        if token is None or (text is not None and token[1] != text):
            raise _Reason(
                tr("it ends too soon")
                if token is None
                else tr("{token} cannot follow there", token=token[1])
            )
        self.position += 1
        return token

    def _expression(self) -> Any:
        self.depth += 1
        if self.depth > _MAX_NESTING:
            raise _Reason(tr("nested more than {limit} deep", limit=_MAX_NESTING))
        node = self._term()
        while (token := self._peek()) is not None and token[1] in "+-":
            self._take()
            node = (token[1], node, self._term())
        self.depth -= 1
        return node

    def _term(self) -> Any:
        node = self._unary()
        while (token := self._peek()) is not None and token[1] in "*/":
            self._take()
            node = (token[1], node, self._unary())
        return node

    def _unary(self) -> Any:
        token = self._peek()
        if token is not None and token[1] in "+-":
            self._take()
            self.depth += 1
            if self.depth > _MAX_NESTING:
                raise _Reason(tr("nested more than {limit} deep", limit=_MAX_NESTING))
            operand = self._unary()
            self.depth -= 1
            return ("neg", operand) if token[1] == "-" else operand
        return self._primary()

    def _primary(self) -> Any:
        kind, text = self._take()
        if kind == "number":
            return ("num", Fraction(Decimal(text)))
        if kind == "ref":
            first = _reference(text)
            if (token := self._peek()) is not None and token[1] == ":":
                raise _Reason(tr("a range outside SUM"))
            return ("ref", first)
        if kind == "name":
            return self._function(text)
        if text == "(":
            node = self._expression()
            self._take(")")
            return node
        raise _Reason(tr("{token} cannot follow there", token=text))

    def _function(self, name: str) -> Any:
        if (token := self._peek()) is None or token[1] != "(":
            raise _Reason(tr("the name {name}", name=name))
        if name.upper() not in _FUNCTIONS:
            raise _Reason(tr("the function {name}", name=name.upper()))
        self._take("(")
        arguments = [self._argument()]
        while self._peek() is not None and self._peek() == ("op", ","):
            self._take(",")
            arguments.append(self._argument())
        self._take(")")
        if name.upper() == "SUM":
            return ("sum", arguments)
        if len(arguments) != 2 or arguments[0][0] == "range" or arguments[1][0] == "range":
            raise _Reason(tr("ROUND takes a number and a number of places"))
        return ("round", arguments[0], arguments[1])

    def _argument(self) -> Any:
        token = self._peek()
        following = self.tokens[self.position + 1] if self.position + 1 < len(self.tokens) else None
        if token is not None and token[0] == "ref" and following == ("op", ":"):
            self._take()
            self._take(":")
            kind, text = self._take()
            if kind != "ref":
                raise _Reason(tr("{token} cannot follow there", token=text))
            (top, left), (bottom, right) = _reference(token[1]), _reference(text)
            return (
                "range",
                (min(top, bottom), min(left, right), max(top, bottom), max(left, right)),
            )
        return self._expression()


def _tokens(text: str) -> Iterable[tuple[str, str]]:
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            return
        found = _TOKEN.match(text, position)
        assert found is not None  # the last alternative matches any character
        kind = found.lastgroup or "other"
        token = found.group(kind)
        if kind == "text":
            raise _Reason(tr("text in quotes"))
        if kind == "error":
            raise _Reason(tr("the error value {value}", value=token))
        if kind == "quoted" or (kind == "name" and text[found.end() : found.end() + 1] == "!"):
            raise _Reason(tr("a cell of another sheet"))
        if kind == "other":
            what = (
                tr("a cell of another sheet")
                if token == "!"
                else tr("the operator {operator}", operator=token)
            )
            raise _Reason(what)
        yield kind, token
        position = found.end()


def _reference(text: str) -> tuple[int, int]:
    found = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", text)
    assert found is not None
    row, column = int(found.group(2)), column_number(found.group(1))
    if not (1 <= row <= LAST_ROW and 1 <= column <= LAST_COLUMN):
        raise _Reason(tr("{cell} is outside a sheet", cell=text))
    return row, column
