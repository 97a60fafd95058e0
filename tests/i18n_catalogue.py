"""Extracting the messages to translate, and keeping the Danish catalogue in step (issue #11).

What counts as a message (the same for the test and for updating the catalogue):

* the first argument of ``tr``/``lazy`` and the first two of ``ntr``/``nlazy``
  (costshare/base/i18n.py);
* every ``help=``/``short_help=``/``metavar=`` text and the docstring of every click command or group
  (translated when help is shown, see costshare/cli/base.py);
* click's own texts (its ``_()``/``ngettext()`` calls) in the modules costshare routes
  through its catalogue.

Modules on :data:`NOT_YET_CONVERTED` still have English messages written as plain strings;
they are skipped (their help stays English) until they are converted.

``python tests/i18n_catalogue.py --update`` merges new message ids into the ``.po`` (new
entries get an empty Danish text, which the test refuses until someone writes one) and
compiles the ``.mo``.
"""

from __future__ import annotations

import ast
import inspect
import io
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "costshare"
LOCALE = PACKAGE / "locale" / "da" / "LC_MESSAGES"
PO = LOCALE / "costshare.po"
MO = LOCALE / "costshare.mo"

# Modules whose messages are still plain English strings: other branches of this round
# edit them. Remove a module from the list when its messages go through tr()/lazy().
NOT_YET_CONVERTED = frozenset(
    {
        # Not converted yet on this branch: their messages are still English.
        # E-invoice findings quote the published OIOUBL/Peppol rule texts (English).
        "costshare/check/einvoice/danish_rules.py",
        "costshare/check/einvoice/findings.py",
        "costshare/check/einvoice/oioubl_amounts.py",
        "costshare/check/einvoice/oioubl_base.py",
        "costshare/check/einvoice/oioubl_parties.py",
        "costshare/check/einvoice/oioubl_rules.py",
        "costshare/check/einvoice/published.py",
        "costshare/check/einvoice/validate.py",
    }
)
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "utils", "termui")  # fmt: skip

Message = tuple[str, ...]  # (msgid,) or (singular, plural)


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def messages_in(
    source: str, singular: tuple[str, ...], plural: tuple[str, ...]
) -> Iterator[Message]:
    """The messages of one module, in source order."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            texts = [_text(arg) for arg in node.args[:2]]
            if name in singular and texts and texts[0] is not None:
                yield (texts[0],)
            elif name in plural and len(texts) == 2 and None not in texts:
                yield (texts[0], texts[1])  # type: ignore[misc]
            for keyword in node.keywords:
                text = _text(keyword.value)
                if keyword.arg in ("help", "short_help", "metavar") and text:
                    yield (inspect.cleandoc(text),)
        elif isinstance(node, ast.FunctionDef):
            decorated = any(
                isinstance(d, ast.Call) and _name(d.func) in ("command", "group")
                for d in node.decorator_list
            )
            docstring = ast.get_docstring(node)
            if decorated and docstring:
                yield (docstring,)


USER_FACING = ("InputError", "CostshareError", "DataError", "TemplateError", "ClickException", "UsageError", "BadParameter", "echo", "secho")  # fmt: skip


def _is_text(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(part, ast.Constant) and str(part.value).strip() for part in node.values
        )
    text = _text(node)
    return bool(text and any(ch.isalpha() for ch in text))


def untranslated(source: str) -> list[int]:
    """Lines where a message to a user is written as a plain string or f-string (an error
    raised, a line echoed), instead of going through tr()/lazy()."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        call = isinstance(node, ast.Call) and _name(node.func) in USER_FACING and node.args
        if call and _is_text(node.args[0]):  # type: ignore[attr-defined]
            lines.append(node.lineno)
    return sorted(lines)


def costshare_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def extract() -> dict[Message, list[str]]:
    """Every message to translate, with where it occurs (costshare's, then click's)."""
    found: dict[Message, list[str]] = {}
    for path in costshare_modules():
        relative = path.relative_to(ROOT).as_posix()
        if relative in NOT_YET_CONVERTED:
            continue
        for message in messages_in(
            path.read_text("utf-8"), ("tr", "lazy", "mark"), ("ntr", "nlazy")
        ):
            found.setdefault(message, []).append(relative)
    # click translates ``_(extra["required"])``: an id no extractor can see.
    found.setdefault(("required",), []).append("click/core.py")
    for name in CLICK_MODULES:
        path = Path(click.__file__).parent / f"{name}.py"
        for message in messages_in(path.read_text("utf-8"), ("_",), ("ngettext",)):
            found.setdefault(message, []).append(f"click/{name}.py")
    return found


def read_catalogue() -> Catalog:
    with PO.open("rb") as po:
        return read_po(po, locale="da", domain="costshare")


def compiled(catalogue: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalogue)
    return out.getvalue()


def update() -> None:
    """Merge the extracted messages into the .po and compile the .mo."""
    template = Catalog(locale="da", domain="costshare", project="costshare")
    for message, places in extract().items():
        msgid = message[0] if len(message) == 1 else message
        template.add(msgid, locations=[(place, None) for place in places])
    if PO.exists():
        catalogue = read_catalogue()
        created = catalogue.creation_date  # unchanged, so an update without news is no diff
        catalogue.update(template, no_fuzzy_matching=True)
        catalogue.obsolete.clear()
        catalogue.creation_date = created
    else:
        catalogue = template
    catalogue.fuzzy = False
    catalogue.project, catalogue.version = "costshare", "0.1"
    catalogue.msgid_bugs_address = ""
    catalogue.copyright_holder = "the costshare authors"
    catalogue.last_translator = catalogue.language_team = "costshare <->"
    with PO.open("wb") as po:
        write_po(
            po, catalogue, width=100, omit_header=False, sort_by_file=False, include_lineno=False
        )
    MO.write_bytes(compiled(read_catalogue()))


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        update()
    else:
        for message, places in extract().items():
            print(places[0], message)
