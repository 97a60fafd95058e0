"""``costshare examples``: copy the shipped example programmes into a folder.

The examples are installed with the package (``costshare.examples``, the top-level
``examples/`` folder), so a finance officer starts from them without a clone.
"""

from __future__ import annotations

from pathlib import Path

import click

from costshare.base.errors import InputError
from costshare.cli.base import cli, reports_errors


@cli.command(name="examples")
@click.argument(
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default="costshare-eksempler",
)
@reports_errors
def examples_command(folder: Path) -> None:
    """Kopiér eksemplerne (programfiler og bilag) til en mappe.

    Mappen oprettes, hvis den ikke findes; en fil, der allerede findes, overskrives
    aldrig. Uden mappe: costshare-eksempler.

    \b
    Eksempel:
        costshare examples eksempler
        costshare run eksempler/telehjerte-2025.toml --out pakke
    """
    from importlib import resources

    shipped = sorted(
        (
            entry
            for entry in resources.files("costshare.examples").iterdir()
            if entry.name.endswith((".toml", ".csv"))
        ),
        key=lambda entry: entry.name,
    )
    clashes = [entry.name for entry in shipped if (folder / entry.name).exists()]
    if clashes:
        raise InputError(
            f"{folder}: {', '.join(clashes)} findes allerede; vælg en anden mappe, "
            "eller slet filerne først"
        )
    folder.mkdir(parents=True, exist_ok=True)
    for entry in shipped:
        (folder / entry.name).write_bytes(entry.read_bytes())
    click.echo(f"Kopierede {len(shipped)} eksempler til {folder}:")
    for entry in shipped:
        click.echo(f"  {entry.name}")
    click.echo(f"Prøv: costshare run {folder / 'telehjerte-2025.toml'} --out pakke")
