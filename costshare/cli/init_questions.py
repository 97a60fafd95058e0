"""The questions of ``costshare init``, asked as a conversation (issue #22).

Each question has its option, its wording, an example answer and the reader that says
whether an answer can be used (the same readers :mod:`costshare.programme.starter` uses
on the answers, so a question and the file it leads to agree). An answer that cannot be
used is asked again at once, with the reason and the example; an answer only the whole
programme can check (the population figures against the decision date) is asked again
when the programme refuses it, and every other answer is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import click

from costshare.base.danish import parse_date
from costshare.base.errors import InputError
from costshare.base.i18n import lazy, mark, tr
from costshare.base.money import parse_amount, parse_percent
from costshare.programme.starter import (
    EQUAL_PART,
    KEY_DEFAULT,
    REGION_SHARE,
    Answers,
    read_key_word,
    read_region,
)


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


def _some_text(text: str) -> str:
    if not text.strip():
        raise InputError(lazy("the answer is empty; write something"))
    return text


@dataclass(frozen=True)
class Question:
    """One question: the option that answers it instead, how it is asked, an example of
    an answer it reads, and its reader (``None``: any text; the programme checks it)."""

    option: str
    asks: str
    example: str
    read: Callable[[str], object] | None = None


QUESTIONS = {
    "title": Question("--title", mark("Title (as in the minutes)"), "TeleHjerte, forlængelse 2025"),
    "case_number": Question("--case-number", mark("Case number"), "SAG-2024-05018"),
    "body": Question("--body", mark("Decided by (e.g. KKR Hovedstaden)"), "KKR Hovedstaden"),
    "decision_date": Question(
        "--decision-date",
        mark("Date of the decision (e.g. 2025-02-03)"),
        "3. februar 2025",
        read_date,
    ),
    "amount": Question(
        "--amount", mark("Total cost in kroner (e.g. 1.050.000)"), "1.050.000", parse_amount
    ),
    "region": Question(
        "--region",
        mark('Region/KKR whose municipalities pay ("alle" for the whole country)'),
        "Hovedstaden",
        read_region,
    ),
    "region_share": Question(
        "--region-share",
        mark("The region's share in percent (0 if the municipalities pay it all)"),
        "50",
        lambda text: parse_percent(text, REGION_SHARE),
    ),
    "key": Question("--key", mark("Key (population, equal or mixed)"), KEY_DEFAULT, read_key_word),
    "equal_part": Question(
        "--equal-part",
        mark("The part split equally, in percent"),
        "40 %",
        lambda text: parse_percent(text, EQUAL_PART),
    ),
    "population": Question(
        "--population", mark("Population figures (quarter, file or rule)"), "2025K1"
    ),
}
# The programme key a refusal names → the question whose answer it was.
_ASKED_FOR = {
    "title": "title",
    "short_title": "title",
    "case_number": "case_number",
    "decision.body": "body",
    "decision.date": "decision_date",
    "amount": "amount",
    "municipalities.region": "region",
    "municipalities.key": "key",
    "municipalities.equal_part": "equal_part",
    "municipalities.population": "population",
}
AGAIN = mark("Try again, e.g.: {example}")


class Conversation:
    """The answers of one ``costshare init``: the options given, the questions asked."""

    def __init__(self, given: dict[str, str | None], asks: bool) -> None:
        self._values = {name: value for name, value in given.items() if value is not None}
        self._asks = asks
        self._asked: set[str] = set()
        self._proposed_population = ""
        for name, value in self._values.items():  # an option is read before any question
            reader = QUESTIONS[name].read
            if reader is not None and name != "equal_part":  # read by the programme, as always
                reader(value)

    def answers(self, proposed_population: Callable[[date], str]) -> Answers:
        """Ask what the options left out, in the order of the minutes, and the answers."""
        for name in ("title", "case_number", "body", "decision_date", "amount"):
            self._answer(name, None)
        self._answer("region", "alle")
        if read_region(self._values["region"]):
            self._answer("region_share", "0")
        self._answer("key", tr(KEY_DEFAULT))
        if read_key_word(self._values["key"]) == "mixed":
            self._answer("equal_part", "40 %")
        self._proposed_population = proposed_population(read_date(self._values["decision_date"]))
        self._answer("population", self._proposed_population)
        return self._built()

    def ask_again(self, answers: Answers, error: InputError) -> Answers:
        """The answers with the one ``error`` refuses asked again; ``error`` itself if it
        is about no asked answer (an option, a default: nothing to ask)."""
        name = _ASKED_FOR.get(error.key or "")
        if name is None or name not in self._asked:
            raise error
        click.echo(tr("Error: {message}", message=_again(error.problem, QUESTIONS[name])))
        default = self._proposed_population if name == "population" else None
        self._values[name] = self._prompt(QUESTIONS[name], default)
        return self._built()

    def _answer(self, name: str, default: str | None) -> None:
        if name in self._values:
            return
        question = QUESTIONS[name]
        if not self._asks:
            if default is None:
                raise InputError(
                    lazy(
                        "{option} is missing; give it, or leave out --non-interactive to be asked",
                        option=question.option,
                    )
                )
            self._values[name] = default
            return
        self._asked.add(name)
        self._values[name] = self._prompt(question, default)

    @staticmethod
    def _prompt(question: Question, default: str | None) -> str:
        def checked(text: str) -> str:
            try:
                (question.read or _some_text)(text)
            except InputError as error:
                raise click.UsageError(_again(error.problem, question)) from None
            return text.strip()

        answer: str = click.prompt(
            tr(question.asks),
            default=default,
            show_default=default is not None,
            value_proc=checked,
        )
        return answer

    def _built(self) -> Answers:
        values = self._values
        population = values["population"]
        return Answers(
            title=values["title"],
            case_number=values["case_number"],
            body=values["body"],
            decision_date=read_date(values["decision_date"]),
            amount=values["amount"],
            region=values["region"],
            region_share=values.get("region_share", "0"),
            key=values["key"],
            equal_part=values.get("equal_part", ""),
            population="" if population == self._proposed_population else population,
        )


def _again(problem: str, question: Question) -> str:
    """The reason an answer cannot be used, and an example of one that can."""
    return f"{problem}\n{tr(AGAIN, example=tr(question.example))}"
