"""Benchmarks of costshare against its peers (issues #6 and #15); prints Markdown and writes RESULTS.md.

Run from the repository root, in a venv with ``pip install -e '.[test,bench]'``::

    python bench/bench.py              # everything; writes bench/RESULTS.md
    python bench/bench.py --quick      # without the million-recipient rows
    python bench/bench.py --crossover  # also: where the vectorised path starts to pay
    python bench/bench.py --readme     # also: docs/reference/performance.md

What is measured:

1. Allocation in process, n = 29 (KKR Hovedstaden, 2025K1), 1 000, 100 000, 1 000 000
   synthetic weights (fixed seed): ``costshare.allocation.methods``; the ``apportionment``
   package's largest remainder (up to 100 000; it grows faster than linear); a naive
   ``Fraction`` implementation, which is also the oracle for "exact". Plus how far
   rounding each row half up, as a spreadsheet does, lands from the total.
2. End to end from the shell, CSV in and CSV out, at 10 000, 100 000 and 1 000 000
   recipients (issue #15): ``costshare split`` against the floor, bench/floor_split.py (a
   bare polars script doing the same exact split with no checks: what the hardware
   needs), and bench/apportionment_split.py (the ``apportionment`` package, up to 100 000),
   on the same file, taking turns, 3 runs each; costshare's time and peak memory as
   ratios to both, and the growth from 100 000 to 1 000 000. Every output is checked
   against the weights independently (sum, quota, largest remainder with ties by code).
3. ``costshare split`` on the packaged data, ``costshare run`` of the TeleHjerte
   example and of the 98-municipality example, and ``costshare settle`` of the TeleHjerte
   settlement example, 5 runs each, taking turns with the same
   commands from another source tree when ``--baseline DIR`` names one (before/after)::

       git archive main | (mkdir -p /tmp/main && tar -x -C /tmp/main)
       python bench/bench.py --baseline /tmp/main

Times are medians. Peak memory is the child's maximum resident set size from
``os.wait4`` (the largest over the runs).
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
COSTSHARE = [str(BIN / "costshare")]
SEED = 6
TOTAL = 987_654_321  # kroner, split in whole kroner
SIZES = (29, 1_000, 100_000, 1_000_000)
E2E_SIZES = (10_000, 100_000, 1_000_000)
APPORTIONMENT_MAX = 100_000


# -- data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    codes: list[str]
    names: list[str]
    weights: list[int]
    total: int


def make_case(size: int) -> Case:
    if size == 29:
        from costshare.population.packaged import load_packaged

        kkr = load_packaged("2025K1").select_region("Hovedstaden")
        return Case(
            "29 (KKR Hovedstaden)", list(kkr.codes), list(kkr.names), list(kkr.counts), 525_000
        )
    rng = random.Random(SEED + size)
    codes = [str(1_000_000 + i) for i in range(size)]
    names = [f"Modtager {i + 1}" for i in range(size)]
    weights = [rng.randint(1, 60_000) for _ in range(size)]
    return Case(f"{size:,}".replace(",", " "), codes, names, weights, TOTAL)


def write_csv(case: Case, path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("code,name,population\n")
        handle.writelines(
            f"{c},{n},{w}\n" for c, n, w in zip(case.codes, case.names, case.weights, strict=True)
        )


# -- the independent oracle and checks ----------------------------------------------------


def order_key(code: str) -> tuple[int, int, str]:
    """The documented tie order, written out again: digit codes numerically, then text."""
    return (0, int(code), code) if code.isdigit() else (1, 0, code)


def fraction_largest_remainder(
    total: int, codes: Sequence[str], weights: Sequence[int]
) -> list[int]:
    """The naive implementation: exact Fractions, one sort."""
    whole = sum(weights)
    exact = [Fraction(total * w, whole) for w in weights]
    shares = [math.floor(q) for q in exact]
    ranked = sorted(range(len(codes)), key=lambda i: (shares[i] - exact[i], order_key(codes[i])))
    for i in ranked[: total - sum(shares)]:
        shares[i] += 1
    return shares


def check_exact(
    total: int, codes: Sequence[str], weights: Sequence[int], shares: Sequence[int]
) -> str:
    """'exact', or what is wrong: an O(n) integer check of the largest-remainder result.

    Exact means: the sum is the total, every share is its floor or one more, and every
    recipient given one more has a larger remainder than every one not given it, or an
    equal remainder and an earlier code.
    """
    if len(shares) != len(weights):
        return f"{len(shares)} rows for {len(weights)} recipients"
    if sum(shares) != total:
        return f"sum off by {sum(shares) - total:+d}"
    whole = sum(weights)
    best_without: tuple[int, tuple[int, int, str]] | None = None
    worst_with: tuple[int, tuple[int, int, str]] | None = None
    for code, weight, share in zip(codes, weights, shares, strict=True):
        floor, remainder = divmod(total * weight, whole)
        if share not in (floor, floor + 1):
            return f"share of {code} outside quota"
        if share == floor + 1:
            if worst_with is None or _before(worst_with, (remainder, order_key(code))):
                worst_with = (remainder, order_key(code))
        elif best_without is None or _before((remainder, order_key(code)), best_without):
            best_without = (remainder, order_key(code))
    if worst_with and best_without and not _before(worst_with, best_without):
        return "a unit went to a smaller remainder (or a later code in a tie)"
    return "exact"


def _before(a: tuple[int, tuple[int, int, str]], b: tuple[int, tuple[int, int, str]]) -> bool:
    """Whether a ranks before b: larger remainder, or equal remainder and earlier code."""
    return a[0] > b[0] or (a[0] == b[0] and a[1] < b[1])


def spreadsheet_miss(total: int, weights: Sequence[int]) -> int:
    """Σ round-half-up(T·w/W) − T: what rounding every row on its own misses by."""
    whole = sum(weights)
    return sum((2 * total * w + whole) // (2 * whole) for w in weights) - total


def spreadsheet_hit_rate(weights: Sequence[int], trials: int = 1_000) -> tuple[float, int]:
    """Over random totals: the share of totals rounding per row hits, and the worst miss."""
    rng = random.Random(SEED)
    misses = [spreadsheet_miss(rng.randint(10_000, 10_000_000), weights) for _ in range(trials)]
    return sum(1 for m in misses if m == 0) / trials, max(abs(m) for m in misses)


def peer_float_errors(trials: int = 200, size: int = 1_000) -> int:
    """How often the apportionment package (float remainders) is not the exact result."""
    import apportionment.methods as app  # type: ignore[import-untyped]

    rng = random.Random(SEED)
    codes = [str(1_000_000 + i) for i in range(size)]
    wrong = 0
    for _ in range(trials):
        weights = [rng.randint(1, 60_000) for _ in range(size)]
        total = rng.randint(10**6, 10**10)
        shares = app.compute("largest_remainder", weights, total, parties=codes)
        wrong += check_exact(total, codes, weights, shares) != "exact"
    return wrong


# -- timing ------------------------------------------------------------------------------


def repeats_for(first_seconds: float) -> int:
    return 1 if first_seconds > 20 else 3 if first_seconds > 1 else 5


def median_time(run: Callable[[], Any]) -> tuple[float, Any]:
    """Median wall time of repeated in-process calls, and the last result."""
    times: list[float] = []
    result = None
    while not times or len(times) < repeats_for(times[0]):
        gc.collect()
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_mb: float
    returncode: int
    stderr: str


def run_process(argv: Sequence[str], stdout: Path, cwd: Path | None = None) -> Measured:
    """Run once through launch.py: wall time and the command's peak resident memory."""
    launcher = [sys.executable, "-I", "-S", str(ROOT / "bench" / "launch.py")]
    with tempfile.TemporaryDirectory() as tmp, stdout.open("wb") as out:
        result, errors = Path(tmp) / "result", Path(tmp) / "stderr"
        with errors.open("wb") as err:
            subprocess.run(
                [*launcher, str(result), *argv], stdout=out, stderr=err, cwd=cwd, check=True
            )
        seconds, peak_kib, code = result.read_text().split()
        message = errors.read_text(encoding="utf-8", errors="replace")
    return Measured(float(seconds), int(peak_kib) / 1024, int(code), message)


