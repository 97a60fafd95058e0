"""Hand-checked examples for :mod:`costshare.allocation.methods`.

Every expected number is worked out in the comments, so a reader can check it with
pencil and paper (or ``divmod``) without trusting the code under test.
"""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from costshare.allocation.methods import allocate, equal_weights, mix_weights
from costshare.base.codes import code_order
from costshare.base.errors import InputError

# København (101), Frederiksberg (147) and Gentofte (157): population figures.
KKR = {"101": 667099, "147": 105840, "157": 75076}
# W = 667099 + 105840 + 75076 = 848015


def test_three_municipalities_525000_kr():
    # T = 525000, W = 848015.  divmod(T·w, W) gives floor and remainder:
    #   101: 525000·667099 = 350226975000 = 412996·848015 + 172060  (412996.203)
    #   147: 525000·105840 =  55566000000 =  65524·848015 + 665140  ( 65524.784)
    #   157: 525000· 75076 =  39414900000 =  46479·848015 +  10815  ( 46479.013)
    # Floors sum to 412996 + 65524 + 46479 = 524999, so r = 1 unit is left over.
    # Largest remainder is 665140 (147), so Frederiksberg gets 65525.
    result = allocate(525000, KKR)
    assert result.shares == {"101": 412996, "147": 65525, "157": 46479}
    assert result.ties == ()
    assert result.method == "largest-remainder"
    assert result.weight_total == 848015


def test_three_municipalities_working():
    # Remainders rank 147 (665140) > 101 (172060) > 157 (10815); r = 1.
    result = allocate(525000, KKR)
    frb = result.working("147")
    assert (frb.floor, frb.leftover, frb.rank, frb.share) == (65524, 1, 1, 65525)
    assert frb.exact == Fraction(55566000000, 848015)
    assert frb.got_extra_unit
    kbh = result.working("101")
    assert (kbh.floor, kbh.rank, kbh.share, kbh.got_extra_unit) == (412996, 2, 412996, False)
    assert result.working("157").rank == 3
    with pytest.raises(KeyError):
        result.working("159")


def test_three_municipalities_webster_agrees():
    # Rounding each exact share to nearest: 412996.203 → 412996, 65524.784 → 65525,
    # 46479.013 → 46479; these already sum to 525000, so Webster agrees here.
    result = allocate(525000, KKR, method="webster")
    assert result.shares == {"101": 412996, "147": 65525, "157": 46479}
    assert result.method == "webster"


def test_negative_total_is_the_mirror_image():
    # A credit note of −525000 is split as 525000 and negated.
    result = allocate(-525000, KKR)
    assert result.shares == {"101": -412996, "147": -65525, "157": -46479}
    # The working's floor is towards zero; the extra unit goes further from zero.
    frb = result.working("147")
    assert (frb.floor, frb.share, frb.got_extra_unit) == (-65524, -65525, True)
    assert frb.exact == Fraction(-55566000000, 848015)


def test_negative_total_with_a_tie():
    # −10 among three equal weights: 10/3 → floors 3, 3, 3, remainders 1, 1, 1, r = 1.
    # The tie goes to the first code, 'a', which pays −4.
    result = allocate(-10, {"c": 1, "a": 1, "b": 1})
    assert result.shares == {"c": -3, "a": -4, "b": -3}
    assert list(result.shares) == ["c", "a", "b"]  # input order is kept
    assert result.ties == ("a", "b", "c")


