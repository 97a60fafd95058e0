"""A programme file to start from, written from the few answers that matter (``costshare init``).

:func:`starter_text` turns :class:`Answers` into TOML text that :func:`load_programme`
accepts; :func:`costshare.package.starter_file.write_starter` checks it by loading it before the file appears, and never
overwrites. Comments in the file are in Danish, for the finance officer who edits it next.

>>> answers = Answers(
...     title="TeleHjerte", case_number="SAG-1", body="KKR Hovedstaden",
...     decision_date=date(2025, 2, 3), amount="1.050.000", region="Hovedstaden",
...     region_share="50")
>>> print(starter_text(answers).splitlines()[4])
title = "TeleHjerte"
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from costshare.base.danish import format_date
from costshare.base.errors import InputError
from costshare.base.i18n import lazy, mark
from costshare.base.money import format_plain, parse_amount, parse_decimal, parse_percent
from costshare.population.basis_rules import newest_available, published_on
from costshare.population.packaged import quarters, resolve_region

# The words a person may name a key by, besides its name in the programme file: the words
# of the minutes ("fordeles efter indbyggertal", "ligeligt") and their English (issue #22).
KEY_WORDS = {
    "population": (
        "indbyggertal",
        "efter indbyggertal",
        "befolkning",
        "befolkningstal",
        "by population",
    ),
    "equal": ("ligeligt", "lige", "ligelig", "lige store andele", "ens", "equally"),
    "mixed": ("blandet", "blandet nøgle", "blanding", "delvis ligeligt"),
}
# The key the question proposes, and the keys the question names, in the active language.
KEY_DEFAULT = mark("by population")
KEY_CHOICES = mark("population, equal or mixed")
REGION_SHARE = mark("the region's share")
EQUAL_PART = mark("the part split equally")
# What "costshare init" takes for the whole country instead of a region.
WHOLE_COUNTRY = ("alle", "all", "hele landet", "landet", "alle kommuner")
EXISTS = mark("{file}: exists already; choose another file name, or delete the file first")


@dataclass(frozen=True)
class Answers:
    """What ``costshare init`` asks: the decision, the amount and how it is split."""

    title: str
    case_number: str
    body: str
    decision_date: date
    amount: str
    region: str = ""
    """A region/KKR whose municipalities pay; empty for all 98."""
    region_share: str = "0"
    """The region's co-financing share in percent; 0 when the municipalities pay it all."""
    key: str = "population"
    equal_part: str = ""
    population: str = ""
    """A quarter, a file or a rule; empty for the newest quarter published by the decision."""


def read_key_word(text: str) -> str:
    """The key (``population``, ``equal``, ``mixed``) a word names, in English or Danish.

    >>> read_key_word("Efter indbyggertal"), read_key_word(" ligeligt"), read_key_word("blandet")
    ('population', 'equal', 'mixed')
    """
    wanted = " ".join(text.split()).casefold()
    for key, words in KEY_WORDS.items():
        if wanted == key or wanted in words:
            return key
    raise InputError(
        lazy(
            "key {key} does not exist; use {keys}",
            key=repr(text.strip()),
            keys=lazy(KEY_CHOICES),
        )
    )


def read_region(text: str) -> str:
    """The region/KKR whose municipalities pay (``Region Hovedstaden``), or ``""`` for the
    whole country (``alle``); :class:`InputError` naming the regions otherwise.

    >>> read_region("Region H"), read_region("Hele landet")
    ('Region Hovedstaden', '')
    """
    if not text.strip() or " ".join(text.split()).casefold() in WHOLE_COUNTRY:
        return ""
    return resolve_region(text)


