"""A check the main process need not wait for: a pure function run beside it, in a child.

``settle`` must rebuild the charged package's workbooks to prove that each one shows the
re-derived amount (:mod:`costshare.package.earlier_package`): some 0.1 s of XlsxWriter on
one core, while the second core of a laptop or CI machine mostly waits for typst. So the
check runs in a forked child while the main process writes the settlement, and the main
process asks for its verdict before the package is installed (:meth:`SideJob.result`), so
that a refused package still leaves nothing behind.

A child is forked only where forking is cheap and safe: on Linux, from a process with no
other thread (a fork copies only the forking thread, and a lock another thread held would
stay locked in the child). Everywhere else (Windows and macOS start a fresh interpreter
instead of forking, which would cost more than the check) the function runs in the main
process when its result is asked for. The outcome is the same either way: the child sends
back the function's return value or the exception it raised, pickled, and a child that
stops without answering (killed, out of memory) is not believed: the function is then run
in the main process.

The child writes nothing: it leaves with :func:`os._exit`, so it runs no ``atexit``
handler, flushes no copy of the parent's output buffers and removes no staging folder.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")


def forks_here() -> bool:
    """Whether a :class:`SideJob` started now would run in a forked child."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


class SideJob(Generic[T]):
    """``function()`` computed beside the main process; :meth:`result` waits for it.

    Use it as a context manager, so that a child whose result is never asked for (the run
    stopped on another error) is ended and reaped.
    """

    def __init__(self, function: Callable[[], T]) -> None:
        self._function = function
        self._child: tuple[int, int] | None = None  # (pid, the pipe it answers through)
        self._outcome: tuple[bool, Any] | None = None  # (raised, the value or the error)
        self.forked = forks_here()
        """Whether the function runs in a child (see the module docstring)."""
        if self.forked:
            self._child = _fork(function)

    def result(self) -> T:
        """The function's return value; raises what the function raised (computed once,
        however often it is asked for)."""
        if self._outcome is None:
            self._outcome = self._collect()
            if self._outcome is None:  # not forked, or the child stopped without answering
                self._outcome = _outcome_of(self._function)
        raised, value = self._outcome
        if raised:
            raise value
        return cast(T, value)

    def __enter__(self) -> SideJob[T]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._child is not None:  # never asked for: end the child, reap it
            with contextlib.suppress(OSError):
                os.kill(self._child[0], signal.SIGKILL)
            self._collect()

    def _collect(self) -> tuple[bool, Any] | None:
        """The child's answer, or None if there is no child or it gave none; the child
        is reaped."""
        if self._child is None:
            return None
        (pid, reader), self._child = self._child, None
        with os.fdopen(reader, "rb") as stream:
            answer = stream.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not answer:
            return None
        try:
            return cast(tuple[bool, Any], pickle.loads(answer))  # our own child's bytes
        except Exception:  # a child cut off mid-answer: run it here instead
            return None


def _outcome_of(function: Callable[[], Any]) -> tuple[bool, Any]:
    try:
        return False, function()
    except Exception as error:  # raised where the result is asked for
        return True, error


def _fork(function: Callable[[], Any]) -> tuple[int, int]:
    """Start a child computing ``function()``; its pid and the pipe it answers through."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid != 0:
        os.close(writer)
        return pid, reader
    # The child: compute, answer, and leave without running anything else.
    status = 1
    try:
        os.close(reader)
        answer = pickle.dumps(_outcome_of(function))
        with os.fdopen(writer, "wb") as stream:
            stream.write(answer)
        status = 0
    finally:  # an answer that does not pickle, or a parent gone: status 1, no answer
        os._exit(status)
