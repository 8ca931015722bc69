"""Keeping NHS numbers out of free text, without refusing dates, times or telephone numbers.

The portal holds learning, never case records. An NHS number is ten digits whose last digit is
a modulus 11 check of the first nine, and people write it in one of two shapes: ten digits
together, or grouped 3-3-4. Between the groups goes whatever a person types to space them:
spaces of any kind, hyphens and dashes, dots, slashes, line breaks, URL-encoded spaces (`%20`),
Markdown emphasis (`943**476**5919`), or a run of several of these. The digits may be in any
script, and the letter O may stand for a zero. Ten digits in any other shape (a date and a
time, a date range, a list of times, a telephone number) pass the check one time in eleven,
so they are not read as an NHS number, with one exception: right after the words "NHS number"
(or "NHS no", "NHS #") any grouping counts, with a few short words between the groups too
("NHS no 943 then 476 then 5919"). docs/adr/0031 says why.

The text is read through a "shadow" of it, as long as the text: each character in a plain
form (digits of any script as 0 to 9, every kind of space as a space, every dash as a
hyphen, an O among digits as a zero), invisible formatting characters left out, so that the
message can say where in the text as typed the number is.
"""

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

WEIGHTS = range(10, 1, -1)

# Every NHS number is found in the shadow, where digits are 0 to 9, every space is a space and
# every dash a hyphen.
GROUP = re.compile(r"[0-9]+")
# What may stand between two groups of an NHS number: any run of these.
SEPARATOR = " -./\\_*~`+"
SEPARATORS = re.compile(r"[ \-./\\_*~`+]+")
# Spaces written as URL or HTML escapes, which become spaces of the same length.
ESCAPED_SPACES = re.compile(r"%(?:20|09|0a|0d|c2%a0)|&nbsp;|&#160;|&#xa0;", re.IGNORECASE)

# The letter O reads as a zero in a run of digits and Os with a digit in it, standing apart
# from letters ("9O3", "591O"; never "NO" or "R0O"), and in a group of three or four Os
# next to such a run across separators ("943 OOO 5919"). Possessive, so a long run is read once.
WITH_OS = re.compile(r"(?<![^\W_])(?=[0-9]*+[Oo])[0-9Oo]++(?![^\W_])")
ONLY_OS = re.compile(r"[Oo]{3,4}")
NUMBER_AFTER = re.compile(r"[ \-./\\_*~`+]++(?=[Oo]*+[0-9])[0-9Oo]++(?![^\W_])")
ZEROS_FOR_OS = str.maketrans("Oo", "00")
# Letters that look like O and that NFKC does not make one: Cyrillic and Greek, both cases.
LOOKS_LIKE_O = {"\u041e", "\u043e", "\u039f", "\u03bf"}
SLASHES = {"\u2044", "\u2215"}  # fraction slash, division slash
ASCII_SPACES = str.maketrans("\t\n\r\v\f", "     ")

# A telephone number's country code or bracketed trunk zero right before the ten digits
# ("+44 113 496 0000", "+44 (0)7700900123", "0044 113 496 0000") makes them a telephone number.
PHONE_PREFIX = re.compile(
    r"(?:(?:\(?\+ ?[0-9]{1,3}\)?|\b00 ?44)[ \-./]*(?:\(0\)[ \-./]*)?|\(0\)[ \-./]*)$"
)
PHONE_PREFIX_REACH = 16
# A decimal point joining more digits to the ten makes them part of a longer number
# ("0.9434765919" is a fraction, "9434765919.5" a measurement), and so does a colon after
# them ("12/03/2025 14:05" after "NHS number" stops at the 14). A comma does not: ten digits
# are never a thousands group, and NHS numbers may come as a list ("9434765919,4010230002").
JOINED_BEFORE = re.compile(r"[0-9]\.$")
JOINED_AFTER = re.compile(r"[.:][0-9]")

# The words that announce an NHS number. Singular only: "NHS numbers must not be stored" is
# about NHS numbers, not one of them.
CUE = re.compile(r"\bN\.? ?H\.? ?S\.?[ \-_:]*(?:number|num|no|nr|#)(?![^\W\d_])\.?", re.I)
# Between the cue and the number ("NHS number: ", "NHS no. of the patient is "), and between
# two groups after a cue ("943 then 476", "943, and then 476"): this many characters and words.
CUE_REACH, CUE_WORDS = 40, 4
GAP_REACH, GAP_WORDS = 24, 2
WORD = re.compile(r"[^\W\d_]+")


