"""The keys of issue #13: decimal keys, population × factor, cap, rate above a threshold, discount.

Each is checked against an independent computation with :class:`~fractions.Fraction`
written from the documented rules (not from costshare's code), on the example files, and
by Hypothesis properties: conservation and quota under every key, a cap that binds nobody
changes nothing, factor 1 everywhere is plain population, and decimal weights scaled by
any positive number give the same split.
"""

from __future__ import annotations

import csv
import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from paths import ROOT

from costshare.cli import cli
from costshare.population.packaged import Population
from costshare.population.userfile import load_file
from costshare.programme.model import compute, load_programme
from costshare.shares.splitting import Key, split
from costshare.shares.weights import Counting

EXAMPLES = ROOT / "examples"
K1 = ROOT / "population" / "folk1a_municipalities_K1_2016-2026.csv"


def reference_split(total: int, weights: dict[str, Fraction]) -> dict[str, int]:
    """Largest remainder on exact fractional weights, ties to the lower code."""
    whole = sum(weights.values())
    exact = {code: total * weight / whole for code, weight in weights.items()}
    shares = {code: math.floor(value) for code, value in exact.items()}
    left = total - sum(shares.values())
    order = sorted(exact, key=lambda c: (-(exact[c] - shares[c]), int(c)))
    for code in order[:left]:
        shares[code] += 1
    return shares


def reference_weight(
    figure: Fraction,
    factor: Fraction = Fraction(1),
    cap: Fraction | None = None,
    above: tuple[Fraction, Fraction] | None = None,
    discount: tuple[Fraction, Fraction] | None = None,
) -> Fraction:
    """The documented order: cap, rate above the threshold, factor, discount (on the figure)."""
    counted = figure if cap is None else min(figure, cap)
    if above is not None and counted > above[0]:
        counted = above[0] + (counted - above[0]) * above[1]
    weight = counted * factor
    if discount is not None and figure > discount[0]:
        weight = weight * (1 - discount[1])
    return weight


def hovedstaden_2025() -> dict[str, int]:
    with K1.open(encoding="utf-8") as handle:
        return {
            row["code"]: int(row["2025K1"])
            for row in csv.DictReader(handle)
            if row["region"] == "Region Hovedstaden"
        }


