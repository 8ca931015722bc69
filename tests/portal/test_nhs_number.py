import pytest
from django.core.exceptions import ValidationError

from portal.nhs_number import find_nhs_numbers, is_valid_nhs_number, no_nhs_number

VALID = "9434765919"  # a published test number: weights give 299, 299 mod 11 = 2, 11 - 2 = 9


@pytest.mark.parametrize(
    "text",
    [
        "Patient 9434765919 was moved",
        "NHS no. 943 476 5919.",
        "ref 943-476-5919, see notes",
        "at the start: 943 476-5919",
    ],
)
def test_a_valid_nhs_number_however_written_is_refused(text):
    with pytest.raises(ValidationError) as error:
        no_nhs_number(text)
    assert "NHS number ending 5919" in error.value.messages[0]
    assert "patient-identifiable" in error.value.messages[0]


@pytest.mark.parametrize(
    "text",
    [
        "call 9434765918",  # fails the check digit
        "0123456788 is a phone number",
        "94347659190 is eleven digits",
        "19434765919",  # part of a longer number
        "9434 765 918",  # regrouped, and failing the check digit
        "",
    ],
)
def test_numbers_that_are_not_nhs_numbers_are_accepted(text):
    no_nhs_number(text)


def first_nine_with_check(wanted):
    """A nine-digit prefix whose 11 - (weighted sum mod 11) is `wanted`."""
    for first_nine in (f"{n:09d}" for n in range(100000000, 100001000)):
        total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
        if 11 - total % 11 == wanted:
            return first_nine
    raise AssertionError(f"no prefix with a check of {wanted}")


def test_a_check_of_eleven_means_a_check_digit_of_zero():
    first_nine = first_nine_with_check(11)
    assert is_valid_nhs_number(first_nine + "0")
    assert not any(is_valid_nhs_number(first_nine + str(last)) for last in range(1, 10))


def test_a_number_whose_check_would_be_ten_is_never_valid():
    first_nine = first_nine_with_check(10)
    assert not any(is_valid_nhs_number(first_nine + str(last)) for last in range(10))


def test_it_finds_every_nhs_number_in_a_text():
    assert find_nhs_numbers(f"{VALID} and 943 476 5919 and 9434765918") == [VALID, "943 476 5919"]
