"""A check run beside the main process (issue #23): the same outcome, forked or not.

Each case runs in a fresh interpreter (one thread, as a ``costshare`` command starts), so
that on Linux the job is really forked; the same script is run with the fork switched off
to show the outcome does not depend on where the function ran.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from costshare.package.side_process import SideJob, forks_here

SCRIPT = """
import os, sys
from costshare.base.errors import InputError
from costshare.base.i18n import lazy
import costshare.package.side_process as side

if sys.argv[1] == "inline":
    side.forks_here = lambda: False
parent = os.getpid()

def answer():
    return {"pid": os.getpid(), "sum": sum(range(10))}

def refuse():
    raise InputError(lazy("{what} differs", what="the amount"), source="157-gentofte.xlsx")

def die():
    if os.getpid() != parent:
        os._exit(3)  # the child stops without answering
    return "computed in the parent"

with side.SideJob(answer) as job:
    print(job.forked, job.result()["sum"], job.result()["pid"] != parent)
with side.SideJob(refuse) as job:
    try:
        job.result()
    except InputError as error:
        print(type(error).__name__, str(error))
with side.SideJob(die) as job:
    print(job.result())
with side.SideJob(answer) as job:
    pass  # never asked for: the child is ended and reaped
try:
    os.waitpid(-1, os.WNOHANG)
    print("a child was left")
except ChildProcessError:
    print("no child left")
"""


def run(mode: str) -> list[str]:
    found = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT), mode],
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode == 0, found.stderr
    return found.stdout.splitlines()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks only on Linux")
def test_forked_and_inline_give_the_same_outcomes() -> None:
    forked, inline = run("fork"), run("inline")
    # Forked, the function ran in another process; not forked, in this one.
    assert forked[0] == "True 45 True" and inline[0] == "False 45 False"
    refused = "InputError 157-gentofte.xlsx: the amount differs"
    assert forked[1] == inline[1] == refused
    # A child that stops without answering is not believed: the parent computes it.
    assert forked[2] == inline[2] == "computed in the parent"
    assert forked[3] == inline[3] == "no child left"  # the unasked one was reaped


def test_no_fork_from_a_process_with_threads() -> None:
    """A fork copies only its own thread; a lock held by another would stay locked."""
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not forks_here()
        with SideJob(lambda: 7) as job:
            assert not job.forked and job.result() == 7
    finally:
        stop.set()
        other.join()
