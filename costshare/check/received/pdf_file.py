"""Reading a received PDF: the data it carries (``costshare.json``) and its text as a reader
sees it, with pypdf, bounded.

A PDF is untrusted input. It is read from bytes already bounded in size (the caller read
at most :data:`~costshare.base.limits.MAX_RECEIVED_PDF_BYTES`); what a stream may inflate to
is bounded by pypdf's own ceilings (anything it raises, its ``LimitReachedError`` too, is
the one-line error below); the attachment is refused past
:data:`~costshare.base.limits.MAX_EMBEDDED_DATA_BYTES` and the text is read from at most
:data:`~costshare.base.limits.MAX_PDF_PAGES` pages. A file pypdf cannot read is one
:class:`~costshare.base.errors.InputError` saying that a PDF was expected; pypdf's own
warnings about a damaged file are not printed (the error says it).
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from costshare.base.errors import InputError
from costshare.base.i18n import grouped, lazy
from costshare.base.limits import MAX_EMBEDDED_DATA_BYTES, MAX_PDF_PAGES
from costshare.check.received.embedded_schema import FILE_NAME

PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class PdfFile:
    """A PDF's data (None: it carries none) and its text, page after page."""

    source: str
    data: bytes | None
    text: str
    pages: int


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs what it repairs in a damaged file; the one-line error says enough."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


_NO_BREAK_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " "})


def read_pdf(raw: bytes, source: str, *, with_text: bool = True) -> PdfFile:
    """The data and text of the PDF ``raw`` (the bytes of ``source``).

    Raises :class:`InputError` for bytes that are not a PDF pypdf can read, a PDF of more
    than :data:`MAX_PDF_PAGES` pages, or data over :data:`MAX_EMBEDDED_DATA_BYTES`.
    """
    from pypdf import PdfReader

    if not raw.startswith(PDF_MAGIC):
        raise _not_pdf(source)
    with _quiet_pypdf():
        try:
            reader = PdfReader(io.BytesIO(raw))
            found = reader.attachments.get(FILE_NAME) if reader.attachments else None
            count = len(reader.pages)
            if count > MAX_PDF_PAGES:
                raise InputError(
                    lazy(
                        "has {count} pages, over the limit of {limit} for a PDF costshare reads",
                        count=grouped(count),
                        limit=grouped(MAX_PDF_PAGES),
                    ),
                    source=source,
                )
            text = "\n".join(page.extract_text() for page in reader.pages) if with_text else ""
            # Read as a person reads it: the no-break spaces that keep "20.415 kr." on one
            # line (issue #22) are spaces.
            text = text.translate(_NO_BREAK_SPACES)
        except InputError:
            raise
        except Exception:  # pypdf raises many kinds for a damaged file: each means "not readable"
            raise _not_pdf(source) from None
    data = found[0] if found else None
    if data is not None and len(data) > MAX_EMBEDDED_DATA_BYTES:
        raise InputError(
            lazy(
                "its {name} is {size} bytes, over the limit of {limit}",
                name=FILE_NAME,
                size=grouped(len(data)),
                limit=grouped(MAX_EMBEDDED_DATA_BYTES),
            ),
            source=source,
        )
    return PdfFile(source, data, text, count)


def _not_pdf(source: str) -> InputError:
    return InputError(
        lazy(
            "is not a PDF that can be read (a letter, settlement letter or annex written by "
            "costshare was expected)"
        ),
        source=source,
    )
