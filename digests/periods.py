"""The periods digests cover. Digests go out at 07:00 London time, every day or on Mondays;
the beat schedule in config/celery_app.py fires at these moments and the periods are cut at
the same ones."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from digests.models import DigestFrequency

SEND_TIME = datetime.time(7, 0)
WEEKLY_ON = 0  # Monday
LONDON = ZoneInfo("Europe/London")


def period_end_for(frequency, now=None):
    """The latest send moment at or before `now`: 07:00 London time today or yesterday
    (daily), or on the latest Monday (weekly). Worked out on the London calendar, so a period
    across a clock change is 23 or 25 hours (a week, 167 or 169)."""
    local = timezone.localtime(now or timezone.now(), LONDON)
    day = local.date()
    if local.time() < SEND_TIME:
        day -= datetime.timedelta(days=1)
    if frequency == DigestFrequency.WEEKLY:
        day -= datetime.timedelta(days=(day.weekday() - WEEKLY_ON) % 7)
    return datetime.datetime.combine(day, SEND_TIME, tzinfo=LONDON)


def period_start_for(frequency, period_end):
    """The send moment before `period_end`. An item published exactly at a send moment
    belongs to the period that starts there (periods are [start, end))."""
    local = timezone.localtime(period_end, LONDON)
    days = 7 if frequency == DigestFrequency.WEEKLY else 1
    day = local.date() - datetime.timedelta(days=days)
    return datetime.datetime.combine(day, SEND_TIME, tzinfo=LONDON)
