"""The NHS-number guard measured on generated sets, each of 10,000 texts made with a fixed seed:
date-times, date ranges and lists of times in the forms people in the UK write them; UK
telephone numbers in every common spelling; codes, money, references and numbers failing the
check digit; and valid NHS numbers in every spelling the guard is meant to catch. Nothing in
the first three is refused and nothing in the last is missed. `bench/nhs_number.py` prints
the same sets' figures and the time they take."""

import datetime
import random

import pytest

from portal.nhs_number import find_nhs_numbers, is_valid_nhs_number

SEED = 31
SIZE = 10_000


def random_datetime(rng):
    start = datetime.datetime(2000, 1, 1)
    return start + datetime.timedelta(milliseconds=rng.randrange(31 * 366 * 24 * 60 * 60 * 1000))


def _twelve_hour(moment):
    return f"{moment.hour % 12 or 12}:{moment:%M}{'am' if moment.hour < 12 else 'pm'}"


# Each takes a date-time and a later one.
DATE_TIME_FORMS = [
    lambda a, b: f"{a:%d/%m/%Y %H:%M}",
    lambda a, b: f"{a.day}/{a.month}/{a:%y} {a.hour}:{a:%M}",
    lambda a, b: f"{a:%d.%m.%y}, {a:%H:%M}",
    lambda a, b: f"{a:%d-%m-%Y %H:%M:%S}",
    lambda a, b: f"{a:%Y-%m-%d %H:%M}",
    lambda a, b: f"{a:%Y-%m-%dT%H:%M:%S}",
    lambda a, b: f"{a:%Y-%m-%d %H:%M:%S}.{a.microsecond // 1000:03d}",
    lambda a, b: f"{a.day} {a:%B %Y %H:%M}",
    lambda a, b: f"{a.day} {a:%b %Y}, {_twelve_hour(a)}",
    lambda a, b: f"{a:%A} {a.day} {a:%B} at {a:%H:%M}",
    lambda a, b: f"{a:%H:%M} on {a:%d/%m/%Y}",
    lambda a, b: f"{a:%d/%m/%Y} at {a:%H:%M}",
    lambda a, b: f"{a:%d/%m/%Y %H:%M} - {b:%H:%M}",
    lambda a, b: f"{a:%d.%m.%Y %H.%M}",
    lambda a, b: f"{a:%d/%m/%Y %H%M}",
    lambda a, b: f"{a:%d%m%Y %H%M}",
    lambda a, b: f"{a.day}/{a.month}/{a.year} - {b.day}/{b.month}",
    lambda a, b: f"{a.day}/{a.month}/{a.year}-{b.day}/{b.month}/{b.year}",
    lambda a, b: f"{a:%d/%m/%Y} to {b:%d/%m/%Y}",
    lambda a, b: f"{a:%d/%m/%y} \u2013 {b:%d/%m/%y}",
    lambda a, b: f"{a.day}-{b.day} {a:%B %Y}",
    lambda a, b: f"{a:%H:%M}, {b:%H:%M}, {(b + datetime.timedelta(minutes=95)):%H:%M}",
    lambda a, b: f"{a:%H:%M} {b:%H:%M} {(b + datetime.timedelta(minutes=95)):%H:%M}",
    lambda a, b: f"{a:%H%M}, {b:%H%M} and {(b + datetime.timedelta(minutes=95)):%H%M}",
    lambda a, b: f"{a.hour}.{a:%M}, {b.hour}.{b:%M} and {b.hour + 1}.{b:%M}",
    lambda a, b: f"{a:%d/%m/%Y %H:%M}, {b:%d/%m/%Y %H:%M}",
]

SENTENCES = [
    "{}",
    "Seen on {}.",
    "The huddle ({}) agreed the change.",
    "Incident reported {}, reviewed the next week",
    "Times: {}",
]


def date_times(seed=SEED, size=SIZE):
    rng = random.Random(seed)
    texts = []
    for _ in range(size):
        start = random_datetime(rng)
        later = start + datetime.timedelta(minutes=rng.randrange(1, 60 * 24 * 40))
        written = rng.choice(DATE_TIME_FORMS)(start, later)
        texts.append(rng.choice(SENTENCES).format(written))
    return texts


def _digits(rng, count):
    return "".join(rng.choice("0123456789") for _ in range(count))


def _london(rng):
    number = "20" + rng.choice("378") + _digits(rng, 7)
    a, b = number[2:6], number[6:]
    return number, [
        f"020 {a} {b}",
        f"020-{a}-{b}",
        f"(020) {a} {b}",
        f"0{number}",
        f"020 {a}{b}",
        f"0{number[:3]} {number[3:6]} {number[6:]}",
    ]


