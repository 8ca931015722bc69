"""Calendar months in London time, for the monthly series of the SPC charts: a moment belongs
to the month of its date in London, so 00:30 on 1 May British Summer Time is in May."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from portal.quarters import LONDON


@dataclass(frozen=True, order=True)
class Month:
    year: int
    number: int  # 1 to 12

    @classmethod
    def of(cls, value):
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value, LONDON).date()
        return cls(value.year, value.month)

    @classmethod
    def last_complete(cls, on=None):
        """The last month that has ended by `on` (today by default)."""
        return cls.of(on or timezone.localdate()).previous()

    @property
    def starts_on(self):
        return datetime.date(self.year, self.number, 1)

    @property
    def ends_on(self):
        return self.next().starts_on - datetime.timedelta(days=1)

    @property
    def starts_at(self):
        return datetime.datetime.combine(self.starts_on, datetime.time.min, tzinfo=LONDON)

    @property
    def ends_at(self):
        return self.next().starts_at

    def next(self):
        return Month(self.year + self.number // 12, self.number % 12 + 1)

    def previous(self):
        return Month(self.year - (self.number == 1), (self.number - 2) % 12 + 1)

    def last(self, count):
        """The `count` months up to and including this one, oldest first."""
        months = [self]
        while len(months) < count:
            months.insert(0, months[0].previous())
        return months

    @property
    def label(self):
        return self.starts_on.strftime("%B %Y")

    @property
    def short_label(self):
        return self.starts_on.strftime("%b %y")

    def __str__(self):
        return self.label
