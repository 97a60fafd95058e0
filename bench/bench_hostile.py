"""What issue #24's bounds cost, and the time targets for hostile workbooks.

Usage, from the repository root::

    git archive main | (mkdir -p /tmp/main && tar -x -C /tmp/main)
    python bench/bench_hostile.py --baseline /tmp/main [--repeats 7]

1. **Hostile workbooks** (items 4): a 6 KB annex with one far-away cell (``XFD1048576``),
   a dimension that claims the whole grid, a merged range and a hyperlink over the whole
   grid, each read by ``read_annex`` in this process. **Target: under 0.5 s each** (before
   the change, the far-away cell took minutes and the merged range exhausted memory);
   the tests check what is read and refused, this script how fast.
2. **The checks on normal inputs**: ``costshare verify`` of the TeleHjerte overview, and
   ``costshare run`` of the TeleHjerte and 98-municipality examples (typst in a child
   process, template bounds, formulas computed), from the shell, taking turns with the
   same commands from the ``--baseline`` tree: median wall time, largest peak memory (the
   largest of the process and its typst child).

Times depend on the machine and its load; this is a script, not a timed test.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import COSTSHARE, ROOT, baseline_argv, fmt_time, interleaved, table

TARGET_SECONDS = 0.5
FAR = {
    "one cell at XFD1048576": {
        "</sheetData>": '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is>'
        "</c></row></sheetData>"
    },
    "dimension A1:XFD1048576": {r'<dimension ref="[^"]*"/>': '<dimension ref="A1:XFD1048576"/>'},
    "merged A40:XFD1048576": {  # added to the overview's own merged ranges
        r'<mergeCells count="\d+">': '<mergeCells count="7"><mergeCell ref="A40:XFD1048576"/>'
    },
    "hyperlink A1:XFD1048576": {
        "</sheetData>": '</sheetData><hyperlinks><hyperlink ref="A1:XFD1048576" location="A1"/>'
        "</hyperlinks>"
    },
}


def overview(work: Path) -> Path:
    """The TeleHjerte package's overview workbook, written by costshare."""
    from costshare.package.annex_package import write_package
    from costshare.package.preparation import prepare

    path = work / "package" / "finansiering-pr-kommune.xlsx"
    if not path.exists():
        result, provenance = prepare(ROOT / "examples" / "telehjerte-2025.toml")
        write_package(result, provenance, work / "package")
    return path


def crafted(source: Path, target: Path, change: dict[str, str]) -> Path:
    """``source`` with its first sheet's XML changed by regular expressions."""
    with zipfile.ZipFile(source) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    name = "xl/worksheets/sheet1.xml"
    xml = members[name].decode("utf-8")
    for pattern, replacement in change.items():
        xml = re.sub(pattern, replacement, xml, count=1)
    members[name] = xml.encode("utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return target


def hostile_workbooks(work: Path, repeats: int) -> str:
    from costshare.base.errors import InputError
    from costshare.check.annex import read_annex

    source = overview(work)
    rows = []
    for label, change in FAR.items():
        path = crafted(source, work / f"{len(rows)}.xlsx", change)
        seconds = []
        outcome = ""
        for _ in range(repeats):
            start = time.perf_counter()
            try:
                read_annex(path)
                outcome = "read"
            except InputError as error:
                outcome = "refused: " + str(error).split(": ", 1)[1][:70]
            seconds.append(time.perf_counter() - start)
        median = statistics.median(seconds)
        verdict = "meets" if median < TARGET_SECONDS else "MISSES"
        size = f"{path.stat().st_size / 1000:.1f} KB"
        rows.append([label, size, fmt_time(median), verdict, outcome])
    header = ["workbook (the overview, plus)", "file", "read_annex", "target 0.5 s", "outcome"]
    return table(header, rows)


def normal_inputs(work: Path, baseline: Path | None, repeats: int) -> str:
    source = overview(work)
    jobs = {
        "verify, TeleHjerte overview": [
            "verify",
            str(ROOT / "examples" / "telehjerte-2025.toml"),
            str(source),
        ],
        "run, TeleHjerte (30 payers)": [
            "run",
            str(ROOT / "examples" / "telehjerte-2025.toml"),
            "--out",
            str(work / "t" / "package"),
            "--force",
        ],
        "run, 98 municipalities": [
            "run",
            str(ROOT / "examples" / "national-2026.toml"),
            "--out",
            str(work / "n" / "package"),
            "--force",
        ],
    }
    rows = []
    for label, argv in jobs.items():
        variants = {"now": ([*COSTSHARE, *argv], work / "now.out")}
        if baseline is not None:
            variants["baseline"] = ([*baseline_argv(baseline), *argv], work / "before.out")
        measured = interleaved(variants, repeats=repeats)
        now, before = measured["now"], measured.get("baseline")
        row = [label, f"{fmt_time(now.seconds)}, {now.peak_mb:.0f} MB"]
        if before is not None and not before.returncode:
            change = now.seconds - before.seconds
            row += [
                f"{fmt_time(before.seconds)}, {before.peak_mb:.0f} MB",
                f"{'+' if change >= 0 else '−'}{fmt_time(abs(change))} "
                f"({now.seconds / before.seconds:.2f}×)",
            ]
        else:
            row += ["not measured", ""]
        rows.append(row)
    header = ["command", "this tree", "baseline", "difference"]
    return table(header, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="a tree of main, for before/after")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="costshare-hostile-") as folder:
        work = Path(folder)
        print("## Hostile workbooks, read in process (median of", args.repeats, "runs)\n")
        print(hostile_workbooks(work, args.repeats))
        print(f"\n## Normal inputs from the shell (median of {args.repeats}, taking turns)\n")
        print(normal_inputs(work, args.baseline, args.repeats))


if __name__ == "__main__":
    main()