def test_block_grant_example_equals_a_fraction_computation() -> None:
    shares: dict[str, Fraction] = {}
    with (EXAMPLES / "bloktilskud-illustrativ.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            percent = row["andel"].removesuffix(" %").replace(",", ".")
            shares[row["kode"]] = Fraction(Decimal(percent)) / 100
    result = compute(load_programme(EXAMPLES / "bloktilskud-illustrativ.toml"))
    got = {code: ore // 100 for code, ore in result.municipal.shares_ore().items()}
    assert got == reference_split(2_500_000, shares)
    assert sum(got.values()) == 2_500_000


def test_capped_discounted_example_equals_a_fraction_computation() -> None:
    weights = {
        code: reference_weight(
            Fraction(count),
            cap=Fraction(200_000),
            above=(Fraction(100_000), Fraction(1, 2)),
            discount=(Fraction(150_000), Fraction(1, 10)),
        )
        for code, count in hovedstaden_2025().items()
    }
    result = compute(load_programme(EXAMPLES / "kontingent-loft-rabat.toml"))
    got = {code: ore // 100 for code, ore in result.municipal.shares_ore().items()}
    assert got == reference_split(900_000, weights)
    assert weights["101"] == 135_000  # 200.000 capped, 150.000 after the rate, 10 % off


def test_population_times_factor_equals_a_fraction_computation(tmp_path: Path) -> None:
    counts = hovedstaden_2025()
    factors = {code: Fraction(80 + int(code) % 41, 100) for code in counts}
    lines = ["kommunekode;indbyggertal;faktor"]
    lines += [
        f"{c};{n};{str(Decimal(f.numerator) / f.denominator).replace('.', ',')}"
        for c, n, f in ((c, counts[c], factors[c]) for c in counts)
    ]
    path = tmp_path / "faktor.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = invoke(
        "split", "--amount", "750000", "--population", str(path), "--with-factor", "--format", "csv"
    )
    assert code == 0, err
    rows = list(csv.DictReader(out.splitlines()))
    got = {row["code"]: int(row["share"]) for row in rows}
    weights = {c: Fraction(counts[c]) * factors[c] for c in counts}
    assert got == reference_split(750_000, weights)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["0,012345", "0.5", "3"], [Fraction(12345, 10**6), Fraction(1, 2), Fraction(3)]),
        (
            ["1,2345 %", "98.7655 %", "0 %"],
            [Fraction(12345, 10**6), Fraction(987655, 10**6), Fraction(0)],
        ),
        (["1.5e-05", "2E-5", "0"], [Fraction(15, 10**6), Fraction(2, 10**5), Fraction(0)]),
    ],
)
def test_decimal_key_cells_are_read_exactly(
    tmp_path: Path, cells: list[str], expected: list[Fraction]
) -> None:
    path = tmp_path / "key.csv"
    path.write_text(
        "kode;andel\n"
        + "".join(f"{c};{v}\n" for c, v in zip(("101", "147", "151"), cells, strict=True)),
        encoding="utf-8",
    )
    population = load_file(path)
    assert list(population.figures()) == expected
    assert population.measure == "andel i fordelingsnøglen"


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        (
            "kode;andel\n101;0,5 %\n147;0,5\n",
            (),
            "key.csv:3:andel: share '0,5' mixes percentages and plain numbers in one column; write every cell the same way",
        ),
        (
            "kode;andel\n101;1.234,5\n147;0,5\n",
            (),
            "key.csv:2:andel: share must be a decimal number such as 0,012345 or 1,2345 % (no thousands separators), got '1.234,5'; correct the cell",
        ),
        (
            "kode;andel\n101;-0,5\n147;0,5\n",
            (),
            "key.csv:2:andel: share must not be negative, got '-0,5'; correct the cell",
        ),
        (
            "kode;andel\n101;1e-999\n147;0,5\n",
            (),
            "key.csv:2:andel: share must be a decimal number such as 0,012345 or 1,2345 % (no thousands separators), got '1e-999'; correct the cell",
        ),
        ("kode;andel\n101;0\n147;0\n", (), "key.csv: every share is 0; a split needs one above 0"),
        (
            "kode;indbyggertal;andel\n101;5;0,5\n",
            (),
            "key.csv: the columns 'indbyggertal' and 'andel' both hold the figures to split by; delete or rename the one that should not be used",
        ),
        (
            "kode;indbyggertal;faktor\n101;5;1,5\n147;5;x\n",
            ("--with-factor",),
            "key.csv:3:faktor: factor must be a decimal number such as 1 or 0,85 (no thousands separators), got 'x'; correct the cell",
        ),
        (
            "kode;indbyggertal;faktor\n101;5;1,5\n147;5;1\n",
            (),
            "key.csv has a factor column, but the key does not use it; set factor = true (--with-factor) or delete the column",
        ),
        (
            "kode;indbyggertal\n101;5\n147;5\n",
            ("--with-factor",),
            "the key multiplies by a factor, but key.csv has no factor column; add a column 'faktor' or leave out the factor",
        ),
        (
            "kode;indbyggertal\n101;5\n",
            ("--above", "5"),
            "--above '5' needs a threshold and a rate, e.g. 150000:50",
        ),
        (
            "kode;indbyggertal\n101;5\n",
            ("--discount", "5:120"),
            "--discount '120' must be between 0 and 100 %",
        ),
        ("kode;indbyggertal\n101;5\n", ("--cap", "-3"), "--cap '-3' must not be negative"),
    ],
)
def test_bad_key_files_and_options_give_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, args: tuple[str, ...], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("key.csv").write_text(text, encoding="utf-8")
    code, out, err = invoke("split", "--amount", "100", "--population", "key.csv", *args)
    assert (code, out) == (1, "")
    assert err == f"Error: {message}\n"


