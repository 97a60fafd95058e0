"""``costshare data fetch`` against a hostile or broken server (issue #24, item 5).

Fetched figures are checked like a user's file and more: a municipality twice, a count
past 18 digits, a national total that is not the sum of its rows, a missing age. The
answer is bounded in bytes and in total time (a slow drip, an endless body), every HTTP,
decoding and parsing error is one line, redirects stay on the API's host, and a failed
fetch leaves the set it would have replaced exactly as it was.
"""

from __future__ import annotations

import ast
import json
import os
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from paths import ROOT
from statbank_server import (
    CHRISTIANSO,
    Answer,
    Raw,
    Server,
    children_by_age,
    good_answer,
    packaged_counts,
    serve,
    statbank_csv,
)

from costshare.cli import cli
from costshare.population import statbank, statbank_http
from costshare.population.packaged import load_packaged


@pytest.fixture
def server() -> Iterator[Server]:
    yield from serve()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("COSTSHARE_DATA_DIR", str(folder))
    return folder


def fetch(server: Server, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["data", "fetch", *args, "--api-url", server.url])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.stdout, result.stderr


def on_data(change: Callable[[bytes], bytes]) -> Answer:
    """The good answer, with the data call's payload changed."""

    def answer(path: str, body: dict[str, Any]) -> tuple[int, bytes]:
        status, payload = good_answer(path, body)
        return (status, change(payload)) if path.endswith("/data") else (status, payload)

    return answer


def on_tableinfo(payload: bytes) -> Answer:
    def answer(path: str, body: dict[str, Any]) -> tuple[int, bytes]:
        return (200, payload) if path.endswith("/tableinfo") else good_answer(path, body)

    return answer


def line(payload: bytes, start: bytes) -> bytes:
    return next(row for row in payload.split(b"\r\n") if row.startswith(start))


def without(start: bytes) -> Callable[[bytes], bytes]:
    return lambda payload: payload.replace(line(payload, start) + b"\r\n", b"", 1)


def replaced(start: bytes, new: bytes) -> Callable[[bytes], bytes]:
    return lambda payload: payload.replace(line(payload, start), new, 1)


TOTAL = sum(packaged_counts("2024K4").values()) + CHRISTIANSO  # the national total, 2024K4
AGE_3 = sum(figures["3"] for figures in children_by_age().values()) + 1  # and for age 3, 2025K1
NESTED = b"[" * 100_000 + b"]" * 100_000
BAD_INFO = json.dumps({"id": "FOLK1A", "variables": [{"id": "Tid", "values": ["2024K4"]}]})
ESCAPED_INFO = json.loads(good_answer("/v1/tableinfo", {"table": "FOLK1A"})[1])
ESCAPED_INFO["text"] = "Befolkningen\x1b[2J"

