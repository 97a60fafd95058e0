"""Where a PDF's carried files are written to be computed again (issue #20)."""

from __future__ import annotations

from costshare.check.received.embedded import CarriedFile, Run
from costshare.package.embedded_runs import _located


def _carried(kind: str, given: str, data: bytes) -> CarriedFile:
    return CarriedFile(kind, f"{kind}-key", given, "0" * 64, len(data), data)


def test_the_files_lie_side_by_side_under_names_every_file_system_takes() -> None:
    files = (
        _carried("programme", "prog.toml", b"title = 'x'\n"),
        _carried("population", "timer.csv", b"kommune;timer\n"),
        _carried("register", "CON.csv", b"kommunekode\n"),
        _carried("index", "a:b.csv", b"year;index\n"),
    )
    run = Run("prog.toml", 2025, None, None, (), "packaged", "2025K1", "", files, "")
    with _located(run, "brev.pdf", None) as located:
        paths = {kind: where for kind, (_, _, where) in located.items()}
        assert {kind: path.name for kind, path in paths.items()} == {
            "programme": "prog.toml",
            "population": "timer.csv",  # beside the programme, as in a package's programfil/
            "register": "register-con.csv",  # "con.csv" is a device name on Windows
            "index": "a-b.csv",
        }
        assert len({path.parent for path in paths.values()}) == 1
        assert paths["population"].read_bytes() == b"kommune;timer\n"


def test_a_long_name_taken_twice_still_gets_a_name() -> None:
    from costshare.package.carried import copy_name, plain_name

    long = "x" * 96 + ".csv"  # 100 characters: the longest plain name
    taken: set[str] = set()
    names = [copy_name("population", long, taken) for _ in range(3)]
    assert names == [long, "population-2.csv", "population-3.csv"]
    assert all(plain_name(name) for name in names)