PROGRAMME = """title = "T"
case_number = "X"
year = 2025
amount = "1000"
[decision]
body = "B"
date = 2025-01-01
[municipalities]
population = "2025K1"
region = "Hovedstaden"
{extra}
[sender]
name = "S"
"""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "above = { from = 100000 }",
            "p.toml: key 'municipalities.above.rate': is missing; write e.g. above = { from = 150000, rate = \"50 %\" }",
        ),
        (
            'discount = { above = 100000, rate = "150 %" }',
            "p.toml: key 'municipalities.discount.rate': discount.rate '150 %' must be between 0 and 100 %",
        ),
        ('cap = "-5"', "p.toml: key 'municipalities.cap': must not be negative, got '-5'"),
        (
            'key = "equal"\ncap = 100000',
            'p.toml: key \'municipalities.key\': cap, above, discount and factor count inhabitants, but key = "equal" splits equally; use key = "population" or "mixed", or remove them',
        ),
        ("capp = 100000", "p.toml: key 'municipalities.capp': unknown key; did you mean 'cap'?"),
    ],
)
def test_bad_key_settings_in_a_programme(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("p.toml").write_text(PROGRAMME.format(extra=extra), encoding="utf-8")
    code, out, err = invoke("run", "p.toml", "--out", "out")
    assert (code, out) == (1, "")
    assert err == f"Error: {message}\n"
    assert not Path("out").exists()


def test_explain_shows_each_step_and_ends_at_the_amount() -> None:
    code, out, err = invoke("explain", str(EXAMPLES / "kontingent-loft-rabat.toml"), "København")
    assert code == 0, err
    lines = out.splitlines()
    assert "Loft (200.000): talt med 200.000" in lines
    assert "Over 100.000 talt med 50 %: 100.000 + 100.000 × 50 % = 150.000" in lines
    assert "Rabat 10 % over 150.000: 150.000 × (100 % − 10 %) = 135.000" in lines
    assert "Vægt: 135.000 af 1.395.684" in lines
    result = compute(load_programme(EXAMPLES / "kontingent-loft-rabat.toml"))
    assert lines[-1] == f"Beløb: {result.municipal.share_ore('101') // 100:,} kr.".replace(",", ".")
    small = invoke("explain", str(EXAMPLES / "kontingent-loft-rabat.toml"), "Dragør")[1]
    assert "Over 100.000 talt med 50 %: 14.450 (ikke over 100.000)" in small
    assert "Rabat 10 % over 150.000: ingen (ikke over 150.000)" in small


# --- properties ---------------------------------------------------------------------------

figures = st.lists(st.integers(0, 10**7), min_size=1, max_size=25).filter(any)
fractions = st.fractions(min_value=0, max_value=5, max_denominator=1000)
rates = st.fractions(min_value=0, max_value=1, max_denominator=200)


def population_of(
    counts: list[int], scale: int = 1, factors: list[Fraction] | None = None
) -> Population:
    codes = tuple(str(100 + i) for i in range(len(counts)))
    return Population(
        "test",
        codes,
        codes,
        tuple(counts),
        "test",
        municipal=False,
        weight_scale=scale,
        factors=tuple(factors or ()),
    )


@st.composite
def keys(draw: st.DrawFn) -> Counting:
    def maybe(strategy: st.SearchStrategy[Fraction]) -> Fraction | None:
        return draw(st.one_of(st.none(), strategy))

    thresholds = st.fractions(min_value=0, max_value=10**7, max_denominator=10)
    above = maybe(thresholds)
    discount = maybe(thresholds)
    return Counting(
        cap=maybe(thresholds),
        above_from=above,
        above_rate=draw(rates) if above is not None else Fraction(1),
        discount_above=discount,
        discount_rate=draw(rates) if discount is not None else Fraction(0),
    )


@given(figures, keys(), st.integers(0, 10**9), st.data())
def test_every_key_conserves_and_keeps_quota(
    counts: list[int], counting: Counting, total: int, data: st.DataObject
) -> None:
    factors = data.draw(
        st.one_of(st.none(), st.lists(fractions, min_size=len(counts), max_size=len(counts)))
    )
    population = population_of(counts, factors=factors)
    key = Key(counting=counting, factor=factors is not None)
    weights = {
        code: reference_weight(
            Fraction(count),
            (factors or [Fraction(1)] * len(counts))[i],
            counting.cap,
            None if counting.above_from is None else (counting.above_from, counting.above_rate),
            None
            if counting.discount_above is None
            else (counting.discount_above, counting.discount_rate),
        )
        for i, (code, count) in enumerate(zip(population.codes, counts, strict=True))
    }
    whole = sum(weights.values())
    if whole == 0:
        return  # no basis to split by: refused, as for plain zero populations
    result = split(total * 100, population, key=key)
    shares = {code: ore // 100 for code, ore in result.shares_ore().items()}
    assert sum(shares.values()) == total
    for code, share in shares.items():
        exact = total * weights[code] / whole
        assert math.floor(exact) <= share <= math.ceil(exact)
    assert shares == reference_split(total, weights)


@given(figures, st.integers(0, 10**9), st.integers(0, 10**6))
def test_a_cap_that_binds_nobody_changes_nothing(counts: list[int], total: int, extra: int) -> None:
    population = population_of(counts)
    capped = Key(counting=Counting(cap=Fraction(max(counts) + extra)))
    assert (
        split(total * 100, population, key=capped).shares_ore()
        == split(total * 100, population).shares_ore()
    )


@given(figures, st.integers(0, 10**9))
def test_factor_one_everywhere_is_plain_population(counts: list[int], total: int) -> None:
    with_factors = population_of(counts, factors=[Fraction(1)] * len(counts))
    plain = population_of(counts)
    got = split(total * 100, with_factors, key=Key(factor=True)).shares_ore()
    assert got == split(total * 100, plain).shares_ore()


@given(
    figures,
    st.integers(0, 10**9),
    st.fractions(min_value=Fraction(1, 10**6), max_value=10**6, max_denominator=10**6),
    st.integers(1, 10**6),
)
def test_decimal_weights_scaled_by_any_positive_number_split_the_same(
    counts: list[int], total: int, factor: Fraction, scale: int
) -> None:
    total *= 100
    base = split(total, population_of(counts, scale=scale)).shares_ore()
    scaled = population_of(counts, factors=[factor] * len(counts))
    assert split(total, scaled, key=Key(factor=True)).shares_ore() == base
    assert (
        split(total, population_of([c * 7 for c in counts], scale=scale * 3)).shares_ore() == base
    )