CASES: list[tuple[str, Answer, tuple[str, ...], str]] = [
    (
        "a municipality twice (the last would have won)",
        on_data(lambda p: p + b"101;2024K4;1\r\n"),
        ("--quarter", "2024K4"),
        "StatBank's answer, line 103: a second row for area '101'; nothing was stored",
    ),
    (
        "a municipality twice, written with a leading zero",
        on_data(lambda p: p + b"0101;2024K4;1\r\n"),
        ("--quarter", "2024K4"),
        "StatBank's answer, line 103: a second row for area '0101'; nothing was stored",
    ),
    (
        "one municipality and age twice",
        on_data(lambda p: p + b"101;5;2025K1;1\r\n"),
        ("--quarter", "2025K1", "--ages", "0-17"),
        "StatBank's answer, line 1820: a second row for area '101', age '5'; nothing was stored",
    ),
    (
        "a national total that is not the sum",
        on_data(lambda p: p.replace(b"000;2024K4;", b"000;2024K4;1", 1)),
        ("--quarter", "2024K4"),
        f"StatBank's answer: the national total (000) is {int(f'1{TOTAL}'):,}, but the 98 "
        f"municipalities and Christiansø add up to {TOTAL:,}; nothing was stored",
    ),
    (
        "no national total",
        on_data(without(b"000;")),
        ("--quarter", "2024K4"),
        "StatBank's answer has no national total (000) to check the rows against; nothing was stored",
    ),
    (
        "an age whose national total is not the sum",
        on_data(lambda p: p.replace(b"\r\n000;3;2025K1;", b"\r\n000;3;2025K1;9", 1)),
        ("--quarter", "2025K1", "--ages", "0-17"),
        f"StatBank's answer: the national total (000) for age 3 is {int(f'9{AGE_3}'):,}, but "
        f"the 98 municipalities and Christiansø add up to {AGE_3:,}; nothing was stored",
    ),
    (
        "a missing age",
        on_data(without(b"101;3;")),
        ("--quarter", "2025K1", "--ages", "0-17"),
        "StatBank's answer has no row for area 101 (København), age 3; nothing was stored",
    ),
    (
        "an age that was not asked for",
        on_data(lambda p: p + b"101;IALT;2025K1;1\r\n"),
        ("--quarter", "2025K1", "--ages", "0-17"),
        "StatBank's answer, line 1820: age 'IALT' was not asked for; nothing was stored",
    ),
    (
        "a count of 19 digits",
        on_data(replaced(b"101;", b"101;2024K4;" + b"1" * 19)),
        ("--quarter", "2024K4"),
        "StatBank's answer, line 5: '1111111111111111111' is not a count (1 to 18 digits 0-9); "
        "nothing was stored",
    ),
    (
        "full-width digits",
        on_data(replaced(b"101;", "101;2024K4;１２３".encode())),
        ("--quarter", "2024K4"),
        "StatBank's answer, line 5: '１２３' is not a count (1 to 18 digits 0-9); nothing was stored",
    ),
    (
        "not UTF-8",
        on_data(lambda p: p.replace(b"\xc3\x85", b"\xc5")),
        ("--quarter", "2024K4"),
        "StatBank's answer is not UTF-8 text; nothing was stored",
    ),
    (
        "a cell past the CSV reader's limit",
        on_data(lambda p: p + b'"' + b"x" * 200_000 + b'"\r\n'),
        ("--quarter", "2024K4"),
        "StatBank's answer is not semicolon-separated text (field larger than field limit "
        "(131072)); nothing was stored",
    ),
    (
        "table information nested 100,000 deep",
        on_tableinfo(NESTED),
        ("--quarter", "2024K4"),
        "StatBank's table information for FOLK1A is not JSON; the API may have changed",
    ),
    (
        "periods that are not objects",
        on_tableinfo(BAD_INFO.encode()),
        ("--quarter", "2024K4"),
        "StatBank's table information for FOLK1A lists its Tid values in another form; "
        "the API may have changed",
    ),
    (
        "a title with a terminal escape",
        on_tableinfo(json.dumps(ESCAPED_INFO).encode()),
        ("--quarter", "2024K4"),
        "StatBank's table information for FOLK1A: its text is not one line of plain text "
        "(at most 1000 characters); the API may have changed",
    ),
    (
        "no such age in the table",
        on_tableinfo(
            json.dumps(
                {
                    **ESCAPED_INFO,
                    "text": "x",
                    "variables": [
                        v if v["id"] != "ALDER" else {**v, "values": v["values"][:11]}
                        for v in ESCAPED_INFO["variables"]
                    ],
                }
            ).encode()
        ),
        ("--quarter", "2025K1", "--ages", "0-17"),
        "StatBank's FOLK1A has no age 10 (ALDER); it holds ages 0–9",
    ),
]


