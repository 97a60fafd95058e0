"""Issue #24, item 6: typst's work is bounded, and whatever typst does is a one-line error.

typst compiles in a child process: a template that makes typst abort or crash, exhaust
memory, work for minutes, make hundreds of pages or import a package (however its name is
built) is refused with one line naming the letter, and leaves no staging folder behind.
The runs that could take the test process down with them (an abort, a crash, an
allocation of many gigabytes) run ``costshare`` in a subprocess, with its address space
capped so that a regression cannot exhaust the machine.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_hostile_templates import refused, run

from costshare.documents.pdf import typesetter

# typst recursing 100,000 levels deep overflows its stack: the process receives SIGSEGV.
CRASH = "#let x = (1,)\n#for i in range(100000) { x = (x,) }\n#repr(x).len()\n"
# An array of a billion integers: 16 GB.
GIGABYTES = "#range(1000000000).len()\n"

pytestmark = pytest.mark.slow  # typst letters


def nothing_left() -> None:
    assert not Path("out").exists()
    assert not [p for p in Path().iterdir() if p.name.startswith(".out")]  # no staging left


def run_in_subprocess(address_space: int = 6_000_000_000) -> subprocess.CompletedProcess[str]:
    """``costshare run`` as its own process, its address space capped (POSIX)."""

    def cap() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))

    command = [sys.executable, "-m", "costshare", "run", "prog.toml", "--out", "out"]
    return subprocess.run(
        [*command, "--templates", "templates"],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=cap if os.name == "posix" else None,
        check=False,
    )


def refused_in_subprocess(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("Error: "), done.stderr
    nothing_left()
    return done.stderr.removeprefix("Error: ").strip()


def test_a_template_that_crashes_typst_is_an_error_and_leaves_nothing(folder: Path) -> None:
    (folder / "letter.typ.j2").write_text(CRASH)
    message = refused_in_subprocess(run_in_subprocess())
    assert message.startswith("letter.typ.j2: typst stopped while typesetting the letter for ")
    assert message.endswith("; check the template")


@pytest.mark.skipif(sys.platform != "linux", reason="the memory limit is enforced on Linux")
def test_a_template_that_exhausts_memory_is_an_error(folder: Path) -> None:
    (folder / "letter.typ.j2").write_text(GIGABYTES)
    started = time.monotonic()
    message = refused_in_subprocess(run_in_subprocess())
    assert message.startswith("letter.typ.j2: typst stopped while typesetting the letter for ")
    assert "(it ran out of the memory allowed)" in message
    assert time.monotonic() - started < 60


def test_typst_working_past_the_time_limit_is_stopped(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """16 million loop steps take typst about 4 s; the limit here is 1 s."""
    monkeypatch.setattr(typesetter, "MAX_TYPESET_SECONDS", 1)
    (folder / "letter.typ.j2").write_text(
        "#let n = 0\n#for i in range(4000) { for j in range(4000) { n += 1 } }\n#n\n"
    )
    started = time.monotonic()
    message = refused(run())
    assert message.startswith("letter.typ.j2: typst took more than 1 seconds to typeset the ")
    assert time.monotonic() - started < 20


def test_a_letter_of_more_pages_than_the_limit_is_refused(folder: Path) -> None:
    (folder / "letter.typ.j2").write_text("#for i in range(150) { pagebreak() }\n")
    message = refused(run())
    assert message.startswith("letter.typ.j2: the letter for ")
    assert message.endswith(" has 151 pages, over the limit of 100; check the template")


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """A proxy on this machine that records every connection made to it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    address = f"http://127.0.0.1:{listener.getsockname()[1]}"
    for name in ("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, address)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    seen: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    seen.append(connection.recv(200))
                except OSError:
                    seen.append(b"")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield seen
    stop.set()
    thread.join()
    listener.close()


@pytest.mark.parametrize(
    "template",
    [
        '#import "@preview/cetz:0.3.1": canvas\n',
        '#let p = "@" + "preview/cetz:0.3.1"\n#import p\n',
        '#import str.from-unicode(64) + "preview/cetz:0.3.1"\n',
        '#import "@local/mine:1.0.0"\n',
    ],
)
def test_typst_packages_are_switched_off(folder: Path, template: str, proxy: list[bytes]) -> None:
    """Whatever the name, no download is tried: not even through the user's proxy."""
    (folder / "letter.typ.j2").write_text(template)
    message = refused(run())
    assert message.startswith("letter.typ.j2: imports a typst package for ")
    time.sleep(0.3)
    assert proxy == []
