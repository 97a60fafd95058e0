"""The limits on what costshare reads, and the check that an input is a regular file.

A hostile or broken file must not hang costshare or exhaust the machine: every input is
a regular file (a FIFO would block a reader forever, a device never ends), of bounded
size, and every count and length has a ceiling far above any real programme. Each limit
is refused with a one-line :class:`InputError` that names it. The same numbers are in
``docs/reference/hostile-input.md``.

>>> import tempfile, os
>>> folder = tempfile.mkdtemp()
>>> regular_file(folder, POPULATION_FILE)
Traceback (most recent call last):
...
costshare.base.errors.InputError: ...: is a folder, not a population file; give the file itself
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from costshare.base.errors import InputError
from costshare.base.i18n import grouped, lazy, mark

MAX_PROGRAMME_BYTES = 1_000_000  # a programme file is a page of TOML
MAX_TABLE_BYTES = 100_000_000  # a population file, annex or register (CSV or .xlsx)
MAX_XLSX_UNCOMPRESSED = 30_000_000  # what a workbook may inflate to (100,000 rows: ~17 MB)
MAX_TABLE_ROWS = 2_000_000  # rows of a CSV file
MAX_SHEETS = 100  # worksheets in a workbook
MAX_SHEET_ROWS = 100_000  # rows of a worksheet (a workbook is slow to read; use CSV)
MAX_TABLE_COLUMNS = 1_000  # columns of a table (a population file needs 2 to 4)
MAX_FIELD_CHARS = 10_000  # one cell of a table (names, codes, figures)
MAX_TEXT_CHARS = 10_000  # one text in a programme file
MAX_TOML_DEPTH = 8  # tables and lists inside each other (a programme needs 3)
MAX_NUMBER_DIGITS = 40  # digits in an amount, weight or share (10^38 kr. is plenty)
MAX_PAYERS = 1_000  # payers per `run` (files written: two per payer); --max-payers raises it
MAX_TEMPLATE_BYTES = 1_000_000  # one file in a template folder
MAX_FONT_BYTES = 50_000_000  # one font file in a template folder
MAX_TEMPLATE_FILES = 200  # files in a template folder
# A package carries a copy of its programme and of each file of the user's it names (issue
# #20): a file over this size travels as its SHA-256 only (a package is archived and sent).
MAX_CARRIED_BYTES = 10_000_000
MAX_MANIFEST_BYTES = 100_000_000  # a manifest.json (100,000 payers: about 60 MB)
# The work a letter template may do while one letter is rendered (a letter needs ~50 loop
# steps and makes ~20,000 characters): loop steps of all its loops together; the largest
# text or list it may make (also its output, the typst source); what all the texts and
# lists it makes may add up to; the width or precision of a format (``%5d``, ``{:>5}``).
MAX_TEMPLATE_LOOPS = 100_000
MAX_TEMPLATE_VALUE = 1_000_000
MAX_TEMPLATE_MADE = 20_000_000
MAX_FORMAT_WIDTH = 1_000
# typst's work on one document, in a child process (a letter takes ~0.01 s and ~40 MB):
# wall time, memory (where the system enforces a process limit) and a letter's pages.
MAX_TYPESET_SECONDS = 60
MAX_TYPESET_MEMORY = 2_000_000_000
MAX_LETTER_PAGES = 100
# Cells a worksheet formula may add up, and how deep formulas may refer to formulas
# (costshare's own workbooks need 2 levels).
MAX_FORMULA_CELLS = 2_000_000
MAX_FORMULA_DEPTH = 100

# What a file is, for the messages below (``what``): marked here so that every caller's
# word has a Danish text.
POPULATION_FILE = mark("population file")
PROGRAMME_FILE = mark("programme file")
ANNEX = mark("annex")
EINVOICE = mark("e-invoice")
MANIFEST = mark("manifest")
REGISTER_FILE = mark("payer register")
INDEX_FILE = mark("index table")
PACKAGE_FILE = mark("file of a package")
MAX_EINVOICE_BYTES = 50_000_000  # an e-invoice with its letter and annex embedded: ~1 MB
# What a payer received (issue #20): a letter or annex PDF carries its data (costshare.json),
# a package may come as a zip. A carried file over MAX_EMBEDDED_FILE_BYTES goes into a PDF
# as its SHA-256 only (30 letters each carrying a 10 MB file would be 300 MB).
MAX_EMBEDDED_FILE_BYTES = 1_000_000
MAX_EMBEDDED_DATA_BYTES = 20_000_000  # costshare.json as read from a PDF
MAX_RECEIVED_PDF_BYTES = 100_000_000  # a review PDF of 1,000 letters is about 60 MB
MAX_PDF_PAGES = 2_000  # pages of a PDF whose text is read (an annex of 98 rows has 3)
MAX_ZIP_MEMBERS = 20_000  # files in a zip of a package (1,000 payers: about 5,000)
MAX_ZIP_BYTES = 2_000_000_000  # what a zip of a package may unpack to, all files together
RECEIVED = mark("received document")


def regular_file(path: str | Path, what: str, limit: int = MAX_TABLE_BYTES) -> os.stat_result:
    """``os.stat`` of ``path`` if it is a regular file of at most ``limit`` bytes.

    Checked before the file is opened, so a FIFO, a device or a folder is refused
    without blocking. Symbolic links are followed (a user may link an input).
    Raises :class:`InputError` naming the file.
    """
    source = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(lazy("no such file; check the path"), source=source) from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError(
            lazy("cannot be read ({reason}); check the path", reason=reason), source=source
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(
            lazy("is a folder, not a {what}; give the file itself", what=lazy(what)),
            source=source,
        )
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            lazy(
                "is not a regular file (a pipe, device or socket); save the {what} as a file",
                what=lazy(what),
            ),
            source=source,
        )
    if info.st_size > limit:
        raise InputError(
            lazy(
                "is {size} bytes, over the limit of {limit} bytes for a {what}; "
                "split it or leave out what is not needed",
                size=grouped(info.st_size),
                limit=grouped(limit),
                what=lazy(what),
            ),
            source=source,
        )
    return info


def read_regular_file(path: str | Path, what: str, limit: int = MAX_TABLE_BYTES) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Unlike :func:`regular_file` followed by a read, the checks are made on the opened file
    (``fstat`` of its descriptor), and at most ``limit + 1`` bytes are read: a file swapped
    for a FIFO between the check and the read, or one that grows while it is read, cannot
    block or exhaust the reader. Opened non-blocking so that a FIFO is refused, not waited on.
    """
    regular_file(path, what, limit)  # the one-line errors for a missing file, folder, ...
    source = str(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise InputError(
            lazy("cannot be read ({reason}); check the path", reason=error.strerror or "?"),
            source=source,
        ) from None
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise InputError(
                lazy(
                    "is not a regular file (a pipe, device or socket); save the {what} as a file",
                    what=lazy(what),
                ),
                source=source,
            )
        try:
            data = handle.read(limit + 1)
        except OSError as error:
            raise InputError(
                lazy("cannot be read ({reason}); check the path", reason=error.strerror or "?"),
                source=source,
            ) from None
    if len(data) > limit:
        raise InputError(
            lazy(
                "is {size} bytes, over the limit of {limit} bytes for a {what}; "
                "split it or leave out what is not needed",
                size=grouped(len(data)),
                limit=grouped(limit),
                what=lazy(what),
            ),
            source=source,
        )
    return data
