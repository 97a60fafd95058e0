"""Exceptions raised by costshare.

Every problem a user can fix (a bad file, a bad amount, a bad option value) is a
:class:`CostshareError`. Its message is one line that says where the problem is,
what is wrong and what to do, in the form ``file:row:column: problem; what to do``.
The command line prints it as ``Error: …`` and exits with status 1, without a
traceback. Anything else is a bug and keeps its traceback. A message never holds a
raw control character or line break: user text in it is escaped (``\\x1b``).

This module imports nothing from click, so the library can be used without it.
"""

from __future__ import annotations

from costshare.base.i18n import Text, mark, tr
from costshare.base.text import escaped

# What an error may carry as its message: a text, a message translated when shown
# (:func:`costshare.base.i18n.lazy`), or another error shown inside this one.
Problem = str | Text


class CostshareError(Exception):
    """Base class for every error a user can act on.

    The message is rendered when shown (``str(error)``), in the language active then, so
    one raised error reads in English for a library caller and in Danish on the command
    line.
    """

    message = mark("costshare could not complete the request")

    def __init__(self, message: Problem | None = None) -> None:
        self._message: Problem | None = message
        super().__init__(escaped(str(message)) if message else self.message)

    def __str__(self) -> str:
        # Whatever user text a message quotes, no control character reaches a terminal
        # raw and the message stays one line (see costshare.base.text).
        return escaped(str(self._message)) if self._message else tr(self.message)

    @property
    def translated(self) -> bool:
        """Whether the message follows the active language (else it is English only: a
        module not converted yet, docs/design/danish-interface.md)."""
        return self._message is None or isinstance(self._message, Text)


class InputError(CostshareError, ValueError):
    """A user-supplied file, amount or option value is not valid.

    Carries where the problem is as attributes (``source``: a file or option, ``row``,
    ``column``, ``key``: a programme key such as ``municipalities.region``) beside the
    ``problem`` itself, and builds the one-line message from them:

    >>> error = InputError("must be a whole number, got '12.5'", source="pop.csv", row=14, column="population")
    >>> str(error), error.row
    ("pop.csv:14:population: must be a whole number, got '12.5'", 14)
    >>> str(InputError("unknown region 'Fyn'").within(source="prog.toml", key="municipalities.region"))
    "prog.toml: key 'municipalities.region': unknown region 'Fyn'"
    """

    message = mark("the input is not valid")

    def __init__(
        self,
        problem: Problem | InputError | None = None,
        *,
        source: str | None = None,
        row: int | None = None,
        column: str | None = None,
        key: str | None = None,
    ) -> None:
        self._problem: Problem | InputError = problem or self.message
        self.source = source
        self.row = row
        self.column = column
        self.key = key
        super().__init__()
        self.args = (str(self),)

    @property
    def problem(self) -> str:
        """What is wrong, in the active language, without where."""
        return str(self._problem) if self._problem != self.message else tr(self.message)

    def __str__(self) -> str:
        return escaped(self._line())  # one line, no raw control character (base/text.py)

    @property
    def translated(self) -> bool:
        inner = self._problem
        return (
            inner is self.message
            or isinstance(inner, Text)
            or (isinstance(inner, InputError) and inner.translated)
        )

    def _line(self) -> str:
        if self.source is None:
            return self.problem
        where = located(self.source, self.problem, self.row, self.column)
        if self.key is not None:
            head, _, rest = where.partition(": ")
            # An English-only problem keeps an English context: no line mixes the two.
            context = tr("key '{key}'", key=self.key) if self.translated else f"key '{self.key}'"
            return f"{head}: {context}: {rest}"
        return where

    def said_of(self, source: str) -> InputError:
        """The same error about another file (a draft written under a temporary name)."""
        return InputError(
            self._problem, source=source, row=self.row, column=self.column, key=self.key
        )

    def within(self, *, source: str, key: str | None = None) -> InputError:
        """This error in the context of a file (and a key in it), as one new error.

        An error that has no file of its own (an amount, a region) takes the context's
        place; one that names its own file keeps it, behind the context.
        """
        if self.source is None:
            return InputError(
                self._problem, source=source, row=self.row, column=self.column, key=key
            )
        return InputError(self, source=source, key=key)


class DataError(CostshareError):
    """The packaged population data is missing or damaged (reinstall costshare)."""

    message = mark("the packaged data is damaged; reinstall costshare")


class TemplateError(CostshareError):
    """A letter template is missing or uses a variable that does not exist."""

    message = mark("the letter template could not be rendered")


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
    return tr("{value} ({count} characters)", value=f"{quoted[:-1]}…{quoted[-1]}", count=len(text))