def median_process(argv: Sequence[str], stdout: Path, cwd: Path | None = None) -> Measured:
    """Median wall time and the largest peak memory over repeated runs; stops at a failure."""
    runs = [run_process(argv, stdout, cwd)]
    while runs[-1].returncode == 0 and len(runs) < repeats_for(runs[0].seconds):
        runs.append(run_process(argv, stdout, cwd))
    failed = [r for r in runs if r.returncode]
    if failed:
        return failed[0]
    return Measured(statistics.median(r.seconds for r in runs), max(r.peak_mb for r in runs), 0, "")


def read_shares(path: Path) -> tuple[list[str], list[int]]:
    codes, shares = [], []
    with path.open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            code, _rest = line.split(",", 1)
            codes.append(code)
            shares.append(int(line.rsplit(",", 1)[1]))
    return codes, shares


# -- formatting ----------------------------------------------------------------------------


def fmt_time(seconds: float) -> str:
    if seconds < 0.001:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _version(name: str) -> str:
    """The installed version, or "not installed" (the package jobs need no [bench] extra)."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = ", ".join(
        f"{name} {_version(name)}"
        for name in ("costshare", "polars", "apportionment", "numpy", "click")
    )
    return (
        f"- Machine: {usable} usable cores ({os.cpu_count()} online), {model}; "
        f"{platform.platform()}\n"
        f"- Python {platform.python_version()}; {versions}\n"
        f"- Date: {time.strftime('%Y-%m-%d %H:%M %Z')}"
    )


# -- the three parts -----------------------------------------------------------------------


def in_process(cases: list[Case]) -> tuple[str, list[str]]:
    import apportionment.methods as app  # type: ignore[import-untyped]

    from costshare.allocation.methods import allocate

    rows, notes = [], []
    for case in cases:
        weights = dict(zip(case.codes, case.weights, strict=True))
        ours_s, allocation = median_time(lambda c=case, w=weights: allocate(c.total, w))
        ours = list(allocation.shares.values())
        naive_s, oracle = median_time(
            lambda c=case: fraction_largest_remainder(c.total, c.codes, c.weights)
        )
        ours_exact = (
            "exact" if ours == oracle else check_exact(case.total, case.codes, case.weights, ours)
        )
        peer_time, peer_note = "not run", f"not run (over {APPORTIONMENT_MAX:,})".replace(",", " ")
        if len(case.codes) <= APPORTIONMENT_MAX:
            peer_s, peer = median_time(
                lambda c=case: app.compute("largest_remainder", c.weights, c.total, parties=c.codes)
            )
            peer_time = fmt_time(peer_s)
            differ = sum(1 for a, b in zip(peer, oracle, strict=True) if a != b)
            peer_note = check_exact(case.total, case.codes, case.weights, peer)
            peer_note += f"; {differ} rows differ from the Fraction result" if differ else ""
        rows.append(
            [
                case.name,
                fmt_time(ours_s),
                ours_exact,
                peer_time,
                peer_note,
                fmt_time(naive_s),
                f"{spreadsheet_miss(case.total, case.weights):+d} kr.",
            ]
        )
    rate, worst = spreadsheet_hit_rate(cases[0].weights)
    notes.append(
        f"Per-row rounding on the 29 municipalities, over 1 000 random totals: the rows add "
        f"up to the total in {rate:.0%} of cases; the worst miss is {worst} kr."
    )
    notes.append(
        f"The apportionment package ranks remainders as floats: over 200 random cases of "
        f"1 000 weights and totals up to 10^10 units, {peer_float_errors()} of its results "
        "gave a unit to a smaller exact remainder than one left without (costshare: exact "
        "by construction, and property-tested against the pure-Python reference)."
    )
    header = [
        "n",
        "costshare",
        "costshare exact?",
        "apportionment",
        "apportionment exact?",
        "naive Fraction",
        "per-row rounding misses by",
    ]
    return table(header, rows), notes


@dataclass(frozen=True)
class EndToEnd:
    """One size, end to end: costshare, the floor and (where run) the apportionment peer."""

    size: int
    ours: Measured
    floor: Measured
    peer: Measured | None
    exact: str

    @property
    def time_ratio(self) -> float:
        return self.ours.seconds / self.floor.seconds

    @property
    def memory_ratio(self) -> float:
        return self.ours.peak_mb / self.floor.peak_mb

    @property
    def speedup(self) -> float | None:
        return self.peer.seconds / self.ours.seconds if self.peer else None


def interleaved(
    commands: dict[str, tuple[list[str], Path]], repeats: int = 3, cwd: Path | None = None
) -> dict[str, Measured]:
    """Each command ``repeats`` times, taking turns, so that a slow moment of a shared
    machine falls on all of them alike: median time, largest peak memory."""
    runs: dict[str, list[Measured]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, (argv, out) in commands.items():
            runs[name].append(run_process(argv, out, cwd))
    found = {}
    for name, measured in runs.items():
        failed = [m for m in measured if m.returncode]
        found[name] = (
            failed[0]
            if failed
            else Measured(
                statistics.median(m.seconds for m in measured),
                max(m.peak_mb for m in measured),
                0,
                "",
            )
        )
    return found


def end_to_end(cases: list[Case], work: Path) -> tuple[str, dict[int, EndToEnd]]:
    """costshare split, the floor script and the apportionment script on the same file."""
    rows, found = [], {}
    for case in cases:
        size = len(case.codes)
        source = work / f"recipients-{size}.csv"
        write_csv(case, source)
        outputs = {name: work / f"{name}-{size}.csv" for name in ("ours", "floor", "peer")}
        commands = {
            "ours": (
                [*COSTSHARE, "split", "--amount", str(case.total), "--population", str(source),
                 "--format", "csv"],
                outputs["ours"],
            ),
            "floor": (
                [sys.executable, str(ROOT / "bench" / "floor_split.py"), str(source),
                 str(case.total)],
                outputs["floor"],
            ),
        }  # fmt: skip
        if size <= APPORTIONMENT_MAX:
            commands["peer"] = (
                [sys.executable, str(ROOT / "bench" / "apportionment_split.py"), str(source),
                 str(case.total)],
                outputs["peer"],
            )  # fmt: skip
        measured = interleaved(commands)
        exact = {}
        for name in commands:
            if measured[name].returncode:
                exact[name] = measured[name].stderr.strip()
            else:
                _codes, shares = read_shares(outputs[name])
                exact[name] = check_exact(case.total, case.codes, case.weights, shares)
        same = outputs["ours"].read_bytes() == outputs["floor"].read_bytes()
        result = EndToEnd(
            size, measured["ours"], measured["floor"], measured.get("peer"), exact["ours"]
        )
        found[size] = result
        peer = measured.get("peer")
        rows.append(
            [
                case.name,
                f"{fmt_time(result.ours.seconds)}, {result.ours.peak_mb:.0f} MB",
                f"{fmt_time(result.floor.seconds)}, {result.floor.peak_mb:.0f} MB",
                f"{result.time_ratio:.2f}×",
                f"{result.memory_ratio:.2f}×",
                f"{fmt_time(peer.seconds)}, {peer.peak_mb:.0f} MB" if peer else "not run",
                f"{result.speedup:.1f}×" if result.speedup else "",
                f"{exact['ours']}; floor {exact['floor']}"
                + (f"; apportionment {exact['peer']}" if peer else "")
                + ("; costshare's CSV = the floor's, byte for byte" if same else ""),
            ]
        )
    header = [
        "recipients",
        "costshare split",
        "floor (bare polars)",
        "costshare ÷ floor, time",
        "costshare ÷ floor, memory",
        "apportionment script",
        "apportionment ÷ costshare, time",
        "exact?",
    ]
    text = table(header, rows)
    if 100_000 in found and 1_000_000 in found:
        small, large = found[100_000], found[1_000_000]
        text += (
            f"\n\nGrowth from 100 000 to 1 000 000 recipients (10× the rows): costshare "
            f"{large.ours.seconds / small.ours.seconds:.1f}× the time and "
            f"{large.ours.peak_mb / small.ours.peak_mb:.1f}× the memory; the floor "
            f"{large.floor.seconds / small.floor.seconds:.1f}× and "
            f"{large.floor.peak_mb / small.floor.peak_mb:.1f}×. Both start with the same "
            "fixed cost (the interpreter and polars), so less than 10× is linear."
        )
    return text, found


def run_argv(programme: Path, out: Path) -> list[str]:
    """``costshare run PROGRAMME --out OUT --force``: each repeat replaces the last package."""
    return [*COSTSHARE, "run", str(programme), "--out", str(out / "package"), "--force"]


def baseline_argv(tree: Path) -> list[str]:
    """``costshare`` run from another source tree (``--baseline``), e.g. the main branch."""
    boot = (
        f"import sys; sys.path.insert(0, {str(tree)!r}); from costshare.cli import cli; "
        "cli(prog_name='costshare')"
    )
    return [sys.executable, "-c", boot]


def commands(
    work: Path, baseline: Path | None
) -> tuple[str, dict[str, tuple[Measured, Measured | None]]]:
    """The packaged-data commands; with a baseline tree, it too, taking turns."""
    rows, found = [], {}
    packaged = {
        "split, 29 municipalities, table": ["--region", "Hovedstaden", "--population", "2025K1"],
        "split, 98 municipalities, CSV": ["--format", "csv"],
    }
    programmes = {
        "run, TeleHjerte example": ROOT / "examples" / "telehjerte-2025.toml",
        "run, 98-municipality programme": ROOT / "examples" / "national-2026.toml",
    }
    jobs: dict[str, tuple[list[str], Path | None]] = {
        label: (["split", "--amount", "525000", *extra], None) for label, extra in packaged.items()
    }
    for label, programme in programmes.items():
        out = Path(tempfile.mkdtemp(dir=work))
        jobs[label] = (["run", str(programme), "--out", str(out / "package"), "--force"], out)
    # settle re-derives the earlier package before it settles (issue #24): a charge written
    # by this tree, settled by both (an older tree reads the same manifest's amounts).
    out = Path(tempfile.mkdtemp(dir=work))
    charged = out / "charged"
    preliminary = ROOT / "examples" / "telehjerte-2025-foreloebig.toml"
    argv = [*COSTSHARE, "run", str(preliminary), "--out", str(charged)]
    subprocess.run(argv, check=True, capture_output=True)
    final = ROOT / "examples" / "telehjerte-2025-endelig.toml"
    jobs["settle, TeleHjerte example"] = (
        ["settle", str(final), "--charged", str(charged), "--out", str(out / "s"), "--force"],
        out,
    )
    for label, (argv, cwd) in jobs.items():
        variants = {"now": ([*COSTSHARE, *argv], work / "now.out")}
        if baseline:
            variants["baseline"] = ([*baseline_argv(baseline), *argv], work / "baseline.out")
        measured = interleaved(variants, repeats=5, cwd=cwd)
        now, before = measured["now"], measured.get("baseline")
        found[label] = (now, before)
        if now.returncode:
            reason = (now.stderr.strip().splitlines() or ["no message"])[-1]
            rows.append([label, f"failed (exit {now.returncode}): {reason}", "", ""])
            continue
        row = [label, f"{fmt_time(now.seconds)}, {now.peak_mb:.0f} MB"]
        if before and not before.returncode:
            row += [
                f"{fmt_time(before.seconds)}, {before.peak_mb:.0f} MB",
                f"{now.seconds / before.seconds:.2f}×",
            ]
        else:
            row += ["not measured (no --baseline)" if not before else "failed", ""]
        rows.append(row)
    header = ["command (packaged data)", "this tree", "baseline (--baseline)", "this ÷ baseline"]
    return table(header, rows), found


NO_SLOWER = 1.05  # "no slower than today": within 5 %, the noise of a shared 2-core machine


def verdicts(e2e: dict[int, EndToEnd], cmds: dict[str, tuple[Measured, Measured | None]]) -> str:
    """Issue #15's "done when" criteria (and #6's that still hold), each with its value."""
    lines = []

    def verdict(ok: bool | None, text: str) -> None:
        lines.append(f"- {'n/a' if ok is None else 'yes' if ok else 'NO'}: {text}")

    for size in (1_000_000, 100_000):
        if size in e2e:
            found = e2e[size]
            verdict(
                found.exact == "exact" and found.time_ratio <= 1.5,
                f"{format(size, ',').replace(',', ' ')} recipients end to end within 1.5× "
                f"of the floor's time, exact ({found.time_ratio:.2f}×, {found.exact})",
            )
    if 1_000_000 in e2e:
        found = e2e[1_000_000]
        verdict(
            found.memory_ratio <= 2,
            f"1 000 000 recipients within 2× of the floor's peak memory ({found.memory_ratio:.2f}×: "
            f"{found.ours.peak_mb:.0f} MB against {found.floor.peak_mb:.0f} MB)",
        )
    if 100_000 in e2e and e2e[100_000].speedup:
        speedup = e2e[100_000].speedup or 0
        verdict(
            speedup >= 6,
            f"100 000 recipients at least 6× faster than the apportionment package ({speedup:.1f}×)",
        )
    for label in ("split, 29 municipalities, table", "split, 98 municipalities, CSV",
                  "run, TeleHjerte example"):  # fmt: skip
        now, before = cmds[label]
        if before is None or before.returncode or now.returncode:
            verdict(None, f"{label} no slower than the baseline (no baseline measured)")
        else:
            ratio = now.seconds / before.seconds
            verdict(
                ratio <= NO_SLOWER,
                f"{label} no slower than the baseline (≤ {NO_SLOWER}×: {ratio:.2f}×, "
                f"{fmt_time(now.seconds)} against {fmt_time(before.seconds)})",
            )
    run = cmds["run, TeleHjerte example"][0]
    verdict(
        not run.returncode and run.seconds <= 3 and run.peak_mb <= 300,
        f"run of TeleHjerte ≤ 3 s and ≤ 300 MB (issue #6: {fmt_time(run.seconds)}, "
        f"{run.peak_mb:.0f} MB)",
    )
    return "\n".join(lines)


