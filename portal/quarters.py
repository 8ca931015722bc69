"""NHS financial years and quarters: the year runs from 1 April to 31 March, Q1 April to June,
Q2 July to September, Q3 October to December, Q4 January to March, written "2025/26 Q3"
(October to December 2025). A moment belongs to the quarter of its date in London, so
00:30 on 1 April British Summer Time is in Q1 of the new year."""

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

LONDON = ZoneInfo("Europe/London")
LABEL = re.compile(r"^(\d{4})/(\d{2}) Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int  # the calendar year the financial year starts in: 2025 for 2025/26
    number: int  # 1 to 4

    @classmethod
    def of(cls, value):
        """The quarter of a date, or of a moment in London time."""
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value, LONDON).date()
        year = value.year if value.month >= 4 else value.year - 1
        return cls(year, (value.month - 4) % 12 // 3 + 1)

    @classmethod
    def current(cls):
        return cls.of(timezone.now())

    @classmethod
    def parse(cls, label):
        """ "2025/26 Q3" to a Quarter; ValueError for anything else."""
        match = LABEL.match(label.strip())
        if not match:
            raise ValueError(f"{label!r} is not a quarter like 2025/26 Q3")
        year, next_year, number = (int(part) for part in match.groups())
        if (year + 1) % 100 != next_year:
            raise ValueError(f"{label!r}: the second year must follow the first")
        return cls(year, number)

    @property
    def starts_on(self):
        month = 4 + 3 * (self.number - 1)
        return datetime.date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def ends_on(self):
        """The last day of the quarter."""
        return self.next().starts_on - datetime.timedelta(days=1)

    @property
    def starts_at(self):
        """Midnight at the start of its first day, London time."""
        return datetime.datetime.combine(self.starts_on, datetime.time.min, tzinfo=LONDON)

    @property
    def ends_at(self):
        """Midnight at the end of its last day, London time: the next quarter's start."""
        return self.next().starts_at

    def days_before(self, today):
        """Its days before `today`, first to last: every one once it has closed, none before it
        begins."""
        last = min(self.ends_on, today - datetime.timedelta(days=1))
        count = (last - self.starts_on).days + 1
        return [self.starts_on + datetime.timedelta(days=n) for n in range(max(count, 0))]

    def last(self, count):
        """The `count` quarters up to and including this one, oldest first."""
        quarters = [self]
        while len(quarters) < count:
            quarters.insert(0, quarters[0].previous())
        return quarters

    @property
    def label(self):
        return f"{financial_year_label(self.year)} Q{self.number}"

    def next(self):
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def previous(self):
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)

    def __str__(self):
        return self.label


@dataclass(frozen=True)
class Days:
    """A run of whole days in London, from `starts_on` to `ends_on`, shaped as a Quarter is
    where a figure counts what happened in a period: part of a quarter (docs/adr/0047)."""

    starts_on: datetime.date
    ends_on: datetime.date

    @property
    def starts_at(self):
        return datetime.datetime.combine(self.starts_on, datetime.time.min, tzinfo=LONDON)

    @property
    def ends_at(self):
        """Midnight at the end of its last day, London time."""
        following = self.ends_on + datetime.timedelta(days=1)
        return datetime.datetime.combine(following, datetime.time.min, tzinfo=LONDON)


def financial_year_label(year):
    """2025 -> "2025/26"."""
    return f"{year}/{(year + 1) % 100:02d}"