def is_valid_nhs_number(digits):
    """True when ten digits pass the modulus 11 check."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(digits[9])


@functools.lru_cache(maxsize=4096)
def _plain(character):
    """A character as the guard reads it: "" for an invisible one."""
    category = unicodedata.category(character)
    if category == "Cf":  # zero-width spaces and joiners, soft hyphens
        return ""
    compatible = unicodedata.normalize("NFKC", character)
    if len(compatible) == 1 and compatible in "0123456789":
        return compatible
    value = unicodedata.decimal(character, None)  # Arabic-Indic, Devanagari, Bengali...
    if value is not None:
        return str(value)
    if character.isspace() or category == "Zs":
        return " "
    if category == "Pd" or character == "\u2212":  # dashes and the minus sign
        return "-"
    if character in LOOKS_LIKE_O:
        return "O"
    if character in SLASHES:
        return "/"
    return compatible if len(compatible) == 1 else character


class Shadow:
    """The text in plain characters, each one where it came from in the text."""

    def __init__(self, text):
        self.text = text
        plain = text.translate(ASCII_SPACES) if text.isascii() else "".join(map(_plain, text))
        self.left_out = len(plain) != len(text)
        plain = ESCAPED_SPACES.sub(lambda escape: " " * len(escape.group()), plain)
        self.plain = _zeros_for_os(plain)

    @functools.cached_property
    def _origin(self):
        return [index for index, character in enumerate(self.text) if _plain(character)]

    def origin(self, index):
        """Where in the text the plain character at `index` came from."""
        return self._origin[index] if self.left_out else index


def _zeros_for_os(plain):
    characters = None
    for run in WITH_OS.finditer(plain):
        written = run.group()
        if written.strip("Oo") or (
            ONLY_OS.fullmatch(written)
            and (_number_before(plain, run.start()) or NUMBER_AFTER.match(plain, run.end()))
        ):
            characters = characters or list(plain)
            characters[run.start() : run.end()] = written.translate(ZEROS_FOR_OS)
    return "".join(characters) if characters else plain


def _number_before(plain, start):
    """True when separators and a run of digits (and Os) with a digit come right before."""
    end = start
    while end > 0 and plain[end - 1] in SEPARATOR:
        end -= 1
    begin = end
    while begin > 0 and plain[begin - 1] in "0123456789Oo":
        begin -= 1
    return (
        end < start
        and any(character in "0123456789" for character in plain[begin:end])
        and (begin == 0 or not plain[begin - 1].isalnum())
    )


@dataclass(frozen=True)
class Found:
    """An NHS number in a text: where it starts and ends and where each of its ten digits is
    (as indexes of the text as given), and the digits."""

    start: int
    end: int
    places: tuple
    digits: str


def _in_shape(plain, groups):
    """Ten digits together, or three groups of 3, 3 and 4 with only separators between."""
    for index, group in enumerate(groups):
        if len(group.group()) == 10:
            yield group.start(), group.end(), group.group()
        elif len(group.group()) == 3 and index + 2 < len(groups):
            second, third = groups[index + 1], groups[index + 2]
            if (
                len(second.group()) == 3
                and len(third.group()) == 4
                and SEPARATORS.fullmatch(plain, group.end(), second.start())
                and SEPARATORS.fullmatch(plain, second.end(), third.start())
            ):
                yield group.start(), third.end(), group.group() + second.group() + third.group()


def _short(plain, start, end, reach, words):
    return end - start <= reach and len(WORD.findall(plain, start, end)) <= words


def _after_a_cue(plain, groups):
    """Ten digits in any grouping, with short words between the groups, right after "NHS
    number"."""
    starts = [group.start() for group in groups]
    read_up_to = 0
    for cue in CUE.finditer(plain):
        if cue.start() < read_up_to:  # a cue within a number already found
            continue
        first = bisect.bisect_left(starts, cue.end())
        if first == len(groups) or not _short(
            plain, cue.end(), starts[first], CUE_REACH, CUE_WORDS
        ):
            continue
        digits, last = groups[first].group(), first
        while len(digits) < 10 and last + 1 < len(groups):
            if not _short(plain, groups[last].end(), starts[last + 1], GAP_REACH, GAP_WORDS):
                break
            last += 1
            digits += groups[last].group()
        if len(digits) == 10 and is_valid_nhs_number(digits):
            read_up_to = groups[last].end()
            yield starts[first], read_up_to, digits


