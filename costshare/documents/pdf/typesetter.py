"""Typesetting typst source to PDF: one compiler in a child process, reused for every letter.

:class:`Typesetter` is what the package layer uses: it gives each document to a
:class:`~costshare.documents.pdf.typst_process.TypstProcess` and turns everything that can
go wrong into a one-line :class:`~costshare.base.errors.TemplateError` naming the letter:

* typst's own error (a syntax error, a missing file, a failed ``assert``);
* an import of a typst package: packages are switched off (no download, no package
  folder), however the template spells or builds the package's name;
* more than :data:`MAX_TYPESET_SECONDS` for one document (the child is stopped);
* typst stopping instead of answering (it aborted, crashed, or went over
  :data:`MAX_TYPESET_MEMORY`);
* a letter of a user's template with more than :data:`MAX_LETTER_PAGES` pages.

:meth:`Typesetter.pdfs` keeps :data:`PROCESSES` children busy side by side, one
document each, and hands the PDFs back in order; the bytes of each depend only on its
source, never on which child typeset it.

Nothing is left behind: a child writes no file. When a Typesetter is closed
(:meth:`Typesetter.close`, or leaving its ``with`` block) its children are kept, idle, for
the next Typesetter of the process (a run's annex and review follow its letters), so that
typst starts once per run; an idle child ends when costshare does, or as soon as its
pipe closes.

Only the fonts typst ships (Libertinus Serif, New Computer Modern, DejaVu Sans Mono) and
fonts in the user's template folder are used, never system fonts, so a letter looks, and
is, the same on every machine. Every PDF is dated with the file date, in UTC.

>>> page_count(b"...<xmpTPg:NPages>3</xmpTPg:NPages>...")
3
>>> page_count(b"<< /Type /Pages /Count 2 >> << /Type /Page >> << /Type/Page >>")
2
"""

from __future__ import annotations

import atexit
import calendar
import os
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from types import TracebackType

from costshare.base.errors import TemplateError
from costshare.base.i18n import Grouped, Text, lazy, tr
from costshare.base.limits import MAX_LETTER_PAGES, MAX_TYPESET_MEMORY, MAX_TYPESET_SECONDS
from costshare.documents.pdf.typst_process import TypstProcess, TypstStopped, TypstTimeout

LETTER_TEMPLATE = "letter.typ.j2"
# typst's messages when a package cannot be had (typst-kit's PackageError).
_PACKAGE_ERROR = re.compile(
    r"^(?:failed to download package|package not found|failed to decompress package"
    r"|package version|failed to load package)"
)
# typst writes the page count into the PDF's XMP metadata, which it does not compress.
_XMP_PAGES = re.compile(rb"<xmpTPg:NPages>(\d{1,9})</xmpTPg:NPages>")
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


PROCESSES = 1
"""typst children :meth:`Typesetter.pdfs` keeps busy side by side. One: while it typesets
a letter, the main process renders the next and makes the payer's workbook and
e-invoices, which take as long, so on the two cores of a laptop or CI machine a second
child only adds its start and takes a core from the main process (measured: a run of
TeleHjerte or the 98 municipalities, and a settlement, each some 10 % slower with two)."""
_IDLE: list[tuple[int, TypstProcess]] = []  # (the pid that started it, the child)
_IDLE_LOCK = threading.Lock()
_IDLE_KEPT = 2  # a run's Typesetters, one after the other, keep two busy side by side


def _take_process() -> TypstProcess:
    """An idle child of this process, or a new one."""
    with _IDLE_LOCK:
        while _IDLE:
            owner, process = _IDLE.pop()
            if owner == os.getpid() and process.alive:  # never a forked parent's child
                return process
            if owner == os.getpid():
                process.close()
    return TypstProcess(MAX_TYPESET_MEMORY)


def _give_back(process: TypstProcess) -> None:
    """Keep a healthy child for the next Typesetter; end any other."""
    if process.alive:
        with _IDLE_LOCK:
            if len(_IDLE) < _IDLE_KEPT:
                _IDLE.append((os.getpid(), process))
                return
    process.close()


