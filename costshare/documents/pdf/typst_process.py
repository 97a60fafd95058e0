"""A typst compiler in a child process: bounded in time and memory, cut off from packages.

typst runs inside the Python process that calls it, so a document that makes it abort
(a stack overflow, a failed allocation) would take costshare with it, and one that works
for minutes would hold the run. :class:`TypstProcess` runs the compiler in a child
(:mod:`costshare.documents.pdf.typst_child`) and talks to it over pipes:

* **time**: the parent waits for each document at most the given seconds, then kills the
  child (:class:`TypstTimeout`);
* **memory**: the child caps its own allocations (Linux enforces it); a child that aborts,
  crashes or is killed is :class:`TypstStopped`, with the end of what it printed;
* **no packages**: the child's package folders are the empty private folder it is given,
  and its proxy settings point every download at a closed port on this machine, so
  ``#import "@preview/…"`` fails without a connection, however the name was built;
* **one clock**: the child's time zone is UTC, so typst's ``datetime.today()`` is the
  file date's day on every machine.

The child starts when the object is made (an interpreter and typst: about 0.05 s) while the
caller does other work (the threads that read its answers start with the first document), and makes a compiler per root and font folder it is asked for, so
that one child can serve one document set after another. :meth:`TypstProcess.send` and
:meth:`TypstProcess.receive` are separate, so that a caller may keep two processes busy
side by side (one document each) and collect the results in order; every document's
bytes depend only on its source, its folders and the file date.
"""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from costshare.documents.pdf import typst_child

# Where typst's package downloader is sent: port 0 of this machine refuses at once.
_CLOSED_PROXY = "http://127.0.0.1:0"
_PROXY_VARIABLES = ("https_proxy", "http_proxy", "all_proxy")
_NO_PROXY_VARIABLES = ("no_proxy",)
_STDERR_KEPT = 4000  # characters of the child's own output kept for a message


class TypstTimeout(Exception):
    """The child took longer than allowed, and was stopped."""


class TypstStopped(Exception):
    """The child ended (aborted, crashed, ran out of memory) instead of answering."""

    def __init__(self, status: int | None, output: str) -> None:
        super().__init__(f"typst stopped (status {status})")
        self.status = status
        self.output = output

    @property
    def out_of_memory(self) -> bool:
        """Whether the child said it could not allocate memory."""
        text = self.output.casefold()
        return "memory allocation" in text or "out of memory" in text


@dataclass(frozen=True)
class Reply:
    """typst's answer: the PDF and its warnings, or its error message."""

    pdf: bytes = b""
    warnings: tuple[str, ...] = ()
    error: str | None = None


def child_environment(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The child's environment: this one, with UTC as time zone and downloads cut off."""
    source = dict(os.environ if environ is None else environ)
    names = {*_PROXY_VARIABLES, *_NO_PROXY_VARIABLES}
    environment = {key: value for key, value in source.items() if key.casefold() not in names}
    for name in _PROXY_VARIABLES:
        environment[name] = environment[name.upper()] = _CLOSED_PROXY
    environment["TZ"] = "UTC0"
    environment.pop("RUST_BACKTRACE", None)  # a crash's message stays one screen
    return environment


class TypstProcess:
    """One typst compiler in a child process (see the module docstring)."""

    def __init__(self, memory: int) -> None:
        """Start the child, allowed at most ``memory`` bytes."""
        self._process = subprocess.Popen(
            [sys.executable, "-P", str(Path(typst_child.__file__))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_environment(),
        )
        self._replies: queue.Queue[tuple[dict[str, Any], bytes] | None] = queue.Queue()
        self._output: list[str] = [""]
        assert self._process.stdout is not None and self._process.stderr is not None
        # Started with the first document, not here: a process started early (typesetter's
        # start_early) stays one thread until then, so that it may still fork a side job
        # (costshare.package.side_process). Until then the child's few bytes wait in the pipes.
        self._threads = [
            threading.Thread(target=self._read_replies, args=(self._process.stdout,), daemon=True),
            threading.Thread(target=self._read_output, args=(self._process.stderr,), daemon=True),
        ]
        self._ready = False
        self._write(typst_child.frame({"memory": memory}))

    def _read_from_now(self) -> None:
        """Start reading the child's output (once)."""
        for thread in self._threads:
            if thread.ident is None:
                thread.start()

    @property
    def alive(self) -> bool:
        """Whether the child is still running."""
        return self._process.poll() is None

    def send(self, source: bytes, timestamp: int, root: Path, font_folder: Path) -> None:
        """Ask the child to typeset ``source`` with ``timestamp`` as its date, ``root`` as
        the folder typst may read and the fonts in ``font_folder`` (which is also its
        package folder, and holds no package)."""
        self._read_from_now()
        self._sent = time.monotonic()
        header = {"timestamp": timestamp, "root": str(root), "fonts": str(font_folder)}
        self._write(typst_child.frame(header, source))

    def receive(self, seconds: float) -> Reply:
        """The answer to the last :meth:`send`, within ``seconds`` of sending it.

        Raises :class:`TypstTimeout` (the child is then stopped) or :class:`TypstStopped`.
        """
        self._read_from_now()
        deadline = self._sent + seconds
        if not self._ready:
            header, _ = self._next(deadline)
            if "error" in header:
                self.close()
                raise TypstStopped(self._process.returncode, str(header["error"]))
            self._ready = True
        header, body = self._next(deadline)
        if header.get("stopped"):  # typst panicked or ran out: start afresh next time
            self.close()
        if "error" in header:
            return Reply(error=str(header["error"]))
        return Reply(body, tuple(str(warning) for warning in header.get("warnings", ())))

    def close(self) -> None:
        """Stop the child: let it end when its input closes, kill it if it does not."""
        if self._process.stdin is not None and not self._process.stdin.closed:
            with contextlib.suppress(OSError):
                self._process.stdin.close()
        try:  # an idle child ends at once; one still typesetting (Ctrl-C) is stopped
            self._process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        for thread in self._threads:
            if thread.ident is not None:
                thread.join(timeout=5)

    def _next(self, deadline: float) -> tuple[dict[str, Any], bytes]:
        try:
            message = self._replies.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            self._process.kill()
            self.close()
            raise TypstTimeout from None
        if message is None:
            self.close()
            raise TypstStopped(self._process.returncode, self._output[0])
        return message

    def _write(self, data: bytes) -> None:
        stream = self._process.stdin
        assert stream is not None
        try:
            stream.write(data)
            stream.flush()
        except OSError:  # the child is gone; receive() says why
            pass

    def _read_replies(self, stream: IO[bytes]) -> None:
        try:
            while (message := typst_child.read_frame(cast(BinaryIO, stream))) is not None:
                self._replies.put(message)
        except (OSError, ValueError):
            pass
        self._replies.put(None)

    def _read_output(self, stream: IO[bytes]) -> None:
        """Keep the end of what the child prints (a Rust abort's message)."""
        try:
            while chunk := stream.read1(4096):  # type: ignore[attr-defined]
                text = self._output[0] + chunk.decode("utf-8", "replace")
                self._output[0] = text[-_STDERR_KEPT:]
        except (OSError, ValueError):
            pass