def test_two_level_cofinancing_50_50():
    # 525001 kr, region and municipalities 50/50: 262500.5 each, floors 262500 + 262500,
    # r = 1, remainders tie; text codes in order: 'kommuner' < 'region'.
    parts = allocate(525001, {"region": 1, "kommuner": 1})
    assert parts.shares == {"region": 262500, "kommuner": 262501}
    assert parts.ties == ("kommuner", "region")
    # 262501 by population, W = 848015:
    #   101: 262501·667099 = 175114154599 = 206498·848015 + 753129
    #   147: 262501·105840 =  27783105840 =  32762·848015 + 438410
    #   157: 262501· 75076 =  19707525076 =  23239·848015 + 504491
    # Floors 262499, r = 2 → the two largest remainders, 101 and 157.
    municipal = allocate(parts.shares["kommuner"], KKR)
    assert municipal.shares == {"101": 206499, "147": 32762, "157": 23240}
    assert parts.shares["region"] + sum(municipal.shares.values()) == 525001


def test_zero_weight_never_gets_the_leftover():
    # T = 1, weights 0, 1, 1: remainders 0, 1, 1 (mod 2); the unit goes to '2' by code.
    result = allocate(1, {"1": 0, "2": 1, "3": 1})
    assert result.shares == {"1": 0, "2": 1, "3": 0}
    assert result.ties == ("2", "3")
    assert allocate(5, {"101": 0, "147": 1}).shares == {"101": 0, "147": 5}


def test_huge_values_stay_exact():
    # 10**25 among three weights of 10**30: 10**25 = 3·3333333333333333333333333 + 1.
    # A float would lose the last unit long before 25 digits.
    result = allocate(10**25, {"a": 10**30, "b": 10**30, "c": 10**30})
    third = 3333333333333333333333333
    assert result.shares == {"a": third + 1, "b": third, "c": third}
    assert result.ties == ("a", "b", "c")


# --- ties ---------------------------------------------------------------------------


def test_tie_between_two_is_reported():
    # 1 unit, weights 1 and 1: remainders 1, 1 (mod 2); '101' comes before '102'.
    result = allocate(1, {"102": 1, "101": 1})
    assert result.shares == {"102": 0, "101": 1}
    assert result.ties == ("101", "102")


def test_tie_reports_only_the_recipients_at_the_boundary():
    # T = 2, weights 1, 1, 2, W = 4: T·w = 2, 2, 4 → floors 0, 0, 1, remainders 2, 2, 0,
    # r = 1. '1' and '2' tie for the unit; '3' is not part of the tie.
    result = allocate(2, {"1": 1, "2": 1, "3": 2})
    assert result.shares == {"1": 1, "2": 0, "3": 1}
    assert result.ties == ("1", "2")


def test_equal_remainders_on_the_same_side_are_not_a_tie():
    # T = 2, weights 2, 2, 1, W = 5: T·w = 4, 4, 2 → floors 0, 0, 0, remainders 4, 4, 2,
    # r = 2: both 4s get a unit, so the code order decided nothing.
    result = allocate(2, {"a": 2, "b": 2, "c": 1})
    assert result.shares == {"a": 1, "b": 1, "c": 0}
    assert result.ties == ()


def test_exact_split_has_no_ties():
    result = allocate(3, equal_weights(["1", "2", "3"]))
    assert result.shares == {"1": 1, "2": 1, "3": 1}
    assert result.ties == ()


def test_numeric_tie_order():
    # As text '1000' < '101', but the codes are numbers, and 101 < 1000.
    result = allocate(1, {"1000": 1, "101": 1})
    assert result.shares == {"1000": 0, "101": 1}
    assert result.ties == ("101", "1000")


def test_tie_order_digits_then_text():
    # T = 3 among five equal weights: 3/5 each, floors 0, remainders all 3, r = 3.
    # Order: 7 < 99 < 0101 (=101) < 'a' < 'b', so 7, 99 and 0101 pay.
    result = allocate(3, equal_weights(["b", "a", "0101", "99", "7"]))
    assert result.shares == {"b": 0, "a": 0, "0101": 1, "99": 1, "7": 1}
    assert result.ties == ("7", "99", "0101", "a", "b")


def test_code_order():
    codes = ["1000", "b", "101", "a", "0101", "99", "7", "B"]
    assert sorted(codes, key=code_order) == ["7", "99", "0101", "101", "1000", "B", "a", "b"]