def crossover() -> str:
    """Pure Python against the vectorised path, with polars already imported, and the
    price of importing polars in a process that has not yet done so."""
    import importlib

    import polars  # noqa: F401  (imported once, as on every user-file path)

    from costshare.allocation.vectorised import largest_remainder

    allocate_module = importlib.import_module("costshare.allocation.methods")
    rows = []
    for size in (200, 500, 1_000, 2_000, 5_000, 20_000, 50_000, 100_000):
        case = make_case(size)
        weights = dict(zip(case.codes, case.weights, strict=True))
        pure, _ = median_time(
            lambda c=case, w=weights: allocate_module._largest_remainder_exact(c.total, w)
        )
        fast, _ = median_time(lambda c=case: largest_remainder(c.total, c.codes, c.weights))
        rows.append([case.name, fmt_time(pure), fmt_time(fast)])
    bare = median_process([sys.executable, "-c", "pass"], Path(os.devnull)).seconds
    with_polars = median_process([sys.executable, "-c", "import polars"], Path(os.devnull)).seconds
    text = table(["n", "pure Python", "vectorised (polars)"], rows)
    return f"{text}\n\nImporting polars costs {fmt_time(with_polars - bare)} once per process."


README_START = "<!-- bench results: written by python bench/bench.py --readme -->"
README_END = "<!-- end of bench results -->"


