"""``settle`` re-derives the earlier package, never believes it (issue #24, item 2).

The package carries its programme and the files it names (issue #20, item 4); ``settle``
computes the charge again from them and refuses a package whose manifest (amounts, payers,
references, totals, inputs) or workbooks (the amounts a person sees) say otherwise, naming
what differs. Every manifest field is type-checked; ``--out`` may not be the package being
settled or lie inside it; ``--force`` reads a package with the same reader.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from annex_helpers import run_cli
from click.testing import Result
from einvoice_helpers import settlement_programmes
from paths import EXAMPLES

from costshare.programme.model import compute, load_programme
from costshare.programme.payers import payers

pytestmark = pytest.mark.slow

PRELIMINARY = EXAMPLES / "telehjerte-2025-foreloebig.toml"
FINAL = EXAMPLES / "telehjerte-2025-endelig.toml"
CHARGED_157 = next(
    p.amount_ore for p in payers(compute(load_programme(PRELIMINARY))) if p.code == "157"
)
SHOWN_157 = f"{CHARGED_157 // 100:,} kr.".replace(",", ".")


@pytest.fixture(scope="module")
def earlier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("earlier") / "charged"
    assert run_cli("run", str(PRELIMINARY), "--out", str(out)).exit_code == 0
    return out


@pytest.fixture
def charged(earlier: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(earlier, tmp_path / "charged"))


def settle(charged: Path, out: Path, *options: str, final: Path = FINAL) -> Result:
    return run_cli("settle", str(final), "--charged", str(charged), "--out", str(out), *options)


def refused(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: "), result.stderr
    return result.stderr.removeprefix("Error: ").strip()


def edit_manifest(folder: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    path = folder / "manifest.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    edit(document)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def rehash(folder: Path, name: str) -> None:
    """Record a file's new SHA-256 in the manifest, as someone covering an edit would."""
    digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()

    def edit(document: dict[str, Any]) -> None:
        for entry in document["files"]:
            if entry["path"] == name:
                entry["sha256"] = digest

    edit_manifest(folder, edit)


def test_the_charge_settles_from_what_it_carries(charged: Path, tmp_path: Path) -> None:
    result = settle(charged, tmp_path / "s")
    assert result.exit_code == 0, result.output
    assert "settlement 50.000 kr." in result.output
    assert sorted(p.name for p in (charged / "programfil").iterdir()) == [PRELIMINARY.name]


def test_an_edited_manifest_amount_is_refused(charged: Path, tmp_path: Path) -> None:
    def raise_157(document: dict[str, Any]) -> None:
        for entry in document["files"]:
            if entry.get("code") == "157":
                entry["amount"] = "30000"

    manifest = edit_manifest(charged, raise_157)
    assert refused(settle(charged, tmp_path / "s")) == (
        f"{manifest}: the amount of '157 Gentofte' (157-gentofte.pdf) is 30.000 kr., but the "
        f"package's own programme and figures give {SHOWN_157} (and 1 more differences); use "
        "the package as it was sent, or run it again"
    )
    assert not (tmp_path / "s").exists()


def test_an_invented_payer_is_refused(charged: Path, tmp_path: Path) -> None:
    (charged / "extra.pdf").write_bytes(b"x")

    def add_greve(document: dict[str, Any]) -> None:
        document["files"].append(
            {
                "path": "extra.pdf",
                "kind": "letter",
                "sha256": hashlib.sha256(b"x").hexdigest(),
                "code": "253",
                "name": "Greve",
                "amount": "1000",
                "reference": "SAG-2024-05018-253",
            }
        )

    manifest = edit_manifest(charged, add_greve)
    assert refused(settle(charged, tmp_path / "s")) == (
        f"{manifest}: lists '253 Greve' (extra.pdf), who is not a payer of the package's own "
        "programme; use the package as it was sent, or run it again"
    )


def test_an_edited_total_is_refused(charged: Path, tmp_path: Path) -> None:
    def total(document: dict[str, Any]) -> None:
        document["totals"]["total"] = "1060000"

    manifest = edit_manifest(charged, total)
    assert refused(settle(charged, tmp_path / "s")) == (
        f"{manifest}: the total is 1.060.000 kr., but the package's own programme and figures "
        "give 1.050.000 kr.; use the package as it was sent, or run it again"
    )