def _is_phone(plain, start):
    return bool(PHONE_PREFIX.search(plain, max(0, start - PHONE_PREFIX_REACH), start))


def _is_part_of_a_longer_number(plain, start, end):
    return bool(JOINED_BEFORE.search(plain, max(0, start - 2), start)) or bool(
        JOINED_AFTER.match(plain, end)
    )


def nhs_numbers_in(text):
    """Every NHS number in a piece of text, in the order they appear."""
    if not text:
        return []
    shadow = Shadow(str(text))
    plain = shadow.plain
    groups = list(GROUP.finditer(plain))
    candidates = sorted([*_in_shape(plain, groups), *_after_a_cue(plain, groups)])
    found, taken_up_to = [], 0
    for start, end, digits in candidates:
        if (
            start < taken_up_to  # within a number already found
            or not is_valid_nhs_number(digits)
            or _is_phone(plain, start)
            or _is_part_of_a_longer_number(plain, start, end)
        ):
            continue
        taken_up_to = end
        places = tuple(
            shadow.origin(index) for index in range(start, end) if plain[index] in "0123456789"
        )
        found.append(Found(shadow.origin(start), shadow.origin(end - 1) + 1, places, digits))
    return found


def find_nhs_numbers(text):
    """The NHS numbers in a piece of text, as they were written."""
    return [str(text)[number.start : number.end] for number in nhs_numbers_in(text)]


# The message quotes this many characters either side of the number.
EXCERPT_REACH = 24
MASK = "•"
# A text with many numbers gets a message for each of the first few, then one for the rest.
MESSAGES_AT_MOST = 3


def _masked(text, numbers):
    """The text with every digit of every NHS number in it hidden but the last four."""
    characters = list(text)
    for number in numbers:
        for index in number.places[:-4]:
            characters[index] = MASK
    return "".join(characters)


def _excerpt(masked, number):
    """A few words either side of the number, on one line."""
    start = max(0, number.start - EXCERPT_REACH)
    end = min(len(masked), number.end + EXCERPT_REACH)
    if start > 0:  # start and end on whole words where a space is near
        space = masked.find(" ", start, number.start)
        start = space + 1 if space != -1 else start
    if end < len(masked):
        space = masked.rfind(" ", number.end, end)
        end = space if space != -1 else end
    middle = " ".join(masked[start:end].split())
    return f"{'…' if start > 0 else ''}{middle}{'…' if end < len(masked) else ''}"


def _place(text, index):
    """The place of a character counted from 1, as a person counts: a line break is one."""
    return index + 1 - text.count("\r\n", 0, index)


@deconstructible
class NoNHSNumberValidator:
    """Refuses text holding an NHS number and says where it is. A portal form gives each of its
    fields one with the field's label (guard_text_fields), so the message names the field; the
    one on the models names none. With a `limit` (the field's length), only that much of the
    text is read: the rest is refused for its length anyway, and reading a few megabytes of
    digit groups takes seconds."""

    message = (
        "Remove the NHS number ending %(ending)s from %(label)s: “%(excerpt)s” (characters "
        "%(first)s to %(last)s). The portal must never hold patient-identifiable information."
    )
    more_message = "Remove the other %(count)s NHS numbers from %(label)s as well."
    code = "nhs_number"

    def __init__(self, label=None, limit=None):
        self.label = label
        self.limit = limit

    def __call__(self, value):
        text = str(value)[: self.limit]
        numbers = nhs_numbers_in(text)
        if not numbers:
            return
        masked = _masked(text, numbers)
        label = self.label or "this text"
        errors = [
            ValidationError(
                self.message,
                code=self.code,
                params={
                    "ending": number.digits[-4:],
                    "label": label,
                    "excerpt": _excerpt(masked, number),
                    "first": _place(text, number.start),
                    "last": _place(text, number.end - 1),
                },
            )
            for number in numbers[:MESSAGES_AT_MOST]
        ]
        if len(numbers) > MESSAGES_AT_MOST:
            errors.append(
                ValidationError(
                    self.more_message,
                    code=self.code,
                    params={"count": len(numbers) - MESSAGES_AT_MOST, "label": label},
                )
            )
        raise ValidationError(errors)

    def __eq__(self, other):
        return isinstance(other, NoNHSNumberValidator) and (self.label, self.limit) == (
            other.label,
            other.limit,
        )

    def __hash__(self):
        return hash((self.code, self.label, self.limit))


no_nhs_number = NoNHSNumberValidator()
