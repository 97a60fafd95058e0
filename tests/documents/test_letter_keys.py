"""Letters under the keys of issue #13: a decimal key, cap/rate/discount, a factor, an age
group and a month. A letter is what a municipality books from, so it must state the key
exactly: golden texts, the figures against an independent Fraction computation, and never
the scaled integers a decimal key is split by."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from annex_helpers import EXAMPLES, assert_golden, build_package, pdf_text, run_cli

from costshare.base.danish import format_count, format_fraction
from costshare.population.packaged import load_packaged
from costshare.programme.model import compute, load_programme
from costshare.programme.naming import ANNEX_FILE, REVIEW_FILE

# Full packages, typst letters or workbooks: left out by pytest -m "not slow".
pytestmark = pytest.mark.slow

TELEHJERTE = EXAMPLES / "telehjerte-2025.toml"
GENTOFTE = "157-gentofte.pdf"
KOEBENHAVN = "101-koebenhavn.pdf"


def flat(text: str) -> str:
    """The letter's text on one line; typst's no-break spaces read as spaces."""
    return " ".join(text.replace("\xa0", " ").split())


def telehjerte_on(tmp_path: Path, name: str, population: str, extra: str = "") -> Path:
    """The TeleHjerte package on another population basis (a file is copied beside it)."""
    text = TELEHJERTE.read_text(encoding="utf-8")
    old = 'population = "2025K1"'
    assert old in text
    programme = tmp_path / f"{name}.toml"
    programme.write_text(text.replace(old, f'population = "{population}"{extra}'), "utf-8")
    shutil.copy(EXAMPLES / "telehjerte-2025-modtagere.csv", tmp_path)
    out = tmp_path / f"{name}-out"
    result = run_cli("run", str(programme), "--out", str(out))
    assert result.exit_code == 0, result.output + result.stderr
    return out


def factor_file(path: Path) -> dict[str, Fraction]:
    """A population file with a factor per municipality (Gentofte 0,85); the factors."""
    population = load_packaged("2025K1")
    factors = {}
    lines = ["kode;kommune;indbyggertal;faktor"]
    for code, name, count in zip(
        population.codes, population.names, population.counts, strict=True
    ):
        factor = "0,85" if code == "157" else ("1" if int(code) % 3 else "1,1")
        factors[code] = Fraction(Decimal(factor.replace(",", ".")))
        lines.append(f"{code};{name};{count};{factor}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return factors


@pytest.fixture(scope="module")
def decimal_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package("bloktilskud-illustrativ", tmp_path_factory.mktemp("decimal") / "out")


@pytest.fixture(scope="module")
def capped_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package("kontingent-loft-rabat", tmp_path_factory.mktemp("capped") / "out")


def test_decimal_key_letter_golden(decimal_package: Path, update_golden: bool) -> None:
    text = pdf_text(decimal_package / GENTOFTE)
    assert_golden("letters/kinds/decimal-157-gentofte.txt", text, update_golden)
    assert (
        "fordeles mellem de 29 kommuner efter andel i fordelingsnøglen. Gentofte Kommunes "
        "andel i nøglen er 0,01215219 af i alt 0,32414394, svarende til 3,749 %."
    ) in flat(text)
    assert "Grundlag. Fordelingsnøgle: bloktilskud-illustrativ.csv." in flat(text)


def test_decimal_key_letter_equals_an_independent_fraction(decimal_package: Path) -> None:
    """Gentofte's share read from the CSV with Fraction, never through costshare."""
    with (EXAMPLES / "bloktilskud-illustrativ.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    hovedstaden = set(load_packaged("2025K1").select_region("Hovedstaden").codes)
    shares = {
        row["kode"]: Fraction(Decimal(row["andel"].removesuffix(" %").replace(",", "."))) / 100
        for row in rows
        if row["kode"] in hovedstaden
    }
    total = sum(shares.values(), Fraction(0))
    for code, stem in (("157", GENTOFTE), ("101", KOEBENHAVN)):
        text = flat(pdf_text(decimal_package / stem))
        figure = str(Decimal(shares[code].numerator) / Decimal(shares[code].denominator))
        whole = str(Decimal(total.numerator) / Decimal(total.denominator))
        percent = format_fraction(100 * shares[code] / total, 3)
        assert f"er {figure.replace('.', ',')} af i alt {whole.replace('.', ',')}" in text
        assert f"svarende til {percent} %" in text


def test_no_letter_shows_the_scaled_integers(decimal_package: Path) -> None:
    """A decimal key is split by its decimals scaled to integers; no document shows those."""
    split = compute(load_programme(EXAMPLES / "bloktilskud-illustrativ.toml")).municipal
    assert split.population.weight_scale > 1
    scaled = [format_count(count) for count in (*split.population.counts, split.population.total)]
    pdfs = [p for p in decimal_package.glob("*.pdf") if p.name != REVIEW_FILE]
    assert len(pdfs) == 30  # 29 letters and the annex
    for pdf in pdfs:
        text = flat(pdf_text(pdf))
        found = [number for number in scaled if number in text]
        assert not found, f"{pdf.name} shows the scaled integers {found}"
    assert (decimal_package / ANNEX_FILE).exists()


def test_capped_letter_where_the_cap_binds_golden(
    capped_package: Path, update_golden: bool
) -> None:
    text = pdf_text(capped_package / KOEBENHAVN)
    assert_golden("letters/kinds/capped-101-koebenhavn.txt", text, update_golden)
    assert (
        "Københavns Kommunes indbyggertal er 667.099. Indbyggertallet tælles højst med "
        "200.000; indbyggere over 100.000 tælles med 50 %, i alt 150.000; vægten nedsættes "
        "med 10 % til 135.000. Kommunens vægt er 135.000 af i alt 1.395.684, svarende til "
        "9,673 %."
    ) in flat(text)


def test_capped_letter_where_nothing_binds_golden(
    capped_package: Path, update_golden: bool
) -> None:
    text = pdf_text(capped_package / GENTOFTE)
    assert_golden("letters/kinds/capped-157-gentofte.txt", text, update_golden)
    payer = flat(text).split("indbyggere. ", 1)[1]  # after the rules that apply to everyone
    assert payer.startswith("Gentofte Kommunes indbyggertal er 75.076 og tælles fuldt med.")
    for binding in ("tælles højst med", "nedsættes med", "i alt 150.000"):
        assert binding not in payer


def test_capped_letters_equal_an_independent_fraction(capped_package: Path) -> None:
    """Cap 200.000, 50 % above 100.000, 10 % off above 150.000, computed here by hand."""
    population = load_packaged("2025K1").select_region("Hovedstaden")

    def weight(figure: int) -> Fraction:
        counted = Fraction(min(figure, 200_000))
        if counted > 100_000:
            counted = 100_000 + (counted - 100_000) / 2
        return counted * Fraction(9, 10) if figure > 150_000 else counted

    weights = {c: weight(n) for c, n in zip(population.codes, population.counts, strict=True)}
    total = sum(weights.values(), Fraction(0))
    assert total.denominator == 1
    for code, stem in (("101", KOEBENHAVN), ("157", GENTOFTE), ("147", "147-frederiksberg.pdf")):
        text = flat(pdf_text(capped_package / stem))
        exact = weights[code]
        assert exact.denominator == 1
        assert (
            f"vægt er {format_count(int(exact))} af i alt {format_count(int(total))}, "
            f"svarende til {format_fraction(100 * exact / total, 3)} %."
        ) in text


def test_factor_letter_golden(tmp_path: Path, update_golden: bool) -> None:
    factors = factor_file(tmp_path / "faktor.csv")
    out = telehjerte_on(tmp_path, "factor", "faktor.csv", "\nfactor = true")
    text = pdf_text(out / GENTOFTE)
    assert_golden("letters/kinds/factor-157-gentofte.txt", text, update_golden)
    population = load_packaged("2025K1").select_region("Hovedstaden")
    weights = {
        code: count * factors[code]
        for code, count in zip(population.codes, population.counts, strict=True)
    }
    total = sum(weights.values(), Fraction(0))
    assert weights["157"] == Fraction(638146, 10)
    assert (
        "Gentofte Kommunes indbyggertal er 75.076. Ganget med kommunens faktor giver det "
        "75.076 × faktor 0,85 = 63.814,6. Kommunens vægt er 63.814,6 af i alt "
        f"{format_fraction(total, 1)}, svarende til "
        f"{format_fraction(100 * weights['157'] / total, 3)} %."
    ) in flat(text)


def test_age_group_letter_golden(tmp_path: Path, update_golden: bool) -> None:
    out = telehjerte_on(tmp_path, "age", "2022K1:65-")
    text = pdf_text(out / GENTOFTE)
    assert_golden("letters/kinds/age-65-157-gentofte.txt", text, update_golden)
    elderly = load_packaged("2022K1:65-").select_region("Hovedstaden")
    count = elderly.count_of("157")
    assert (
        "fordeles mellem de 29 kommuner efter antallet af indbyggere på 65 år og derover. "
        f"Gentofte Kommune har {format_count(count)} indbyggere på 65 år og derover af i alt "
        f"{format_count(elderly.total)}, svarende til "
        f"{format_fraction(Fraction(100 * count, elderly.total), 3)} %."
    ) in flat(text)
    assert "indbyggertal" not in flat(text).split("Grundlag.")[0]
    assert "FOLK1A, 1. januar 2022, 65 år og derover (2022K1:65-)." in flat(text)


def test_month_letter_names_the_day(tmp_path: Path) -> None:
    out = telehjerte_on(tmp_path, "month", "2024M12")
    text = flat(pdf_text(out / GENTOFTE))
    december = load_packaged("2024M12").select_region("Hovedstaden")
    assert (
        "efter indbyggertal pr. 1. december 2024. Gentofte Kommunes indbyggertal pr. "
        f"1. december 2024 er {format_count(december.count_of('157'))} af i alt "
        f"{format_count(december.total)}"
    ) in text
    assert "Befolkningstal: Danmarks Statistik, FOLK1AM, 1. december 2024 (2024M12)." in text


def test_mixed_key_with_a_cap_lists_the_binding_steps(tmp_path: Path) -> None:
    text = (EXAMPLES / "kontingent-loft-rabat.toml").read_text(encoding="utf-8")
    programme = tmp_path / "mixed.toml"
    programme.write_text(
        text.replace('key = "population"', 'key = "mixed"\nequal_part = "40 %"'), "utf-8"
    )
    out = tmp_path / "out"
    assert run_cli("run", str(programme), "--out", str(out)).exit_code == 0
    letter = flat(pdf_text(out / KOEBENHAVN))
    assert (
        "60 % (540.000 kr.) efter indbyggertal: indbyggertal 667.099; indbyggertallet tælles "
        "højst med 200.000; indbyggere over 100.000 tælles med 50 %, i alt 150.000; vægten "
        "nedsættes med 10 % til 135.000; vægt 135.000 af 1.395.684 (9,673 %), dvs. 52.232,45 kr."
    ) in letter


def test_other_recipients_and_a_decimal_cap_are_worded_for_what_they_are(tmp_path: Path) -> None:
    """Not municipalities, a decimal key with a cap and a discount: no 'indbyggere'."""
    from costshare.documents.pdf.letter_basis import basis_paragraphs
    from costshare.programme.payers import find_payer

    (tmp_path / "key.csv").write_text(
        "kode;navn;andel\nA1;Alfa;0,25\nB2;Beta;0,5\nC3;Gamma;0,125\n", encoding="utf-8"
    )
    programme = (EXAMPLES / "kontingent-loft-rabat.toml").read_text(encoding="utf-8")
    for old, new in (
        ('population = "2025K1"\nregion = "Hovedstaden"', 'population = "key.csv"'),
        ("cap = 200000", 'cap = "0,4"'),
        ('above = { from = 100000, rate = "50 %" }\n', ""),
        ("above = 150000", 'above = "0,2"'),
    ):
        assert old in programme, old
        programme = programme.replace(old, new)
    (tmp_path / "p.toml").write_text(programme, encoding="utf-8")
    result = compute(load_programme(tmp_path / "p.toml"))
    text = flat(" ".join(p.text for p in basis_paragraphs(result, find_payer(result, "B2"))))
    assert (
        "fordeles mellem de 3 modtagere efter andel i fordelingsnøglen. Andelen tælles højst "
        "med 0,4 for hver modtager; vægten nedsættes med 10 % for en modtager med en andel "
        "over 0,2. Betas andel i nøglen er 0,5. Andelen tælles højst med 0,4; vægten "
        "nedsættes med 10 % til 0,36. Modtagerens vægt er 0,36 af i alt 0,71, svarende til "
        "50,704 %."
    ) in text
    assert "indbygger" not in text
