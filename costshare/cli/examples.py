"""``costshare examples``: copy the shipped example programmes into a folder.

The examples are installed with the package (``costshare.examples``, the top-level
``examples/`` folder), so a finance officer starts from them without a clone.
"""

from __future__ import annotations

from pathlib import Path

import click

from costshare.base.errors import InputError
from costshare.base.i18n import lazy, tr
from costshare.cli.base import cli, reports_errors

LETTER_TEMPLATE = "letter.typ.j2"
TEMPLATE_FOLDER = "skabelon"  # where the letter template is copied, beside the examples


@cli.command(name="examples")
@click.argument(
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default="costshare-eksempler",
    metavar="[DIR]",
)
@reports_errors
def examples_command(folder: Path) -> None:
    """Copy the examples (programme files and annexes) and the letter template into a folder.

    The folder is created if it does not exist; a file that exists already is never
    overwritten. Without a folder: costshare-eksempler. The letter template goes to
    FOLDER/skabelon, ready for run --templates.

    \b
    Example:
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
    template = resources.files("costshare.templates").joinpath(LETTER_TEMPLATE)
    clashes = [entry.name for entry in shipped if (folder / entry.name).exists()]
    if (folder / TEMPLATE_FOLDER / LETTER_TEMPLATE).exists():
        clashes.append(f"{TEMPLATE_FOLDER}/{LETTER_TEMPLATE}")
    if clashes:
        raise InputError(
            lazy(
                "{folder}: {files} exist already; choose another folder, or delete the files first",
                folder=folder,
                files=", ".join(clashes),
            )
        )
    folder.mkdir(parents=True, exist_ok=True)
    for entry in shipped:
        (folder / entry.name).write_bytes(entry.read_bytes())
    (folder / TEMPLATE_FOLDER).mkdir(exist_ok=True)
    (folder / TEMPLATE_FOLDER / LETTER_TEMPLATE).write_bytes(template.read_bytes())
    click.echo(tr("Copied {count} examples to {folder}:", count=len(shipped), folder=folder))
    for entry in shipped:
        click.echo(f"  {entry.name}")
    click.echo(
        tr(
            "The letter template, to adapt with --templates: {path}",
            path=folder / TEMPLATE_FOLDER / LETTER_TEMPLATE,
        )
    )
    click.echo(tr("Try: costshare run {file} --out pakke", file=folder / "telehjerte-2025.toml"))
