"""One payment instruction (issue #20, item 6): ``[payment]`` read once into fields.

The account was free text for the letters (``account``) and fields for the e-invoices
(``reg_no``/``account_no``, ``iban``/``bic``), and nothing compared them: two different
accounts went out in one package, and a programme with only the fields had letters
without an account. Now the text is read into the fields, two spellings must agree, and
every document prints the one account.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from annex_helpers import run_cli
from hypothesis import given
from hypothesis import strategies as st
from paths import EXAMPLES

from costshare.base.errors import InputError
from costshare.base.identifiers import iban_ok
from costshare.programme.model import load_programme
from costshare.programme.payment import BankAccount, read_payment
from costshare.programme.years import load_plan

TELEHJERTE = (EXAMPLES / "telehjerte-2025.toml").read_text(encoding="utf-8")
EXAMPLE_ACCOUNT = 'account = "Reg.nr. 0000, kontonr. 0000000000 (illustrativt)"\n'


def programme_with(folder: Path, bank: str) -> Path:
    """The TeleHjerte example with ``bank`` in place of its account line."""
    assert EXAMPLE_ACCOUNT in TELEHJERTE
    path = folder / "telehjerte.toml"
    path.write_text(TELEHJERTE.replace(EXAMPLE_ACCOUNT, bank), encoding="utf-8")
    return path


def read(**section: str) -> BankAccount | None:
    return read_payment(Path("p.toml"), section).account


# --- the case ---------------------------------------------------------------------
def test_two_accounts_in_one_programme_are_refused_by_run(tmp_path: Path) -> None:
    """The letter would name 9999/1111111111, the e-invoice 1234/1234567890."""
    bank = 'account = "Reg.nr. 9999, kontonr. 1111111111"\nreg_no = "1234"\naccount_no = "1234567890"\n'
    path = programme_with(tmp_path, bank)
    out = tmp_path / "out"
    result = run_cli("--lang", "en", "run", str(path), "--out", str(out))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {path}: key 'payment.account': 'Reg.nr. 9999, kontonr. 1111111111' is not "
        "the account in 'payment.reg_no'/'payment.account_no' (Reg.nr. 1234, kontonr. "
        "1234567890); give the account once: delete one of the two spellings"
    ]
    assert not out.exists()


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ('reg_no = "1234"\naccount_no = "1234567890"', "Reg.nr. 1234, kontonr. 1234567890"),
        ('reg_no = "1234"\naccount_no = "0012345678"', "1234-12345678"),  # leading zeros
        ('reg_no = "1234"\naccount_no = "1234567890"', "Danske Bank 1234 1234567890"),
        ('iban = "DK5000400440116243"\nbic = "DABADKKK"', "IBAN DK50 0040 0440 1162 43"),
    ],
)
def test_two_spellings_of_one_account_are_one_account(
    tmp_path: Path, fields: str, text: str
) -> None:
    programme = load_programme(programme_with(tmp_path, f'{fields}\naccount = "{text}"\n'))
    fields_only = load_programme(programme_with(tmp_path, fields + "\n"))
    assert programme.payment.account == fields_only.payment.account


@pytest.mark.parametrize(
    ("bank", "key", "problem"),
    [
        ('account = "Reg.nr. 12345, kontonr. 1234567890"', "account", "cannot be read"),
        ('account = "kontonummer oplyses senere"', "account", "cannot be read"),
        ('account = "IBAN DK50 0040 0440 1162 44, BIC DABADKKK"', "account", "check digits"),
        ('account = "IBAN DK50 0040 0440 1162 43"', "bic", "is missing; an IBAN needs its BIC"),
        ('account = "IBAN DK50 0040 0440 1162 43, BIC DABADKKK"\nreg_no = "1234"\naccount_no = "1"', "account", "is not the account in 'payment.reg_no'/'payment.account_no'"),
        ('account_no = "1234567890"', "reg_no", "is missing; give reg_no and account_no"),
        ('reg_no = "1234"\naccount_no = "12345678901"', "account_no", "is not an account number"),
        ('iban = "DK5000400440116244"\nbic = "DABADKKK"', "iban", "check digits"),
        ('iban = "DK5000400440116243"\nbic = "DABA"', "bic", "is not a BIC"),
    ],
)  # fmt: skip
def test_an_account_that_is_not_one_is_refused(
    tmp_path: Path, bank: str, key: str, problem: str
) -> None:
    with pytest.raises(InputError) as caught:
        load_programme(programme_with(tmp_path, bank + "\n"))
    message = str(caught.value)
    assert f"key 'payment.{key}': " in message
    assert problem in message
    assert "\n" not in message


def test_only_fields_or_only_text_or_nothing(tmp_path: Path) -> None:
    danish = BankAccount(reg_no="1234", account_no="1234567890")
    assert read(reg_no="1234", account_no="1234567890") == danish
    assert read(account="Reg.nr. 1234, kontonr. 1234567890 (KL's driftskonto)") == danish
    assert read(account="IBAN DK50 0040 0440 1162 43, BIC DABADKKK") == BankAccount(
        iban="DK5000400440116243", bic="DABADKKK"
    )
    assert read() is None
    # The example's own text is read as the account it names.
    assert load_programme(EXAMPLES / "telehjerte-2025.toml").payment.account == BankAccount(
        "0000", "0000000000"
    )


# --- a year's own account -----------------------------------------------------------------
def test_a_year_that_names_an_account_replaces_the_programmes(tmp_path: Path) -> None:
    text = (EXAMPLES / "telehjerte-2025-2027.toml").read_text(encoding="utf-8")
    old = 'payment = { due = 2027-03-01, reference = "TeleHjerte 2027" }'
    assert old in text
    new = 'payment = { due = 2027-03-01, reference = "TeleHjerte 2027", reg_no = "5555", account_no = "12" }'
    path = tmp_path / "years.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    plan = load_plan(path)
    assert plan.year(2027).programme.payment.account == BankAccount("5555", "12")
    assert plan.year(2026).programme.payment.account == BankAccount("0000", "0000000000")


# --- the arithmetic -----------------------------------------------------------------------
def _iban(country: str, bban: str) -> str:
    """An IBAN with its check digits computed (ISO 13616, ISO 7064 mod 97-10)."""
    number = int("".join(str(int(c, 36)) for c in bban + country + "00"))
    return f"{country}{98 - number % 97:02d}{bban}"


@given(st.text(alphabet="0123456789", min_size=14, max_size=14))
def test_every_danish_iban_with_its_check_digits_passes(bban: str) -> None:
    assert iban_ok(_iban("DK", bban))


@given(
    st.text(alphabet="0123456789", min_size=14, max_size=14),
    st.integers(min_value=4, max_value=17),
    st.integers(min_value=1, max_value=9),
)
def test_one_changed_digit_is_caught(bban: str, position: int, change: int) -> None:
    good = _iban("DK", bban)
    digit = (int(good[position]) + change) % 10
    assert not iban_ok(good[:position] + str(digit) + good[position + 1 :])


@given(
    st.text(alphabet="0123456789", min_size=4, max_size=4),
    st.text(alphabet="0123456789", min_size=1, max_size=10),
)
def test_the_printed_account_reads_back_as_itself(reg_no: str, account_no: str) -> None:
    account = BankAccount(reg_no, account_no)
    assert read(account=account.words()) == account
    assert read(account=f"{reg_no}-{account_no}") == account