def _four_digit_area(rng):
    number = (
        rng.choice(
            ["113", "114", "115", "116", "117", "118", "121", "131", "141", "151", "161", "191"]
        )
        + "4"
        + _digits(rng, 6)
    )
    a, b, c = number[:3], number[3:6], number[6:]
    return number, [
        f"0{a} {b} {c}",
        f"0{a}-{b}-{c}",
        f"(0{a}) {b} {c}",
        f"0{number}",
        f"0{a} {b}{c}",
        f"0{a}.{b}.{c}",
    ]


def _five_digit_area(rng):
    number = rng.choice(["1632", "1223", "1865", "1904", "1392", "1603"]) + _digits(rng, 6)
    a, b = number[:4], number[4:]
    return number, [
        f"0{a} {b}",
        f"(0{a}) {b[:3]} {b[3:]}",
        f"0{a}-{b[:3]}-{b[3:]}",
        f"0{number}",
        f"0{a} {b[:3]} {b[3:]}",
    ]


def _mobile(rng):
    number = "7" + _digits(rng, 9)
    a, b = number[:4], number[4:]
    return number, [
        f"0{a} {b}",
        f"0{a} {b[:3]} {b[3:]}",
        f"0{a}-{b[:3]}-{b[3:]}",
        f"0{number}",
        f"0{number[:3]} {number[3:6]} {number[6:]}",
        f"0{number[:2]} {number[2:6]} {number[6:]}",
    ]


def _non_geographic(rng):
    number = rng.choice(["800", "808", "300", "330", "345", "370"]) + _digits(rng, 7)
    a, b, c = number[:3], number[3:6], number[6:]
    return number, [f"0{a} {b} {c}", f"0{a}-{b}-{c}", f"0{number}", f"0{a} {b}{c}"]


def _international(number):
    """The same ten digits after the country code, as people write them."""
    a, b, c = number[:3], number[3:6], number[6:]
    return [
        f"+44 {a} {b} {c}",
        f"+44 (0){a} {b} {c}",
        f"+44 (0) {a} {b} {c}",
        f"+44-{a}-{b}-{c}",
        f"+44.{a}.{b}.{c}",
        f"0044 {a} {b} {c}",
        f"(+44) {a} {b} {c}",
        f"+44{number}",
        f"+44 {number}",
        f"+44 (0){number}",
        f"0044 {number}",
        f"+44 {number[:4]} {number[4:]}",
        f"+44 (0) {number[:4]} {number[4:7]} {number[7:]}",
        f"+44 {number[:2]} {number[2:6]} {number[6:]}",
    ]


PHONE_KINDS = [_london, _four_digit_area, _five_digit_area, _mobile, _non_geographic]
PHONE_SENTENCES = [
    "{}",
    "Call {} for the team.",
    "Tel: {}",
    "Contact the safety lead on {} or by email",
    "Phone ({}) out of hours",
]


def telephone_numbers(seed=SEED, size=SIZE):
    rng = random.Random(seed)
    texts = []
    for _ in range(size):
        number, spellings = rng.choice(PHONE_KINDS)(rng)
        written = rng.choice(rng.choice([spellings, _international(number)]))
        texts.append(rng.choice(PHONE_SENTENCES).format(written))
    return texts


def _money(rng):
    pounds = rng.randrange(1, 10_000_000)
    return rng.choice(
        [f"£{pounds:,}.{rng.randrange(100):02d}", f"£{pounds:,}", f"{pounds:,} pounds"]
    )


def _reference(rng):
    year = rng.randrange(2000, 2031)
    return rng.choice(
        [
            f"{year}/{rng.randrange(10_000):04d}",
            f"HSSIB-{year}-{rng.randrange(1000):03d}",
            f"PFD {year}-{rng.randrange(10_000):04d}",
            f"Ref. {year}-{rng.randrange(100):02d}-{rng.randrange(1000):03d}",
            f"Version {rng.randrange(10)}.{rng.randrange(10)}.{rng.randrange(100)}",
        ]
    )


def _ods_codes(rng):
    letters = "ABCDEFGHJKLMNOPQRSTUVWXYZ"

    def code():
        return rng.choice(
            [
                "R" + rng.choice(letters) + rng.choice("0123456789" + letters),
                str(rng.randrange(10)) + rng.choice(letters) + rng.choice(letters),
                "R" + rng.choice("0123456789") + rng.choice(letters),
            ]
        )

    return ", ".join(code() for _ in range(rng.randrange(1, 5)))


def _failing_the_check(rng):
    nine = _digits(rng, 9)
    return spelt(
        rng, nine + rng.choice([d for d in "0123456789" if not is_valid_nhs_number(nine + d)])
    )