def _toml(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's (``\\"``, ``\\\\``, ``\\n``, ``\\u001b``)."""
    return json.dumps(text, ensure_ascii=False)


def starter_text(answers: Answers) -> str:
    """The programme file for ``answers``, as TOML text with Danish comments.

    Raises :class:`InputError` for an answer that cannot be used (an amount that is not
    a number, an unknown region or key, a share outside 0–100 %).
    """
    amount_ore, region, percent, key = _checked(answers)
    amount = format_plain(amount_ore)
    population = answers.population.strip() or newest_available(answers.decision_date)
    short_region = region.removeprefix("Region ")
    lines = [
        "# Programfil skrevet af costshare init. Ret den til, og kør så:",
        "#   costshare run <denne fil> --out pakke",
        "# Alle nøgler er beskrevet i: costshare guide programfil",
        "",
        f"title = {_toml(answers.title)}",
        f"case_number = {_toml(answers.case_number)}",
        f"year = {answers.decision_date.year}",
        "# Samlet udgift i kroner, alle parter tilsammen (tekst i anførselstegn).",
        f"amount = {_toml(amount)}",
        *(
            ['unit = "0.01"  # beløbet har øre, så der afrundes til øre']
            if amount_ore % 100
            else []
        ),
        "",
        "[decision]",
        f"body = {_toml(answers.body)}",
        f"date = {answers.decision_date.isoformat()}",
        '# item = "3.8"  # dagsordenspunkt',
        "",
    ]
    if percent:
        lines += [
            "# Medfinansiering: hver part betaler sin andel af det samlede beløb.",
            "[[parties]]",
            f"name = {_toml(region)}",
            f"weight = {_toml(_percent(percent))}",
            "",
            "[[parties]]",
            f"name = {_toml(f'Kommunerne i KKR {short_region}')}",
            f"weight = {_toml(_percent(100 - percent))}",
            "municipalities = true",
            "",
        ]
    lines += [
        "# Kommunernes del fordeles efter nøglen: population, equal eller mixed.",
        "[municipalities]",
        *_basis_comment(answers, population),
        f"population = {_toml(population)}",
    ]
    if region:
        lines.append(f"region = {_toml(short_region)}")
    lines.append(f"key = {_toml(key)}")
    if key == "mixed":
        lines.append(f"equal_part = {_toml(answers.equal_part or '40 %')}")
    lines += [
        "",
        "# Afsender af brevene.",
        "[sender]",
        f"name = {_toml(answers.body)}",
        "",
        "# [payment]",
        "# due = 2025-04-01",
        '# how = "Beløbet indbetales ved bankoverførsel."',
        "",
        "# [contact]",
        '# name = "Sekretariatet"',
        '# email = "sekretariat@example.dk"',
        "",
    ]
    return "\n".join(lines)


def _checked(answers: Answers) -> tuple[int, str, Decimal, str]:
    """The amount in øre, the region's full name ("" for none), its share in percent and
    the key's name; :class:`InputError` for an answer that cannot be used."""
    amount_ore = parse_amount(answers.amount, mark("amount"))
    region = read_region(answers.region)
    share = parse_percent(answers.region_share or "0", REGION_SHARE)
    percent = parse_decimal(
        (answers.region_share or "0").strip().removesuffix("%"), REGION_SHARE, "50"
    )
    if share and not region:
        raise InputError(
            lazy("the region's share needs a region; give --region or set the share to 0")
        )
    key = read_key_word(answers.key)
    return amount_ore, region, percent if share else Decimal(0), key


def _basis_comment(answers: Answers, population: str) -> list[str]:
    """Why the proposed quarter, and the rule to write if the decision named 1 January of
    the budget year, published after the meeting (issue #21); nothing for a given basis."""
    if answers.population.strip():
        return []
    decided = answers.decision_date
    lines = [
        "# Befolkningstal: det nyeste kvartal, Danmarks Statistik havde offentliggjort",
        f"# {format_date(decided)}, da beslutningen blev truffet ({population}).",
    ]
    budget_year = f"{decided.year}K1"
    if budget_year != population and budget_year in quarters():
        published = format_date(published_on(budget_year))
        lines += [
            f"# Nævner beslutningen 1. januar {decided.year} ({budget_year}, offentliggjort "
            f"ca. {published}), så skriv:",
            '# population = "1. januar i budgetåret"',
        ]
    return lines


def _percent(value: Decimal) -> str:
    """``Decimal('33.5')`` → ``"33,5 %"``, as a Danish reader writes a percentage."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",") + " %"
