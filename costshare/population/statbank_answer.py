"""StatBank's answers read like a user's file and more: bytes in, checked figures out.

The fetch (:mod:`costshare.population.statbank`) gets two answers; this module reads them
and believes nothing it can check (issue #24, item 5; issue #21, item 7):

* the **table information** (JSON): at most :data:`MAX_JSON_DEPTH` levels read without a
  recursion error, the periods and ALDER codes as the objects StatBank lists, and every
  text that is stored and shown later (title, unit, updated, contact) one line of plain
  text without control characters;
* the **data** (semicolon-separated CSV, codes): exactly the columns asked for, one row
  per area (and age), each count 1 to 18 ASCII digits, every one of the 98 municipalities
  with every age asked for, and the national total (``000``) equal to the sum of the 98
  municipalities and Christiansø (``411``), per age. A second row for an area (and age) is
  refused, never the last one kept. An age group is asked for as its plain ALDER codes
  and summed here, exactly, never by a server-side ``sum(...)``.

Every problem is one :class:`InputError` line ending in "nothing was stored".
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from costshare.base.errors import InputError
from costshare.base.i18n import grouped, lazy
from costshare.base.text import forbidden_character
from costshare.population.names import municipality_names

NATIONAL, CHRISTIANSO = "000", "411"
# Not municipalities: the national total, the regions (sums of their municipalities, not
# used) and Christiansø (in the national total, in no municipality).
_OTHER_AREAS = {NATIONAL, "081", "082", "083", "084", "085", CHRISTIANSO}
MAX_METADATA_CHARS = 1000  # a title, unit or contact in the table information
_AGE_CODE = re.compile("0|[1-9][0-9]{0,2}")


def metadata(raw: bytes, table: str) -> dict[str, Any]:
    """The table information, a JSON object with a list of variables and plain texts."""
    try:
        found = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise InputError(
            lazy(
                "StatBank's table information for {table} is not JSON; the API may have changed",
                table=table,
            )
        ) from None
    if not isinstance(found, dict) or not isinstance(found.get("variables"), list):
        raise InputError(
            lazy(
                "StatBank's table information for {table} has no variables; "
                "the API may have changed",
                table=table,
            )
        )
    for field in ("id", "text", "unit", "updated", "contact"):
        text = found.get(field, "")
        if not isinstance(text, str) or not _plain_line(text):
            raise InputError(
                lazy(
                    "StatBank's table information for {table}: its {field} is not one line of "
                    "plain text (at most {limit} characters); the API may have changed",
                    table=table,
                    field=field,
                    limit=MAX_METADATA_CHARS,
                )
            )
    return found


def _plain_line(text: str) -> bool:
    return (
        len(text) <= MAX_METADATA_CHARS
        and forbidden_character(text) is None
        and not any(c in text for c in "\t\n\r\u2028\u2029")
    )


def variable_codes(found: dict[str, Any], variable: str, table: str) -> list[str] | None:
    """The codes a variable of the table information lists (``None`` if it has none)."""
    for entry in found["variables"]:
        if isinstance(entry, dict) and str(entry.get("id", "")).casefold() == variable.casefold():
            values = entry.get("values")
            if not isinstance(values, list) or not all(
                isinstance(v, dict) and isinstance(v.get("id"), str) for v in values
            ):
                raise InputError(
                    lazy(
                        "StatBank's table information for {table} lists its {variable} values "
                        "in another form; the API may have changed",
                        table=table,
                        variable=entry.get("id"),
                    )
                )
            return [value["id"] for value in values]
    return None


def age_codes(found: dict[str, Any], table: str, low: int, high: int | None) -> tuple[str, ...]:
    """The plain ALDER codes of ages ``low`` to ``high`` (open: every age from ``low`` the
    table holds), each one the table lists."""
    listed = variable_codes(found, "ALDER", table)
    if listed is None:
        raise InputError(
            lazy(
                "StatBank's table information for {table} has no ALDER variable; "
                "the API may have changed",
                table=table,
            )
        )
    ages = sorted(int(code) for code in listed if _AGE_CODE.fullmatch(code))
    wanted = range(low, (high if high is not None else max(ages, default=low)) + 1)
    missing = [age for age in wanted if age not in set(ages)]
    if missing or not wanted:
        raise InputError(
            lazy(
                "StatBank's {table} has no age {age} (ALDER); it holds ages {ages}",
                table=table,
                age=missing[0] if missing else low,
                ages=f"{ages[0]}–{ages[-1]}" if ages else "–",
            )
        )
    return tuple(str(age) for age in wanted)


def counts(raw: bytes, period: str, ages: Sequence[str] | None) -> dict[str, int]:
    """Municipality code → figure (summed over ``ages``), from the data call's CSV."""
    rows = _rows(raw, ages is not None)
    figures = _figures(rows, period, set(ages) if ages is not None else None)
    names = municipality_names()
    asked = tuple(ages) if ages is not None else ("",)
    missing = [code for code in names if not any((code, age) in figures for age in asked)]
    if missing:
        missing.sort(key=int)
        raise InputError(
            lazy(
                "StatBank's answer holds {count} of the 98 municipalities (missing "
                "{missing}); nothing was stored",
                count=len(names) - len(missing),
                missing=", ".join(missing[:5]) + (" …" if len(missing) > 5 else ""),
            )
        )
    for code in names:
        for age in asked:
            if (code, age) not in figures:
                raise InputError(
                    lazy(
                        "StatBank's answer has no row for area {code} ({name}), age {age}; "
                        "nothing was stored",
                        code=code,
                        name=names[code],
                        age=age,
                    )
                )
    for age in asked:
        _check_national(figures, names, age)
    return {code: sum(figures[code, age] for age in asked) for code in names}


