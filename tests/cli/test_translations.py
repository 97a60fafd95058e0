"""The Danish interface is complete (issue #11, docs/design/danish-interface.md).

A message without a Danish text, a fuzzy or obsolete one, a Danish text whose
``{placeholders}`` differ from the English, a stale ``.mo``, or a plain-string message in
a module that is not on the allow-list of not-yet-converted modules fails here. Fix with
``python tests/i18n_catalogue.py --update``, then write the Danish texts in the ``.po``.
"""

from __future__ import annotations

import re
import string

import pytest
from click.testing import CliRunner
from i18n_catalogue import (
    MO,
    NOT_YET_CONVERTED,
    ROOT,
    compiled,
    costshare_modules,
    extract,
    read_catalogue,
    untranslated,
)

from costshare.base import i18n
from costshare.cli import cli


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _key(msgid: str | tuple[str, ...]) -> tuple[str, ...]:
    return (msgid,) if isinstance(msgid, str) else tuple(msgid)


def test_every_message_has_a_danish_text_with_the_same_placeholders() -> None:
    catalogue = read_catalogue()
    entries = {_key(m.id): m for m in catalogue if m.id}
    extracted = extract()
    missing = [m for m in extracted if m not in entries or not all(_strings(entries[m]))]
    assert not missing, f"no Danish text for {missing}"
    fuzzy = [key for key, m in entries.items() if m.fuzzy]
    assert not fuzzy, f"fuzzy (unchecked) Danish texts: {fuzzy}"
    obsolete = [key for key in entries if key not in extracted]
    assert not obsolete, f"in the .po but no longer in the code: {obsolete}"
    for key, message in entries.items():
        english = set().union(*(_fields(text) for text in key))
        for danish in _strings(message):
            # click's %-style texts have no braces; a plural may leave out the count
            assert _fields(danish) <= english and (_fields(danish) == english or len(key) == 2), (
                key,
                danish,
            )


def _strings(message: object) -> tuple[str, ...]:
    text = message.string  # type: ignore[attr-defined]
    return (text,) if isinstance(text, str) else tuple(text)


def test_the_mo_is_the_compilation_of_the_po() -> None:
    assert MO.read_bytes() == compiled(read_catalogue()), (
        "run: python tests/i18n_catalogue.py --update"
    )


def test_converted_modules_have_no_plain_string_messages() -> None:
    plain = {
        path.relative_to(ROOT).as_posix(): lines
        for path in costshare_modules()
        if path.relative_to(ROOT).as_posix() not in NOT_YET_CONVERTED
        and (lines := untranslated(path.read_text("utf-8")))
    }
    assert not plain, f"messages not through tr()/lazy() (or add the module to the list): {plain}"


def test_the_allow_list_names_real_modules() -> None:
    modules = {path.relative_to(ROOT).as_posix() for path in costshare_modules()}
    assert modules >= NOT_YET_CONVERTED, NOT_YET_CONVERTED - modules


def _every_command() -> list[tuple[str, ...]]:
    """Every command and subcommand: all of them are converted, so each help page must be
    Danish (a command added later is checked without anyone listing it)."""
    from costshare.cli import base

    found = []
    for name, command in cli.commands.items():
        found.append((name,))
        if isinstance(command, base.click.Group):
            found += [(name, sub) for sub in command.commands]
    return found


def test_every_cli_module_is_converted() -> None:
    pending = sorted(m for m in NOT_YET_CONVERTED if m.startswith("costshare/cli/"))
    assert not pending, f"the help of these commands would not be Danish: {pending}"


HELP_WORDS_DA = ("Brug:", "Tilvalg:", "Vis denne hjælp og afslut.")
HELP_WORDS_EN = ("Usage:", "Options:", "Show this message and exit.")


