"""The NHS-number guard, driven by generated numbers and spellings: every valid NHS number
written together or grouped 3-3-4, whatever separates the groups and whatever script its digits
are in, is refused, and after the words "NHS number" however it is split; ten digits in another
grouping without those words, and ten digits that fail the modulus 11 check, are accepted."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from portal.nhs_number import find_nhs_numbers, no_nhs_number

WEIGHTS = range(10, 1, -1)

SEPARATORS = [
    " ",
    "  ",
    "-",
    " - ",
    ".",
    "/",
    "\n",
    "\r\n",
    "\t",
    "\u00a0",  # no-break space
    "\u2009",  # thin space
    "\u202f",  # narrow no-break space
    "\u3000",  # ideographic space
    "**",
    "*",
    "_",
    "__",
    "~~",
    "`",
    " **",
    "%20",  # URL-encoded
    "\u2003",  # em space
    "\u2013",  # en dash
    "      ",  # a long run
    " - / ",
    "\n\n",
]
# The zero of each of a few scripts' digits: ASCII, Arabic-Indic, Extended Arabic-Indic,
# Devanagari, Bengali, Thai, full-width, mathematical bold.
ZEROS = ["0", "\u0660", "\u06f0", "\u0966", "\u09e6", "\u0e50", "\uff10", "\U0001d7ce"]
# Text around a number that holds no digits of its own.
SURROUNDINGS = st.text(
    alphabet=st.characters(whitelist_categories=["Lu", "Ll", "Zs", "Po"]), max_size=20
)


def check_digit(first_nine):
    total = sum(int(d) * w for d, w in zip(first_nine, WEIGHTS, strict=True))
    return (11 - total % 11) % 11  # 11 means 0; 10 means no valid number


nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)
valid_numbers = nine_digits.filter(lambda nine: check_digit(nine) != 10).map(
    lambda nine: nine + str(check_digit(nine))
)


@st.composite
def invalid_numbers(draw):
    nine = draw(nine_digits)
    last = draw(st.sampled_from([d for d in "0123456789" if check_digit(nine) != int(d)]))
    return nine + last


def written_with_cuts(draw, number, cuts):
    zero = draw(st.sampled_from(ZEROS))
    number = "".join(chr(ord(zero) + int(digit)) for digit in number)
    pieces = [number[a:b] for a, b in zip([0, *cuts], [*cuts, 10], strict=True)]
    written = pieces[0]
    for piece in pieces[1:]:
        written += draw(st.sampled_from(SEPARATORS)) + piece
    return written


@st.composite
def spelt(draw, number, cue=""):
    """`number` split into groups at random places, each gap a separator, inside text, after
    `cue`."""
    cuts = sorted(draw(st.sets(st.integers(1, 9), max_size=9)))
    before, after = draw(SURROUNDINGS), draw(SURROUNDINGS)
    # Keep the number apart from the words around it, as a number written in a sentence is.
    return f"{before} {cue}{written_with_cuts(draw, number, cuts)} {after}"


@st.composite
def spelt_in_shape(draw, number):
    """`number` together or grouped 3-3-4, each gap a separator, inside text."""
    cuts = draw(st.sampled_from([[], [3, 6]]))
    before, after = draw(SURROUNDINGS), draw(SURROUNDINGS)
    return f"{before} {written_with_cuts(draw, number, cuts)} {after}"


@st.composite
def spelt_out_of_shape(draw, number):
    """`number` split anywhere but 3-3-4, inside text that does not say "NHS number"."""
    cuts = sorted(
        draw(st.sets(st.integers(1, 9), min_size=1, max_size=9).filter(lambda c: c != {3, 6}))
    )
    return f"{draw(SURROUNDINGS)} {written_with_cuts(draw, number, cuts)} {draw(SURROUNDINGS)}"


@settings(max_examples=300, deadline=None)
@given(valid_numbers.flatmap(spelt_in_shape))
@example("943.476.5919")
@example("943**476**5919")
@example("NHS no 943\u00a0476\u20095919")
@example("９４３ ４７６ ５９１９")  # full-width digits
@example("943%20476%205919")
@example("943 \u00a0 - \u00a0 476 \u00a0 - \u00a0 5919")
def test_every_valid_nhs_number_together_or_3_3_4_in_any_spelling_is_refused(text):
    with pytest.raises(ValidationError):
        no_nhs_number(text)


@settings(max_examples=300, deadline=None)
@given(valid_numbers.flatmap(lambda number: spelt(number, cue="NHS number ")))
@example("NHS number 94 34 76 59 19")
@example("NHS no. 9434 765 919")
def test_after_the_words_nhs_number_a_valid_number_split_anywhere_is_refused(text):
    with pytest.raises(ValidationError):
        no_nhs_number(text)


# Split anywhere, ten digits are as likely a date and a time, a list of times or a telephone
# number as an NHS number: without the words, only 3-3-4 and ten together are read as one.
@settings(max_examples=300, deadline=None)
@given(valid_numbers.flatmap(spelt_out_of_shape))
@example("94 34 76 59 19")
@example("9434 765 919")
def test_a_valid_number_split_otherwise_without_the_words_nhs_number_is_accepted(text):
    no_nhs_number(text)


@settings(max_examples=300, deadline=None)
@given(invalid_numbers().flatmap(spelt))
@example("943 476 5918")
@example("NHS number 94 34 76 59 18")
def test_ten_digits_failing_the_check_are_accepted_in_any_spelling(text):
    no_nhs_number(text)


@given(valid_numbers)
def test_the_message_names_the_last_four_digits(number):
    with pytest.raises(ValidationError) as error:
        no_nhs_number(f"See {number[:3]}.{number[3:6]}.{number[6:]} today")
    assert f"NHS number ending {number[-4:]}" in error.value.messages[0]


@given(valid_numbers)
def test_a_valid_number_inside_a_longer_run_of_digits_is_not_an_nhs_number(number):
    assert find_nhs_numbers(f"1{number}") == []
