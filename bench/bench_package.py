"""Benchmark of the package jobs (issue #23): run, settle and verify beside the split floor.

Run from the repository root, in a venv with ``pip install -e '.[test,bench]'``::

    python bench/bench_package.py              # prints the table, writes bench/RESULTS-package.md
    python bench/bench_package.py --readme     # also: docs/reference/performance.md
    python bench/bench_package.py --repeats 7

The jobs are those of bench/package_jobs.py, each a fresh ``costshare`` process. Beside
them, in the same run and taking turns with them, so that a reader sees the machine's
speed: the floor (bench/floor_split.py, a bare polars script splitting 1 000 000
recipients), ``costshare split`` of the same file, and ``costshare --version`` (the
interpreter and the command line starting, what every job pays before its work).

Times are medians over the repeats. Memory is the peak resident set size of each
process: the costshare process itself (``RUSAGE_SELF`` as it exits) and the largest of
its children (``RUSAGE_CHILDREN``: typst's), the largest over the repeats.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from package_jobs import prepare

from bench import (
    COSTSHARE,
    ROOT,
    fmt_time,
    machine,
    make_case,
    run_process,
    table,
    write_csv,
)

SPLIT_SIZE = 1_000_000
PEAKS = "COSTSHARE_BENCH_PEAKS"  # where the boot below writes the process's peaks
# costshare's command line, recording the process's own peak and its children's at exit.
BOOT = """
import atexit, os, resource

def _peaks():
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(os.environ["COSTSHARE_BENCH_PEAKS"], "w") as handle:
        handle.write(f"{own} {children}")

atexit.register(_peaks)  # first registered, so it runs last: after the children end
from costshare.cli import cli
cli(prog_name="costshare")
"""
TARGETS = {  # issue #23: seconds (median) for each job; every process ≤ 200 MB
    "run TeleHjerte, e-invoices": 1.5,
    "run national (98), e-invoices": 3.0,
    "settle TeleHjerte": 0.7,
    "settle TeleHjerte, e-invoices": 1.5,
    "verify a package's overview": 0.5,
    "verify a received letter": 0.5,
}
MEMORY_TARGET_MB = 200


@dataclass
class Runs:
    """The repeats of one job: wall times and the peaks in MB."""

    seconds: list[float]
    own_mb: float = 0.0
    children_mb: float = 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def measure(argv: list[str], runs: Runs, work: Path, cwd: Path | None = None) -> None:
    """One run of ``argv`` through launch.py; adds its time and peaks to ``runs``."""
    peaks = work / "peaks"
    peaks.unlink(missing_ok=True)
    os.environ[PEAKS] = str(peaks)
    found = run_process(argv, work / "stdout", cwd)
    if found.returncode:
        raise SystemExit(f"{' '.join(argv)} failed: {found.stderr.strip()}")
    runs.seconds.append(found.seconds)
    if peaks.exists():  # a costshare job: its own peak and its children's
        own, children = (int(kib) / 1024 for kib in peaks.read_text().split())
        runs.own_mb, runs.children_mb = max(runs.own_mb, own), max(runs.children_mb, children)
    else:  # a script: launch.py's figure is the process's
        runs.own_mb = max(runs.own_mb, found.peak_mb)


def measure_all(repeats: int, work: Path) -> dict[str, Runs]:
    """Every job and the references ``repeats`` times, taking turns.

    costshare's bytecode is compiled first, as installing the wheel does: a checkout run
    with PYTHONDONTWRITEBYTECODE would otherwise compile every changed module in every
    job (some 0.1 s), which no user's installed costshare does."""
    import costshare

    compileall.compile_dir(Path(costshare.__file__).parent, quiet=1)
    costshare = [sys.executable, "-c", BOOT]
    source = work / f"recipients-{SPLIT_SIZE}.csv"
    case = make_case(SPLIT_SIZE)
    write_csv(case, source)
    floor = [sys.executable, str(ROOT / "bench" / "floor_split.py"), str(source), str(case.total)]
    split = [*COSTSHARE, "split", "--amount", str(case.total), "--population", str(source),
             "--format", "csv"]  # fmt: skip
    commands = {
        "floor: bare polars split, 1 000 000": floor,
        "costshare split, 1 000 000": split,
        "costshare --version": [*costshare, "--version"],
    }
    for label, arguments in prepare(COSTSHARE, work):
        commands[label] = [*costshare, *arguments]
    found = {label: Runs([]) for label in commands}
    for _ in range(repeats):
        for label, argv in commands.items():
            measure(argv, found[label], work, cwd=work)
    return found


