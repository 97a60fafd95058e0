"""``costshare data fetch`` against a local server that answers like StatBank (issue #13).

The server (``http.server`` on 127.0.0.1, a free port) answers ``POST /v1/tableinfo`` and
``POST /v1/data`` with responses built from the packaged figures in StatBank's own layout
(``OMRÅDE;TID;INDHOLD``, codes, totals and Christiansø included), so no test needs the
internet. Each bad answer must give one line and leave nothing in the data folder.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from fractions import Fraction
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from paths import ROOT

from costshare.cli import cli
from costshare.population.packaged import load_packaged

Answer = Callable[[str, dict[str, Any]], tuple[int, bytes]]
POPULATION = ROOT / "population"


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
                {"id": "Tid", "text": "tid", "values": [{"id": p, "text": p} for p in periods]},
            ],
        }
    ).encode("utf-8")


def statbank_csv(period: str, counts: dict[str, int], ages: str | None = None) -> bytes:
    """An answer in StatBank's layout: totals, regions and Christiansø around the 98."""
    header = "OMRÅDE;ALDER;TID;INDHOLD" if ages else "OMRÅDE;TID;INDHOLD"
    lines = [header]
    extra = [("000", sum(counts.values()) + 90), ("084", 1), ("411", 90)]
    for code, value in extra + sorted(counts.items()):
        middle = f";{ages}" if ages else ""
        lines.append(f"{code.zfill(3)}{middle};{period};{value}")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def packaged_counts(basis: str) -> dict[str, int]:
    figures = load_packaged(basis)
    return dict(zip(figures.codes, figures.counts, strict=True))


