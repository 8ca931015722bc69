"""Keeping NHS numbers out of free text.

The portal holds learning, never case records. An NHS number is ten digits whose last digit is
a modulus 11 check of the first nine. People write it in many ways: 3-3-4 with spaces or
dashes, run together, with dots, slashes, no-break or thin spaces, across a line break, in
pairs, or split by Markdown emphasis (`943**476**5919`). So the text is first normalised
(NFKC, which turns full-width digits and compatibility spaces into plain ones), and then any
run of digit groups that are separated only by short runs of characters that are neither
letters nor digits, and that together make exactly ten digits, is a candidate. Text holding a
candidate that passes the check is refused; ten digits that fail it (a phone number, a
reference) are allowed.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

DIGIT_GROUP = re.compile(r"\d+")
# The longest separator between two groups of digits: "943 / 476 / 5919", " **", "\r\n".
LONGEST_SEPARATOR = 5
WEIGHTS = range(10, 1, -1)


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


def _plain_digits(group):
    return "".join(str(unicodedata.digit(ch)) for ch in group)


def _separates(between):
    return len(between) <= LONGEST_SEPARATOR and not any(ch.isalnum() for ch in between)


def find_nhs_numbers(text):
    """The NHS numbers in a piece of text, as they were written (after normalising)."""
    if not text:
        return []
    text = unicodedata.normalize("NFKC", str(text))
    groups = list(DIGIT_GROUP.finditer(text))
    found = []
    for first, start in enumerate(groups):
        digits = ""
        for last in range(first, len(groups)):
            if last > first and not _separates(text[groups[last - 1].end() : groups[last].start()]):
                break
            digits += _plain_digits(groups[last].group())
            if len(digits) >= 10:
                break
        if len(digits) == 10 and is_valid_nhs_number(digits):
            found.append(text[start.start() : groups[last].end()])
    return found


@deconstructible
class NoNHSNumberValidator:
    message = (
        "Remove the NHS number ending {ending}. The portal holds published learning only and "
        "must never contain patient-identifiable information."
    )
    code = "nhs_number"

    def __call__(self, value):
        found = find_nhs_numbers(value)
        if found:
            ending = _plain_digits("".join(DIGIT_GROUP.findall(found[0])))[-4:]
            raise ValidationError(self.message.format(ending=ending), code=self.code)

    def __eq__(self, other):
        return isinstance(other, NoNHSNumberValidator)

    def __hash__(self):
        return hash(self.code)


no_nhs_number = NoNHSNumberValidator()
