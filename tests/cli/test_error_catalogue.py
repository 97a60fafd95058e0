"""The catalogue of bad inputs: each one, its exit code and its exact one-line message.

Every case runs the real command line (``CliRunner``) in a copy of ``tests/catalogue/``
so the file names in the messages are the short relative ones a user would type. Binary
inputs (workbooks) are made by :func:`make_workbooks`. For each case the test checks the
exit code, that stderr is exactly the expected line (click's usage text above it for
exit code 2), that stdout is empty, that nothing raised but ``SystemExit`` (so no
traceback), and that no file was left behind.

docs/reference/errors.md shows this catalogue as a table; rewrite it with
``python tests/cli/test_error_catalogue.py --write`` when a case changes
(``test_the_docs_show_the_catalogue`` checks that it is up to date).
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

if __name__ == "__main__":  # run as a script (--write): pytest's pythonpath is not set
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl
import pytest
from click.testing import CliRunner
from paths import ROOT, TESTS

from costshare.cli import cli
from costshare.programme.model import compute, load_programme

CATALOGUE = TESTS / "catalogue"
ERRORS_PAGE = ROOT / "docs" / "reference" / "errors.md"
TABLE_START = "<!-- catalogue: written by python tests/cli/test_error_catalogue.py --write -->"
TABLE_END = "<!-- end of catalogue -->"
KNOWN = "one that costshare data list shows (quarters 2016K1–2026K1, months 2021M10–2026M02, age groups such as 2022K1:65-), fetch it with costshare data fetch, or give a CSV/Excel file"
REGIONS = "Hovedstaden, Midtjylland, Nordjylland, Sjælland, Syddanmark"
ACCEPTED_HEADERS = (
    "population: population, indbyggertal, folketal, antal, indbyggere, indhold, weight; "
    "code: code, kommunekode, kode, kommunenr; "
    "name: name, kommune, navn, område, omraade, municipality, recipient"
)


@dataclass(frozen=True)
class Case:
    """One bad input: what it is (for the docs), the command and what it must print."""

    what: str
    args: tuple[str, ...]
    message: str
    code: int = 1
    da: str | None = None  # the Danish message, once the module that raises it is converted
    usage: bool = True
    """Whether exit code 2 is click's (usage text above the line); ``verify``'s 2 ("cannot
    be checked") prints the line alone."""

    @property
    def id(self) -> str:
        return self.what

    @property
    def stderr_line(self) -> str:
        return f"Error: {self.message}"

    @property
    def stderr_line_da(self) -> str:
        return f"Fejl: {self.da}"


def split(*args: str) -> tuple[str, ...]:
    return ("split", *args)


def population(file: str) -> tuple[str, ...]:
    return ("split", "--amount", "100", "--population", f"population/{file}")


def run(file: str) -> tuple[str, ...]:
    return ("run", f"programmes/{file}", "--out", "out")


AMOUNTS_AND_OPTIONS = [
    Case("`--amount abc`", split("--amount", "abc"), "--amount 'abc' is not a number; write digits such as 525000 or 525000,00", da="--amount 'abc' er ikke et tal; skriv cifre som 525000 eller 525000,00"),
    Case("`--amount NaN`", split("--amount", "NaN"), "--amount 'NaN' is not a number; write digits such as 525000 or 525000,00", da="--amount 'NaN' er ikke et tal; skriv cifre som 525000 eller 525000,00"),
    Case("`--amount 1e999`", split("--amount", "1e999"), "--amount '1e999' is not a number; write digits such as 525000 or 525000,00", da="--amount '1e999' er ikke et tal; skriv cifre som 525000 eller 525000,00"),
    Case("`--amount ١٢٣` (non-ASCII digits)", split("--amount", "١٢٣"), "--amount '١٢٣' is not a number; write digits such as 525000 or 525000,00", da="--amount '١٢٣' er ikke et tal; skriv cifre som 525000 eller 525000,00"),
    Case("`--amount 1234.567` (three decimals, no thousands grouping)", split("--amount", "1234.567"), "--amount '1234.567' has fractions of an øre; give at most two decimals", da="--amount '1234.567' har brøkdele af en øre; angiv højst to decimaler"),
    Case("`--amount 1.050,000.00`", split("--amount", "1.050,000.00"), "--amount '1.050,000.00' mixes '.' and ',' in a way that has no single reading; write it as 525000.00 or 525.000,00", da="--amount '1.050,000.00' blander '.' og ',', så det kan læses på flere måder; skriv det som 525000.00 eller 525.000,00"),
    Case("`--amount 10.50.0`", split("--amount", "10.50.0"), "--amount '10.50.0' has misplaced thousands separators; write it without them, e.g. 1050000", da="--amount '10.50.0' har tusindtalsseparatorer de forkerte steder; skriv det uden, f.eks. 1050000"),
    Case("`--amount 0,001` (below one øre)", split("--amount", "0,001"), "--amount '0,001' has fractions of an øre; give at most two decimals", da="--amount '0,001' har brøkdele af en øre; angiv højst to decimaler"),
    Case("`--amount 10.5` (not whole units)", split("--amount", "10.5"), "amount 10.50 is not a whole number of the rounding unit 1 kr.; change the amount or choose a smaller unit (e.g. 0.01)", da='beløbet 10.50 er ikke et helt antal af afrundingsenheden 1 kr.; ret beløbet eller vælg en mindre enhed (f.eks. 0.01)'),
    Case("`--unit 0.001` (below one øre)", split("--amount", "100", "--unit", "0.001"), "unit '0.001' must be a positive whole number of øre, such as 1 (kroner), 0.01 (øre) or 100", da="enheden '0.001' skal være et positivt helt antal øre, f.eks. 1 (kroner), 0.01 (øre) eller 100"),
    Case("`--unit 0`", split("--amount", "100", "--unit", "0"), "unit '0' must be a positive whole number of øre, such as 1 (kroner), 0.01 (øre) or 100", da="enheden '0' skal være et positivt helt antal øre, f.eks. 1 (kroner), 0.01 (øre) eller 100"),
    Case("`--unit kr`", split("--amount", "100", "--unit", "kr"), "unit 'kr' is not a number; write digits such as 1 (kroner), 0.01 (øre) or 100", da="enheden 'kr' er ikke et tal; skriv cifre som 1 (kroner), 0.01 (øre) eller 100"),
    Case("`--equal-part 140`", split("--amount", "100", "--equal-part", "140"), "--equal-part '140' must be between 0 and 100 %", da="--equal-part '140' skal ligge mellem 0 og 100 %"),
    Case("`--equal-part halvdelen`", split("--amount", "100", "--equal-part", "halvdelen"), "--equal-part 'halvdelen' is not a number; write digits such as 40 or 12,5 %", da="--equal-part 'halvdelen' er ikke et tal; skriv cifre som 40 eller 12,5 %"),
    Case("`--fixed -5`", split("--amount", "100", "--fixed", "-5"), "--fixed '-5' must not be negative", da="--fixed '-5' må ikke være negativ"),
    Case("`--region Fyn`", split("--amount", "100", "--region", "Fyn"), f"unknown region 'Fyn'; use one of {REGIONS}", da="ukendt region 'Fyn'; brug en af Hovedstaden, Midtjylland, Nordjylland, Sjælland, Syddanmark"),
    Case("`--population 2025K5` (unknown quarter)", split("--amount", "100", "--population", "2025K5"), f"population '2025K5' is not a packaged quarter; use {KNOWN}", da="befolkningsgrundlaget '2025K5' er ikke et medfølgende kvartal; brug et, som costshare data list viser (kvartaler 2016K1–2026K1, måneder 2021M10–2026M02, aldersgrupper som 2022K1:65-), hent det med costshare data fetch, eller angiv en CSV- eller Excel-fil"),
    Case("`--population 2099K1`", split("--amount", "100", "--population", "2099K1"), f"population '2099K1' is not a packaged quarter; use {KNOWN}", da="befolkningsgrundlaget '2099K1' er ikke et medfølgende kvartal; brug et, som costshare data list viser (kvartaler 2016K1–2026K1, måneder 2021M10–2026M02, aldersgrupper som 2022K1:65-), hent det med costshare data fetch, eller angiv en CSV- eller Excel-fil"),
    Case("`--population 2024` (a year)", split("--amount", "100", "--population", "2024"), "population '2024' is a year; give a quarter: 2024K1 (the population on 1 January 2024), 2024K2 (the population on 1 April 2024), 2024K3 (the population on 1 July 2024), 2024K4 (the population on 1 October 2024), or give a CSV/Excel file", da="befolkningsgrundlaget '2024' er et år; angiv et kvartal: 2024K1 (befolkningen pr. 1. januar 2024), 2024K2 (befolkningen pr. 1. april 2024), 2024K3 (befolkningen pr. 1. juli 2024), 2024K4 (befolkningen pr. 1. oktober 2024), eller angiv en CSV- eller Excel-fil"),
    Case("`--region 086`", split("--amount", "100", "--region", "086"), f"unknown region '086'; use one of {REGIONS}", da="ukendt region '086'; brug en af Hovedstaden, Midtjylland, Nordjylland, Sjælland, Syddanmark"),
    Case("`costshare data show 2099K1`", ("data", "show", "2099K1"), f"population '2099K1' is not a packaged quarter; use {KNOWN}", da="befolkningsgrundlaget '2099K1' er ikke et medfølgende kvartal; brug et, som costshare data list viser (kvartaler 2016K1–2026K1, måneder 2021M10–2026M02, aldersgrupper som 2022K1:65-), hent det med costshare data fetch, eller angiv en CSV- eller Excel-fil"),
    Case("`costshare data fetch --api-url file:///etc` (not a web address)", ("data", "fetch", "--quarter", "2024K4", "--api-url", "file:///etc"), "--api-url 'file:///etc' is not an http:// or https:// address; give the StatBank API's address, e.g. https://api.statbank.dk/v1", da="--api-url 'file:///etc' er ikke en http://- eller https://-adresse; angiv adressen på Statistikbankens API, fx https://api.statbank.dk/v1"),
    Case("`--method dhondt` (usage)", split("--amount", "100", "--method", "dhondt"), "Invalid value for '--method': 'dhondt' is not one of 'largest-remainder', 'webster'.", 2, da="Ugyldig værdi for '--method': 'dhondt' er ikke en af 'largest-remainder', 'webster'."),
    Case("`--amount` and `--rate` left out (usage)", split(), "give --amount or --rate (one of them)", 2, da="angiv --amount eller --rate (én af dem)"),
    Case("`--formt csv` (usage)", split("--amount", "100", "--formt", "csv"), "No such option '--formt'. (Did you mean one of: '--format', '--rate'?)", 2, da="Tilvalget '--formt' findes ikke. (Mente du en af: '--format', '--rate'?)"),
    Case('`--rate "25 kroner om året"`', split("--rate", "25 kroner om året"), "rate '25 kroner om året' is not a rate; write an amount, kr. or øre, pr. and what it is per, e.g. \"25 kr. pr. indbygger\" or \"3.494,16 kr. pr. 100 indbyggere\"", da="satsen '25 kroner om året' er ikke en sats; skriv et beløb, kr. eller øre, pr. og hvad den er pr., f.eks. \"25 kr. pr. indbygger\" eller \"3.494,16 kr. pr. 100 indbyggere\""),
    Case("a population file whose row differs from FOLK1A, `--strict`", ("split", "--amount", "100", "--population", "population/nordjyske-kommuner-fejl.csv", "--strict"), "population/nordjyske-kommuner-fejl.csv: 1 row differs from Statistics Denmark's FOLK1A 2020K1 (the period that matches the file best, 10 of 11 rows): Rebild: 31,113 in the file, 30,113 in FOLK1A 2020K1; correct the file, or leave out --strict if it is right", da="population/nordjyske-kommuner-fejl.csv: 1 række afviger fra Danmarks Statistiks FOLK1A 2020K1 (den periode, der passer bedst med filen, 10 af 11 rækker): Rebild: 31.113 i filen, 30.113 i FOLK1A 2020K1; ret filen, eller udelad --strict, hvis den er rigtig"),
]  # fmt: skip

POPULATION_FILES = [
    Case("a missing file", population("no-such-file.csv"), "population/no-such-file.csv: no such file; check the path", da="population/no-such-file.csv: filen findes ikke; kontrollér stien"),
    Case("a folder", population("a-folder.csv"), "population/a-folder.csv: is a folder, not a file; give a CSV or Excel file", da="population/a-folder.csv: er en mappe, ikke en fil; angiv en CSV- eller Excel-fil"),
    Case("an empty file", population("empty.csv"), "population/empty.csv: the file is empty", da="population/empty.csv: filen er tom"),
    Case("a header only", population("header-only.csv"), "population/header-only.csv: has a header but no rows; add the recipients", da="population/header-only.csv: har en overskriftsrække, men ingen rækker; tilføj modtagerne"),
    Case("no population column", population("no-population-column.csv"), f"population/no-population-column.csv: no population column among the headers ('kommune', 'borgere'); the first row must name the columns, accepted headers are {ACCEPTED_HEADERS}", da="population/no-population-column.csv: ingen kolonne med befolkningstal blandt overskrifterne ('kommune', 'borgere'); den første række skal navngive kolonnerne, og de godkendte overskrifter er befolkningstal: population, indbyggertal, folketal, antal, indbyggere, indhold, weight; kode: code, kommunekode, kode, kommunenr; navn: name, kommune, navn, område, omraade, municipality, recipient"),
    Case("two population columns", population("two-population-columns.csv"), "population/two-population-columns.csv: the columns 'indbyggertal' and 'folketal' both hold the population; delete or rename the one that should not be used", da="population/two-population-columns.csv: kolonnerne 'indbyggertal' og 'folketal' indeholder begge befolkningstallet; slet eller omdøb den, der ikke skal bruges"),
    Case("a population that is not a number", population("not-a-number.csv"), "population/not-a-number.csv:3:antal: population must be a whole number, got 'mange'; correct the cell", da="population/not-a-number.csv:3:antal: befolkningstallet skal være et helt tal, men er 'mange'; ret cellen"),
    Case("a negative population", population("negative.csv"), "population/negative.csv:3:antal: population must not be negative, got '-75076'; correct the cell", da="population/negative.csv:3:antal: befolkningstallet må ikke være negativt, men er '-75076'; ret cellen"),
    Case("a fractional population", population("fraction.csv"), "population/fraction.csv:3:antal: population must be a whole number, got '75076,5'; correct the cell", da="population/fraction.csv:3:antal: befolkningstallet skal være et helt tal, men er '75076,5'; ret cellen"),
    Case("a population in exponent form", population("scientific.csv"), "population/scientific.csv:2:antal: population must be a whole number, got '6.67E+05'; correct the cell", da="population/scientific.csv:2:antal: befolkningstallet skal være et helt tal, men er '6.67E+05'; ret cellen"),
    Case("a population over 18 digits", population("too-large.csv"), "population/too-large.csv:2:antal: population '1234567890123456789' is too large (over 18 digits); correct the cell", da="population/too-large.csv:2:antal: befolkningstallet '1234567890123456789' er for stort (over 18 cifre); ret cellen"),
    Case("an empty population cell", population("empty-cell.csv"), "population/empty-cell.csv:3:antal: the population is empty; fill it in or delete the row", da="population/empty-cell.csv:3:antal: befolkningstallet er tomt; udfyld det, eller slet rækken"),
    Case("a row with too few cells", population("short-row.csv"), "population/short-row.csv:3:antal: the population is empty; fill it in or delete the row", da="population/short-row.csv:3:antal: befolkningstallet er tomt; udfyld det, eller slet rækken"),
    Case("a row with too many cells", population("long-row.csv"), "population/long-row.csv:2:3: the value '099' has no column header; add a header or delete it", da="population/long-row.csv:2:3: værdien '099' har ingen kolonneoverskrift; tilføj en overskrift, eller slet værdien"),
    Case("a blank code", population("blank-code.csv"), "population/blank-code.csv:3:kode: the code is empty; fill it in or delete the row", da="population/blank-code.csv:3:kode: koden er tom; udfyld den, eller slet rækken"),
    Case("a duplicate code (`101` and `0101`)", population("duplicate-code.csv"), "population/duplicate-code.csv:3:kode: code '101' is on both row 2 and row 3; give it once", da="population/duplicate-code.csv:3:kode: koden '101' står både i række 2 og række 3; angiv den kun én gang"),
    Case("a blank name", population("blank-name.csv"), "population/blank-name.csv:3:kommune: the name is empty; fill it in or delete the row", da="population/blank-name.csv:3:kommune: navnet er tomt; udfyld det, eller slet rækken"),
    Case("a duplicate name", population("duplicate-name.csv"), "population/duplicate-name.csv:3:kommune: 'københavn' is on both row 2 and row 3; give it once", da="population/duplicate-name.csv:3:kommune: 'københavn' står både i række 2 og række 3; angiv den kun én gang"),
    Case("every population 0", population("all-zero.csv"), "population/all-zero.csv: every population is 0; a split needs one above 0", da="population/all-zero.csv: alle befolkningstal er 0; en fordeling kræver mindst ét over 0"),
    Case("a misspelt municipality (`Københvn`)", population("near-miss.csv"), "population/near-miss.csv:2:kommune: 'Københvn' is not a municipality; did you mean 'København'?", da="population/near-miss.csv:2:kommune: 'Københvn' er ikke en kommune; mente du 'København'?"),
    Case("a name that is no municipality, among municipalities", population("not-a-municipality.csv"), "population/not-a-municipality.csv:3:kommune: 'Gotham' is not a municipality, though other names in the file are; correct it, or add a code column for recipients that are not municipalities", da="population/not-a-municipality.csv:3:kommune: 'Gotham' er ikke en kommune, selv om andre navne i filen er; ret det, eller tilføj en kolonne med koder til modtagere, der ikke er kommuner"),
    Case("a control character in a name", population("control-character.csv"), "population/control-character.csv:3:kommune: the cell holds the control character U+001B; remove it", da="population/control-character.csv:3:kommune: cellen indeholder kontroltegnet U+001B; fjern det"),
    Case("a quote that is never closed", population("unclosed-quote.csv"), 'population/unclosed-quote.csv:2: a quote (") opens a cell that is never closed; remove it or close it', da="population/unclosed-quote.csv:2: et anførselstegn (\") åbner en celle, der aldrig lukkes; fjern det, eller luk cellen"),
    Case("neither UTF-8 nor Windows-1252", population("bad-encoding.csv"), "population/bad-encoding.csv: unreadable encoding (neither UTF-8 nor Windows-1252); save as UTF-8", da="population/bad-encoding.csv: tegnkodningen kan ikke læses (hverken UTF-8 eller Windows-1252); gem filen som UTF-8"),
    Case("binary garbage", population("binary.csv"), "population/binary.csv: is a binary file, not CSV text; save it as CSV", da="population/binary.csv: er en binær fil, ikke CSV-tekst; gem den som CSV"),
    Case("a workbook saved as .csv", population("workbook.csv"), "population/workbook.csv: is an Excel workbook, not CSV; rename it to .xlsx", da="population/workbook.csv: er et Excel-regneark, ikke CSV; omdøb filen til .xlsx"),
    Case("an old .xls workbook", population("old.xls"), "population/old.xls: old .xls workbooks are not read; save it as .xlsx", da="population/old.xls: gamle .xls-regneark kan ikke læses; gem det som .xlsx"),
    Case("a corrupt .xlsx", population("corrupt.xlsx"), "population/corrupt.xlsx: is not a readable Excel workbook (BadZipFile); open it in Excel and save it as .xlsx, or save it as CSV", da="population/corrupt.xlsx: er ikke et Excel-regneark, der kan læses (BadZipFile); åbn det i Excel, og gem det som .xlsx, eller gem det som CSV"),
    Case("a CSV file named .xlsx", population("text.xlsx"), "population/text.xlsx: is not a readable Excel workbook (BadZipFile); open it in Excel and save it as .xlsx, or save it as CSV", da="population/text.xlsx: er ikke et Excel-regneark, der kan læses (BadZipFile); åbn det i Excel, og gem det som .xlsx, eller gem det som CSV"),
    Case("an empty workbook", population("empty.xlsx"), "population/empty.xlsx: the workbook is empty", da="population/empty.xlsx: regnearket er tomt"),
    Case("two sheets with tables", population("two-sheets.xlsx"), "population/two-sheets.xlsx: the sheets '2024' and '2025' both hold a table of recipients; delete the sheet you do not mean, or save the one you mean as CSV", da="population/two-sheets.xlsx: arkene '2024' og '2025' indeholder begge en tabel med modtagere; slet det ark, du ikke mener, eller gem det, du mener, som CSV"),
    Case("the table on a hidden sheet", population("hidden-sheet.xlsx"), "population/hidden-sheet.xlsx: the sheet 'Data' is hidden; unhide it to check it first", da="population/hidden-sheet.xlsx: arket 'Data' er skjult; vis det, så du kan kontrollere det først"),
    Case("a hidden or filtered-out row", population("hidden-row.xlsx"), "population/hidden-row.xlsx:3: the row is hidden or filtered out, but would be counted; unhide it and delete it if it should not count", da="population/hidden-row.xlsx:3: rækken er skjult eller filtreret fra, men ville komme med i beregningen; vis den, og slet den, hvis den ikke skal tælle med"),
    Case("a hidden column", population("hidden-column.xlsx"), "population/hidden-column.xlsx: column B is hidden, but would be read; unhide it so that what you check is what is counted", da="population/hidden-column.xlsx: kolonne B er skjult, men ville blive læst; vis den, så det, du kontrollerer, er det, der tælles med"),
    Case("merged cells", population("merged.xlsx"), "population/merged.xlsx:3:A: cells A3:A4 are merged; unmerge them so that every row has its own values", da="population/merged.xlsx:3:A: cellerne A3:A4 er flettet; ophæv fletningen, så hver række har sine egne værdier"),
    Case("a formula costshare does not compute", population("formula.xlsx"), "population/formula.xlsx:3:antal: costshare does not compute the formula =Ark2!B2 (a cell of another sheet); replace it by its value, or use only numbers, cells of this sheet, +, -, *, /, SUM and ROUND", da="population/formula.xlsx:3:antal: costshare beregner ikke formlen =Ark2!B2 (en celle i et andet ark); erstat den med dens værdi, eller brug kun tal, celler i dette ark, +, -, *, /, SUM og ROUND"),
    Case("a number cell past Excel's 15 digits", population("huge-number.xlsx"), "population/huge-number.xlsx:2:antal: population '1.234567890123457e+16' is a number too large for Excel to hold exactly (over 15 digits); enter it as text, or correct the cell", da="population/huge-number.xlsx:2:antal: befolkningstallet '1.234567890123457e+16' er for stort til, at Excel kan rumme det præcist (over 15 cifre); skriv det som tekst, eller ret cellen"),
    Case("a value outside the table", population("stray-value.xlsx"), "population/stray-value.xlsx:3:C: the value 'se note' has no column header; add a header or delete it", da="population/stray-value.xlsx:3:C: værdien 'se note' har ingen kolonneoverskrift; tilføj en overskrift, eller slet værdien"),
    Case("`--region` for recipients that are not municipalities", ("split", "--amount", "100", "--population", "population/schools.csv", "--region", "Hovedstaden"), "--region 'Hovedstaden' needs municipalities, but population/schools.csv holds other recipients; leave out --region", da="--region 'Hovedstaden' kræver kommuner, men population/schools.csv indeholder andre modtagere; udelad --region"),
]  # fmt: skip

PROGRAMME_FILES = [
    Case("a missing programme file", run("no-such-file.toml"), "programmes/no-such-file.toml: no such file; check the path", da="programmes/no-such-file.toml: filen findes ikke; kontrollér stien"),
    Case("an empty programme file", run("empty.toml"), "programmes/empty.toml: the file is empty; start from examples/telehjerte-2025.toml", da="programmes/empty.toml: filen er tom; tag udgangspunkt i examples/telehjerte-2025.toml"),
    Case("a programme file of blank lines", run("blank.toml"), "programmes/blank.toml: the file is empty; start from examples/telehjerte-2025.toml", da="programmes/blank.toml: filen er tom; tag udgangspunkt i examples/telehjerte-2025.toml"),
    Case("a binary programme file", run("binary.toml"), "programmes/binary.toml: looks like a binary file, not a TOML programme file", da="programmes/binary.toml: ligner en binær fil, ikke en TOML-programfil"),
    Case("a programme file not in UTF-8", run("latin1.toml"), "programmes/latin1.toml:1: not UTF-8 text; save the programme file as UTF-8", da="programmes/latin1.toml:1: ikke UTF-8-tekst; gem programfilen som UTF-8"),
    Case("TOML syntax error (`year = = 2025`)", run("syntax-error.toml"), 'programmes/syntax-error.toml:4:8: invalid TOML: invalid value (text goes in quotes, e.g. title = "..."); fix the syntax there', da="programmes/syntax-error.toml:4:8: ugyldig TOML: ugyldig værdi (tekst skal stå i anførselstegn, f.eks. title = \"...\"); ret syntaksen der"),
    Case("text in quotes not closed", run("unclosed-quote.toml"), "programmes/unclosed-quote.toml:2:20: invalid TOML: a text in quotes is not closed on its line; fix the syntax there", da="programmes/unclosed-quote.toml:2:20: ugyldig TOML: en tekst i anførselstegn er ikke afsluttet på sin linje; ret syntaksen der"),
    Case("a key given twice", run("duplicate-key.toml"), "programmes/duplicate-key.toml:5:12: invalid TOML: a key is given twice; fix the syntax there", da="programmes/duplicate-key.toml:5:12: ugyldig TOML: en nøgle er angivet to gange; ret syntaksen der"),
    Case("a date that does not exist (`2025-02-30`)", run("date-does-not-exist.toml"), "programmes/date-does-not-exist.toml:10:8: '2025-02-30' is not a valid date; write a date that exists, as YYYY-MM-DD (e.g. 2025-02-03)", da="programmes/date-does-not-exist.toml:10:8: '2025-02-30' er ikke en gyldig dato; skriv en dato, der findes, som ÅÅÅÅ-MM-DD (f.eks. 2025-02-03)"),
    Case("a month that does not exist (`2025-13-01`)", run("month-13.toml"), "programmes/month-13.toml:6:15: '2025-13-01' is not a valid date; write a date that exists, as YYYY-MM-DD (e.g. 2025-02-03)", da="programmes/month-13.toml:6:15: '2025-13-01' er ikke en gyldig dato; skriv en dato, der findes, som ÅÅÅÅ-MM-DD (f.eks. 2025-02-03)"),
    Case("a date as day-month-year (`date = 03-02-2025`)", run("date-day-month-year.toml"), "programmes/date-day-month-year.toml:10:8: date = 03-02-2025 is not a date TOML can read; write the date as year-month-day without quotes, e.g. date = 2025-02-03", da="programmes/date-day-month-year.toml:10:8: date = 03-02-2025 er ikke en dato, TOML kan læse; skriv datoen som år-måned-dag uden anførselstegn, f.eks. date = 2025-02-03"),
    Case("a date written as text", run("date-as-text.toml"), "programmes/date-as-text.toml: key 'decision.date' must be a date (2025-02-03), got '3. februar 2025'; write date = 2025-02-03 (a date without quotes)", da="programmes/date-as-text.toml: nøgle 'decision.date' skal være en dato (2025-02-03), men er '3. februar 2025'; skriv date = 2025-02-03 (en dato uden anførselstegn)"),
    Case("a date with a time", run("date-with-time.toml"), "programmes/date-with-time.toml: key 'decision.date' must be a date (2025-02-03), got 2025-02-03T10:00:00", da="programmes/date-with-time.toml: nøgle 'decision.date' skal være en dato (2025-02-03), men er 2025-02-03T10:00:00"),
    Case("a misspelt key", run("misspelt-key.toml"), "programmes/misspelt-key.toml: key 'ammount': unknown key; did you mean 'amount'?", da="programmes/misspelt-key.toml: nøgle 'ammount': ukendt nøgle; mente du 'amount'?"),
    Case("a misspelt section", run("misspelt-section.toml"), "programmes/misspelt-section.toml: key 'sendr': unknown key; did you mean 'sender'?", da="programmes/misspelt-section.toml: nøgle 'sendr': ukendt nøgle; mente du 'sender'?"),
    Case("a missing key", run("missing-key.toml"), "programmes/missing-key.toml: key 'amount' is missing; add it (costshare guide programfil lists every key)", da="programmes/missing-key.toml: nøgle 'amount' mangler; tilføj den (costshare guide programfil viser alle nøgler)"),
    Case("a missing decision date", run("missing-decision-date.toml"), "programmes/missing-decision-date.toml: key 'decision.date' is missing; add it under [decision]", da="programmes/missing-decision-date.toml: nøgle 'decision.date' mangler; tilføj den under [decision]"),
    Case("a section given as a value", run("section-not-a-table.toml"), "programmes/section-not-a-table.toml: key 'sender' must be a table ([sender]); see costshare guide programfil", da="programmes/section-not-a-table.toml: nøgle 'sender' skal være en tabel ([sender]); se costshare guide programfil"),
    Case("a number in quotes (`year = \"2025\"`)", run("year-as-text.toml"), "programmes/year-as-text.toml: key 'year' must be a whole number, got '2025'", da="programmes/year-as-text.toml: nøgle 'year' skal være et helt tal, men er '2025'"),
    Case("a year out of range", run("year-out-of-range.toml"), "programmes/year-out-of-range.toml: key 'year': 20250 is not a year; write e.g. year = 2025", da="programmes/year-out-of-range.toml: nøgle 'year': 20250 er ikke et årstal; skriv f.eks. year = 2025"),
    Case("a code without quotes", run("code-as-number.toml"), "programmes/code-as-number.toml: key 'municipalities.exclude[1]' must be text in quotes, got 101; write it in quotes, \"101\"", da="programmes/code-as-number.toml: nøgle 'municipalities.exclude[1]' skal være tekst i anførselstegn, men er 101; skriv den i anførselstegn, \"101\""),
    Case("a case number without quotes", run("case-number-as-number.toml"), "programmes/case-number-as-number.toml: key 'case_number' must be text in quotes, got 2024; write case_number = \"2024\"", da="programmes/case-number-as-number.toml: nøgle 'case_number' skal være tekst i anførselstegn, men er 2024; skriv case_number = \"2024\""),
    Case("a weight as a TOML decimal (`weight = 0.5`)", run("weight-float.toml"), "programmes/weight-float.toml: key 'parties[1].weight' must be text in quotes or a whole number, got 0.5; write weight = \"0.5\"", da="programmes/weight-float.toml: nøgle 'parties[1].weight' skal være tekst i anførselstegn eller et helt tal, men er 0.5; skriv weight = \"0.5\""),
    Case("an amount as a TOML float", run("amount-float.toml"), 'programmes/amount-float.toml: key \'amount\' must be text in quotes or a whole number, got 1050000.5; write amounts as text, e.g. "525000.50"', da="programmes/amount-float.toml: nøgle 'amount' skal være tekst i anførselstegn eller et helt tal, men er 1050000.5; skriv beløb som tekst, f.eks. \"525000.50\""),
    Case("an ambiguous weight (`weight = \"33,333\"`)", run("weight-ambiguous.toml"), "programmes/weight-ambiguous.toml: key 'parties[1].weight': weight '33,333' is ambiguous: it reads as 33333 or as 33.333; write 33333 (or 33.333,00) for the first", da="programmes/weight-ambiguous.toml: nøgle 'parties[1].weight': vægten '33,333' kan læses på to måder: som 33333 eller som 33.333; skriv 33333 (eller 33.333,00), hvis du mener det første"),
    Case("an amount that is not whole units", run("amount-not-whole-units.toml"), "programmes/amount-not-whole-units.toml: key 'amount': amount 1050000.50 is not a whole number of the rounding unit 1 kr.; change the amount or choose a smaller unit (e.g. 0.01)", da="programmes/amount-not-whole-units.toml: nøgle 'amount': beløbet 1050000.50 er ikke et helt antal af afrundingsenheden 1 kr.; ret beløbet eller vælg en mindre enhed (f.eks. 0.01)"),
    Case("a unit below one øre", run("unit-below-ore.toml"), "programmes/unit-below-ore.toml: key 'unit': unit '0.001' must be a positive whole number of øre, such as 1 (kroner), 0.01 (øre) or 100", da="programmes/unit-below-ore.toml: nøgle 'unit': enheden '0.001' skal være et positivt helt antal øre, f.eks. 1 (kroner), 0.01 (øre) eller 100"),
    Case("co-financing weights that sum to zero", run("weights-sum-to-zero.toml"), "programmes/weights-sum-to-zero.toml: key 'parties': the weights sum to zero; give them shares such as 50 and 50", da="programmes/weights-sum-to-zero.toml: nøgle 'parties': vægtene summer til nul; giv dem andele som 50 og 50"),
    Case("a negative weight", run("weight-negative.toml"), "programmes/weight-negative.toml: key 'parties[1].weight': must not be negative, got '-50 %'", da="programmes/weight-negative.toml: nøgle 'parties[1].weight': må ikke være negativ, men er '-50 %'"),
    Case("a weight that is not a number", run("weight-not-a-number.toml"), 'programmes/weight-not-a-number.toml: key \'parties[1].weight\': weight \'halvdelen\' is not a number; write digits such as 50 or "50 %"', da="programmes/weight-not-a-number.toml: nøgle 'parties[1].weight': vægten 'halvdelen' er ikke et tal; skriv cifre som 50 eller \"50 %\""),
    Case("no party for the municipalities", run("no-municipal-party.toml"), "programmes/no-municipal-party.toml: key 'parties': exactly one party needs municipalities = true; mark the municipalities' party", da="programmes/no-municipal-party.toml: nøgle 'parties': præcis én part skal have municipalities = true; markér kommunernes part"),
    Case("two parties with the same code", run("party-same-code.toml"), "programmes/party-same-code.toml: key 'parties[2].code': parties[1] has the code '084' already; give each party its own code", da="programmes/party-same-code.toml: nøgle 'parties[2].code': parties[1] har allerede koden '084'; giv hver part sin egen kode"),
    Case("two parties with the same name", run("party-same-name.toml"), "programmes/party-same-name.toml: key 'parties[2].name': parties[1] is called 'Region Hovedstaden' already; give each party its own name", da="programmes/party-same-name.toml: nøgle 'parties[2].name': parties[1] hedder allerede 'Region Hovedstaden'; giv hver part sit eget navn"),
    Case("`years = []`, in `run`", run("years-empty.toml"), "programmes/years-empty.toml: key 'years': is empty; add a [[years]] table a year", da="programmes/years-empty.toml: nøgle 'years': er tom; tilføj en [[years]]-tabel pr. år"),
    Case("`years = []`, in `explain`", ("explain", "programmes/years-empty.toml", "157"), "programmes/years-empty.toml: key 'years': is empty; add a [[years]] table a year", da="programmes/years-empty.toml: nøgle 'years': er tom; tilføj en [[years]]-tabel pr. år"),
    Case("every municipality excluded", run("exclude-everyone.toml"), "programmes/exclude-everyone.toml: key 'municipalities.exclude': leaves no municipality to pay; exclude fewer", da="programmes/exclude-everyone.toml: nøgle 'municipalities.exclude': efterlader ingen kommune til at betale; udelad færre"),
    Case("an unknown region", run("unknown-region.toml"), f"programmes/unknown-region.toml: key 'municipalities.region': unknown region 'Fyn'; use one of {REGIONS}", da="programmes/unknown-region.toml: nøgle 'municipalities.region': ukendt region 'Fyn'; brug en af Hovedstaden, Midtjylland, Nordjylland, Sjælland, Syddanmark"),
    Case('a quarter published after the decision (`2026K1`, decided 2025-02-03)', run('basis-after-decision.toml'), 'programmes/basis-after-decision.toml: key \'municipalities.population\': population 2026K1 was published by Statistics Denmark around mid-February 2026 (its release rule), after the decision of 2025-02-03, so the decision cannot have been taken on it; use a quarter published by then (the newest is 2024K4) or the rule the decision names (e.g. "1. januar i budgetåret"), or, if the decision named these later figures, add population_after_decision = true under [municipalities]', da='programmes/basis-after-decision.toml: nøgle \'municipalities.population\': befolkningstallene for 2026K1 blev offentliggjort af Danmarks Statistik omkring midten af februar 2026 (efter udgivelsesplanen), efter beslutningen den 2025-02-03, så beslutningen kan ikke være truffet på dem; brug et kvartal, der var offentliggjort da (det nyeste er 2024K4), eller den regel, beslutningen nævner (f.eks. "1. januar i budgetåret"), eller tilføj population_after_decision = true under [municipalities], hvis beslutningen nævnte disse senere tal'),
    Case('a rule costshare does not know (`1. jan i budgetåret`)', run('basis-unknown-rule.toml'), 'programmes/basis-unknown-rule.toml: key \'municipalities.population\': population \'1. jan i budgetåret\' is not a rule costshare knows; write a quarter such as 2025K1, or one of the rules "1. januar i budgetåret", "1. januar året før", "senest offentliggjorte før beslutningen" (or in English "1 January of the budget year", "1 January of the year before", "newest published before the decision")', da='programmes/basis-unknown-rule.toml: nøgle \'municipalities.population\': befolkningsgrundlaget \'1. jan i budgetåret\' er ikke en regel, costshare kender; skriv et kvartal som 2025K1 eller en af reglerne "1. januar i budgetåret", "1. januar året før", "senest offentliggjorte før beslutningen" (eller på engelsk "1 January of the budget year", "1 January of the year before", "newest published before the decision")'),
    Case('both `amount` and `rate`', run('amount-and-rate.toml'), "programmes/amount-and-rate.toml: key 'rate': gives both amount and rate; a programme charges an amount, a rate or fees by size class, so keep one", da="programmes/amount-and-rate.toml: nøgle 'rate': angiver både amount og rate; et program opkræver et beløb, en sats eller gebyrer efter størrelsesklasse, så behold én af dem"),
    Case('a part of the key with a payer outside the programme', run('part-outside.toml'), "programmes/part-outside.toml: key 'municipalities.parts[1]': the part 'Køreplantimer' has 101 (København), which is not a payer of the programme; add it under [municipalities], or leave it out of the part", da="programmes/part-outside.toml: nøgle 'municipalities.parts[1]': delen 'Køreplantimer' har 101 (København), som ikke er betaler i programmet; tilføj den under [municipalities], eller tag den ud af delen"),
    Case("an unknown quarter", run("unknown-quarter.toml"), f"programmes/unknown-quarter.toml: key 'municipalities.population': population '2025K5' is not a packaged quarter; use {KNOWN}", da="programmes/unknown-quarter.toml: nøgle 'municipalities.population': befolkningsgrundlaget '2025K5' er ikke et medfølgende kvartal; brug et, som costshare data list viser (kvartaler 2016K1–2026K1, måneder 2021M10–2026M02, aldersgrupper som 2022K1:65-), hent det med costshare data fetch, eller angiv en CSV- eller Excel-fil"),
    Case("a year where a quarter belongs (`population = \"2024\"`)", run("population-year.toml"), "programmes/population-year.toml: key 'municipalities.population': population '2024' is a year; give a quarter: 2024K1 (the population on 1 January 2024), 2024K2 (the population on 1 April 2024), 2024K3 (the population on 1 July 2024), 2024K4 (the population on 1 October 2024), or give a CSV/Excel file", da="programmes/population-year.toml: nøgle 'municipalities.population': befolkningsgrundlaget '2024' er et år; angiv et kvartal: 2024K1 (befolkningen pr. 1. januar 2024), 2024K2 (befolkningen pr. 1. april 2024), 2024K3 (befolkningen pr. 1. juli 2024), 2024K4 (befolkningen pr. 1. oktober 2024), eller angiv en CSV- eller Excel-fil"),
    Case("a population file that does not exist", run("population-file-missing.toml"), "programmes/no-such-file.csv: no such file; check the path", da="programmes/no-such-file.csv: filen findes ikke; kontrollér stien"),
    Case("a misspelt key name", run("unknown-key-name.toml"), "programmes/unknown-key-name.toml: key 'municipalities.key': unknown key 'populaton'; did you mean 'population'?", da="programmes/unknown-key-name.toml: nøgle 'municipalities.key': ukendt nøgle 'populaton'; mente du 'population'?"),
    Case("`equal_part` without `key = \"mixed\"`", run("equal-part-without-mixed.toml"), 'programmes/equal-part-without-mixed.toml: key \'municipalities.equal_part\': is only used with key = "mixed", but key is \'population\'; set key = "mixed" or remove equal_part', da="programmes/equal-part-without-mixed.toml: nøgle 'municipalities.equal_part': bruges kun med key = \"mixed\", men key er 'population'; sæt key = \"mixed\" eller fjern equal_part"),
    Case("`equal_part` over 100 %", run("equal-part-over-100.toml"), "programmes/equal-part-over-100.toml: key 'municipalities.equal_part': equal_part '140 %' must be between 0 and 100 %", da="programmes/equal-part-over-100.toml: nøgle 'municipalities.equal_part': equal_part '140 %' skal ligge mellem 0 og 100 %"),
    Case("a code that is not in the figures", run("include-unknown-code.toml"), "programmes/include-unknown-code.toml: key 'municipalities.include' or 'exclude': 2025K1 has no recipient with code '999'; correct the code"),
    Case("an empty title", run("empty-title.toml"), "programmes/empty-title.toml: key 'title' is empty; fill it in", da="programmes/empty-title.toml: nøgle 'title' er tom; udfyld den"),
    Case("a control character in text", run("control-character.toml"), "programmes/control-character.toml: key 'title' contains the control character U+001B; remove it", da="programmes/control-character.toml: nøgle 'title' indeholder kontroltegnet U+001B; fjern det"),
    Case("no population basis", run("no-population.toml"), 'programmes/no-population.toml: key \'municipalities.population\' is missing; state the population basis under [municipalities], e.g. population = "2025K1" (a packaged quarter) or a CSV/Excel file', da="programmes/no-population.toml: nøgle 'municipalities.population' mangler; angiv befolkningsgrundlaget under [municipalities], f.eks. population = \"2025K1\" (et medfølgende kvartal) eller en CSV-/Excel-fil"),
    Case("a letter dated before the decision", run("letter-before-decision.toml"), "programmes/letter-before-decision.toml: key 'letter_date': 2025-01-31 is before the decision (2025-02-03); date the letter on or after the decision", da="programmes/letter-before-decision.toml: nøgle 'letter_date': 2025-01-31 ligger før beslutningen (2025-02-03); datér brevet på beslutningsdatoen eller senere"),
    Case("a due date before the letter date", run("due-before-letter.toml"), "programmes/due-before-letter.toml: key 'payment.due': 2025-02-10 is before the letter date (2025-02-17); set a due date after the letter", da="programmes/due-before-letter.toml: nøgle 'payment.due': 2025-02-10 ligger før brevdatoen (2025-02-17); sæt en forfaldsdato efter brevet"),
    Case("an account given twice, as two accounts", run("account-twice.toml"), "programmes/account-twice.toml: key 'payment.account': 'Reg.nr. 9999, kontonr. 1111111111' is not the account in 'payment.reg_no'/'payment.account_no' (Reg.nr. 1234, kontonr. 1234567890); give the account once: delete one of the two spellings", da="programmes/account-twice.toml: nøgle 'payment.account': 'Reg.nr. 9999, kontonr. 1111111111' er ikke kontoen i 'payment.reg_no'/'payment.account_no' (Reg.nr. 1234, kontonr. 1234567890); angiv kontoen én gang: slet den ene af de to skrivemåder"),
    Case("an account that cannot be read", run("account-unreadable.toml"), "programmes/account-unreadable.toml: key 'payment.account': 'Reg.nr. 12345, kontonr. 1234567890' cannot be read as a bank account; write the registration number (4 digits) and the account number (up to 10), e.g. account = \"Reg.nr. 1234, kontonr. 1234567890\", or an IBAN with its BIC; other words go in how", da="programmes/account-unreadable.toml: nøgle 'payment.account': 'Reg.nr. 12345, kontonr. 1234567890' kan ikke læses som en bankkonto; skriv registreringsnummeret (4 cifre) og kontonummeret (op til 10), f.eks. account = \"Reg.nr. 1234, kontonr. 1234567890\", eller et IBAN med dets BIC; andre ord hører til i how"),
    Case("an IBAN with wrong check digits", run("iban-check-digits.toml"), "programmes/iban-check-digits.toml: key 'payment.iban': 'DK5000400440116244' is not an IBAN: its check digits or its length do not match; copy it again from the bank's statement", da="programmes/iban-check-digits.toml: nøgle 'payment.iban': 'DK5000400440116244' er ikke et IBAN: kontrolcifrene eller længden passer ikke; kopiér det igen fra bankens kontoudtog"),
    Case("an unknown annex order", run("annex-order-unknown.toml"), "programmes/annex-order-unknown.toml: key 'annex.order': unknown order 'alfabetisk'; use \"code\" or \"name\"", da="programmes/annex-order-unknown.toml: nøgle 'annex.order': ukendt rækkefølge 'alfabetisk'; brug \"code\" eller \"name\""),
    Case("a register EAN with a wrong check digit", run("register-bad-ean.toml"), "programmes/register-bad-ean.csv:3:ean: EAN '5798000157018' has a wrong check digit (GS1); check the number", da="programmes/register-bad-ean.csv:3:ean: EAN '5798000157018' har et forkert kontrolciffer (GS1); kontrollér nummeret"),
    Case("a register row for a code that does not pay", run("register-unknown-code.toml"), "programmes/register-unknown-code.csv:3:kommunekode: '461' is not a payer of this programme; correct the code or delete the row", da="programmes/register-unknown-code.csv:3:kommunekode: '461' er ikke betaler i dette program; ret koden eller slet rækken"),
]  # fmt: skip

OUTPUTS = [
    Case("`run --out` a folder that is not empty", ("run", "programmes/valid.toml", "--out", "full-folder"), "full-folder: the folder is not empty; add --force to replace it, or choose another --out", da="full-folder: mappen er ikke tom; tilføj --force for at erstatte den, eller vælg en anden --out"),
    Case("`run --force` on a folder that is not a package", ("run", "programmes/valid.toml", "--out", "full-folder", "--force"), "full-folder: has no manifest.json, so it is not an earlier package and --force will not replace it; empty it yourself or choose another --out", da="full-folder: har ingen manifest.json, så den er ikke en tidligere pakke, og --force erstatter den ikke; tøm den selv, eller vælg en anden --out"),
    Case("`run --out` a file (usage)", ("run", "programmes/valid.toml", "--out", "programmes/valid.toml"), "Invalid value for '--out': Directory 'programmes/valid.toml' is a file.", 2),
    Case("two payers whose file names would be the same", run("file-name-clash.toml"), "'a/b' and 'A B' would both be written as a-b-a-b.xlsx; give the payers codes or names that differ in their letters or digits", da="'a/b' og 'A B' ville begge blive skrevet som a-b-a-b.xlsx; giv betalerne koder eller navne, der adskiller sig i bogstaver eller cifre"),
    Case("`--templates` folder without letter.typ.j2", ("run", "programmes/valid.toml", "--out", "out", "--templates", "templates"), "templates: no letter.typ.j2 in this folder; copy the shipped one there (costshare examples DIR writes it to DIR/skabelon) and edit it", da="templates: ingen letter.typ.j2 i denne mappe; kopiér den medfølgende derhen (costshare examples MAPPE lægger den i MAPPE/skabelon), og ret den"),
    Case("a template reaching outside the sandbox", ("run", "programmes/valid.toml", "--out", "out", "--templates", "templates/escape"), "letter.typ.j2: not allowed in a template: access to attribute '__class__' of 'str' object is unsafe.", da="letter.typ.j2: ikke tilladt i en skabelon: access to attribute '__class__' of 'str' object is unsafe."),
    Case("a template using an undefined variable", ("run", "programmes/valid.toml", "--out", "out", "--templates", "templates/undefined"), "letter.typ.j2: 'modtager' is undefined for 101 København; use only the variables that costshare guide breve lists", da="letter.typ.j2: 'modtager' is undefined i brevet til 101 København; brug kun de variabler, som costshare guide breve viser"),
    Case("a template that fails on a later letter", ("run", "programmes/valid.toml", "--out", "out", "--templates", "templates/fails-on-fifth"), "letter.typ.j2: 'nope' is undefined for 157 Gentofte; use only the variables that costshare guide breve lists", da="letter.typ.j2: 'nope' is undefined i brevet til 157 Gentofte; brug kun de variabler, som costshare guide breve viser"),
    Case("`compare --out` into a folder that does not exist", ("compare", "programmes/valid.toml", "--population", "2024K1", "--out", "no-folder/diff.xlsx"), "no-folder/diff.xlsx: the folder 'no-folder' does not exist; create it or write elsewhere", da="no-folder/diff.xlsx: mappen 'no-folder' findes ikke; opret den eller skriv et andet sted"),
    Case("`compare --out` as CSV into a folder that does not exist", ("compare", "programmes/valid.toml", "--population", "2024K1", "--out", "no-folder/diff.csv"), "no-folder/diff.csv: the folder 'no-folder' does not exist; create it or write elsewhere", da="no-folder/diff.csv: mappen 'no-folder' findes ikke; opret den eller skriv et andet sted"),
]  # fmt: skip

NOT_A_DOCUMENT = "is not a document costshare wrote: a letter, settlement letter or annex (PDF), a workbook (.xlsx), an e-invoice (XML), a package folder or a zip of one was expected"
NOT_A_DOCUMENT_DA = "er ikke et dokument, costshare har skrevet: et brev, et brev om efterregulering eller et bilag (PDF), et regneark (.xlsx), en e-faktura (XML), en pakkemappe eller en zip-fil med en var ventet"
# What a payer may hand `verify` that it cannot check (issue #20): exit 2, and never advice
# to change the file.
RECEIVED = [
    Case("`verify` of a file that is no document costshare wrote", ("verify", "population/old.xls"), f"population/old.xls: {NOT_A_DOCUMENT}", code=2, usage=False, da=f"population/old.xls: {NOT_A_DOCUMENT_DA}"),
    Case("`verify` of a workbook costshare did not write", ("verify", "population/stray-value.xlsx"), "population/stray-value.xlsx: is a workbook, but not one costshare wrote: a payer's workbook (Betaler, Beløb), the overview (Kode, Kommune, Beløb) or a settlement's overview was expected", code=2, usage=False, da="population/stray-value.xlsx: er et regneark, men ikke et, costshare har skrevet: en betalers regneark (Betaler, Beløb), oversigten (Kode, Kommune, Beløb) eller oversigten over en efterregulering var ventet"),
    Case("`verify` of a hand-made annex alone", ("verify", "population/near-miss.csv"), "population/near-miss.csv: is a table of amounts, which carries no programme; check it against the programme: costshare verify PROGRAMME.toml population/near-miss.csv", code=2, usage=False, da="population/near-miss.csv: er en tabel med beløb, som ikke bærer sin programfil; kontrollér den mod programfilen: costshare verify PROGRAM.toml population/near-miss.csv"),
    Case("`verify` of a programme file alone", ("verify", "programmes/valid.toml"), "programmes/valid.toml: is a programme file, not a document a payer receives; give an annex to check against it (costshare verify PROGRAMME.toml ANNEX), or a letter, workbook, e-invoice or package to check on its own", code=2, usage=False, da="programmes/valid.toml: er en programfil, ikke et dokument, en betaler modtager; angiv et bilag, der skal kontrolleres mod den (costshare verify PROGRAM.toml BILAG), eller et brev, et regneark, en e-faktura eller en pakke, der kan kontrolleres for sig"),
    Case("`verify` of a folder that is no package", ("verify", "full-folder"), "full-folder/manifest.json: is missing, so full-folder is not a costshare package; give the folder `costshare run` wrote", code=2, usage=False, da="full-folder/manifest.json: mangler, så full-folder er ikke en costshare-pakke; angiv mappen, som `costshare run` skrev"),
]  # fmt: skip

CATALOGUE_CASES = AMOUNTS_AND_OPTIONS + POPULATION_FILES + PROGRAMME_FILES + OUTPUTS + RECEIVED


def make_workbooks(folder: Path) -> None:
    """The binary inputs of the catalogue, written into ``folder`` (``population/``)."""

    def book(name: str, *sheets: tuple[str, list[list[object]]]) -> openpyxl.Workbook:
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        for title, rows in sheets:
            sheet = workbook.create_sheet(title)
            for row in rows:
                sheet.append(row)
        return workbook

    table = [["kommune", "antal"], ["København", 667099], ["Gentofte", 75076]]
    (folder / "a-folder.csv").mkdir()
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    (folder / "corrupt.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "text.xlsx").write_text("kommune;antal\nKøbenhavn;667099\n", encoding="utf-8")
    book("empty.xlsx", ("Ark1", [])).save(folder / "empty.xlsx")
    book("", ("Ark1", table)).save(folder / "workbook.csv")
    book("", ("2024", table), ("2025", table)).save(folder / "two-sheets.xlsx")
    hidden_sheet = book("", ("Forside", [["Befolkning"]]), ("Data", table))
    hidden_sheet["Data"].sheet_state = "hidden"
    hidden_sheet.save(folder / "hidden-sheet.xlsx")
    hidden_row = book("", ("Ark1", table))
    hidden_row["Ark1"].row_dimensions[3].hidden = True
    hidden_row.save(folder / "hidden-row.xlsx")
    hidden_column = book("", ("Ark1", table))
    hidden_column["Ark1"].column_dimensions["B"].hidden = True
    hidden_column.save(folder / "hidden-column.xlsx")
    merged = book(
        "", ("Ark1", [["kommune", "antal"], ["København", 1], ["Gentofte", 2], [None, 3]])
    )
    merged["Ark1"].merge_cells("A3:A4")
    merged.save(folder / "merged.xlsx")
    book("", ("Ark1", [*table[:2], ["Gentofte", "=Ark2!B2"]])).save(folder / "formula.xlsx")
    huge = [["kommune", "antal"], ["København", 12345678901234567.0], ["Gentofte", 75076]]
    book("", ("Ark1", huge)).save(folder / "huge-number.xlsx")
    book("", ("Ark1", [*table[:2], ["Gentofte", 75076, "se note"]])).save(
        folder / "stray-value.xlsx"
    )
    (folder / "schools.csv").write_text("code,name,population\nS1,Skole A,10\n", encoding="utf-8")


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/catalogue with the workbooks added, made once."""
    folder = tmp_path_factory.mktemp("prepared") / "catalogue"
    shutil.copytree(CATALOGUE, folder)
    make_workbooks(folder / "population")
    return folder


@pytest.fixture
def catalogue(prepared: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The prepared catalogue as the working folder. Cases share it: each one checks that
    it left the folder exactly as it found it, which is the property under test."""
    monkeypatch.chdir(prepared)
    return prepared


def files_in(folder: Path) -> dict[Path, bytes | None]:
    """Every file and folder under ``folder``, with the files' contents."""
    return {
        path.relative_to(folder): path.read_bytes() if path.is_file() else None
        for path in folder.rglob("*")
    }


@pytest.mark.slow
@pytest.mark.parametrize("case", CATALOGUE_CASES, ids=lambda case: case.id)
def test_bad_input_gives_one_line_error_and_leaves_nothing(catalogue: Path, case: Case) -> None:
    args = list(case.args)
    before = files_in(catalogue)
    result = CliRunner().invoke(cli, args, prog_name="costshare")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code == case.code
    assert result.stdout == ""
    if case.code == 2 and case.usage:  # click's usage text, then the one-line error
        assert result.stderr.startswith("Usage: costshare ")
        assert result.stderr.splitlines()[-1] == case.stderr_line
    else:
        assert result.stderr == case.stderr_line + "\n"
    assert files_in(catalogue) == before  # no output folder, no partial file


DANISH_CASES = [case for case in CATALOGUE_CASES if case.da is not None]


@pytest.mark.slow
@pytest.mark.parametrize("case", DANISH_CASES, ids=lambda case: case.id)
def test_bad_input_gives_the_danish_line_by_default(
    catalogue: Path, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same case with the user's default language (Danish): the Danish line, the
    same exit code, nothing on stdout, nothing left behind."""
    monkeypatch.delenv("COSTSHARE_LANG")
    monkeypatch.setenv("LANG", "da_DK.UTF-8")
    before = files_in(catalogue)
    result = CliRunner().invoke(cli, list(case.args), prog_name="costshare")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code == case.code
    assert result.stdout == ""
    if case.code == 2 and case.usage:
        assert result.stderr.startswith("Brug: costshare ")
        assert result.stderr.splitlines()[-1] == case.stderr_line_da
    else:
        assert result.stderr == case.stderr_line_da + "\n"
    assert files_in(catalogue) == before


def test_every_message_is_danish_by_default(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every module that raises these is converted (#11): by default each refusal reads
    ``Fejl: …`` in Danish, never the English line."""
    monkeypatch.delenv("COSTSHARE_LANG")
    for case in [case for case in CATALOGUE_CASES if case.code == 1]:
        result = CliRunner().invoke(cli, list(case.args), prog_name="costshare")
        assert result.stderr.startswith("Fejl: "), case.what
        assert result.stderr != case.stderr_line + "\n", case.what


def test_catalogue_names_are_unique_and_files_exist(catalogue: Path) -> None:
    assert len({case.what for case in CATALOGUE_CASES}) == len(CATALOGUE_CASES)
    for case in POPULATION_FILES + PROGRAMME_FILES + OUTPUTS:
        path = Path(case.args[4] if case.args[0] == "split" else case.args[1])
        assert path.exists() == ("no-such-file" not in path.name), path


def test_the_valid_programme_is_valid(catalogue: Path) -> None:
    """Each programme case is this file broken in one way."""
    result = compute(load_programme("programmes/valid.toml"))
    assert sum(result.party_parts_ore.values()) == 105_000_000


def catalogue_table() -> str:
    """The catalogue as the Markdown tables in docs/reference/errors.md."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = []
    for title, cases in [
        ("Amounts and options", AMOUNTS_AND_OPTIONS),
        ("Population files", POPULATION_FILES),
        ("Programme files", PROGRAMME_FILES),
        ("Output files", OUTPUTS),
        ("Received documents (`verify FILE`)", RECEIVED),
    ]:
        lines += [f"**{title}**", "", "| Input | Message | Danish (the default) |", "|---|---|---|"]
        for case in cases:
            exit_2 = "" if case.code == 1 else " (exit 2)"
            danish = f"`{cell(case.stderr_line_da)}`{exit_2}" if case.da else "English for now"
            lines.append(f"| {cell(case.what)} | `{cell(case.stderr_line)}`{exit_2} | {danish} |")
        lines.append("")
    return "\n".join(lines)


def test_the_docs_show_the_catalogue() -> None:
    page = ERRORS_PAGE.read_text(encoding="utf-8")
    shown = page.split(TABLE_START, 1)[1].split(TABLE_END, 1)[0]
    assert shown.strip() == catalogue_table().strip(), (
        "run: python tests/cli/test_error_catalogue.py --write"
    )


def write_catalogue_table() -> None:
    """Replace the table between the markers in docs/reference/errors.md."""
    page = ERRORS_PAGE.read_text(encoding="utf-8")
    head, rest = page.split(TABLE_START, 1)
    _old, tail = rest.split(TABLE_END, 1)
    ERRORS_PAGE.write_text(
        f"{head}{TABLE_START}\n\n{catalogue_table()}\n{TABLE_END}{tail}", encoding="utf-8"
    )


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--write"]:
        write_catalogue_table()
    else:
        print(catalogue_table())