def children(period: str) -> dict[str, int]:
    """Constructed 0-17 figures: a fifth of each municipality's total, plus its code."""
    return {code: count // 5 + int(code) for code, count in packaged_counts("2025K1").items()}


def good_answer(path: str, body: dict[str, Any]) -> tuple[int, bytes]:
    if path.endswith("/tableinfo"):
        periods = (
            ["2024K3", "2024K4", "2025K1", "2026K2"] if body["table"] == "FOLK1A" else ["2024M12"]
        )
        return 200, tableinfo(body["table"], periods)
    period = next(v["values"][0] for v in body["variables"] if v["code"] == "Tid")
    ages = [v["values"][0] for v in body["variables"] if v["code"] == "ALDER"]
    if ages:
        return 200, statbank_csv(period, children(period), ages="0-17")
    source = {"2026K2": "2026K1", "2024M12": "2024M12"}.get(period, period)
    counts = packaged_counts(source)
    if period == "2026K2":
        counts = {code: count + 1 for code, count in counts.items()}
    return 200, statbank_csv(period, counts)


class Server:
    def __init__(self) -> None:
        self.answer: Answer = good_answer
        self.requests: list[tuple[str, dict[str, Any]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                server.requests.append((self.path, body))
                status, payload = server.answer(self.path, body)
                self.send_response(status)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"


@pytest.fixture
def statbank() -> Iterator[Server]:
    server = Server()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("COSTSHARE_DATA_DIR", str(folder))
    return folder


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def split_shares(*args: str) -> dict[str, int]:
    code, out, err = invoke("split", *args, "--format", "json")
    assert code == 0, err
    return {row["code"]: int(row["share"]) for row in json.loads(out)["rows"]}


def fraction_split(total_ore: int, weights: dict[str, int]) -> dict[str, int]:
    """Largest remainder with Fractions, ties by code: an independent reference."""
    whole = sum(weights.values())
    exact = {c: Fraction(total_ore * w, whole) for c, w in weights.items()}
    shares = {c: int(e) for c, e in exact.items()}
    left = total_ore - sum(shares.values())
    for code in sorted(exact, key=lambda c: (-(exact[c] - shares[c]), int(c)))[:left]:
        shares[code] += 1
    return shares


def test_fetch_stores_the_set_with_provenance_and_splits_on_it(
    statbank: Server, data_dir: Path
) -> None:
    code, out, err = invoke("data", "fetch", "--quarter", "2026K2", "--api-url", statbank.url)
    assert code == 0, err
    assert "Fetched 2026K2 (FOLK1A): 98 municipalities" in out
    stored = data_dir / "statbank" / "FOLK1A_2026K2.csv"
    import tomllib

    info = tomllib.loads(stored.with_name("FOLK1A_2026K2.source.toml").read_text("utf-8"))
    assert info["table"] == "FOLK1A" and info["retrieved_at"].endswith("Z")
    assert json.loads(info["request_body"])["variables"][1] == {"code": "Tid", "values": ["2026K2"]}
    assert (
        len(info["response_sha256"]) == 64
        and info["api_metadata"]["updated"] == "2026-11-11T08:00:00"
    )
    path, body = statbank.requests[-1]
    assert path == "/v1/data" and body["format"] == "CSV" and body["table"] == "FOLK1A"
    # A fetched set is a basis like a packaged one.
    figures = load_packaged("2026K2")
    assert figures.source.endswith(
        "(2026K2; hentet fra Statistikbanken " + info["retrieved_at"][:10] + ")"
    )
    shares = split_shares("--amount", "525000", "--region", "Hovedstaden", "--population", "2026K2")
    region = figures.select_region("Hovedstaden")
    assert shares == fraction_split(525000, region.weights())
    code, out, _ = invoke("data", "list")
    assert "2026K2" in out and "hentet fra Statistikbanken" in out


def test_packaged_period_stays_packaged_unless_statbank_is_named(
    statbank: Server, data_dir: Path
) -> None:
    code, out, err = invoke("data", "fetch", "--quarter", "2024K4", "--api-url", statbank.url)
    assert code == 0, err
    assert "--population statbank:2024K4" in out
    assert "kontrolleret ved summer" in load_packaged("2024K4").source
    fetched = load_packaged("statbank:2024K4")
    assert "hentet fra Statistikbanken" in fetched.source and fetched.basis == "statbank:2024K4"
    assert fetched.counts == load_packaged("2024K4").counts
    shares = split_shares(
        "--amount", "525000", "--region", "Hovedstaden", "--population", "statbank:2024K4"
    )
    assert sum(shares.values()) == 525_000


def test_age_group_fetch_sums_on_the_server(
    statbank: Server, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COSTSHARE_STATBANK_URL", statbank.url)
    code, _out, err = invoke("data", "fetch", "--quarter", "2025K1", "--ages", "0-17")
    assert code == 0, err
    ages = next(v for v in statbank.requests[-1][1]["variables"] if v["code"] == "ALDER")
    assert ages["values"] == ["sum(0-17=" + ",".join(str(a) for a in range(18)) + ")"]
    figures = load_packaged("2025K1:0-17")
    assert "0-17 år" in figures.source and figures.total == sum(children("2025K1").values())
    shares = split_shares(
        "--amount", "525000", "--region", "Hovedstaden", "--population", "2025K1:0-17"
    )
    weights = figures.select_region("Hovedstaden").weights()
    assert shares == fraction_split(525000, weights)


def test_month_uses_folk1am(statbank: Server, data_dir: Path) -> None:
    code, _out, err = invoke("data", "fetch", "--quarter", "2024m12", "--api-url", statbank.url)
    assert code == 0, err
    assert statbank.requests[-1][1]["table"] == "FOLK1AM"
    assert load_packaged("statbank:2024M12").counts == load_packaged("2024M12").counts


def rows_missing(path: str, body: dict[str, Any]) -> tuple[int, bytes]:
    status, payload = good_answer(path, body)
    if path.endswith("/data"):
        payload = b"\r\n".join(payload.split(b"\r\n")[:-3]) + b"\r\n"
    return status, payload


def new_layout(path: str, body: dict[str, Any]) -> tuple[int, bytes]:
    status, payload = good_answer(path, body)
    if path.endswith("/data"):
        payload = payload.replace(b"OMR\xc3\x85DE;TID;INDHOLD", b"REGION;TID;INDHOLD")
    return status, payload


def unknown_area(path: str, body: dict[str, Any]) -> tuple[int, bytes]:
    status, payload = good_answer(path, body)
    if path.endswith("/data"):
        payload += b"999;2024K4;5\r\n"
    return status, payload


def http_error(path: str, body: dict[str, Any]) -> tuple[int, bytes]:
    if path.endswith("/data"):
        return 400, json.dumps({"errorTypeCode": "x", "message": "Ugyldig værdi for Tid"}).encode()
    return good_answer(path, body)


def not_json(path: str, body: dict[str, Any]) -> tuple[int, bytes]:
    return 200, b"<html>maintenance</html>"


@pytest.mark.parametrize(
    ("answer", "args", "message"),
    [
        (
            good_answer,
            ("--quarter", "2030K1"),
            "StatBank's FOLK1A has no period 2030K1; the newest is 2026K2",
        ),
        (
            good_answer,
            ("--quarter", "2025K5"),
            "'2025K5' is not a quarter or month with an optional age group; write e.g. --quarter 2024K4, --quarter 2024M12, --ages 0-17 or --ages 65-",
        ),
        (
            good_answer,
            ("--quarter", "2025K1", "--ages", "17-0"),
            "'2025K1:17-0' is not a quarter or month with an optional age group; write e.g. --quarter 2024K4, --quarter 2024M12, --ages 0-17 or --ages 65-",
        ),
        (
            rows_missing,
            ("--quarter", "2024K4"),
            "StatBank's answer holds 96 of the 98 municipalities (missing 851, 860); nothing was stored",
        ),
        (
            new_layout,
            ("--quarter", "2024K4"),
            "StatBank's answer has the columns REGION;TID;INDHOLD, not OMRÅDE;…;TID;INDHOLD; the table's layout has changed, nothing was stored",
        ),
        (
            unknown_area,
            ("--quarter", "2024K4"),
            "StatBank's answer, line 103: '999' is not one of the 98 municipalities; the table's layout has changed, nothing was stored",
        ),
        (
            http_error,
            ("--quarter", "2024K4"),
            "StatBank answered {url}/data with HTTP 400 (Ugyldig værdi for Tid); nothing was stored",
        ),
        (
            not_json,
            ("--quarter", "2024K4"),
            "StatBank's table information for FOLK1A is not JSON; the API may have changed",
        ),
    ],
)
@pytest.mark.slow
def test_bad_answers_give_one_line_and_store_nothing(
    statbank: Server, data_dir: Path, answer: Answer, args: tuple[str, ...], message: str
) -> None:
    statbank.answer = answer
    code, out, err = invoke("data", "fetch", *args, "--api-url", statbank.url)
    assert code == 1 and out == ""
    assert err == f"Error: {message.format(url=statbank.url)}\n"
    assert not any(data_dir.rglob("*.*")), list(data_dir.rglob("*"))


def test_no_server_gives_one_line(data_dir: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"
    code, _out, err = invoke("data", "fetch", "--quarter", "2024K4", "--api-url", url)
    assert code == 1 and err.startswith(f"Error: cannot reach StatBank at {url}/tableinfo (")
    assert err.endswith("; check the connection or --api-url\n") and err.count("\n") == 1
    assert not data_dir.exists() or not any(data_dir.rglob("*.*"))


def test_a_changed_fetched_file_is_refused(statbank: Server, data_dir: Path) -> None:
    invoke("data", "fetch", "--quarter", "2026K2", "--api-url", statbank.url)
    stored = data_dir / "statbank" / "FOLK1A_2026K2.csv"
    stored.write_text(
        stored.read_text("utf-8").replace(",Region Hovedstaden,", ",Region Hovedstaden,1", 1),
        "utf-8",
    )
    code, _, err = invoke("split", "--amount", "100", "--population", "2026K2")
    assert code == 1 and "does not match the checksum recorded when it was fetched" in err
