"""``costshare init``: a programme file to start from, from a few questions.

Every question is also an option, so the command runs without questions in a script or a
test; a question is asked only for what the options leave out.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from costshare.base.danish import parse_date
from costshare.base.errors import InputError
from costshare.base.i18n import lazy, tr
from costshare.cli.base import cli, reports_errors


def read_date(text: str) -> date:
    """A date as the minutes write it (``3. februar 2025``, ``3.2.2025``) or as ISO
    (``2025-02-03``); :class:`InputError` otherwise.

    >>> read_date("3. februar 2025"), read_date("2025-02-03")
    (datetime.date(2025, 2, 3), datetime.date(2025, 2, 3))
    """
    day = parse_date(text)
    if day is None:
        raise InputError(
            lazy(
                "the date {value} cannot be read; write it as 2025-02-03, 3.2.2025 or "
                "3. februar 2025",
                value=repr(text.strip()),
            )
        )
    return day


def _ask(value: str | None, question: str, default: str | None = None) -> str:
    if value is not None:
        return value
    return str(click.prompt(question, default=default, show_default=default is not None))


@cli.command(name="init")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE")
@click.option("--title", metavar="TEXT", help="The programme's title, as in the minutes.")
@click.option("--case-number", metavar="TEXT", help="Case number, e.g. SAG-2024-05018.")
@click.option("--body", metavar="TEXT", help="Who decided, e.g. KKR Hovedstaden.")
@click.option("--decision-date", metavar="DATE", help="The date of the decision, e.g. 2025-02-03.")
@click.option("--amount", metavar="AMOUNT", help="The total cost in kroner, e.g. 1.050.000.")
@click.option(
    "--region",
    metavar="REGION",
    help='The region/KKR whose municipalities pay, e.g. Hovedstaden; "alle" for the whole country.',
)
@click.option(
    "--region-share",
    metavar="PERCENT",
    help="The region's share of the cost in percent (co-financing); 0 if the municipalities pay it all.",
)
@click.option(
    "--key",
    type=click.Choice(["population", "equal", "mixed"]),
    help="Key: population (by population), equal (equal shares) or mixed.",
)
@click.option("--equal-part", metavar="PERCENT", help="With key mixed: the part split equally.")
@click.option(
    "--population",
    metavar="QUARTER|FILE",
    help='Population figures: a quarter such as 2025K1, a CSV/Excel file, or a rule such as "1. januar i budgetåret". Default: the newest quarter published by the decision date.',
)
@reports_errors
def init_command(
    file: Path,
    title: str | None,
    case_number: str | None,
    body: str | None,
    decision_date: str | None,
    amount: str | None,
    region: str | None,
    region_share: str | None,
    key: str | None,
    equal_part: str | None,
    population: str | None,
) -> None:
    """Write a programme file to start from; asks for what is missing.

    Asks for the title, case number, who decided and when, the amount, the
    co-financing, the region, the key and the population figures, or takes them as
    options. The file runs as it is (costshare run) and is never overwritten.

    \b
    Example:
        costshare init telehjerte.toml
        costshare init telehjerte.toml --title TeleHjerte --case-number SAG-2024-05018 --body "KKR Hovedstaden" --decision-date 2025-02-03 --amount 1.050.000 --region Hovedstaden --region-share 50 --key population --population 2025K1
    """
    from costshare.package.starter_file import write_starter
    from costshare.population.basis_rules import newest_available
    from costshare.programme.starter import Answers

    if file.exists():  # before any question: the answers would be wasted
        raise InputError(
            lazy(
                "{file}: exists already; choose another file name, or delete the file first",
                file=file,
            )
        )
    title = _ask(title, tr("Title (as in the minutes)"))
    case_number = _ask(case_number, tr("Case number"))
    body = _ask(body, tr("Decided by (e.g. KKR Hovedstaden)"))
    when = read_date(_ask(decision_date, tr("Date of the decision (e.g. 2025-02-03)")))
    amount = _ask(amount, tr("Total cost in kroner (e.g. 1.050.000)"))
    region = _ask(
        region, tr('Region/KKR whose municipalities pay ("alle" for the whole country)'), "alle"
    )
    if region.strip().casefold() in ("alle", "all", "hele landet"):
        region = ""
    region_share = _ask(
        region_share if region or region_share is not None else "0",
        tr("The region's share in percent (0 if the municipalities pay it all)"),
        "0",
    )
    key = _ask(key, tr("Key (population, equal or mixed)"), "population")
    if key == "mixed":
        equal_part = _ask(equal_part, tr("The part split equally, in percent"), "40 %")
    # The newest quarter published by the decision date, never a later one (issue #21).
    proposed = newest_available(when)
    population = _ask(population, tr("Population figures (quarter, file or rule)"), proposed)
    answers = Answers(
        title=title,
        case_number=case_number,
        body=body,
        decision_date=when,
        amount=amount,
        region=region,
        region_share=region_share,
        key=key.strip(),
        equal_part=equal_part or "",
        population="" if population == proposed else population,
    )
    programme = write_starter(file, answers)
    click.echo(tr("Wrote {file}: {title}.", file=file, title=programme.short_title))
    click.echo(
        tr(
            "Edit it as needed, and make the package with: costshare run {file} --out pakke",
            file=file,
        )
    )
