"""Keeping NHS numbers out of free text.

The portal holds learning, never case records. An NHS number is ten digits, often written
3-3-4 with spaces or dashes, whose last digit is a modulus 11 check of the first nine. Text
containing a number that passes the check is refused; ten digits that fail it (a phone number,
a reference) are allowed.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# Ten digits, in groups of 3-3-4 separated by one space or dash, or run together, and not part
# of a longer run of digits.
CANDIDATE = re.compile(r"(?<![\d])(\d{3})[ \-]?(\d{3})[ \-]?(\d{4})(?![\d])")
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


def find_nhs_numbers(text):
    """The NHS numbers in a piece of text, as they were written."""
    if not text:
        return []
    return [
        match.group(0)
        for match in CANDIDATE.finditer(str(text))
        if is_valid_nhs_number("".join(match.groups()))
    ]


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
            ending = "".join(ch for ch in found[0] if ch.isdigit())[-4:]
            raise ValidationError(self.message.format(ending=ending), code=self.code)

    def __eq__(self, other):
        return isinstance(other, NoNHSNumberValidator)

    def __hash__(self):
        return hash(self.code)


no_nhs_number = NoNHSNumberValidator()
