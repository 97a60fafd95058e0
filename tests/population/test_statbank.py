"""``costshare data fetch`` against a local server that answers like StatBank (issue #13).

The server (tests/statbank_server.py) answers ``POST /v1/tableinfo`` and ``POST /v1/data``
in StatBank's own layout, so no test needs the internet. Each bad answer must give one
line and leave nothing in the data folder; the hostile ones are in
test_statbank_hostile.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from statbank_server import (
    Answer,
    Server,
    children_by_age,
    good_answer,
    serve,
)

from costshare.cli import cli
from costshare.population.packaged import load_packaged


@pytest.fixture
def statbank() -> Iterator[Server]:
    yield from serve()


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


def test_age_group_is_summed_in_costshare_from_plain_codes(
    statbank: Server, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server refuses any sum(...) value (issue #21, item 7): costshare asks for the
    plain ALDER codes and adds them up itself, exactly."""
    monkeypatch.setenv("COSTSHARE_STATBANK_URL", statbank.url)
    code, _out, err = invoke("data", "fetch", "--quarter", "2025K1", "--ages", "0-17")
    assert code == 0, err
    body = statbank.requests[-1][1]
    ages = next(v for v in body["variables"] if v["code"] == "ALDER")
    assert ages["values"] == [str(age) for age in range(18)]
    by_age = children_by_age()
    expected = {code: sum(by_age[code][str(age)] for age in range(18)) for code in by_age}
    figures = load_packaged("2025K1:0-17")
    assert dict(zip(figures.codes, figures.counts, strict=True)) == expected
    assert "0-17 år" in figures.source
    import hashlib
    import tomllib

    stored = data_dir / "statbank" / "FOLK1A_2025K1_0-17.source.toml"
    info = tomllib.loads(stored.read_text("utf-8"))
    assert json.loads(info["request_body"]) == body  # the request as sent
    answer = good_answer("/v1/data", body)[1]
    assert info["response_sha256"] == hashlib.sha256(answer).hexdigest()
    assert info["response_url"] == statbank.url + "/data"
    shares = split_shares(
        "--amount", "525000", "--region", "Hovedstaden", "--population", "2025K1:0-17"
    )
    weights = figures.select_region("Hovedstaden").weights()
    assert shares == fraction_split(525000, weights)


def test_an_open_age_group_asks_for_every_age_the_table_holds(
    statbank: Server, data_dir: Path
) -> None:
    code, _out, err = invoke(
        "data", "fetch", "--quarter", "2025K1", "--ages", "65-", "--api-url", statbank.url
    )
    assert code == 0, err
    ages = next(v for v in statbank.requests[-1][1]["variables"] if v["code"] == "ALDER")
    assert ages["values"] == [str(age) for age in range(65, 126)]
    by_age = children_by_age()
    figures = load_packaged("2025K1:65-")
    assert figures.total == sum(by_age[c][str(a)] for c in by_age for a in range(65, 126))


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
            "StatBank's answer has the columns REGION;TID;INDHOLD, not OMRÅDE;TID;INDHOLD; the table's layout has changed, nothing was stored",
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