def test_a_payer_workbook_showing_another_amount_is_refused(charged: Path, tmp_path: Path) -> None:
    workbook = charged / "157-gentofte.xlsx"
    book = openpyxl.load_workbook(workbook)
    sheet = book["Beløb"]
    cell = next(row[1] for row in sheet.iter_rows(min_row=5) if row[0].value == "Beløb (kr.)")
    cell.value = 30000
    book.save(workbook)
    rehash(charged, workbook.name)
    assert refused(settle(charged, tmp_path / "s")) == (
        f"{workbook}: the amount shown for '157 Gentofte' is 30.000 kr., but the package's own "
        f"programme and figures give {SHOWN_157}; use the package as it was sent, or run it again"
    )
    # The workbooks are checked while the settlement is written: refused, nothing is left.
    assert not (tmp_path / "s").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["charged"]

    # The same from a command of its own: on Linux the check runs in a forked child.
    command = [sys.executable, "-m", "costshare", "--lang", "en", "settle", str(FINAL)]
    found = subprocess.run(
        [*command, "--charged", str(charged), "--out", str(tmp_path / "s")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode == 1 and found.stdout == ""
    assert found.stderr == f"Error: {workbook}: the amount shown for '157 Gentofte' is " + (
        f"30.000 kr., but the package's own programme and figures give {SHOWN_157}; use the "
        "package as it was sent, or run it again\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["charged"]


def test_the_overview_showing_another_amount_is_refused(charged: Path, tmp_path: Path) -> None:
    overview = charged / "finansiering-pr-kommune.xlsx"
    book = openpyxl.load_workbook(overview)
    sheet = book["Finansiering pr. kommune"]
    row = next(row for row in sheet.iter_rows(min_row=6) if row[0].value == "157")
    row[6].value = 30000
    book.save(overview)
    rehash(charged, overview.name)
    message = refused(settle(charged, tmp_path / "s"))
    assert message.startswith(
        f"{overview}: the amount shown for '157 Gentofte' is 30.000 kr., but the package's own "
        f"programme and figures give {SHOWN_157}"
    )


def test_workbooks_saved_again_unchanged_are_read_as_a_person_sees_them(
    charged: Path, tmp_path: Path
) -> None:
    """Not the bytes costshare wrote (opened and saved in a spreadsheet), but the same
    amounts shown: the package settles."""
    for name in ("157-gentofte.xlsx", "finansiering-pr-kommune.xlsx"):
        openpyxl.load_workbook(charged / name).save(charged / name)
        rehash(charged, name)
    result = settle(charged, tmp_path / "s")
    assert result.exit_code == 0, result.output


def test_an_edited_copy_of_the_programme_is_refused(charged: Path, tmp_path: Path) -> None:
    copy = charged / "programfil" / PRELIMINARY.name
    copy.write_text(copy.read_text("utf-8").replace('"1050000"', '"1060000"'), "utf-8")
    rehash(charged, f"programfil/{PRELIMINARY.name}")
    message = refused(settle(charged, tmp_path / "s"))
    assert message.startswith(
        f"{charged / 'manifest.json'}: the SHA-256 of programfil {PRELIMINARY.name} is "
    )


def test_a_package_that_does_not_carry_its_programme_is_refused(
    charged: Path, tmp_path: Path
) -> None:
    shutil.rmtree(charged / "programfil")

    def drop(document: dict[str, Any]) -> None:
        document["files"] = [
            e for e in document["files"] if not e["path"].startswith("programfil/")
        ]

    edit_manifest(charged, drop)
    assert refused(settle(charged, tmp_path / "s")) == (
        f"{charged}: does not carry its programme file, so what it charges cannot be "
        "re-derived; run the charge again with this costshare (with --force) and use that package"
    )


def test_a_manifest_from_before_the_schema_is_refused(charged: Path, tmp_path: Path) -> None:
    manifest = edit_manifest(charged, lambda document: document.pop("schema_version"))
    assert refused(settle(charged, tmp_path / "s")) == (
        f"{manifest}: was written by an earlier costshare, before a package carried its "
        "programme, so its amounts cannot be checked; run the charge again with this version "
        "(with --force) and use that package"
    )


MISTYPED: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "programme as a list": (
        lambda d: d.update(programme=[]),
        "programme must be of JSON type object",
    ),
    "an amount as a number": (
        lambda d: d["files"][0].update(amount=525000),
        "files[0].amount must be of JSON type string",
    ),
    "an amount with three decimals": (
        lambda d: d["files"][0].update(amount="525.000"),
        "files[0].amount '525.000' is not of the right form",
    ),
    "a name with a bidirectional control": (
        lambda d: d["files"][0].update(name="Region\u202eHovedstaden"),
        "files[0].name holds the bidirectional control U+202E",
    ),
    "a path outside the package": (
        lambda d: d["files"][0].update(path="../../etc/passwd"),
        "files[0].path '../../etc/passwd' is not of the right form",
    ),
    "a key costshare does not write": (
        lambda d: d["files"][0].update(charge="all"),
        "files[0].charge is not a key of a costshare manifest",
    ),
    "a payer count that is text": (
        lambda d: d["totals"].update(payers="30"),
        "totals.payers must be of JSON type integer",
    ),
}


@pytest.mark.parametrize("case", MISTYPED)
def test_every_manifest_field_is_type_checked(case: str, charged: Path, tmp_path: Path) -> None:
    edit, problem = MISTYPED[case]
    manifest = edit_manifest(charged, edit)
    assert refused(settle(charged, tmp_path / "s")) == (
        f"{manifest}: {problem}; the manifest is damaged"
    )


def test_a_newer_schema_is_refused(charged: Path, tmp_path: Path) -> None:
    manifest = edit_manifest(charged, lambda document: document.update(schema_version=2))
    assert refused(settle(charged, tmp_path / "s")) == (
        f"{manifest}: was written by a newer costshare (schema version 2); use that version or "
        "a newer one"
    )


def test_a_key_given_twice_is_refused(charged: Path, tmp_path: Path) -> None:
    manifest = charged / "manifest.json"
    text = manifest.read_text("utf-8")
    manifest.write_text(
        text.replace('"schema_version": 1,', '"schema_version": 1, "schema_version": 1,'), "utf-8"
    )
    assert refused(settle(charged, tmp_path / "s")) == (
        f"{manifest}: cannot be read (ValueError); the package is damaged"
    )


@pytest.mark.parametrize("where", ["the package", "inside it"])
def test_out_may_not_be_or_lie_inside_the_package(where: str, charged: Path) -> None:
    out = charged if where == "the package" else charged / "efterregulering"
    before = sorted(p.relative_to(charged).as_posix() for p in charged.rglob("*"))
    assert refused(settle(charged, out, "--force")) == (
        f"{out}: is, holds or lies inside the package being settled ({charged}); choose "
        "another --out"
    )
    assert sorted(p.relative_to(charged).as_posix() for p in charged.rglob("*")) == before


def test_force_reads_a_package_with_the_same_reader(charged: Path, tmp_path: Path) -> None:
    """A package whose manifest breaks the schema is not costshare's to replace."""
    edit_manifest(charged, lambda d: d["files"][0].update(amount=525000))
    result = run_cli("run", str(PRELIMINARY), "--out", str(charged), "--force")
    assert refused(result) == (
        f"{charged}: its manifest.json was not written by costshare, so --force will not "
        "replace the folder; empty it yourself or choose another --out"
    )


# --- what the package carries ------------------------------------------------------------
def test_a_user_population_file_travels_and_settles(tmp_path: Path) -> None:
    """The block-grant example splits by a CSV key file: the package carries it, so the
    charge is re-derived even when the file is gone from where it was."""
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        folder.mkdir()
        for name in ("bloktilskud-illustrativ.toml", "bloktilskud-illustrativ.csv"):
            shutil.copy(EXAMPLES / name, folder)
    charged = tmp_path / "charged"
    assert (
        run_cli("run", str(first / "bloktilskud-illustrativ.toml"), "--out", str(charged)).exit_code
        == 0
    )
    manifest = json.loads((charged / "manifest.json").read_text("utf-8"))
    copies = {e["kind"]: e for e in manifest["files"] if e["path"].startswith("programfil/")}
    assert copies["population"] == {
        "path": "programfil/bloktilskud-illustrativ.csv",
        "kind": "population",
        "sha256": hashlib.sha256(
            (EXAMPLES / "bloktilskud-illustrativ.csv").read_bytes()
        ).hexdigest(),
        "named_by": "municipalities.population",
        "given": "bloktilskud-illustrativ.csv",
    }
    (first / "bloktilskud-illustrativ.csv").unlink()
    final = second / "bloktilskud-illustrativ.toml"
    result = settle(charged, tmp_path / "s", final=final)
    assert result.exit_code == 0, result.output
    assert "settlement 0 kr." in result.output


def test_what_if_options_are_re_derived(tmp_path: Path) -> None:
    """A charge run with --amount and --population is re-derived with them."""
    charged = tmp_path / "charged"
    result = run_cli(
        "run",
        str(PRELIMINARY),
        "--out",
        str(charged),
        "--amount",
        "1100000",
        "--population",
        "2025K1",
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((charged / "manifest.json").read_text("utf-8"))
    assert manifest["options"] == {"amount": "1100000", "population": "2025K1"}
    result = settle(charged, tmp_path / "s")
    assert result.exit_code == 0, result.output
    assert "settlement 0 kr." in result.output


def test_an_index_table_given_by_option_travels(tmp_path: Path) -> None:
    index = tmp_path / "pl-ny.csv"
    index.write_text("år;indeks\n2024;100\n2025;102,9\n2026;106,0\n2027;108,6\n", "utf-8")
    programme = EXAMPLES / "telehjerte-2025-2027.toml"
    charged = tmp_path / "charged"
    options = ("--year", "2026", "--index", str(index))
    assert run_cli("run", str(programme), "--out", str(charged), *options).exit_code == 0
    manifest = json.loads((charged / "manifest.json").read_text("utf-8"))
    (entry,) = [e for e in manifest["files"] if e["kind"] == "index"]
    assert entry["named_by"] == "--index" and entry["given"] == "pl-ny.csv"
    index.unlink()
    other = tmp_path / "elsewhere" / "pl-ny.csv"
    other.parent.mkdir()
    other.write_text("år;indeks\n2024;100\n2025;102,9\n2026;106,0\n2027;108,6\n", "utf-8")
    result = run_cli(
        "settle", str(programme), "--charged", str(charged), "--out", str(tmp_path / "s"),
        "--year", "2026", "--index", str(other),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "settlement 0 kr." in result.output


def test_a_file_too_big_to_travel_is_found_beside_the_final_programme(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import costshare.package.carried as carried

    monkeypatch.setattr(carried, "MAX_CARRIED_BYTES", 2_000)  # the register is ~5 KB
    preliminary, final = settlement_programmes(tmp_path)
    charged = tmp_path / "charged"
    assert run_cli("run", str(preliminary), "--out", str(charged)).exit_code == 0
    manifest = json.loads((charged / "manifest.json").read_text("utf-8"))
    register = tmp_path / "telehjerte-2025-modtagere.csv"
    assert manifest["not_included"] == [
        {
            "kind": "register",
            "named_by": "register",
            "given": register.name,
            "sha256": hashlib.sha256(register.read_bytes()).hexdigest(),
            "bytes": register.stat().st_size,
        }
    ]
    assert not (charged / "programfil" / register.name).exists()
    assert settle(charged, tmp_path / "s", final=final).exit_code == 0
    register.write_text(register.read_text("utf-8") + "\n", "utf-8")
    assert refused(settle(charged, tmp_path / "s2", final=final)) == (
        f"{charged / 'manifest.json'}: {register.name!r} ({manifest['not_included'][0]['bytes']} "
        f"bytes) was too big to travel with the package, and no file of that name beside "
        f"{tmp_path} has the SHA-256 the manifest records; put the file the charge was computed "
        "from there"
    )


def test_a_relative_charged_folder_with_a_register_settles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The carried register was looked for at c/programfil/c/programfil/…: the copy's path
    was given relative to the working folder, then read relative to the programme's."""
    charged_programme, final = settlement_programmes(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert run_cli("run", charged_programme.name, "--out", "c").exit_code == 0
    result = settle(Path("c"), Path("s"), final=Path(final.name))
    assert result.exit_code == 0, result.output


def test_a_draft_settlement_writes_no_einvoice(tmp_path: Path) -> None:
    """A settlement against a what-if final run (--index, or an amount or basis given) is a
    draft: it wrote e-invoices and credit notes as if it were a claim."""
    from costshare.package.earlier_package import read_package
    from costshare.package.preparation import prepare_run
    from costshare.package.settlement_package import write_settlement
    from costshare.programme.settlement import settle as settle_rows
    from costshare.programme.years import load_plan

    charged_programme, final = settlement_programmes(tmp_path)
    charged = tmp_path / "charged"
    assert run_cli("run", str(charged_programme), "--out", str(charged)).exit_code == 0
    earlier = read_package(charged, None)
    draft = prepare_run(load_plan(final), None, None, "1200000")
    amounts = {payer.code: (payer.name, payer.amount_ore) for payer in earlier.payers}
    settlement = settle_rows(draft.result, amounts, draft.payers)
    summary = write_settlement(settlement, earlier, draft, tmp_path / "s", einvoices=True)
    assert summary.einvoices == () and summary.einvoices_withheld
    assert not (tmp_path / "s" / "einvoices").exists()
