"""The package jobs of issue #23 for bench_package.py: their programme files and commands.

Every job is a fresh ``costshare`` process, as a user runs it:

* ``run`` of the TeleHjerte example with its payer register, bank details and
  ``[invoicing]`` (30 payers, 60 e-invoices);
* ``run`` of the 98-municipality example with a register giving every municipality an
  EAN and a person reference, and ``[invoicing]`` (196 e-invoices);
* ``settle`` of the TeleHjerte settlement example, as shipped (no e-invoices) and with a
  register and ``[invoicing]`` in both programmes;
* ``verify`` of the overview workbook of a TeleHjerte package against its programme;
* ``verify`` of what a payer received (issue #20): one letter, and the whole package folder
  (66 files: every PDF's data and text, every workbook, the manifest).

The programmes with ``[invoicing]`` are the ones the e-invoice tests use
(``tests/einvoice_helpers.py``): one owner of what an invoicing programme looks like.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(ROOT / "tests"))

from einvoice_helpers import (  # noqa: E402  (the tests' helpers, found through sys.path)
    INVOICING,
    ean_for,
    programme_file,
    settlement_programmes,
    with_bank,
)

from costshare.population.datasets import packaged_file  # noqa: E402
from costshare.programme.naming import OVERVIEW_FILE  # noqa: E402

Job = tuple[str, list[str]]  # (label, the arguments after ``costshare``)


def national_programme(folder: Path) -> Path:
    """The 98-municipality example with a register (an EAN and an att. for every
    municipality), bank details and ``[invoicing]``."""
    raw, _info = packaged_file("kommuner")
    codes = [row["code"] for row in csv.DictReader(raw.decode("utf-8").splitlines())]
    register = folder / "kommuner-modtagere.csv"
    with register.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["kommunekode", "att", "ean"])
        writer.writerows([code, f"Økonomi {code}", ean_for(code)] for code in codes)
    text = (EXAMPLES / "national-2026.toml").read_text(encoding="utf-8")
    text = text.replace("[decision]", f'register = "{register.name}"\n\n[decision]', 1)
    text = with_bank(text, 'reg_no = "1234"\naccount_no = "1234567890"')
    path = folder / "national-einvoice.toml"
    path.write_text(text + INVOICING.format(vat="outside-scope"), encoding="utf-8")
    return path


def prepare(costshare: Sequence[str], work: Path) -> list[Job]:
    """Write the programmes and the charged packages the jobs need under ``work`` (with
    ``costshare``, the command that will be measured), and return the jobs."""
    invoiced, national = work / "invoiced", work / "national"
    for folder in (invoiced, national):
        folder.mkdir()
    telehjerte = programme_file(invoiced)
    charged_programme, final_programme = settlement_programmes(invoiced)
    plain_charged, invoiced_charged = work / "charged-plain", work / "charged-invoiced"
    preliminary = EXAMPLES / "telehjerte-2025-foreloebig.toml"
    example = work / "example"
    for programme, out in (
        (preliminary, plain_charged),
        (charged_programme, invoiced_charged),
        (EXAMPLES / "telehjerte-2025.toml", example),
    ):
        argv = [*costshare, "run", str(programme), "--out", str(out)]
        subprocess.run(argv, check=True, capture_output=True)
    final = EXAMPLES / "telehjerte-2025-endelig.toml"

    def out(job: str) -> str:
        # Each job replaces its own earlier output (--force), as a user running it again
        # does: with one folder for all, each job paid for checking and removing the
        # previous job's package (settle: the 98-municipality package's ~400 files).
        return str(work / f"out-{job}")

    return [
        ("run TeleHjerte, e-invoices", ["run", str(telehjerte), "--out", out("run"), "--force"]),
        (
            "run national (98), e-invoices",
            ["run", str(national_programme(national)), "--out", out("national"), "--force"],
        ),
        (
            "settle TeleHjerte",
            [
                "settle",
                str(final),
                "--charged",
                str(plain_charged),
                "--out",
                out("settle"),
                "--force",
            ],
        ),
        (
            "settle TeleHjerte, e-invoices",
            [
                "settle",
                str(final_programme),
                "--charged",
                str(invoiced_charged),
                "--out",
                out("settle-einvoices"),
                "--force",
            ],
        ),
        (
            "verify a package's overview",
            ["verify", str(EXAMPLES / "telehjerte-2025.toml"), str(example / OVERVIEW_FILE)],
        ),
        ("verify a received letter", ["verify", str(example / "157-gentofte.pdf")]),
        ("verify a received package folder", ["verify", str(example)]),
    ]
