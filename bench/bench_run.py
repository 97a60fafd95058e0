"""Benchmark ``costshare run``: wall time and peak memory of rendering an annex package.

Usage::

    python bench/bench_run.py [--repeats 5] [--programme examples/telehjerte-2025.toml]

Prints a table of medians over the repeats:

* **cold CLI**: ``costshare run`` in a fresh process, as a user runs it (interpreter
  start, imports, rendering, atomic move). Peak memory is the child's maximum resident
  set size, from ``os.wait4``'s ``rusage``.
* **in process**: :func:`costshare.package.preparation.prepare` + :func:`write_package` with the
  imports already warm, and its stages (overview, payer workbooks, letters). Peak memory
  is the peak of Python allocations traced by ``tracemalloc`` in a separate run (tracing
  slows the code, so the timed runs are untraced).

The target in issue #3 is the full TeleHjerte package in under 3 s on a 2-core machine.
This is a script, not a timed test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cold_cli(programme: Path, work: Path) -> tuple[float, int]:
    """Seconds and peak RSS (bytes) of one ``costshare run`` in a fresh process."""
    out = work / f"cold-{time.monotonic_ns()}"
    command = [sys.executable, "-m", "costshare", "run", str(programme), "--out", str(out)]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        assert process.stderr is not None
        raise SystemExit(f"costshare run failed: {process.stderr.read().decode()}")
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return seconds, usage.ru_maxrss * scale


def in_process(programme: Path, work: Path) -> dict[str, float]:
    """Seconds of one in-process run, total and per stage."""
    from costshare.documents.pdf.letters import (
        letter_context,
        make_environment,
        render_letter,
        template_root,
    )
    from costshare.documents.pdf.typesetter import Typesetter
    from costshare.documents.xlsx.workbooks import (
        build_overview,
        build_party_workbook,
        workbook_bytes,
    )
    from costshare.package.annex_package import write_package
    from costshare.package.preparation import prepare, reproducible_timestamp
    from costshare.programme.payers import payers

    timings: dict[str, float] = {}

    def timed(name: str, work_: Callable[[], object]) -> None:
        start = time.perf_counter()
        work_()
        timings[name] = time.perf_counter() - start

    start = time.perf_counter()
    result, provenance = prepare(programme)
    write_package(result, provenance, work / f"warm-{time.monotonic_ns()}")
    timings["total (prepare + write_package)"] = time.perf_counter() - start

    stamp: datetime = reproducible_timestamp(result.programme)
    everyone = payers(result)
    timed("  prepare (load, split)", lambda: prepare(programme))
    timed("  overview workbook", lambda: workbook_bytes(build_overview(result, provenance), stamp))
    timed(
        f"  {len(everyone)} payer workbooks",
        lambda: [
            workbook_bytes(build_party_workbook(result, payer, provenance), stamp)
            for payer in everyone
        ],
    )

    def letters() -> None:
        environment = make_environment()
        with template_root(None) as root:
            fonts = Path(tempfile.mkdtemp())
            with Typesetter(root, stamp, font_folder=fonts) as typesetter:
                for payer in everyone:
                    source = render_letter(environment, letter_context(result, payer, provenance))
                    typesetter.pdf(source, "")

    timed(f"  {len(everyone)} letters (Jinja2 + typst)", letters)
    return timings


def traced_peak(programme: Path, work: Path) -> int:
    """Peak bytes of Python allocations during one in-process run."""
    from costshare.package.annex_package import write_package
    from costshare.package.preparation import prepare

    tracemalloc.start()
    result, provenance = prepare(programme)
    write_package(result, provenance, work / "traced")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument(
        "--programme", type=Path, default=ROOT / "examples" / "telehjerte-2025.toml"
    )
    args = parser.parse_args()
    os.environ.pop("SOURCE_DATE_EPOCH", None)

    with tempfile.TemporaryDirectory(prefix="costshare-bench-") as folder:
        work = Path(folder)
        cold = [cold_cli(args.programme, work) for _ in range(args.repeats)]
        in_process(args.programme, work)  # warm the imports and caches
        warm = [in_process(args.programme, work) for _ in range(args.repeats)]
        peak_traced = traced_peak(args.programme, work)

    mib = 1024 * 1024
    print(f"costshare run {args.programme.name}: median of {args.repeats} runs")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {sys.platform}")
    print()
    print(f"| {'measurement':<44} | {'wall time':>10} | {'peak memory':>22} |")
    print(f"| {'-' * 44} | {'-' * 10}:| {'-' * 22}:|")
    cold_time = statistics.median(seconds for seconds, _ in cold)
    cold_rss = statistics.median(rss for _, rss in cold)
    print(
        f"| {'cold CLI (fresh process, costshare run)':<44} | {cold_time:>9.3f}s "
        f"| {cold_rss / mib:>11.1f} MiB (RSS) |"
    )
    for index, name in enumerate(warm[0]):
        seconds = statistics.median(run[name] for run in warm)
        memory = f"{peak_traced / mib:>8.1f} MiB (traced)" if index == 0 else ""
        label = "in process: " + name if index == 0 else name
        print(f"| {label:<44} | {seconds:>9.3f}s | {memory:>22} |")
    target = 3.0
    verdict = "meets" if cold_time < target else "MISSES"
    print()
    print(f"The cold CLI run {verdict} the issue #3 target of {target:.0f} s.")


if __name__ == "__main__":
    main()
