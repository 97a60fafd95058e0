"""The typst compiler in a child process, run by :mod:`costshare.documents.pdf.typst_process`.

This file is a script: it imports only the standard library and typst (starting it costs
an interpreter and typst, about 0.05 s), and nothing from costshare.

**Protocol**, on stdin and stdout: every message is a frame of two big-endian 32-bit lengths,
a JSON header of the first length and a body of the second.

* The first request sets the memory limit: ``{"memory": bytes}``; the reply is
  ``{"ready": true}`` (or ``{"error": …}``, and the process ends).
* Each further request is ``{"timestamp", "root", "fonts"}`` with the typst source as body:
  typst's root folder and the folder of the fonts it may load besides its own (also its
  only package folder, which holds no package). A compiler is made once per root and font
  folder, so one child can serve the documents of a run one after the other. The reply is
  ``{"warnings": [...]}`` with the PDF as body, or ``{"error": message}``.

The child ends when its input ends (the parent closed it, or died), at once: there is
nothing to save. Its stdout carries frames only: whatever typst or Python prints goes to
stderr, which the parent keeps the end of.
"""

from __future__ import annotations

import contextlib
import json
import os
import struct
import sys
from typing import Any, BinaryIO

_LENGTHS = struct.Struct(">II")
_COMPILERS_KEPT = 4  # a run uses two (its letters, the annex and review)


def read_frame(stream: BinaryIO) -> tuple[dict[str, Any], bytes] | None:
    """The next frame of ``stream``, or None at its end."""
    head = stream.read(_LENGTHS.size)
    if len(head) < _LENGTHS.size:
        return None
    header_length, body_length = _LENGTHS.unpack(head)
    header = stream.read(header_length)
    body = stream.read(body_length)
    if len(header) < header_length or len(body) < body_length:
        return None
    return json.loads(header.decode("utf-8")), body


def frame(header: dict[str, Any], body: bytes = b"") -> bytes:
    """One message as bytes."""
    encoded = json.dumps(header).encode("utf-8")
    return _LENGTHS.pack(len(encoded), len(body)) + encoded + body


def _send(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def _limit_memory(limit: int) -> None:
    """Cap the memory the process may allocate, where the system has such a limit.

    ``RLIMIT_DATA`` counts what is allocated, not address space reserved (thread stacks,
    allocator arenas), so it does not depend on the number of processor cores. Linux
    enforces it; elsewhere the time limit of the parent still applies.
    """
    try:
        import resource
    except ImportError:  # Windows
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _compiler(root: str, fonts: str) -> Any:
    import typst

    return typst.Compiler(
        root=root,
        font_paths=typst.Fonts(include_system_fonts=False, font_paths=[fonts]),
        ignore_system_fonts=True,
        package_path=fonts,  # holds no package: nothing to load, nothing to download into
        package_cache_path=fonts,
    )


def _compile(compiler: Any, timestamp: int, source: bytes) -> bytes:
    """The reply to one request: the PDF, or typst's error."""
    import typst

    try:
        pdf, warnings = compiler.compile_with_warnings(
            input=source, format="pdf", timestamp=timestamp
        )
    except typst.TypstError as error:
        return frame({"error": str(error.message)})
    except MemoryError:
        return frame({"error": "out of memory", "stopped": True})
    except Exception as error:  # typst's own failure: reported, the child goes on
        return frame({"error": f"{type(error).__name__}: {error}"})
    except BaseException as error:  # a Rust panic arrives as pyo3's PanicException
        if isinstance(error, KeyboardInterrupt | SystemExit):
            raise
        return frame({"error": f"typst failed: {error}", "stopped": True})
    return frame({"warnings": [str(warning.message) for warning in warnings]}, pdf)


def main() -> None:
    """Serve compile requests until the input ends."""
    replies = os.dup(1)
    os.dup2(2, 1)  # anything printed goes to stderr, never into the frames
    requests = sys.stdin.buffer
    first = read_frame(requests)
    if first is None:
        return
    _limit_memory(int(first[0]["memory"]))
    try:
        import typst  # noqa: F401  (loaded before the first document is waited for)
    except Exception as error:
        _send(replies, frame({"error": f"{type(error).__name__}: {error}"}))
        return
    _send(replies, frame({"ready": True}))
    compilers: dict[tuple[str, str], Any] = {}
    while (request := read_frame(requests)) is not None:
        header, source = request
        key = (str(header["root"]), str(header["fonts"]))
        try:
            if key not in compilers:
                if len(compilers) >= _COMPILERS_KEPT:  # a long session: forget the oldest
                    del compilers[next(iter(compilers))]
                compilers[key] = _compiler(*key)
        except Exception as error:
            _send(replies, frame({"error": f"{type(error).__name__}: {error}"}))
            continue
        _send(replies, _compile(compilers[key], int(header["timestamp"]), source))


if __name__ == "__main__":
    main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # nothing to tear down: ending at once makes closing the child cheap
