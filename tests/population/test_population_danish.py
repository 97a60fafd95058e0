"""The population reader, the packaged data and the annex reader in Danish (issue #11).

The English texts are checked by the rest of the suite and the error catalogue; here the
same inputs are read with Danish active: errors render when shown (one raised error
reads in either language), notes and warnings take Danish plurals, and numbers get the
Danish thousands separator.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from costshare.base.errors import InputError
from costshare.base.i18n import grouped, set_language
from costshare.base.limits import POPULATION_FILE, regular_file
from costshare.check.annex_amounts import parse_column
from costshare.population.packaged import load_packaged, resolve_region, year_instead_of_quarter
from costshare.population.releases import publication_warnings
from costshare.population.userfile import load_file


@pytest.fixture
def danish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    set_language("da")
    yield tmp_path
    set_language("en")


def raised(call: object, *args: object) -> InputError:
    with pytest.raises(InputError) as caught:
        call(*args)  # type: ignore[operator]
    return caught.value


def test_one_error_reads_in_both_languages(danish: Path) -> None:
    Path("pop.csv").write_text("kommune;antal\nKøge;mange\n", encoding="utf-8")
    error = raised(load_file, "pop.csv")
    assert str(error) == (
        "pop.csv:2:antal: befolkningstallet skal være et helt tal, men er 'mange'; ret cellen"
    )
    set_language("en")
    assert str(error) == (
        "pop.csv:2:antal: population must be a whole number, got 'mange'; correct the cell"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("kode;antal\n101;1\n;2\n", "pop.csv:3:kode: koden er tom; udfyld den, eller slet rækken"),
        ("kommune;antal\n;2\n", "pop.csv:2:kommune: navnet er tomt; udfyld det, eller slet rækken"),
        ("kommune;antal\nKøge;\n", "pop.csv:2:antal: befolkningstallet er tomt; udfyld det, eller slet rækken"),
        ("kommune;antal\nKøge;1\nI alt;3\n", "pop.csv:3:antal: I alt-rækken siger 3, men rækkerne ovenover giver tilsammen 1; ret I alt-rækken eller rækkerne, eller slet I alt-rækken"),
        ("kommune;borgere\nKøge;1\n", "pop.csv: ingen kolonne med befolkningstal blandt overskrifterne ('kommune', 'borgere'); den første række skal navngive kolonnerne, og de godkendte overskrifter er befolkningstal: population, indbyggertal, folketal, antal, indbyggere, indhold, weight; kode: code, kommunekode, kode, kommunenr; navn: name, kommune, navn, område, omraade, municipality, recipient"),
        ("kode;navn;andel\n101;A;-1\n", "pop.csv:2:andel: andelen må ikke være negativ, men er '-1'; ret cellen"),
    ],
)  # fmt: skip
def test_errors_about_a_role_agree_in_danish(danish: Path, text: str, message: str) -> None:
    Path("pop.csv").write_text(text, encoding="utf-8")
    assert str(raised(load_file, "pop.csv")) == message


def test_notes_take_danish_plurals(danish: Path) -> None:
    Path("one.csv").write_text("kommune;antal\nHele landet;9\nKøge;1\n", encoding="utf-8")
    Path("two.csv").write_text(
        "kommune;antal\nHele landet;9\nRegion Sjælland;8\nKøge;1\n", encoding="utf-8"
    )
    Path("codes.csv").write_text("code;population\n101;1\nS1;2\n", encoding="utf-8")
    assert load_file("one.csv").notes == (
        "1 række, der ikke er en kommune, er sprunget over: Hele landet",
    )
    assert load_file("two.csv").notes == (
        "2 rækker, der ikke er kommuner, er sprunget over: Hele landet, Region Sjælland",
    )
    assert load_file("codes.csv").notes == (
        "1 kode (S1) er ikke en kommunekode, så modtagerne læses som andet end kommuner, "
        "uden regioner",
    )


def test_a_workbook_note_and_a_hidden_sheet_in_danish(danish: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Forside"
    book.active.append(["Befolkning 2025"])
    data = book.create_sheet("Data")
    for row in (["kommune", "antal"], ["Køge", 61232]):
        data.append(row)
    book.save("pop.xlsx")
    assert load_file("pop.xlsx").notes == ("brugte arket 'Data' af filens 2 ark",)
    data.sheet_state = "hidden"
    book.save("pop.xlsx")
    assert str(raised(load_file, "pop.xlsx")) == (
        "pop.xlsx: arket 'Data' er skjult; vis det, så du kan kontrollere det først"
    )


def test_a_year_names_its_quarters_with_danish_months(danish: Path) -> None:
    error = year_instead_of_quarter("2024")
    assert error is not None
    assert str(error) == (
        "befolkningsgrundlaget '2024' er et år; angiv et kvartal: "
        "2024K1 (befolkningen pr. 1. januar 2024), 2024K2 (befolkningen pr. 1. april 2024), "
        "2024K3 (befolkningen pr. 1. juli 2024), 2024K4 (befolkningen pr. 1. oktober 2024), "
        "eller angiv en CSV- eller Excel-fil"
    )
    set_language("en")
    assert "2024K1 (the population on 1 January 2024)" in str(error)


def test_regions_and_codes_in_danish(danish: Path) -> None:
    assert str(raised(resolve_region, "Fyn")) == (
        "ukendt region 'Fyn'; brug en af Hovedstaden, Midtjylland, Nordjylland, Sjælland, "
        "Syddanmark"
    )
    packaged = load_packaged("2025K1")
    assert str(raised(packaged.select_codes, ["999"])) == (
        "2025K1 har ingen modtager med koden '999'"
    )


def test_publication_warnings_in_danish(danish: Path) -> None:
    warnings = publication_warnings("2025K1", date(2025, 1, 20), date(2025, 1, 10))
    assert warnings == [
        "befolkningstallene for 2025K1 blev offentliggjort af Danmarks Statistik omkring "
        "midten af februar 2025 (efter udgivelsesplanen), efter brevdatoen 2025-01-20; "
        "brevene gengiver tal, der endnu ikke var offentlige på brevdatoen",
        "befolkningstallene for 2025K1 blev offentliggjort af Danmarks Statistik omkring "
        "midten af februar 2025 (efter udgivelsesplanen), efter beslutningsdatoen 2025-01-10; "
        "mødet kan ikke have kendt disse tal (til orientering)",
    ]
    exact = publication_warnings("2025K3", date(2025, 8, 1), date(2025, 8, 20))
    assert exact[0].startswith(
        "befolkningstallene for 2025K3 blev offentliggjort af Danmarks Statistik den 2025-08-11"
    )


def test_numbers_in_messages_take_the_danish_thousands_separator(danish: Path) -> None:
    assert str(grouped(2_000_000)) == "2.000.000"
    Path("big.csv").write_bytes(b"x" * 2000)
    error = raised(regular_file, "big.csv", POPULATION_FILE, 1000)
    assert str(error) == (
        "big.csv: fylder 2.000 byte, over grænsen på 1.000 byte for en befolkningsfil; "
        "del den op, eller udelad det, der ikke skal bruges"
    )
    set_language("en")
    assert str(error) == (
        "big.csv: is 2,000 bytes, over the limit of 1,000 bytes for a population file; "
        "split it or leave out what is not needed"
    )


def test_annex_amounts_in_danish(danish: Path) -> None:
    error = raised(parse_column, ["20.415,00", "1,234.50"], "Beløb", "bilag.csv", [2, 3])
    assert str(error) == (
        "bilag.csv:3:Beløb: kolonnen blander dansk ('20.415,00', række 2) og engelsk "
        "('1,234.50', række 3) talformat; skriv alle beløb på samme måde, f.eks. 20.415,00"
    )
    error = raised(parse_column, ["mange"], "Beløb", "bilag.csv", [4])
    assert str(error) == (
        "bilag.csv:4:Beløb: 'mange' er ikke et beløb i kroner (højst to decimaler); "
        "skriv f.eks. 20415 eller 20.415,50"
    )
    error = raised(parse_column, [1.005], "Beløb", "bilag.csv", [5])
    assert str(error) == (
        "bilag.csv:5:Beløb: 1.005 har brøkdele af en øre; angiv højst to decimaler"
    )
