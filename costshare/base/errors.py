"""Exceptions raised by costshare.

Every problem a user can fix (a bad file, a bad amount, a bad option value) is a
:class:`CostshareError`. Its message is one line that says where the problem is,
what is wrong and what to do, in the form ``file:row:column: problem; what to do``.
The command line prints it as ``Error: …`` and exits with status 1, without a
traceback. Anything else is a bug and keeps its traceback.

This module imports nothing from click, so the library can be used without it.
"""

from __future__ import annotations


class CostshareError(Exception):
    """Base class for every error a user can act on."""

    message = "costshare could not complete the request"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)


class InputError(CostshareError, ValueError):
    """A user-supplied file, amount or option value is not valid."""

    message = "the input is not valid"


class DataError(CostshareError):
    """The packaged population data is missing or damaged (reinstall costshare)."""

    message = "the packaged data is damaged; reinstall costshare"


class TemplateError(CostshareError):
    """A letter template is missing or uses a variable that does not exist."""

    message = "the letter template could not be rendered"


def located(source: str, problem: str, row: int | None = None, column: str | None = None) -> str:
    """Build the ``file:row:column: problem`` form used by every input error.

    >>> located("pop.csv", "population must be a whole number, got '12.5'", 14, "population")
    "pop.csv:14:population: population must be a whole number, got '12.5'"
    >>> located("pop.csv", "the file is empty")
    'pop.csv: the file is empty'
    """
    where = source
    if row is not None:
        where += f":{row}"
    if column is not None:
        where += f":{column}"
    return f"{where}: {problem}"


def shown(value: object, limit: int = 60) -> str:
    """A user's value quoted for a message: ``repr`` (so control characters show as
    escapes, never reach the terminal raw), cut to ``limit`` characters.

    >>> shown("525.000")
    "'525.000'"
    >>> shown("x" * 100, limit=10)
    "'xxxxxxxxx…' (100 characters)"
    """
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return repr(text)
    quoted = repr(text[: limit - 1])
    return f"{quoted[:-1]}…{quoted[-1]} ({len(text)} characters)"
