"""Reading what a payer received (issue #20): a PDF's data, a zip of a package, what a file
is, a PDF's text, an e-invoice. Each refusal is one line that says what was expected."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from costshare.base.errors import InputError
from costshare.check.received.archive import package_members
from costshare.check.received.einvoice_file import read_einvoice
from costshare.check.received.embedded import (
    CarriedFile,
    Run,
    encode,
    fingerprint,
    read_embedded,
    run_entry,
)
from costshare.check.received.pdf_file import read_pdf
from costshare.check.received.pdf_text import (
    annex_text,
    letter_amount,
    settlement_amounts,
    shown_fingerprint,
    shown_reference,
    shown_references,
)
from costshare.check.received.recognise import CSV, PDF, WORKBOOK, XML, ZIP, sniff
from costshare.check.received.workbook_file import read_workbook

PROGRAMME = 'title = "T"\namount = "1.050.000"\n# æøå\n'.encode()
REGISTER = "kommunekode;navn\r\n157;Gentofte\r\n".encode("cp1252")


def _run(files: tuple[CarriedFile, ...] | None = None) -> Run:
    files = files or (
        CarriedFile("programme", "", "p.toml", "a" * 64, len(PROGRAMME), PROGRAMME),
        CarriedFile("register", "register", "r ø.csv", "b" * 64, len(REGISTER), REGISTER),
        CarriedFile("population", "municipalities.population", "big.csv", "c" * 64, 10**8, None),
    )
    inputs = (("programfil p.toml", "a" * 64), ("befolkningsdata big.csv", "c" * 64))
    return Run("p.toml", 2025, None, "2024K1", inputs, "file", "big.csv", "c" * 64, files, "")


def _document(**changes: object) -> dict[str, object]:
    document: dict[str, object] = {
        "format": "costshare-embedded-data",
        "format_version": 1,
        "generator": "costshare 0.1.0",
        "document": "letter",
        "programme": {
            "title": "T",
            "short_title": "S",
            "case_number": "C",
            "letter_date": "2025-02-17",
        },
        "total": "1050000",
        "run": run_entry(_run()),
        "fingerprint": _run().fingerprint,
        "payer": {"code": "157", "name": "Gentofte", "amount": "20415", "reference": "C-157"},
    }
    return {**document, **changes}


def test_the_data_reads_back_as_written() -> None:
    data = read_embedded(encode(_document()), "letter.pdf")
    assert data.payer is not None and data.payer.amount_ore == 2041500
    assert data.run.files[0].data == PROGRAMME
    assert data.run.files[1].data == REGISTER  # not UTF-8: travels as base64
    assert data.run.files[2].data is None and data.run.files[2].size == 10**8
    assert data.run.population == "2024K1" and data.run.inputs == _run().inputs
    assert data.fingerprint == fingerprint(("a" * 64, "c" * 64))


@given(st.binary(max_size=200))
def test_any_file_content_travels_exactly(content: bytes) -> None:
    item = CarriedFile("programme", "", "p.toml", "a" * 64, len(content), content)
    document = _document(run=run_entry(_run((item,))))
    assert read_embedded(encode(document), "x.pdf").run.files[0].data == content


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b"{not json", "costshare.json cannot be read (JSONDecodeError)"),
        (b'{"a": 1, "a": 2}', "cannot be read (ValueError)"),
        (
            json.dumps(_document(total="1.050.000")).encode(),
            "total '1.050.000' is not of the right form",
        ),
        (
            json.dumps(_document(extra=1)).encode(),
            "extra is not a key of costshare's embedded data",
        ),
        (json.dumps(_document(document="annex")).encode(), "does not hold what a annex holds"),
        (
            json.dumps(_document(generator="costshare 1\u202e")).encode(),
            "the bidirectional control U+202E",
        ),
    ],
)
def test_damaged_data_is_one_line_naming_the_field(raw: bytes, says: str) -> None:
    with pytest.raises(InputError) as caught:
        read_embedded(raw, "157-gentofte.pdf")
    message = str(caught.value)
    assert message.startswith("157-gentofte.pdf: its costshare.json ") and says in message
    assert "\n" not in message


def test_the_fingerprint_is_eight_hex_digits_of_programme_and_basis() -> None:
    assert fingerprint(("a" * 64, "b" * 64)) != fingerprint(("b" * 64, "a" * 64))
    assert len(fingerprint(("a" * 64,))) == 8


# --- a zip of a package ---------------------------------------------------------------------
def _zip(tmp_path: Path, names: list[str]) -> zipfile.ZipFile:
    path = tmp_path / "p.zip"
    with zipfile.ZipFile(path, "w") as out:
        for name in names:
            out.writestr(name, "x")
    return zipfile.ZipFile(path)


def test_a_package_is_found_at_the_top_or_in_its_one_folder(tmp_path: Path) -> None:
    top = package_members(_zip(tmp_path, ["manifest.json", "a.pdf", "e/b.xml"]), "p.zip")
    assert [m.name for m in top] == ["manifest.json", "a.pdf", "e/b.xml"]
    inside = package_members(_zip(tmp_path, ["pakke/manifest.json", "pakke/a.pdf"]), "p.zip")
    assert [m.name for m in inside] == ["manifest.json", "a.pdf"]


@pytest.mark.parametrize(
    ("names", "says"),
    [
        (["manifest.json", "../x"], "'../x', a name that would land outside"),
        (["manifest.json", "/etc/x"], "'/etc/x', a name that would land outside"),
        (["manifest.json", "a\\b"], "'a\\\\b', a name that would land outside"),
        (["manifest.json", "c:x"], "'c:x', a name that would land outside"),
        (["manifest.json", "A.pdf", "a.pdf"], "holds 'a.pdf' twice"),
        (["a.pdf"], "holds no manifest.json at its top"),
    ],
)
def test_a_zip_that_could_harm_is_refused(tmp_path: Path, names: list[str], says: str) -> None:
    with pytest.raises(InputError) as caught:
        package_members(_zip(tmp_path, names), "p.zip")
    assert str(caught.value).startswith("p.zip: holds") and says in str(caught.value)


def test_a_zip_of_too_many_files_or_bytes_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import costshare.check.received.archive as archive

    monkeypatch.setattr(archive, "MAX_ZIP_MEMBERS", 2)
    with pytest.raises(InputError, match="holds 3 files, over the limit of 2"):
        package_members(_zip(tmp_path, ["manifest.json", "a", "b"]), "p.zip")
    monkeypatch.setattr(archive, "MAX_ZIP_MEMBERS", 20)
    monkeypatch.setattr(archive, "MAX_ZIP_BYTES", 1)
    with pytest.raises(InputError, match="unpacks to 2 bytes, over the limit of 1"):
        package_members(_zip(tmp_path, ["manifest.json", "a"]), "p.zip")


def test_a_symbolic_link_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.zip"
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("manifest.json", "{}")
        link = zipfile.ZipInfo("a.pdf")
        link.external_attr = 0o120777 << 16
        out.writestr(link, "/etc/passwd")
    with pytest.raises(InputError, match=r"'a\.pdf', a symbolic link"):
        package_members(zipfile.ZipFile(path), "p.zip")


# --- what a file is ---------------------------------------------------------------------------
def test_a_file_is_known_by_its_bytes_not_its_name(tmp_path: Path) -> None:
    cases = {
        "letter.xlsx": b"%PDF-1.7\n...",
        "book.pdf": None,  # a workbook, written below
        "invoice.txt": b"\xef\xbb\xbf  <?xml version='1.0'?><Invoice/>",
        "package.pdf": None,  # a zip of something else
        "annex.csv": "Kode;Beløb\n157;20.415\n".encode(),
    }
    for name, data in cases.items():
        if data is not None:
            (tmp_path / name).write_bytes(data)
    book = Workbook()
    book.save(tmp_path / "book.pdf")
    with zipfile.ZipFile(tmp_path / "package.pdf", "w") as out:
        out.writestr("manifest.json", "{}")
    found = {name: sniff(tmp_path / name, name) for name in cases}
    assert found == {
        "letter.xlsx": PDF,
        "book.pdf": WORKBOOK,
        "invoice.txt": XML,
        "package.pdf": ZIP,
        "annex.csv": CSV,
    }


def test_anything_else_says_what_was_expected(tmp_path: Path) -> None:
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")
    with pytest.raises(InputError) as caught:
        sniff(tmp_path / "photo.jpg", "photo.jpg")
    assert str(caught.value) == (
        "photo.jpg: is not a document costshare wrote: a letter, settlement letter or annex "
        "(PDF), a workbook (.xlsx), an e-invoice (XML), a package folder or a zip of one was "
        "expected"
    )


def test_a_damaged_pdf_is_one_line(tmp_path: Path) -> None:
    for raw in (b"%PDF-1.7\n\x00garbage", b"not a pdf"):
        with pytest.raises(InputError) as caught:
            read_pdf(raw, "brev.pdf")
        assert str(caught.value) == (
            "brev.pdf: is not a PDF that can be read (a letter, settlement letter or annex "
            "written by costshare was expected)"
        )


def _inflating_pdf(*, in_attachment: bool) -> bytes:
    """A one-page PDF with one stream of 80 MB of spaces packed into about 80 kB."""
    import io
    import zlib

    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    writer.add_attachment("costshare.json", b"{}")
    bomb = StreamObject()
    if in_attachment:
        bomb = next(
            found
            for found in writer._objects
            if isinstance(found, StreamObject) and found.get("/Type") == "/EmbeddedFile"
        )
    else:
        page[NameObject("/Contents")] = writer._add_object(bomb)
    bomb._data = zlib.compress(b" " * 80_000_000, 9)
    bomb[NameObject("/Filter")] = NameObject("/FlateDecode")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_stream_that_inflates_past_pypdfs_ceiling_is_bounded() -> None:
    with pytest.raises(InputError) as caught:
        read_pdf(_inflating_pdf(in_attachment=True), "brev.pdf")
    assert str(caught.value).startswith("brev.pdf: is not a PDF that can be read")
    assert read_pdf(_inflating_pdf(in_attachment=False), "brev.pdf").text == ""


def test_a_foreign_workbook_is_not_told_to_change(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["Gentofte Kommune"])  # a value with no heading
    book.save(tmp_path / "x.xlsx")
    with pytest.raises(InputError) as caught:
        read_workbook(tmp_path / "x.xlsx", "x.xlsx")
    assert "is a workbook, but not one costshare wrote" in str(caught.value)


# --- a PDF's text -------------------------------------------------------------------------
def test_the_letters_lines_are_read_by_their_words() -> None:
    text = (
        "Opkrævning\nDen samlede udgift på 1.050.000 kr.\n"
        "Gentofte Kommunes andel 20.415 kr.\n"
        "Kontrol af beløbet: costshare verify 157-gentofte.pdf (fingeraftryk for program og grundlag: 0d0a2b0f)\n"
    )
    assert letter_amount(text) == (3, 2041500)
    assert shown_fingerprint(text) == "0d0a2b0f"
    # A reference may hold spaces ([payment] reference = "TeleHjerte {year}-{code}").
    header = (
        "Sagsnr. SAG-2024-05018\nReference: TeleHjerte 2025-084 \nNr. Modtager Reference Beløb\n"
    )
    assert shown_reference(header) == "TeleHjerte 2025-084"
    assert shown_references(header + "Reference: SAG-1-157\n") == [
        "TeleHjerte 2025-084",
        "SAG-1-157",
    ]
    settled = "Opkrævet 20.614 kr.\nEndeligt beløb 21.387 kr.\nEfterregulering −773,50 kr.\n"
    assert settlement_amounts(settled) == {
        "Opkrævet": (1, 2061400),
        "Endeligt beløb": (2, 2138700),
        "Efterregulering": (3, -77350),
    }


def test_the_annex_table_is_read_row_by_row() -> None:
    text = (
        "Part CVR-nr. Andel Beløb\nRegion Hovedstaden 29190623 50 % 525.000 kr.\n"
        "I alt 1.050.000 kr.\n101 64942212 Københavns Kommune 667.099 34,552 % 181.399 kr.\n"
        "157 19438414 Gentofte Kommune 75.076 3,889 % 20.415 kr.\n"
        "I alt, 2 742.175 100 % 201.814 kr.\n"
    )
    found = annex_text(text, "bilag.pdf", ("Region Hovedstaden",))
    assert [(r.code, r.amount_ore) for r in found.annex.rows] == [
        ("101", 18139900),
        ("157", 2041500),
    ]
    assert found.annex.totals[0].amount_ore == 20181400
    assert found.parties == {"Region Hovedstaden": (2, 52500000)}
    assert found.total == (3, 105000000)


def test_an_annex_row_wrapped_over_lines_is_one_row() -> None:
    """A long name wraps in the name column: the row's code, name and amount land on three
    lines of text (OS2's annex: 'Bornholms Regionskommune')."""
    text = (
        "Nr. CVR-nr. Kommune Indbyggere Klasse Beløb\n"
        "2300 København S\n"  # an address line is not the start of a row
        "390 29189676 Vordingborg Kommune 45.751 25.000 til under 60.000 30.000 kr.\n"
        "400 26696348 Bornholms \nRegionskommune\n39.332 25.000 til under 60.000 30.000 kr.\n"
        "410 29189684 Middelfart Kommune 40.158 25.000 til under 60.000 30.000 kr.\n"
        "I alt, 3 125.241 90.000 kr.\n"
    )
    found = annex_text(text, "bilag.pdf", ())
    assert [(r.row, r.code, r.amount_ore) for r in found.annex.rows] == [
        (3, "390", 3000000),
        (4, "400", 3000000),
        (7, "410", 3000000),
    ]
    assert found.annex.totals[0].amount_ore == 9000000


# --- an e-invoice -------------------------------------------------------------------------
def test_an_einvoice_is_parsed_without_reaching_outside() -> None:
    hostile = b'<!DOCTYPE Invoice SYSTEM "http://example.org/x.dtd"><Invoice/>'
    with pytest.raises(InputError, match="is not an e-invoice costshare can read"):
        read_einvoice(hostile, "f.xml")
    with pytest.raises(InputError, match=r"is XML but not an OIOUBL 2\.1 or Peppol BIS 3\.0"):
        read_einvoice(b"<Order/>", "f.xml")
