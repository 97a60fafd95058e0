"""``costshare init``: a programme file to start from, from a few questions.

Every question is also an option, so the command runs without questions in a script or a
test; a question is asked only for what the options leave out (``--non-interactive``: none,
the defaults then stand). The questions are a conversation (issue #22): an answer that
cannot be used is asked again, with the reason and an example, and the answers before it
are kept; that holds for the population figures too, which only the programme as a whole
can check. An option is read as before: one that cannot be used stops the command.
"""

from __future__ import annotations

from pathlib import Path

import click

from costshare.base.errors import InputError
from costshare.base.i18n import lazy, tr
from costshare.cli.base import cli, reports_errors
from costshare.cli.init_questions import Conversation


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
@click.option(
    "--non-interactive",
    is_flag=True,
    help="Ask nothing: what the options leave out takes its default; a missing title, case number, body, date or amount is an error.",
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
    non_interactive: bool,
) -> None:
    """Write a programme file to start from; asks for what is missing.

    Asks for the title, case number, who decided and when, the amount, the
    co-financing, the region, the key and the population figures, or takes them as
    options. An answer that cannot be used is asked again; the answers before it
    are kept. The file runs as it is (costshare run) and is never overwritten.

    \b
    Example:
        costshare init telehjerte.toml
        costshare init telehjerte.toml --title TeleHjerte --case-number SAG-2024-05018 --body "KKR Hovedstaden" --decision-date 2025-02-03 --amount 1.050.000 --region Hovedstaden --region-share 50 --key population --population 2025K1
    """
    from costshare.package.starter_file import write_starter
    from costshare.population.basis_rules import newest_available

    if file.exists():  # before any question: the answers would be wasted
        raise InputError(
            lazy(
                "{file}: exists already; choose another file name, or delete the file first",
                file=file,
            )
        )
    conversation = Conversation(
        given={
            "title": title,
            "case_number": case_number,
            "body": body,
            "decision_date": decision_date,
            "amount": amount,
            "region": region,
            "region_share": region_share,
            "key": key,
            "equal_part": equal_part,
            "population": population,
        },
        asks=not non_interactive,
    )
    answers = conversation.answers(proposed_population=newest_available)
    # The programme as a whole checks what no single answer can (the population figures
    # against the decision date); an answer it refuses is asked again, the others kept.
    while True:
        try:
            programme = write_starter(file, answers)
            break
        except InputError as error:
            answers = conversation.ask_again(answers, error)
    click.echo(tr("Wrote {file}: {title}.", file=file, title=programme.short_title))
    click.echo(
        tr(
            "Edit it as needed, and make the package with: costshare run {file} --out pakke",
            file=file,
        )
    )