def update_readme(body: str) -> None:
    """Replace the text between the bench markers in docs/reference/performance.md (the
    README's Performance section until issue #11 moved it) with ``body``."""
    readme = ROOT / "docs" / "reference" / "performance.md"
    text = readme.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        raise SystemExit(f"{readme} has no {README_START!r} … {README_END!r} block")
    head, rest = text.split(README_START, 1)
    _old, tail = rest.split(README_END, 1)
    readme.write_text(f"{head}{README_START}\n\n{body}\n{README_END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 1 000 000-recipient rows")
    parser.add_argument("--crossover", action="store_true", help="also measure the crossover")
    parser.add_argument(
        "--readme", action="store_true", help="also update docs/reference/performance.md"
    )
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="a source tree to compare the packaged-data commands with (e.g. a git archive "
        "of main)",
    )
    args = parser.parse_args()
    sizes = [s for s in SIZES if not (args.quick and s >= 1_000_000)]
    cases = [make_case(size) for size in sizes]
    with tempfile.TemporaryDirectory(prefix="costshare-bench-") as tmp:
        work = Path(tmp)
        alloc_table, notes = in_process(cases)
        e2e_sizes = [s for s in E2E_SIZES if not (args.quick and s >= 1_000_000)]
        e2e_table, e2e = end_to_end([make_case(size) for size in e2e_sizes], work)
        cmd_table, cmds = commands(work, args.baseline)
    flags = "".join(
        f" --{flag}" for flag in ("quick", "crossover", "readme") if getattr(args, flag)
    )
    if args.baseline:  # a tree of the main branch, made as the module docstring shows
        flags += " --baseline /tmp/main"
    sections = [
        f"Reproduce: `pip install -e '.[test,bench]' && python bench/bench.py{flags}` "
        "(writes bench/RESULTS.md; `--readme` also updates this section of docs/reference/performance.md; "
        "`--baseline` takes a tree of main: `git archive main | (mkdir -p /tmp/main && tar -x -C "
        "/tmp/main)`). "
        "In process: medians of 5 runs (3 when a run takes over 1 s, 1 over 20 s); "
        "from the shell: as each section says. Synthetic weights "
        f"1–60 000 with seed {SEED}; totals 987 654 321 kr. (525 000 kr. for the 29), "
        "split in whole kroner.",
        machine(),
        "## Allocation in process",
        alloc_table,
        "\n".join(f"- {note}" for note in notes)
        + "\n- Exact: the same integers as the Fraction implementation, or the check's "
        "finding (sum, quota, largest remainder with ties to the lowest code).",
        "## End to end: CSV in, CSV out",
        "`costshare split --amount 987654321 --population FILE --format csv` against the "
        "floor, `python bench/floor_split.py FILE 987654321` (a bare polars script: import, "
        "read, the same exact integer largest-remainder split, write; no checks), and "
        "`python bench/apportionment_split.py FILE 987654321` (csv module + `apportionment`; "
        f"up to {format(APPORTIONMENT_MAX, ',').replace(',', ' ')} recipients: it grows faster than linear). "
        "The three take turns, 3 runs each (medians; peak memory is the largest of the "
        "three). Every output is checked against the weights.",
        e2e_table,
        "## Commands on packaged data",
        "Each command 5 times, taking turns with the same command from the `--baseline` "
        "tree (medians)" + (f", here {args.baseline.name}." if args.baseline else "."),
        cmd_table,
        "## Targets",
        verdicts(e2e, cmds),
    ]
    if args.crossover:
        sections += ["## Crossover: pure Python against the vectorised path", crossover()]
    text = "\n\n".join(["# costshare benchmarks (issues #6 and #15)", *sections]) + "\n"
    print(text)
    args.output.write_text(text, encoding="utf-8")
    if args.readme:
        update_readme("\n\n".join("#" + s if s.startswith("## ") else s for s in sections) + "\n")


if __name__ == "__main__":
    main()
