"""The NHS financial quarter a moment or a date belongs to."""

import datetime

from portal.quarters import Quarter


def test_a_moment_belongs_to_its_london_date_quarter():
    # 00:30 on 1 April 2026, British Summer Time, is still 31 March in UTC.
    moment = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC)
    assert Quarter.of(moment).label == "2026/27 Q1"
    assert Quarter.of(datetime.date(2026, 3, 31)).label == "2025/26 Q4"
    assert Quarter.parse("2025/26 Q3").starts_on == datetime.date(2025, 10, 1)
    assert Quarter.parse("2025/26 Q3").ends_on == datetime.date(2025, 12, 31)
