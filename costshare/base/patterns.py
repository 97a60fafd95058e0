"""Patterns of plain fields, such as an invoice number's ``{case_number}-{code}``.

A programme's invoice number and payer reference are patterns its author writes. Python's
``str.format`` would take much more than a field's name: a format specification
(``{code:>99999999}`` makes a text of any length), a conversion (``{code!r}``), attribute
access (``{code.__class__}``), indexing (``{code[0]}``) and positional fields (``{}``).
A pattern here holds plain fields only, each a name its caller allows; ``{{`` and ``}}``
are literal braces. Filling never calls ``str.format``.

>>> pattern_fields("{case_number}-{code}", ("case_number", "code", "year"))
('case_number', 'code')
>>> fill_pattern("{{{year}}}/{code}", {"year": 2025, "code": "157"})
'{2025}/157'
>>> pattern_fields("{code:>9}", ("code",))
Traceback (most recent call last):
...
costshare.base.errors.InputError: unknown field {code:>9}; use only {code}, with nothing else inside the braces
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping, Sequence

from costshare.base.errors import InputError
from costshare.base.i18n import lazy


def pattern_fields(pattern: str, allowed: Sequence[str]) -> tuple[str, ...]:
    """The fields of ``pattern`` in order, each one of ``allowed``.

    Raises :class:`InputError` (without a file or key: the caller adds them) for an
    unmatched brace and for any field that is not a plain allowed name.
    """
    fields = []
    for _text, name, spec, conversion in _parts(pattern):
        if name is None:
            continue
        if spec or conversion or name not in allowed:
            written = "{" + name + (f"!{conversion}" if conversion else "")
            written += (f":{spec}" if spec else "") + "}"
            raise InputError(
                lazy(
                    "unknown field {field}; use only {fields}, with nothing else inside the braces",
                    field=written,
                    fields=", ".join("{" + field + "}" for field in allowed),
                )
            )
        fields.append(name)
    return tuple(fields)


def fill_pattern(pattern: str, values: Mapping[str, object]) -> str:
    """``pattern`` with each field replaced by its value (checked by :func:`pattern_fields`)."""
    return "".join(
        text + (str(values[name]) if name is not None else "")
        for text, name, _spec, _conversion in _parts(pattern)
    )


def _parts(pattern: str) -> Iterator[tuple[str, str | None, str | None, str | None]]:
    try:
        return iter(list(string.Formatter().parse(pattern)))
    except ValueError:
        raise InputError(
            lazy(
                '{pattern} has an unmatched brace; write e.g. "{{case_number}}-{{code}}"',
                pattern=repr(pattern),
            )
        ) from None