def report(found: dict[str, Runs], repeats: int) -> str:
    """The table of medians with the targets, and the verdicts."""
    floor = found["floor: bare polars split, 1 000 000"]
    rows = []
    for label, runs in found.items():
        target = TARGETS.get(label)
        verdict = ""
        if target is not None:
            peak = max(runs.own_mb, runs.children_mb)
            met = runs.median <= target and peak <= MEMORY_TARGET_MB
            verdict = f"≤ {target} s, ≤ {MEMORY_TARGET_MB} MB: {'yes' if met else 'NO'}"
        rows.append(
            [
                label,
                fmt_time(runs.median),
                f"{fmt_time(min(runs.seconds))} – {fmt_time(max(runs.seconds))}",
                f"{runs.median / floor.median:.2f}×",
                f"{runs.own_mb:.0f} MB",
                f"{runs.children_mb:.0f} MB" if runs.children_mb else "–",
                verdict,
            ]
        )
    header = [
        "job",
        f"median of {repeats}",
        "fastest – slowest",
        "÷ floor",
        "peak, the process",
        "peak, its largest child",
        "target",
    ]
    split = found["costshare split, 1 000 000"]
    ratio = (
        f"\n\ncostshare split of 1 000 000 recipients: {split.median / floor.median:.2f}× the "
        f"floor's time (target ≤ 1.5×) and {split.own_mb / floor.own_mb:.2f}× its memory "
        "(target ≤ 2×)."
    )
    return table(header, rows) + ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs of each job (default 5)")
    parser.add_argument(
        "--readme", action="store_true", help="also update docs/reference/performance.md"
    )
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS-package.md")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="costshare-bench-package-") as tmp:
        found = measure_all(args.repeats, Path(tmp))
    load = (
        f"- Load average (1 minute) before and after: {load_before:.1f}, "
        f"{os.getloadavg()[0]:.1f} (above 0 the machine was shared: compare with the floor)"
    )
    flags = " --readme" if args.readme else ""
    body = "\n\n".join(
        [
            f"Reproduce: `python bench/bench_package.py{flags}` (jobs: bench/package_jobs.py). "
            f"Each job {args.repeats} times, taking turns with the others and with the floor.",
            f"{machine()}\n{load}",
            report(found, args.repeats),
        ]
    )
    print(body)
    args.output.write_text(f"# costshare package jobs (issue #23)\n\n{body}\n", encoding="utf-8")
    if args.readme:
        update_page(body)


PAGE_START = "<!-- package bench: written by python bench/bench_package.py --readme -->"
PAGE_END = "<!-- end of package bench -->"


def update_page(body: str) -> None:
    """Replace the text between the package-bench markers of the performance page."""
    page = ROOT / "docs" / "reference" / "performance.md"
    text = page.read_text(encoding="utf-8")
    if PAGE_START not in text or PAGE_END not in text:
        raise SystemExit(f"{page} has no {PAGE_START!r} … {PAGE_END!r} block")
    head, rest = text.split(PAGE_START, 1)
    _old, tail = rest.split(PAGE_END, 1)
    page.write_text(f"{head}{PAGE_START}\n\n{body}\n\n{PAGE_END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