@pytest.mark.parametrize("command", [(), *_every_command()], ids=" ".join)
def test_help_is_danish_by_default_and_english_with_lang_en(
    command: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COSTSHARE_LANG")
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    danish = CliRunner().invoke(cli, [*command, "--help"], prog_name="costshare")
    english = CliRunner().invoke(cli, ["--lang", "en", *command, "--help"], prog_name="costshare")
    assert danish.exit_code == english.exit_code == 0
    for da, en in zip(HELP_WORDS_DA, HELP_WORDS_EN, strict=True):
        assert da in danish.output and en not in danish.output
        assert en in english.output
    # No line of the Danish help is an English help text (a mixed page). A line that is
    # only an option and its choices (help text wrapped to the next line) is no text.
    english_lines = {line.strip() for line in english.output.splitlines() if len(line.strip()) > 25}
    shared = [
        line
        for line in danish.output.splitlines()
        if line.strip() in english_lines and "costshare " not in line and not _only_an_option(line)
    ]
    assert not shared, shared


# Every placeholder of a usage line or option, in English (the message ids).
ENGLISH_METAVARS = ("OPTIONS", "COMMAND", "ARGS", "PROGRAMME", "FILE", "PARTY", "ANNEX", "OTHER", "FINAL", "DIR", "DIRECTORY", "QUARTER", "AMOUNT", "YEAR", "PACKAGE", "PERIOD", "AGES", "DATE", "PERCENT", "UNIT", "RATE", "INTEGER", "RANGE", "TEXT", "PATH")  # fmt: skip


@pytest.mark.parametrize("command", [(), *_every_command()], ids=" ".join)
def test_usage_lines_and_placeholders_are_danish(
    command: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``Brug: costshare run [TILVALG] PROGRAM.toml``, ``--out MAPPE``: click writes its
    placeholders in English unless costshare translates them."""
    monkeypatch.delenv("COSTSHARE_LANG")
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    danish = CliRunner().invoke(cli, [*command, "--help"], prog_name="costshare").output
    usage = danish.splitlines()[0]
    assert usage.startswith("Brug: costshare") and "[TILVALG]" in usage, usage
    placeholders = re.findall(r"\b[A-Z][A-Z.]+\b", usage) + [
        word
        for line in danish.splitlines()
        if line.strip().startswith("-")
        for word in re.findall(
            r"\b[A-Z][A-Z]+\b", line.split("  ")[1] if "  " in line.strip() else line
        )
    ]
    english = [word for word in placeholders if word.split(".")[0] in ENGLISH_METAVARS]
    assert not english, (usage, english)


def _only_an_option(line: str) -> bool:
    """``  --method [largest-remainder|webster]``: an option's name and metavar, no words."""
    words = line.split()
    return bool(words) and words[0].startswith("-") and len(words) <= 3


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "Brug:"),
        ({"LANG": "da_DK.UTF-8"}, "Brug:"),
        ({"LANG": "en_GB.UTF-8"}, "Usage:"),
        ({"LC_ALL": "C.UTF-8", "LANG": "en_GB.UTF-8"}, "Brug:"),
        ({"COSTSHARE_LANG": "en", "LANG": "da_DK.UTF-8"}, "Usage:"),
        ({"COSTSHARE_LANG": "da", "LANG": "en_GB.UTF-8"}, "Brug:"),
    ],
)
def test_language_follows_the_environment(
    environment: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("COSTSHARE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(cli, ["--help"], prog_name="costshare")
    assert expected in result.output


def test_lang_option_beats_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COSTSHARE_LANG", "en")
    result = CliRunner().invoke(cli, ["--lang", "da", "split", "--amount", "abc"])
    assert result.stderr == (
        "Fejl: --amount 'abc' er ikke et tal; skriv cifre som 525000 eller 525000,00\n"
    )


def test_verify_verdict_is_danish_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COSTSHARE_LANG")
    monkeypatch.setenv("LANG", "da_DK.UTF-8")
    monkeypatch.chdir(ROOT)
    args = ["verify", "examples/telehjerte-2025.toml", "examples/telehjerte-2025-bilag.csv"]
    danish = CliRunner().invoke(cli, args)
    english = CliRunner().invoke(cli, ["--lang", "en", *args])
    assert danish.output.startswith(
        "OK: examples/telehjerte-2025-bilag.csv stemmer med TeleHjerte, forlængelse 2025: "
    )
    assert "alle 29 kommuner" in danish.output and "i alt (befolkningstal 2025K1)" in danish.output
    assert english.output.startswith(
        "OK: examples/telehjerte-2025-bilag.csv matches TeleHjerte, forlængelse 2025: "
        "all 29 municipalities agree, 525.000 kr. in all (population 2025K1)"
    )


def test_an_error_renders_in_the_language_active_when_shown() -> None:
    from costshare.base.errors import InputError
    from costshare.base.money import parse_amount

    with pytest.raises(InputError) as raised:
        parse_amount("0,001")
    error = raised.value.within(source="prog.toml", key="amount")
    assert str(error) == "prog.toml: key 'amount': amount '0,001' has fractions of an øre; give at most two decimals"  # fmt: skip
    i18n.set_language("da")
    assert str(error) == "prog.toml: nøgle 'amount': beløbet '0,001' har brøkdele af en øre; angiv højst to decimaler"  # fmt: skip
    nested = InputError(lazy_problem := i18n.lazy("the fixed amount per recipient must not be negative"), source="a.csv", row=3).within(source="prog.toml", key="x")  # fmt: skip
    assert str(nested) == "prog.toml: nøgle 'x': a.csv:3: det faste beløb pr. modtager må ikke være negativt"  # fmt: skip
    i18n.set_language("en")
    assert str(nested).endswith(str(lazy_problem))


@pytest.mark.parametrize(
    ("language", "expected"),
    [("da", "Filen 'examples' er en mappe."), ("en", "File 'examples' is a directory.")],
)
def test_a_path_argument_names_its_kind_in_the_active_language(
    language: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """click names a path's kind ("file") when the command is built, before the language is
    chosen; the Danish error must not say "File 'examples' er en mappe"."""
    monkeypatch.chdir(ROOT)
    args = ["--lang", language, "einvoice", "validate", "examples"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert expected in result.stderr, result.stderr
