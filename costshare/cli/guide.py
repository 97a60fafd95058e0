"""``costshare guide``: the user guide and the reference pages, offline.

A finance officer who installed costshare with pipx has no clone of the repository, so
the documentation ships in the wheel (package ``costshare.guide_pages``) and this command
prints a page by its Danish topic name (the English file name works too). The pages are
the Markdown files of ``docs/``, which read well as plain text.
"""

from __future__ import annotations

import sys

import click

from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.cli.base import cli, reports_errors

# Topic → the page that answers it (docs/…), in the order ``costshare guide --help`` lists.
TOPICS = {
    "vejledning": "brugervejledning.md",
    "programfil": "reference/programme-files.md",
    "indtastning": "reference/inputs.md",
    "nøgler": "reference/keys-and-data.md",
    "regler": "reference/published-rules.md",
    "befolkning": "reference/population-data.md",
    "afrunding": "reference/rounding.md",
    "pakke": "reference/annex-package.md",
    "pdfdata": "reference/embedded-data.md",
    "regneark": "reference/workbooks.md",
    "breve": "reference/letter-templates.md",
    "efaktura": "reference/einvoices.md",
    "flerårig": "reference/multi-year.md",
    "fejl": "reference/errors.md",
    "sikkerhed": "reference/hostile-input.md",
    "bibliotek": "reference/library.md",
    "ydelse": "reference/performance.md",
}


def _page(topic: str) -> str:
    """The page file of ``topic`` (a Danish topic or a page's own name, any case)."""
    wanted = topic.strip().casefold().removesuffix(".md")
    for name, page in TOPICS.items():
        stem = page.rsplit("/", 1)[-1].removesuffix(".md")
        if wanted in (name, stem, name.replace("ø", "oe").replace("å", "aa")):
            return page
    raise InputError(
        lazy(
            "no guide page {topic}; choose one of {topics}",
            topic=repr(topic),
            topics=", ".join(TOPICS),
        )
    )


@cli.command(name="guide")
@click.argument("topic", required=False, default="vejledning", metavar="[TOPIC]")
@reports_errors
def guide_command(topic: str) -> None:
    """Show the user guide (in Danish) or a reference page, without a network.

    \b
    TOPIC:
      vejledning   the user guide, step by step (the default)
      programfil   every key of a programme file
      indtastning  how amounts, names and dates are read
      nøgler       the keys a cost can be split by
      befolkning   the packaged figures and your own files
      afrunding    the rounding rule
      pakke        what the package holds; checking what you received
      pdfdata      the data every letter and annex PDF carries
      regneark     the workbooks, sheet by sheet
      breve        the letter template and its variables
      efaktura     e-invoices
      flerårig     several years, indexing, settlement
      fejl         every refused input and its message
      sikkerhed    what is refused in others' files, and why
      bibliotek    costshare from Python
      ydelse       measurements

    \b
    Example:
        costshare guide
        costshare guide programfil
    """
    from importlib import resources

    page = resources.files("costshare.guide_pages").joinpath(_page(topic))
    text = page.read_text(encoding="utf-8")
    if sys.stdout.isatty():
        click.echo_via_pager(text)
    else:
        click.echo(text, nl=False)
    if not text.endswith("\n"):
        click.echo()
