import pytest
from django import forms
from django.core.exceptions import ValidationError

from portal.forms import PortalForm
from portal.nhs_number import (
    NoNHSNumberValidator,
    find_nhs_numbers,
    is_valid_nhs_number,
    no_nhs_number,
)
from tests.conftest import AN_NHS_NUMBER

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
    assert find_nhs_numbers(f"{VALID},4010230002") == [VALID, "4010230002"]


# Four spellings an outside probe found getting through: URL-encoded spaces, a long run of
# separators, the letter O for a zero, and words between the groups after "NHS number".
@pytest.mark.parametrize(
    "text",
    [
        "943%20476%205919",
        "https://example.org/records?q=943%20476%205919",
        "943          476          5919",
        "943 -- / -- 476 -- / -- 5919",
        "Patient 4O1 O23 OOO2 was seen",  # 401 023 0002
        "ref 4o1o23ooo2",
        "NHS no 943 then 476 then 5919",
        "NHS number: 943, and then 476, and 5919",
    ],
)
def test_the_spellings_that_got_through_are_refused(text):
    with pytest.raises(ValidationError):
        no_nhs_number(text)


@pytest.mark.parametrize(
    "text",
    [
        # Each of these was refused as "the NHS number ending ...": ten digits that happen to
        # pass the check, made of a date and a time, a date range or a list of times.
        "Seen in the emergency department on 01/05/2025 22:09, after the fall.",
        "01.09.25, 22:09",
        "1/1/2025 - 13/11",
        "Huddles at 09:00, 10:30, 14:45 and 16:15",
        # Words between groups of 3, 3 and 4 count only after "NHS number".
        "Falls rose from 100 to 100 in 2024",
    ],
)
def test_dates_times_and_ranges_are_not_nhs_numbers(text):
    no_nhs_number(text)


@pytest.mark.parametrize(
    "text",
    [
        # The ten digits after the country code or the trunk zero pass the check.
        "+44 113 496 0018",
        "+44 (0)113 496 0018",
        "+44 (0) 113 496 0018",
        "0044 113 496 0018",
        "(+44) 113 496 0018",
        "+44 7700900108",
        "+44-7700-900108",
        "(0)7700 900108",
        "0113 496 0018",
        "(0113) 496 0018",
        "0161-496-0003",
        "020 7946 0919",
        "07700 900108",
        "07700900108",
    ],
)
def test_telephone_numbers_are_not_nhs_numbers(text):
    no_nhs_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "Trusts RX1, R0A and 5QX",
        "ODS code RXO and NO 1OO",
        "£1,234,567.89",
        "Reference 2024/0123, HSSIB-2023-001 and PFD 2025-0123",
        "NHS numbers must never be stored, even 94 34 76 59 19",
        "p = 0.9434765919",
    ],
)
def test_codes_money_references_and_fractions_are_not_nhs_numbers(text):
    no_nhs_number(text)


def test_the_message_says_where_the_number_is_and_hides_all_but_its_last_four_digits():
    text = "The patient was seen on ward 3, 943 476 5919, after a fall in the night."
    with pytest.raises(ValidationError) as error:
        NoNHSNumberValidator(label="Summary")(text)
    assert error.value.messages == [
        "Remove the NHS number ending 5919 from Summary: “…was seen on ward 3, ••• ••• 5919, "
        "after a fall in the…” (characters 33 to 44). The portal must never hold "
        "patient-identifiable information."
    ]
    assert text[32:44] == "943 476 5919"


def test_a_line_break_counts_as_one_character_where_the_message_says_where():
    with pytest.raises(ValidationError) as error:
        no_nhs_number("First line\r\nSecond line 9434765919")
    assert "(characters 24 to 33)" in error.value.messages[0]
    assert "“First line Second line ••••••5919”" in error.value.messages[0]


def test_no_digit_of_another_number_nearby_shows_in_the_message():
    with pytest.raises(ValidationError) as error:
        no_nhs_number("943 476 5919 and 9434765919")
    assert len(error.value.messages) == 2
    for message in error.value.messages:
        assert "943" not in message and "476" not in message


def test_many_numbers_give_three_messages_and_a_count_of_the_rest():
    with pytest.raises(ValidationError) as error:
        NoNHSNumberValidator(label="Notes")(" ".join([AN_NHS_NUMBER] * 5))
    assert len(error.value.messages) == 4
    assert error.value.messages[-1] == "Remove the other 2 NHS numbers from Notes as well."


class SummaryForm(PortalForm):
    summary = forms.CharField(label="Summary", widget=forms.Textarea, max_length=5_000)


def test_a_forms_message_names_the_field():
    form = SummaryForm({"summary": f"Ref {AN_NHS_NUMBER}."})
    assert not form.is_valid()
    assert form.errors["summary"] == [
        "Remove the NHS number ending 5919 from Summary: “Ref ••• ••• 5919.” (characters 5 "
        "to 16). The portal must never hold patient-identifiable information."
    ]


def test_a_forms_guard_reads_no_further_than_the_fields_limit():
    # Text over the limit is refused for its length; reading megabytes of digit groups for an
    # NHS number as well would take seconds.
    form = SummaryForm({"summary": "x" * 5_000 + AN_NHS_NUMBER})
    assert form.errors["summary"] == ["Summary must be 5,000 characters or fewer"]
