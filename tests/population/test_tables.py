"""The table reader in plain Python against polars, which read every table before (#23).

A register or an annex is read without importing polars: :func:`plain_records` splits CSV
text whose quoting is plain, and :func:`make_table` checks the rows in Python. Both must
give what polars gives, cell for cell, or leave the text to polars; Hypothesis writes the
text, the references are polars' reader and the rules as they were written in polars.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from typing import Any

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from paths import EXAMPLES

from costshare.base.errors import InputError
from costshare.base.limits import MAX_FIELD_CHARS
from costshare.base.text import FORBIDDEN_CLASS
from costshare.population.csvtext import plain_records
from costshare.population.tables import _polars_records
from costshare.population.tabular import make_table

SEPARATORS = st.sampled_from([",", ";", "\t"])
CSV_TEXT = st.text(st.sampled_from(["a", "b", " ", ",", ";", "\t", '"', "\n", "æ"]), max_size=40)


@settings(max_examples=400, deadline=None)
@given(CSV_TEXT, SEPARATORS)
@example(';"a\nb";x', ";")  # the header's record runs on: padding its line split a quoted cell
def test_plain_records_are_what_polars_reads(text: str, separator: str) -> None:
    body = "h" + text  # the header line starts the body, as the reader finds it
    plain = plain_records(body, separator)
    try:
        expected = [tuple(record) for record in _polars_records(body, 0, separator, "f.csv")]
    except InputError:
        assert plain is None  # polars refuses it: the reader must say why, so polars reads it
        return
    if plain is None:
        assert '"' in body  # only quoted text is ever left to polars
        return
    width = max(map(len, plain))
    assert len(expected[0]) == width
    assert [(*r, *(None,) * (width - len(r))) for r in plain] == expected


def polars_table(
    header: list[str], records: list[tuple[str | None, ...]]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]] | str:
    """The rows and total rows as the polars make_table gave them, or its error's cell."""
    labels = "i alt|total|sum|samlet|alt i alt"
    total = f"^(?:{labels})(?: .*)?$|^.* (?:{labels})$"
    width = len(header)
    columns = {f"c{i}": [r[i] for r in records] for i in range(width)}
    frame = pl.DataFrame(columns, schema={c: pl.String for c in columns}).with_row_index("_rec")
    cells = [pl.col(f"c{i}") for i in range(width)]
    blank = pl.all_horizontal([c.is_null() | (c.str.strip_chars() == "") for c in cells])
    frame = frame.filter(~blank)
    for index, title in enumerate(header):
        column = pl.col(f"c{index}")
        checks = (
            [column.str.strip_chars() != ""]
            if not title
            else [column.str.len_chars() > MAX_FIELD_CHARS, column.str.contains(FORBIDDEN_CLASS)]
        )
        for check in checks:
            found = frame.filter(check)
            if not found.is_empty():
                return f"row {found['_rec'][0]}, column {index}"

    def normal(column: pl.Expr) -> pl.Expr:
        text = column.str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()
        return text.str.strip_chars_end(":.").str.strip_chars()

    is_total = pl.any_horizontal(
        [normal(pl.col(f"c{i}")).str.contains(total) for i, t in enumerate(header) if t]
        or [pl.lit(False)]
    ).fill_null(False)
    return frame.filter(~is_total).rows(), frame.filter(is_total).rows()


CELL = st.one_of(
    st.none(),
    st.text(st.sampled_from(list("aI lt:.\u00a0\x1c\u2003\u202e")), max_size=8),
    st.sampled_from(
        ["I alt", " Total: ", "Samlet udgift", "kommuner i alt.", "ialt", "x" * 10_001]
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_make_table_keeps_the_rules_polars_held(data: st.DataObject) -> None:
    width = data.draw(st.integers(1, 3))
    header = data.draw(st.lists(st.sampled_from(["a", "b", ""]), min_size=width, max_size=width))
    rows = data.draw(st.lists(st.tuples(*[CELL] * width), max_size=6))
    expected = polars_table(header, rows)
    row_number: Callable[[int], int] = lambda rec: rec  # noqa: E731
    try:
        table = make_table("f.csv", header, rows, row_number)
    except InputError as error:
        assert isinstance(expected, str), error
        assert f"row {error.row}" in expected
        return
    assert not isinstance(expected, str), expected
    data_rows, total_rows = expected
    assert [(rec, *cells) for rec, cells in table.rows] == data_rows
    assert [(rec, *cells) for rec, cells in table.total_rows] == total_rows


@pytest.mark.parametrize(
    "code",
    [
        "from costshare.programme.register import load_register\n"
        "load_register(EXAMPLES / 'telehjerte-2025-modtagere.csv', CODES)",
        "from costshare.check.annex import read_annex\nread_annex(EXAMPLES / 'telehjerte-2025-bilag.csv')",
    ],
    ids=["register", "annex"],
)
def test_a_register_and_an_annex_are_read_without_polars(code: str) -> None:
    program = (
        "import sys\nfrom pathlib import Path\n"
        "from costshare.population.names import municipality_names\n"
        f"EXAMPLES = Path({str(EXAMPLES)!r})\n"
        "CODES = [*municipality_names(), '084']\n"
        f"{code}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'polars'))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