@pytest.mark.parametrize(
    ("answer", "args", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_answers_are_one_line_and_store_nothing(
    server: Server, data_dir: Path, answer: Answer, args: tuple[str, ...], message: str
) -> None:
    server.answer = answer
    code, out, err = fetch(server, *args)
    assert (code, out, err) == (1, "", f"Error: {message}\n")
    assert not any(data_dir.rglob("*.*"))


# --- bounded in time and in bytes -----------------------------------------------------


def drip(server: Server, head: bytes) -> Raw:
    """``head``, then one byte every 0.2 s until the client leaves."""

    def write(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(head)
        handler.wfile.flush()
        while not server.stop.is_set():
            handler.wfile.write(b"1")
            handler.wfile.flush()
            time.sleep(0.2)

    return write


def endless(server: Server, head: bytes) -> Raw:
    def write(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(head)
        while not server.stop.is_set():
            handler.wfile.write(b"101;2024K4;1\r\n" * 5000)

    return write


STATUS = b"HTTP/1.0 200 OK\r\n"
SLOW = {
    "a body that drips": STATUS + b"Content-Length: 1000000\r\n\r\n",
    "headers that drip": STATUS + b"X-Slow: ",
    "a status line that drips": b"HTTP/1.0 2",
}


@pytest.mark.parametrize("head", SLOW.values(), ids=SLOW.keys())
def test_a_slow_drip_fails_within_the_total_time(
    server: Server, data_dir: Path, monkeypatch: pytest.MonkeyPatch, head: bytes
) -> None:
    monkeypatch.setattr(statbank_http, "TOTAL_SECONDS", 2.0)
    server.answer = lambda path, body: (
        drip(server, head) if path.endswith("/data") else good_answer(path, body)
    )
    started = time.monotonic()
    code, _out, err = fetch(server, "--quarter", "2024K4")
    assert time.monotonic() - started < 4  # each read waited far less than its own timeout
    assert (code, err) == (
        1,
        f"Error: StatBank at {server.url}/data did not answer in full within 2 seconds; "
        "nothing was stored, try again later\n",
    )
    assert not any(data_dir.rglob("*.*"))


@pytest.mark.parametrize(
    "head",
    [
        STATUS + b"\r\nOMR\xc3\x85DE;TID;INDHOLD\r\n",
        STATUS + b"Content-Length: 99999999999\r\n\r\n",
    ],
    ids=["an endless body", "a body announced too large"],
)
def test_an_endless_body_stops_at_the_byte_limit(
    server: Server, data_dir: Path, monkeypatch: pytest.MonkeyPatch, head: bytes
) -> None:
    monkeypatch.setattr(statbank_http, "MAX_RESPONSE_BYTES", 2_000_000)
    server.answer = lambda path, body: (
        endless(server, head) if path.endswith("/data") else good_answer(path, body)
    )
    code, _out, err = fetch(server, "--quarter", "2024K4")
    assert (code, err) == (
        1,
        f"Error: StatBank's answer from {server.url}/data is larger than 2,000,000 bytes; "
        "nothing was stored\n",
    )


BROKEN = {
    "a status line that is not HTTP": (b"garbage\r\n\r\n", "BadStatusLine: garbage"),
    "a body cut short": (
        STATUS + b"Content-Length: 50\r\n\r\nOMR",
        "IncompleteRead(3 bytes read, 47 more expected)",
    ),
    "a header line of 70,000 bytes": (
        STATUS + b"X: " + b"x" * 70_000 + b"\r\n\r\n",
        "LineTooLong: got more than 65536 bytes when reading header line",
    ),
}


@pytest.mark.parametrize(("raw", "reason"), BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_http_answer_is_one_line(
    server: Server, data_dir: Path, raw: bytes, reason: str
) -> None:
    def write(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(raw)

    server.answer = lambda path, body: write if path.endswith("/data") else good_answer(path, body)
    code, _out, err = fetch(server, "--quarter", "2024K4")
    assert (code, err) == (
        1,
        f"Error: StatBank at {server.url}/data sent a broken HTTP answer ({reason}); nothing was stored\n",
    )


# --- redirects --------------------------------------------------------------------------


def redirect(status: int, location: str) -> Raw:
    def write(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return write


def test_a_redirect_within_the_host_is_followed_and_recorded(
    server: Server, data_dir: Path
) -> None:
    def answer(path: str, body: dict[str, Any]) -> tuple[int, bytes] | Raw:
        if path.startswith("/v1/"):
            return redirect(308, path.replace("/v1/", "/v2/"))
        return good_answer(path, body)

    server.answer = answer
    code, _out, err = fetch(server, "--quarter", "2026K2")
    assert code == 0, err
    assert [path for path, _ in server.requests] == [
        "/v1/tableinfo",
        "/v2/tableinfo",
        "/v1/data",
        "/v2/data",
    ]
    assert server.requests[3][1] == server.requests[2][1]  # the same POST, body and all
    import tomllib

    info = tomllib.loads((data_dir / "statbank" / "FOLK1A_2026K2.source.toml").read_text("utf-8"))
    assert (
        info["api_url"] == server.url
        and info["response_url"] == server.url.replace("/v1", "/v2") + "/data"
    )


@pytest.mark.parametrize("other_port", [False, True], ids=["another host name", "another port"])
def test_a_redirect_to_another_host_is_refused(
    server: Server, data_dir: Path, other_port: bool
) -> None:
    running = serve()
    other = next(running)
    elsewhere = f"http://localhost:{server.port}/v1/data"
    if other_port:
        elsewhere = f"{other.url}/data"
    server.answer = lambda path, body: (
        redirect(302, elsewhere) if path.endswith("/data") else good_answer(path, body)
    )
    code, _out, err = fetch(server, "--quarter", "2024K4")
    assert (code, err) == (
        1,
        f"Error: StatBank at {server.url}/data redirected to '{elsewhere}', which is not on the "
        "host of the API URL; costshare follows redirects only within that host, nothing was "
        "stored\n",
    )
    assert [path for path, _ in server.requests] == ["/v1/tableinfo", "/v1/data"]
    assert other.requests == []
    next(running, None)


def test_redirects_in_a_loop_stop(server: Server, data_dir: Path) -> None:
    server.answer = lambda path, body: redirect(307, path)
    code, _out, err = fetch(server, "--quarter", "2024K4")
    assert (code, err) == (
        1,
        f"Error: StatBank at {server.url}/tableinfo redirected more than 4 times; nothing was stored\n",
    )


@pytest.mark.parametrize(
    "url",
    ["file:///etc", "ftp://example.org/v1", "http://[::1/v1", "example.org/v1", "http://:80/v1"],
)
def test_only_http_addresses_are_used(data_dir: Path, url: str) -> None:
    result = CliRunner().invoke(cli, ["data", "fetch", "--quarter", "2024K4", "--api-url", url])
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: --api-url {url!r} is not an http:// or https:// address; give the StatBank "
        "API's address, e.g. https://api.statbank.dk/v1\n",
    )


# --- a failed fetch leaves the earlier set as it was ------------------------------------


def stored(data_dir: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.name: (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(data_dir.rglob("*"))
        if p.is_file()
    }


def test_a_failed_fetch_leaves_the_earlier_set_untouched(server: Server, data_dir: Path) -> None:
    assert fetch(server, "--quarter", "2026K2")[0] == 0
    before = stored(data_dir)
    for answer in (
        on_data(lambda p: p + b"101;2026K2;1\r\n"),  # a municipality twice
        on_data(lambda p: p.replace(b"000;2026K2;", b"000;2026K2;1", 1)),  # a wrong total
        on_data(replaced(b"101;", b"101;2026K2;" + b"9" * 19)),
        on_data(lambda p: p[:-5]),  # a row cut short
        lambda path, body: (500, b"") if path.endswith("/data") else good_answer(path, body),
    ):
        server.answer = answer
        assert fetch(server, "--quarter", "2026K2")[0] == 1
    assert stored(data_dir) == before


def test_a_store_that_fails_halfway_puts_the_earlier_set_back(
    server: Server, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert fetch(server, "--quarter", "2026K2")[0] == 0
    before = stored(data_dir)
    real_replace = os.replace

    def replace(source: Any, target: Any) -> None:
        if str(target).endswith(".source.toml"):  # the CSV is in place, its sidecar fails
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(statbank.os, "replace", replace)
    other_figures = {code: count + 2 for code, count in packaged_counts("2026K1").items()}
    server.answer = on_data(lambda _: statbank_csv("2026K2", other_figures))
    code, _out, err = fetch(server, "--quarter", "2026K2")
    assert code == 1 and "No space left on device" in err and "nothing was stored" in err
    assert {name: data for name, (data, _) in stored(data_dir).items()} == {
        name: data for name, (data, _) in before.items()
    }
    assert load_packaged("2026K2").total == load_packaged("2026K1").total + 98


def test_only_the_fetch_reaches_the_network() -> None:
    """No parser reaches outside: only the fetch imports a network client."""
    network = {"urllib.request", "http.client", "socket", "ssl", "requests", "httpx"}
    users = set()
    for path in (ROOT / "costshare").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if set(names) & network:
                users.add(path.relative_to(ROOT).as_posix())
    assert users == {"costshare/population/statbank_http.py"}