def test_code_order_with_unicode_digit_characters():
    # '²' and '¹' are digits to str.isdigit() but not decimal numbers: int('²') fails.
    # Any str is a valid code, so the tie rule must still order them (as text).
    assert sorted(["b", "²", "10", "2"], key=code_order)[:2] == ["2", "10"]
    result = allocate(1, {"²": 1, "0": 1})
    assert result.shares == {"²": 0, "0": 1}
    assert result.ties == ("0", "²")


# --- Webster ------------------------------------------------------------------------


def test_webster_differs_from_largest_remainder():
    # Weights 1, 2, 11, T = 3, W = 14; exact 0.214, 0.429, 2.357.
    # Largest remainder: T·w = 3, 6, 33 → floors 0, 0, 2, remainders 3, 6, 5, r = 1 → 147.
    # Webster, claims w/1, w/3, w/5, ...: 157 11, 157 3.67, then 157 2.2 beats 147 2.
    weights = {"101": 1, "147": 2, "157": 11}
    assert allocate(3, weights).shares == {"101": 0, "147": 1, "157": 2}
    assert allocate(3, weights, method="webster").shares == {"101": 0, "147": 0, "157": 3}


def test_webster_tie_goes_to_the_earlier_code():
    # Same tie rule as largest remainder: equal claims (1/1 and 1/1), 'a' before 'b'.
    result = allocate(1, {"b": 1, "a": 1}, method="webster")
    assert result.shares == {"b": 0, "a": 1}
    assert result.ties == ("a", "b")


def test_webster_alabama_weights():
    # Claims, w/1, w/3: b 3, c 3, then a 1, b 1, c 1 all equal → a, then b, then c.
    # T = 3 → 1, 1, 1 (a decided by code order); T = 4 → 1, 2, 1; no share falls.
    weights = {"a": 1, "b": 3, "c": 3}
    assert allocate(3, weights, method="webster").shares == {"a": 1, "b": 1, "c": 1}
    four = allocate(4, weights, method="webster")
    assert four.shares == {"a": 1, "b": 2, "c": 1}
    assert four.ties == ("a", "b", "c")


# --- mix_weights ----------------------------------------------------------------------


def test_mix_40_equal_60_population():
    # a: 2/5·1/2 + 3/5·1/4 = 7/20; b: 2/5·1/2 + 3/5·3/4 = 13/20 → 7 : 13.
    mixed = mix_weights([(Fraction(2, 5), equal_weights("ab")), (Fraction(3, 5), {"a": 1, "b": 3})])
    assert mixed == {"a": 7, "b": 13}
    # 100 kr: 35 and 65 exactly.
    assert allocate(100, mixed).shares == {"a": 35, "b": 65}


# --- errors -------------------------------------------------------------------------


def test_unknown_method():
    message = "unknown method 'dhondt'; use one of: largest-remainder, webster"
    with pytest.raises(InputError, match=re.escape(message)) as caught:
        allocate(10, KKR, method="dhondt")  # type: ignore[arg-type]
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("total", "weights", "message"),
    [
        (10, {}, "there is nobody to split the amount between; give at least one recipient"),
        (10, {"101": 0, "147": 0}, "all weights are zero, so there is no basis to split by"),
        (10, {"101": 5, "147": -1}, "recipient 147: weight must not be negative, got -1"),
        (10, {"101": 12.5}, "recipient 101: weight must be a whole number, got 12.5"),
        (10, {"101": True}, "recipient 101: weight must be a whole number, got True"),
        (10, {"101": "12"}, "recipient 101: weight must be a whole number, got '12'"),
        (1.5, {"101": 1}, "the total must be a whole number of units, got 1.5"),
    ],
)
def test_invalid_input_messages(total, weights, message):
    with pytest.raises(InputError, match=re.escape(message)):
        allocate(total, weights)
