"""Recipient codes: one order and one reading for every command (issues #19 and #24).

A code is read once, the way every command reads it (:func:`read_code`: Unicode
compatibility forms folded, so a full-width ``１５７`` is ``157`` and a superscript ``²`` is
``2``), and ordered by one rule (:func:`code_order`). Only ASCII digit codes are numbers:
any other digit is text, so no code can pass a digit test and then fail ``int()``.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from costshare.base.codes import code_key, code_order, is_number_code, read_code, same_code

CODES = st.text(min_size=1, max_size=12)


def test_digit_codes_come_first_by_number_then_text() -> None:
    assert sorted(["S-1", "1000000001", "101"], key=code_order) == ["101", "1000000001", "S-1"]


@given(st.lists(CODES, max_size=8))
def test_every_code_has_an_order_and_a_key(codes: list[str]) -> None:
    # '²', '٣' and '１' are digits to str.isdigit(); none may make int() fail here.
    sorted(codes, key=code_order)
    [code_key(code) for code in codes]


@given(CODES, CODES)
def test_same_code_is_equality_of_keys(left: str, right: str) -> None:
    assert same_code(left, right) == (code_key(left) == code_key(right))


def test_compatibility_digits_read_as_their_ascii_digits() -> None:
    assert read_code(" １５７ ") == "157"
    assert read_code("²") == "2"
    assert read_code("Ｓ-１") == "S-1"
    assert same_code("０１５７", "157")


def test_only_ascii_digits_are_numbers() -> None:
    assert is_number_code("0157")
    assert not is_number_code("٣")  # an Arabic-Indic digit is text, not the number 3
    assert not is_number_code("")
    assert code_order("٣") == (1, 0, "٣")


def test_a_content_length_of_other_digits_is_no_number() -> None:
    """A StatBank answer's Content-Length '²' passed isdigit() and then failed int()."""
    import io

    from costshare.population.statbank_http import _read

    response = io.BytesIO(b"abc")
    response.headers = {"Content-Length": "²"}  # type: ignore[attr-defined]
    response.length = None  # type: ignore[attr-defined]
    assert _read(response, 10, "http://example.invalid/") == b"abc"
