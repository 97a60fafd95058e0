"""Build the wheel, install it into a fresh virtual environment and split on packaged data.

This guards the mapping of the top-level population/ and templates/ folders into the
package (pyproject.toml): an editable install can hide a file the wheel forgot. The new
environment borrows this one's third-party packages through a .pth line, so the test
needs no network; only costshare itself comes from the wheel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from paths import DOCS, ROOT

# Full packages, typst letters or workbooks: left out by pytest -m "not slow".
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(work),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = work.glob("costshare-*.whl")
    env_dir = work / "env"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Third-party dependencies from this environment; a plain path line does not run the
    # editable-install hooks that live there, so costshare is only found in the wheel.
    Path(purelib, "borrowed-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
    )
    return env_dir / "bin"


def run(bin_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH"}}
    return subprocess.run(
        [str(bin_dir / "costshare"), *args], capture_output=True, text=True, cwd="/", env=clean
    )


def test_wheel_installs_a_working_command(installed: Path) -> None:
    result = run(
        installed,
        "split",
        "--amount",
        "525000",
        "--region",
        "Hovedstaden",
        "--population",
        "2025K1",
        "--format",
        "csv",
    )
    assert result.returncode == 0, result.stderr
    rows = result.stdout.splitlines()
    assert rows[0] == "code,name,population,share"
    assert len(rows) == 30
    assert sum(int(row.rsplit(",", 1)[1]) for row in rows[1:]) == 525_000


def test_wheel_ships_data_provenance_and_templates(installed: Path) -> None:
    python = installed / "python"
    script = (
        "import costshare, importlib.resources as r;"
        "print(costshare.__file__);"
        "print(sorted(p.name for p in r.files('costshare.population_data').iterdir() if not p.name.startswith('_')));"
        "print(any(p.name.endswith('.j2') for p in r.files('costshare.templates').iterdir()))"
    )
    result = subprocess.run([str(python), "-c", script], capture_output=True, text=True, cwd="/")
    assert result.returncode == 0, result.stderr
    location, data_files, has_templates = result.stdout.splitlines()
    assert str(ROOT) not in location  # the wheel, not the source tree
    # Every data file in the source tree's population/ folder ships, and nothing else.
    shipped = sorted(
        p.name for p in (ROOT / "population").iterdir() if p.suffix in (".csv", ".toml", ".md")
    )
    assert "kommuner.csv" in shipped
    assert data_files == str(shipped)
    assert has_templates == "True"


def test_wheel_ships_the_danish_catalogue(installed: Path) -> None:
    """costshare/locale/da/LC_MESSAGES/costshare.mo ships: an error from the wheel is Danish."""
    result = subprocess.run(
        [str(installed / "python"), "-m", "costshare", "--lang", "da", "split", "--amount", "x"],
        capture_output=True,
        text=True,
        cwd="/",
    )
    assert result.returncode == 1
    assert (
        result.stderr
        == "Fejl: --amount 'x' er ikke et tal; skriv cifre som 525000 eller 525000,00\n"
    )


def test_wheel_renders_the_annex_package(installed: Path, tmp_path: Path) -> None:
    # The letter template is found through importlib.resources, not the source tree.
    out = tmp_path / "out"
    result = run(
        installed, "run", str(ROOT / "examples" / "telehjerte-2025.toml"), "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    # 30 letters, the annex and the review PDF (both from the shipped templates)
    assert len(list(out.glob("*.pdf"))) == 32
    assert (out / "bilag-finansiering-pr-kommune.pdf").stat().st_size > 0
    assert len(list(out.glob("*.xlsx"))) == 31


def test_wheel_ships_the_examples_and_runs_one_without_a_clone(
    installed: Path, tmp_path: Path
) -> None:
    """A new user's path (issue #11): copy the examples, then run the seed case."""
    result = subprocess.run(
        [str(installed / "costshare"), "examples", "eksempler"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    shipped = sorted(p.name for p in (ROOT / "examples").iterdir() if p.suffix in (".toml", ".csv"))
    assert sorted(p.name for p in (tmp_path / "eksempler").iterdir()) == sorted(
        [*shipped, "skabelon"]
    )
    result = subprocess.run(
        [str(installed / "costshare"), "run", "eksempler/telehjerte-2025.toml", "--out", "pakke"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert (
        len(list((tmp_path / "pakke").glob("*.pdf"))) == 32
    )  # 30 letters, the annex and the review PDF


@pytest.mark.parametrize(
    ("topic", "page"),
    [
        ("vejledning", DOCS / "brugervejledning.md"),
        ("programfil", DOCS / "reference" / "programme-files.md"),
        ("einvoices", DOCS / "reference" / "einvoices.md"),
    ],
)
def test_the_guide_ships_in_the_wheel(installed: Path, topic: str, page: Path) -> None:
    """A pipx user has no docs folder: costshare guide prints the page from the wheel (#22)."""
    result = subprocess.run(
        [str(installed / "costshare"), "guide", topic], capture_output=True, text=True, cwd="/"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == page.read_text(encoding="utf-8")


def test_every_documentation_page_is_a_guide_topic() -> None:
    from costshare.cli.guide import TOPICS

    pages = {
        p.relative_to(DOCS).as_posix() for p in DOCS.glob("**/*.md") if "design" not in p.parts
    }
    pages -= {"README.md", "development.md"}  # for developers, not for the user at a desk
    assert pages == set(TOPICS.values())


def test_the_install_commands_name_the_wheel_that_is_built(installed: Path) -> None:
    """The README and the Danish guide tell people to `pipx install` / `uv tool install` a
    wheel by its file name; that is the name the build gives (pipx and uv tool install it
    into an environment of its own, as the fixture above does)."""
    from test_docs_commands import WHEEL

    (built,) = (installed.parent.parent).glob("costshare-*.whl")
    assert built.name == WHEEL
    for page in ("README.md", "docs/brugervejledning.md"):
        text = (ROOT / page).read_text(encoding="utf-8")
        assert f"pipx install {WHEEL}" in text and f"uv tool install {WHEEL}" in text, page