def _rows(raw: bytes, with_ages: bool) -> list[list[str]]:
    """The CSV's rows after its header, which must be exactly the columns asked for."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(lazy("StatBank's answer is not UTF-8 text; nothing was stored")) from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    except csv.Error as error:
        raise InputError(
            lazy(
                "StatBank's answer is not semicolon-separated text ({reason}); nothing was stored",
                reason=str(error),
            )
        ) from None
    expected = ["OMRÅDE", "ALDER", "TID", "INDHOLD"] if with_ages else ["OMRÅDE", "TID", "INDHOLD"]
    header = [cell.strip().upper() for cell in rows[0]] if rows else []
    if header != expected:
        raise InputError(
            lazy(
                "StatBank's answer has the columns {columns}, not {expected}; the table's "
                "layout has changed, nothing was stored",
                columns=";".join(header)[:200] or lazy("none"),
                expected=";".join(expected),
            )
        )
    return rows


def _figures(
    rows: list[list[str]], period: str, ages: set[str] | None
) -> dict[tuple[str, str], int]:
    """(area, age) → count for every row; age is ``""`` without ages. Municipality codes
    lose their leading zeros (``0101`` is ``101``); totals keep three digits (``000``)."""
    known = municipality_names()
    width = len(rows[0])
    figures: dict[tuple[str, str], int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != width or row[-2].strip() != period:
            raise InputError(
                lazy(
                    "StatBank's answer, line {line}: not a row for {period}",
                    line=line,
                    period=period,
                )
            )
        area = row[0].strip()
        age = row[1].strip() if ages is not None else ""
        # "0101" is municipality 101, "00" the national total "000"
        key = area.zfill(3) if area.zfill(3) in _OTHER_AREAS else area.lstrip("0") or "0"
        if key not in known and key not in _OTHER_AREAS:
            raise InputError(
                lazy(
                    "StatBank's answer, line {line}: {value} is not one of the 98 "
                    "municipalities; the table's layout has changed, nothing was stored",
                    line=line,
                    value=repr(row[0]),
                )
            )
        if ages is not None and age not in ages:
            raise InputError(
                lazy(
                    "StatBank's answer, line {line}: age {age} was not asked for; nothing was stored",
                    line=line,
                    age=repr(age),
                )
            )
        if (key, age) in figures:
            raise _second_row(line, area, age if ages is not None else None)
        figures[key, age] = _count(row[-1].strip(), line)
    return figures


def _second_row(line: int, area: str, age: str | None) -> InputError:
    if age is None:
        return InputError(
            lazy(
                "StatBank's answer, line {line}: a second row for area {area}; nothing was stored",
                line=line,
                area=repr(area),
            )
        )
    return InputError(
        lazy(
            "StatBank's answer, line {line}: a second row for area {area}, age {age}; "
            "nothing was stored",
            line=line,
            area=repr(area),
            age=repr(age),
        )
    )


def _count(value: str, line: int) -> int:
    """A count as a population in a user's file may be written: 1 to 18 ASCII digits."""
    from costshare.population.userfile import MAX_DIGITS  # its one owner (imports polars)

    if not (value.isascii() and value.isdigit() and len(value) <= MAX_DIGITS):
        raise InputError(
            lazy(
                "StatBank's answer, line {line}: {value} is not a count (1 to {limit} digits "
                "0-9); nothing was stored",
                line=line,
                value=repr(value[:40]),
                limit=MAX_DIGITS,
            )
        )
    return int(value)


def _check_national(
    figures: dict[tuple[str, str], int], names: Mapping[str, str], age: str
) -> None:
    """The national total (``000``) must be the 98 municipalities and Christiansø."""
    total = figures.get((NATIONAL, age))
    if total is None:
        raise InputError(
            lazy(
                "StatBank's answer has no national total (000) to check the rows against; "
                "nothing was stored"
            )
        )
    added = sum(figures[code, age] for code in names) + figures.get((CHRISTIANSO, age), 0)
    if total == added:
        return
    if age:
        raise InputError(
            lazy(
                "StatBank's answer: the national total (000) for age {age} is {total}, but the "
                "98 municipalities and Christiansø add up to {added}; nothing was stored",
                age=age,
                total=grouped(total),
                added=grouped(added),
            )
        )
    raise InputError(
        lazy(
            "StatBank's answer: the national total (000) is {total}, but the 98 "
            "municipalities and Christiansø add up to {added}; nothing was stored",
            total=grouped(total),
            added=grouped(added),
        )
    )