def other_numbers(seed=SEED, size=SIZE):
    """Codes, money, references, statistics, and numbers that fail the check in every
    spelling of an NHS number."""
    rng = random.Random(seed)
    makers = [
        _money,
        _reference,
        _ods_codes,
        lambda rng: f"{rng.random():.10f}",
        lambda rng: f"{rng.randrange(100)}.{rng.randrange(10)}% of {rng.randrange(10_000):,}",
        _failing_the_check,
    ]
    return [rng.choice(makers)(rng) for _ in range(size)]


SEPARATORS = [
    " ",
    "-",
    ".",
    "/",
    "\u00a0",
    "\u2009",
    "\u202f",
    "\u3000",
    "\u2003",
    "\t",
    "\n",
    "\r\n",
    "%20",
    "  ",
    " - ",
    " / ",
    "\u2013",
    "\u2011",
    "**",
    "_",
    "   \u00a0 ",
    "\n\n",
    " -- ",
]
# The zero of each of a few scripts' digits: ASCII, Arabic-Indic, Extended Arabic-Indic,
# Devanagari, Bengali, Thai, full-width, mathematical bold.
ZEROS = ["0", "\u0660", "\u06f0", "\u0966", "\u09e6", "\u0e50", "\uff10", "\U0001d7ce"]
NHS_SENTENCES = [
    "{}",
    "NHS number {}",
    "NHS no: {}.",
    "Seen on ward 3, {}, after a fall.",
    "Patient {} was moved to the discharge lounge",
    "Admitted 01/05/2025 22:09 ({})",
    "ref {} - see notes",
    "**{}**",
    "Line one\r\n{}\r\nline three",
]


def _grouped(number, separator):
    return f"{number[:3]}{separator}{number[3:6]}{separator}{number[6:]}"


def spelt(rng, number):
    """`number` in one of the spellings the guard catches, in a sentence."""
    kind = rng.randrange(8)
    if kind == 0:
        written = number
    elif kind in (1, 2):
        written = _grouped(number, rng.choice(SEPARATORS))
    elif kind == 3:  # another script's digits
        zero = ord(rng.choice(ZEROS[1:]))
        digits = "".join(chr(zero + int(digit)) for digit in number)
        written = rng.choice([digits, _grouped(digits, " ")])
    elif kind == 4 and "0" in number:  # the letter O for every zero
        digits = number.replace("0", rng.choice("Oo"))
        written = rng.choice([digits, _grouped(digits, rng.choice([" ", "-"]))])
    elif kind == 5:  # words between the groups, after the words "NHS number"
        words = rng.choice([" then ", ", ", " and ", " dash ", ", then "])
        return f"NHS number {_grouped(number, words)}"
    elif kind == 6:  # any grouping after the words "NHS number"
        return f"NHS no. {' '.join(number[i : i + 2] for i in range(0, 10, 2))}"
    elif kind == 7:  # in a link
        return f"https://example.org/records?q={_grouped(number, '%20')}"
    else:
        written = _grouped(number, " ")
    return rng.choice(NHS_SENTENCES).format(written)


def valid_number(rng):
    while True:
        nine = str(rng.randrange(100_000_000, 1_000_000_000))
        for last in "0123456789":
            if is_valid_nhs_number(nine + last):
                return nine + last


def nhs_numbers(seed=SEED, size=SIZE):
    rng = random.Random(seed)
    return [spelt(rng, valid_number(rng)) for _ in range(size)]


# The sets, with whether each text holds an NHS number.
SETS = {
    "date-times, ranges and times": (date_times, False),
    "UK telephone numbers": (telephone_numbers, False),
    "codes, money, references, failed checks": (other_numbers, False),
    "valid NHS numbers": (nhs_numbers, True),
}


@pytest.mark.parametrize("name", [name for name, (_, holds) in SETS.items() if not holds])
def test_no_text_of_a_set_without_nhs_numbers_is_refused(name):
    make, _ = SETS[name]
    texts = make()
    assert len(texts) == SIZE
    refused = [text for text in texts if find_nhs_numbers(text)]
    assert refused == [], f"{len(refused)} refused, such as {refused[:5]}"


def test_every_valid_nhs_number_in_every_spelling_is_found():
    texts = nhs_numbers()
    assert len(texts) == SIZE
    missed = [text for text in texts if not find_nhs_numbers(text)]
    assert missed == [], f"{len(missed)} missed, such as {missed[:5]}"


def test_the_sets_hold_the_hard_spellings():
    """A spelling that the generators never pick would be measured by nothing."""
    texts = "\n".join(nhs_numbers() + telephone_numbers() + date_times())
    marks = ["%20", "\r\n", " then ", "5O", "O5", "\u0660", "\uff10", "+44 (0)", "0044 ", " - "]
    assert [mark for mark in marks if mark not in texts] == []