def start_early() -> None:
    """Start a typst child now, kept idle for the first :class:`Typesetter` of the process.

    A child takes some 0.04 s of its own core to start an interpreter and typst; a command
    that will typeset calls this first thing, so that the start overlaps the command's
    own imports and reading. The process stays one thread until the first document
    (:class:`~costshare.documents.pdf.typst_process.TypstProcess`). Does nothing when a
    child of this process is idle already."""
    with _IDLE_LOCK:
        if any(owner == os.getpid() and process.alive for owner, process in _IDLE):
            return
    _give_back(TypstProcess(MAX_TYPESET_MEMORY))


@atexit.register
def _close_idle() -> None:
    with _IDLE_LOCK:
        idle = [process for owner, process in _IDLE if owner == os.getpid()]
        _IDLE.clear()
    for process in idle:
        process.close()


def page_count(pdf: bytes) -> int:
    """How many pages ``pdf`` has: typst's metadata, or else its page objects, which typst
    writes uncompressed."""
    found = _XMP_PAGES.search(pdf)
    if found is not None:
        return int(found.group(1))
    return len(_PAGE_OBJECT.findall(pdf))


class Typesetter:
    """typst in child processes, reused for every document of a run (module docstring)."""

    def __init__(
        self,
        root: Path,
        timestamp: datetime,
        *,
        font_folder: Path,
        user_template: bool = False,
        processes: int | None = None,
    ) -> None:
        """``root`` is the folder typst may read from; ``timestamp`` the date written into
        every PDF (naive: UTC). ``font_folder`` holds exactly the fonts typst may load
        besides its own (the package layer's
        :func:`~costshare.package.fonts.private_font_folder`). A user's template
        (``user_template``) has its letters' pages bounded too. :meth:`pdfs` keeps
        ``processes`` children busy (default :data:`PROCESSES`)."""
        # Absolute: the child outlives this call's working folder (it is kept idle for the
        # next Typesetter), and a relative folder would be read from wherever it started.
        self._root = root.absolute()
        self._fonts = font_folder.absolute()
        # A naive stamp is UTC (see reproducible_timestamp): datetime.timestamp() would
        # read it in the machine's time zone, and the PDF dates would depend on it.
        self._timestamp = calendar.timegm(timestamp.utctimetuple())
        self._page_limit = MAX_LETTER_PAGES if user_template else None
        self._processes = max(1, PROCESSES if processes is None else processes)
        # Started now, while the caller does other work (an interpreter and typst each).
        self._children: list[TypstProcess | None] = [
            _take_process() for _ in range(self._processes)
        ]
        self._in_hand: set[int] = set()  # children with a document whose PDF is not read
        self.warnings: list[str] = []

    def __enter__(self) -> Typesetter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Let go of the child processes: kept idle for the next Typesetter, except one
        still holding a document (a caller stopped early), which is ended: its answer would
        be read as the next Typesetter's (idempotent)."""
        for slot, child in enumerate(self._children):
            if child is not None and slot in self._in_hand:
                child.close()
            elif child is not None:
                _give_back(child)
        self._children = []
        self._in_hand.clear()

    def pdf(self, source: str, where: str | Text) -> bytes:
        """Typeset typst ``source`` to PDF bytes.

        Raises :class:`TemplateError` (see the module docstring).
        """
        return self.start(source, where)()

    def start(self, source: str, where: str | Text) -> Callable[[], bytes]:
        """Give typst ``source`` now; the function returned waits for its PDF, so that
        the caller may work meanwhile. Raises :class:`TemplateError` as :meth:`pdf` does
        (when the PDF is asked for). Leaving the Typesetter without asking for it ends
        the child that holds it (:meth:`close`)."""
        waiting: deque[tuple[int, str | Text]] = deque()
        self._start(0, iter([(source, where)]), waiting)
        return lambda: self._finish(0, where)

    def pdfs(self, documents: Iterable[tuple[str, str | Text]]) -> Iterator[bytes]:
        """Typeset each ``(source, where)`` of ``documents``, yielding the PDFs in order.

        One document per child is in hand at a time, so while the caller works on a PDF
        the children typeset the next ones; ``documents`` is drawn from one ahead of what
        is yielded (a generator may render the next letter then). A PDF's bytes depend only
        on its source, the folders and the file date, never on which child typeset it.
        Raises :class:`TemplateError` as :meth:`pdf` does; a child whose document was never
        collected is ended, not kept.
        """
        waiting: deque[tuple[int, str | Text]] = deque()
        sources = iter(documents)
        try:
            for slot in range(self._processes):
                if not self._start(slot, sources, waiting):
                    break
            while waiting:
                slot, where = waiting.popleft()
                pdf = self._finish(slot, where)
                self._start(slot, sources, waiting)
                yield pdf
        finally:
            for slot, _where in waiting:
                self._end(slot)

    def _start(
        self,
        slot: int,
        sources: Iterator[tuple[str, str | Text]],
        waiting: deque[tuple[int, str | Text]],
    ) -> bool:
        """Send the next document of ``sources`` to child ``slot``; False when none is left.

        Where drawing the next document fails (its template), the documents in hand are
        collected first: an earlier one's error is reported first, as one at a time."""
        try:
            document = next(sources, None)
        except Exception:
            while waiting:
                self._finish(*waiting[0])
                waiting.popleft()
            raise
        if document is None:
            return False
        source, where = document
        while len(self._children) <= slot:
            self._children.append(None)
        child = self._children[slot]
        if child is None or not child.alive:
            child = self._children[slot] = _take_process()
        child.send(source.encode("utf-8"), self._timestamp, self._root, self._fonts)
        self._in_hand.add(slot)
        waiting.append((slot, where))
        return True

    def _end(self, slot: int) -> None:
        """End child ``slot`` (if :meth:`close` has not already)."""
        self._in_hand.discard(slot)
        if slot < len(self._children):
            child = self._children[slot]
            self._children[slot] = None
            if child is not None:
                child.close()

    def _finish(self, slot: int, where: str | Text) -> bytes:
        """Child ``slot``'s answer: its PDF, or the :class:`TemplateError` that explains."""
        child = self._children[slot]
        assert child is not None  # _start gave it the document
        try:
            reply = child.receive(MAX_TYPESET_SECONDS)
        except TypstTimeout:
            self._children[slot] = None
            raise TemplateError(
                lazy(
                    "{template}: typst took more than {seconds} seconds to typeset the "
                    "letter{where}; check the template for work without end",
                    template=LETTER_TEMPLATE,
                    seconds=MAX_TYPESET_SECONDS,
                    where=where,
                )
            ) from None
        except TypstStopped as stopped:
            self._children[slot] = None
            raise _stopped(stopped, where) from None
        self._in_hand.discard(slot)  # answered: the child may be kept
        if reply.error is not None:
            raise _typst_error(reply.error, where)
        if self._page_limit is not None:
            pages = page_count(reply.pdf)
            if pages > self._page_limit:
                raise TemplateError(
                    lazy(
                        "{template}: the letter{where} has {count} pages, over the limit of "
                        "{limit}; check the template",
                        template=LETTER_TEMPLATE,
                        where=where,
                        count=Grouped(pages),
                        limit=self._page_limit,
                    )
                )
        for warning in reply.warnings:
            message = one_line(warning)
            if message not in self.warnings:
                self.warnings.append(message)
        return reply.pdf


def _stopped(stopped: TypstStopped, where: str | Text) -> TemplateError:
    if stopped.out_of_memory:
        reason = tr("it ran out of the memory allowed")
    else:
        reason = tr("exit status {status}", status=stopped.status)
    return TemplateError(
        lazy(
            "{template}: typst stopped while typesetting the letter{where} ({reason}); "
            "check the template",
            template=LETTER_TEMPLATE,
            where=where,
            reason=reason,
        )
    )


def _typst_error(message: str, where: str | Text) -> TemplateError:
    problem = one_line(message)
    if _PACKAGE_ERROR.match(problem):
        return TemplateError(
            lazy(
                "{template}: imports a typst package{where}; packages are not allowed, so "
                "that letters render the same on every machine without a network; copy "
                "what you need into the template folder",
                template=LETTER_TEMPLATE,
                where=where,
            )
        )
    return TemplateError(
        lazy(
            "{template}: typst could not typeset the letter{where}: {problem}; check the template",
            template=LETTER_TEMPLATE,
            where=where,
            problem=problem,
        )
    )


def one_line(text: str) -> str:
    """``text`` with every run of white space, line breaks included, as one space."""
    return " ".join(str(text).split())
