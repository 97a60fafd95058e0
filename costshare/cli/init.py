"""``costshare init``: a programme file to start from, from a few questions (in Danish).

Every question is also an option, so the command runs without questions in a script or a
test; a question is asked only for what the options leave out.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import click

from costshare.base.errors import InputError
from costshare.cli.base import cli, reports_errors

# ISO (2025-02-03) or the Danish day-month-year order (3-2-2025, 03.02.2025): with the
# four-digit year last, a Danish reader means day before month, so there is one reading.
_ISO = re.compile(r"^(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})$")
_DANISH = re.compile(r"^(?P<day>[0-9]{1,2})[-./](?P<month>[0-9]{1,2})[-./](?P<year>[0-9]{4})$")


def parse_date(text: str) -> date:
    """``2025-02-03`` or ``3.2.2025`` → ``date(2025, 2, 3)``; :class:`InputError` otherwise.

    >>> parse_date("3.2.2025"), parse_date("2025-02-03")
    (datetime.date(2025, 2, 3), datetime.date(2025, 2, 3))
    """
    match = _ISO.match(text.strip()) or _DANISH.match(text.strip())
    try:
        if match:
            return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        pass
    raise InputError(
        f"datoen {text.strip()!r} kan ikke læses; skriv den som 2025-02-03 eller 3.2.2025"
    )


def _ask(value: str | None, question: str, default: str | None = None) -> str:
    if value is not None:
        return value
    return str(click.prompt(question, default=default, show_default=default is not None))


@cli.command(name="init")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--title", help="Programmets titel, som i referatet.")
@click.option("--case-number", help="Sagsnummer, f.eks. SAG-2024-05018.")
@click.option("--body", help="Hvem der besluttede, f.eks. KKR Hovedstaden.")
@click.option("--decision-date", metavar="DATO", help="Beslutningens dato, f.eks. 2025-02-03.")
@click.option("--amount", metavar="BELØB", help="Samlet udgift i kroner, f.eks. 1.050.000.")
@click.option(
    "--region",
    metavar="REGION",
    help='Regionen/KKR hvis kommuner betaler, f.eks. Hovedstaden; "alle" for hele landet.',
)
@click.option(
    "--region-share",
    metavar="PROCENT",
    help="Regionens andel af udgiften i procent (medfinansiering); 0 hvis kommunerne betaler alt.",
)
@click.option(
    "--key",
    type=click.Choice(["population", "equal", "mixed"]),
    help="Fordelingsnøgle: population (efter indbyggertal), equal (lige) eller mixed.",
)
@click.option("--equal-part", metavar="PROCENT", help="Med key mixed: den del der fordeles lige.")
@click.option(
    "--population",
    metavar="KVARTAL|FIL",
    help="Befolkningstal: et kvartal som 2025K1, eller en CSV/Excel-fil.",
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
    """Skriv en programfil at starte fra; spørger om det, der mangler.

    Spørger om titel, sagsnummer, hvem der besluttede og hvornår, beløbet,
    medfinansieringen, regionen, fordelingsnøglen og befolkningstallene, eller tager
    dem som tilvalg. Filen kan køres med det samme (costshare run) og overskrives
    aldrig.

    \b
    Eksempel:
        costshare init telehjerte.toml
        costshare init telehjerte.toml --title TeleHjerte --case-number SAG-2024-05018 --body "KKR Hovedstaden" --decision-date 2025-02-03 --amount 1.050.000 --region Hovedstaden --region-share 50 --key population --population 2025K1
    """
    from costshare.population.packaged import latest_quarter
    from costshare.programme.starter import Answers, write_starter

    if file.exists():  # before any question: the answers would be wasted
        raise InputError(f"{file}: findes allerede; vælg et andet filnavn, eller slet filen først")
    title = _ask(title, "Titel (som i referatet)")
    case_number = _ask(case_number, "Sagsnummer")
    body = _ask(body, "Besluttet af (f.eks. KKR Hovedstaden)")
    when = parse_date(_ask(decision_date, "Dato for beslutningen (f.eks. 2025-02-03)"))
    amount = _ask(amount, "Samlet udgift i kroner (f.eks. 1.050.000)")
    region = _ask(region, 'Region/KKR hvis kommuner betaler ("alle" for hele landet)', "alle")
    if region.strip().casefold() in ("alle", "all", "hele landet"):
        region = ""
    region_share = _ask(
        region_share if region or region_share is not None else "0",
        "Regionens andel i procent (0 hvis kommunerne betaler alt)",
        "0",
    )
    key = _ask(key, "Fordelingsnøgle (population, equal eller mixed)", "population")
    if key == "mixed":
        equal_part = _ask(equal_part, "Den del der fordeles lige, i procent", "40 %")
    population = _ask(population, "Befolkningstal (kvartal eller fil)", latest_quarter())
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
        population=population,
    )
    programme = write_starter(file, answers)
    click.echo(f"Skrev {file}: {programme.short_title}.")
    click.echo(f"Ret den til efter behov, og lav pakken med: costshare run {file} --out pakke")
