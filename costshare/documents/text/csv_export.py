"""CSV for programs: one writer, the csv module, for every CSV costshare writes.

Fields are quoted when they hold a comma, a quote (doubled), a line feed or a carriage
return, so every name reads back exactly with any CSV reader. The csv module quotes a
field only for the characters of its line terminator, so rows are written with ``\\r\\n``
(quoting CR and LF alike) and each row's ending is then turned into the ``\\n`` that
every other output uses (text-mode output turns it into the platform's line ending).

>>> print(csv_text([("code", "name"), ("1", 'Skolen "Nord" Vest'), ("2", "a,b")]), end="")
code,name
1,"Skolen ""Nord"" Vest"
2,"a,b"
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import TextIO


class _RowEndings:
    """A stream adapter: the csv writer hands over one whole row per ``write``."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, row: str) -> int:
        return self._stream.write(row.removesuffix("\r\n") + "\n")


def write_rows(stream: TextIO, rows: Iterable[Sequence[str]]) -> None:
    """Write ``rows`` (the header first) as CSV to ``stream``."""
    writer = csv.writer(_RowEndings(stream), lineterminator="\r\n")
    writer.writerows(rows)


def csv_text(rows: Iterable[Sequence[str]]) -> str:
    """The CSV of :func:`write_rows` as a string."""
    import io

    out = io.StringIO()
    write_rows(out, rows)
    return out.getvalue()
