"""Every command reads a code the same way (issue #24, item 10; issue #19, item 4).

Codes are NFKC-normalised where they are read (a full-width ``１５７`` is ``157``, a
superscript ``²`` is ``2``) and only ASCII digits make a number, so no code passes a digit
test and then fails ``int()``: each case below stopped with a ``ValueError`` traceback, or
read a full-width code as another recipient, before.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from annex_helpers import run_cli
from paths import EXAMPLES

from costshare.population.packaged import load_packaged
from costshare.programme.model import compute, load_programme
from costshare.programme.payers import payers
from costshare.programme.settlement import settle

TELEHJERTE = EXAMPLES / "telehjerte-2025.toml"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def programme_on(folder: Path, population: str, extra: str = "") -> Path:
    """TeleHjerte on a population file, without its region filter and register."""
    text = TELEHJERTE.read_text(encoding="utf-8")
    text = text.replace('population = "2025K1"', f'population = "{population}"{extra}')
    text = text.replace('region = "Hovedstaden"\n', "")
    text = text.replace('register = "telehjerte-2025-modtagere.csv"\n', "")
    path = folder / "programme.toml"
    path.write_text(text, encoding="utf-8")
    return path


def hovedstaden_file(path: Path, wide: bool) -> Path:
    """The 29 municipalities of 2025K1 Hovedstaden, codes in ASCII or full-width digits."""
    population = load_packaged("2025K1").select_region("Region Hovedstaden")
    lines = ["kode;kommune;indbyggertal"]
    for code, name, count in zip(
        population.codes, population.names, population.counts, strict=True
    ):
        lines.append(f"{code.translate(FULL_WIDTH) if wide else code};{name};{count}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_run_with_a_superscript_code_reads_it_as_a_digit(tmp_path: Path) -> None:
    (tmp_path / "skoler.csv").write_text(
        "kode;navn;indbyggertal\n²;Skole A;100\nS-1;Skole B;200\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = run_cli("run", str(programme_on(tmp_path, "skoler.csv")), "--out", str(out))
    assert result.exit_code == 0, result.output + result.stderr
    assert (out / "2-skole-a.pdf").is_file()


def test_split_with_a_superscript_region_is_a_one_line_error() -> None:
    result = run_cli("split", "--amount", "100", "--region", "²")
    assert result.exit_code != 0
    assert "Traceback" not in result.output + result.stderr
    assert "unknown region '²'" in result.stderr


def test_explain_a_superscript_code_is_a_one_line_error() -> None:
    result = run_cli("explain", str(TELEHJERTE), "²")
    assert result.exit_code != 0
    assert result.stderr.count("\n") == 1, result.stderr
    assert "no payer called '²'" in result.stderr


def test_explain_reads_full_width_digits() -> None:
    wide = run_cli("explain", str(TELEHJERTE), "１５７")
    plain = run_cli("explain", str(TELEHJERTE), "157")
    assert wide.exit_code == 0, wide.stderr
    assert wide.stdout == plain.stdout


def test_a_population_file_in_full_width_digits_is_the_same_file(tmp_path: Path) -> None:
    outputs = []
    for wide in (False, True):
        path = hovedstaden_file(tmp_path / f"pop-{wide}.csv", wide)
        result = run_cli(
            "split", "--amount", "525000", "--population", str(path), "--format", "csv"
        )
        assert result.exit_code == 0, result.stderr
        outputs.append(result.stdout.replace(path.name, "pop.csv"))
    assert outputs[0] == outputs[1]
    rows = list(csv.reader(io.StringIO(outputs[1])))
    assert rows[1][0] == "101"


def test_run_reads_full_width_codes_in_population_register_and_include(tmp_path: Path) -> None:
    hovedstaden_file(tmp_path / "pop.csv", wide=True)
    header, *rows = (EXAMPLES / "telehjerte-2025-modtagere.csv").read_text("utf-8").splitlines()
    kept = [row.replace("157,", "１５７,", 1) for row in rows if row.startswith(("101,", "157,"))]
    (tmp_path / "modtagere.csv").write_text("\n".join([header, *kept]) + "\n", "utf-8")
    include = ", ".join(f'"{code}"' for code in ("１０１", "157", "０１４７"))
    path = programme_on(tmp_path, "pop.csv", f"\ninclude = [{include}]")
    text = path.read_text(encoding="utf-8").replace(
        "[decision]", 'register = "modtagere.csv"\n\n[decision]', 1
    )
    path.write_text(text, encoding="utf-8")
    result = compute(load_programme(path))
    assert result.municipal.population.codes == ("101", "147", "157")
    assert result.municipal.population.municipal
    gentofte = next(payer for payer in payers(result) if payer.code == "157")
    assert gentofte.ean == "5798000157019"


def test_verify_reads_full_width_codes(tmp_path: Path) -> None:
    result = compute(load_programme(TELEHJERTE))
    lines = ["Kommunekode;Kommune;Beløb"]
    for code, name, _count, share_ore in result.municipal.rows():
        lines.append(f"{code.translate(FULL_WIDTH)};{name};{share_ore // 100}")
    annex = tmp_path / "bilag.csv"
    annex.write_text("\n".join(lines) + "\n", encoding="utf-8")
    checked = run_cli("verify", str(TELEHJERTE), str(annex))
    assert checked.exit_code == 0, checked.output


def test_settlement_orders_former_payers_by_the_one_code_order() -> None:
    final = compute(load_programme(TELEHJERTE))
    charged = {p.code: (p.name, p.amount_ore) for p in payers(final)}
    charged |= {"S-1": ("Skole", 100), "1000000001": ("Stor kode", 100)}
    former = [row.payer.code for row in settle(final, charged).only_charged]
    assert former == ["1000000001", "S-1"]


def test_a_large_file_in_full_width_digits_is_the_same_file(tmp_path: Path) -> None:
    """A file large enough for the columnar reader reads its codes as load_file does."""
    outputs = []
    for wide in (False, True):
        lines = ["kode;navn;antal"]
        for i in range(5000):
            code = str(10000 + i)
            lines.append(f"{code.translate(FULL_WIDTH) if wide else code};Modtager {i};{i % 97}")
        path = tmp_path / f"big-{wide}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = run_cli(
            "split", "--amount", "987654", "--population", str(path), "--format", "csv"
        )
        assert result.exit_code == 0, result.stderr
        outputs.append(result.stdout.replace(path.name, "big.csv"))
    assert outputs[0] == outputs[1]
