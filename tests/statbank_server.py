"""A local server that answers like StatBank's API, for the tests of ``costshare data fetch``.

``http.server`` on 127.0.0.1 (a free port) answers ``POST /v1/tableinfo`` and
``POST /v1/data`` with responses built from the packaged figures in StatBank's own layout
(``OMRÅDE;[ALDER;]TID;INDHOLD``, codes, the national total, a region and Christiansø
included), so no test needs the internet. Like the tests' reading of StatBank's API, it
answers an age group only as plain ALDER codes: any ``sum(...)`` value is refused with
HTTP 400 (issue #21, item 7).

An answer is a function of the path and the JSON body that returns ``(status, payload)``,
or a :data:`Raw` function that writes whatever bytes it likes to the socket (a slow drip,
an endless body, a broken status line).
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from costshare.population.packaged import load_packaged

Raw = Callable[[BaseHTTPRequestHandler], None]
Answer = Callable[[str, dict[str, Any]], "tuple[int, bytes] | Raw"]
AGES = ["IALT", *(str(age) for age in range(126))]  # FOLK1A's ALDER codes
CHRISTIANSO = 90


def tableinfo(table: str, periods: list[str]) -> bytes:
    return json.dumps(
        {
            "id": table,
            "text": "Befolkningen den 1. i kvartalet"
            if table == "FOLK1A"
            else "Befolkningen den 1. i måneden",
            "unit": "antal",
            "updated": "2026-11-11T08:00:00",
            "variables": [
                {
                    "id": "OMRÅDE",
                    "text": "område",
                    "values": [{"id": "000", "text": "Hele landet"}],
                },
                {
                    "id": "ALDER",
                    "text": "alder",
                    "values": [
                        {"id": a, "text": "I alt" if a == "IALT" else f"{a} år"} for a in AGES
                    ],
                },
                {"id": "Tid", "text": "tid", "values": [{"id": p, "text": p} for p in periods]},
            ],
        }
    ).encode("utf-8")


def statbank_csv(period: str, counts: dict[str, int]) -> bytes:
    """An answer in StatBank's layout: the national total, a region and Christiansø
    around the 98 (the national total counts Christiansø; the region is not checked)."""
    lines = ["OMRÅDE;TID;INDHOLD"]
    extra = [("000", sum(counts.values()) + CHRISTIANSO), ("084", 1), ("411", CHRISTIANSO)]
    for code, value in extra + sorted(counts.items()):
        lines.append(f"{code.zfill(3)};{period};{value}")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def statbank_age_csv(period: str, by_age: dict[str, dict[str, int]], ages: list[str]) -> bytes:
    """The answer for plain ALDER codes: one row per area and age, totals per age."""
    lines = ["OMRÅDE;ALDER;TID;INDHOLD"]
    for age in ages:
        total = sum(figures[age] for figures in by_age.values()) + 1
        lines += [f"000;{age};{period};{total}", f"084;{age};{period};1", f"411;{age};{period};1"]
        lines += [f"{code.zfill(3)};{age};{period};{by_age[code][age]}" for code in sorted(by_age)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def packaged_counts(basis: str) -> dict[str, int]:
    figures = load_packaged(basis)
    return dict(zip(figures.codes, figures.counts, strict=True))


def children_by_age() -> dict[str, dict[str, int]]:
    """Constructed figures for every single age: a share of each municipality's 2025K1
    total, plus the age and a digit of the code, so no two ages are alike."""
    return {
        code: {str(age): count // 600 + age + int(code) % 7 for age in range(126)}
        for code, count in packaged_counts("2025K1").items()
    }


def refused_sum(body: dict[str, Any]) -> bool:
    """Whether the body asks the server to sum: a value such as ``sum(0-17=0,1,…)``."""
    values = [v for variable in body.get("variables", []) for v in variable.get("values", [])]
    return any("sum(" in str(value).casefold() for value in values)


def good_answer(path: str, body: dict[str, Any]) -> tuple[int, bytes]:
    if refused_sum(body):
        return 400, json.dumps({"message": "sum() is not accepted"}).encode("utf-8")
    if path.endswith("/tableinfo"):
        periods = (
            ["2024K3", "2024K4", "2025K1", "2026K2"] if body["table"] == "FOLK1A" else ["2024M12"]
        )
        return 200, tableinfo(body["table"], periods)
    period = next(v["values"][0] for v in body["variables"] if v["code"] == "Tid")
    ages = [v["values"] for v in body["variables"] if v["code"] == "ALDER"]
    if ages:
        return 200, statbank_age_csv(period, children_by_age(), ages[0])
    source = {"2026K2": "2026K1", "2024M12": "2024M12"}.get(period, period)
    counts = packaged_counts(source)
    if period == "2026K2":
        counts = {code: count + 1 for code, count in counts.items()}
    return 200, statbank_csv(period, counts)


class Server:
    """The local StatBank; ``answer`` may be replaced by a test, ``requests`` records
    ``(path, body)`` of each request, ``stop`` ends a raw answer that would go on."""

    def __init__(self) -> None:
        self.answer: Answer = good_answer
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                server.requests.append((self.path, body))
                reply = server.answer(self.path, body)
                if callable(reply):
                    with contextlib.suppress(OSError):  # the client gave up, as the test wanted
                        reply(self)
                    return
                status, payload = reply
                self.send_response(status)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"


def serve() -> Iterator[Server]:
    """A running :class:`Server`, shut down afterwards (the body of a fixture)."""
    server = Server()
    thread = threading.Thread(target=server.httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.stop.set()
    server.httpd.shutdown()
    server.httpd.server_close()
