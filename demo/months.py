"""The demo's month-by-month story, for the SPC charts: a real shift a newcomer sees on the
first visit. In the North, learning took three to four weeks from submission to publication
for the first 14 of the last 24 months; then the region's lead began reviewing twice a week,
and from then it took about ten days. The North's chart of median days to publish shows
special cause improving (a run below the mean), and its assurance icon says hit and miss: the
national team's target of 21 days lies within its limits.

The other regions keep the quarterly history of demo/history.py (its late starter and its
backlog); the North's monthly learning stands beside its history there. Idempotent: when the
North's first monthly item exists, nothing is added.
"""

import datetime

from accounts.models import User
from dashboards.measures import DAYS_TO_PUBLISH, RESPONDED_ON_TIME
from dashboards.models import Target
from demo.history import PLACES, TOPICS, TOWNS, _learning
from learning.models import LearningItem
from portal.months import Month
from regions.models import Region
from taxonomy.models import SyllabusTag, Theme

MONTHS = 24
CHANGED = 14  # the index of the first month the North's reviews were quicker
PER_MONTH = 3
SLOW = [24, 27, 30, 26, 29, 25]  # days from submission to publication, before the change
QUICK = [9, 11, 10, 12, 8, 10]  # and after it
TARGETS = {
    DAYS_TO_PUBLISH: ("21", "Learning published within three weeks of its submission."),
    RESPONDED_ON_TIME: ("90", "Nine in ten recommendations answered by their due date."),
}


def months_seed():
    """The North's monthly learning for the last 24 whole months, and the national team's
    targets; returns how many records were created."""
    created = _targets()
    region = Region.objects.in_programme_scheme().filter(slug="north").first()
    fellow = User.objects.filter(email="fellow.north@example.org").first()
    lead = User.objects.filter(email="lead.north@example.org").first()
    if region is None or fellow is None or lead is None:
        return created
    months = Month.last_complete().last(MONTHS)
    if LearningItem.objects.filter(region=region, title=_title(0, months[0])).exists():
        return created
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    tags = list(SyllabusTag.objects.order_by("domain__number", "level__number"))
    made = 0
    for index, month in enumerate(months):
        waits = SLOW if index < CHANGED else QUICK
        for count in range(PER_MONTH):
            on = month.starts_on + datetime.timedelta(days=4 + 9 * count)
            waited = waits[(index + count) % len(waits)]
            item = _learning(region, fellow, lead, made, on, waited, themes, tags)
            LearningItem.objects.filter(pk=item.pk).update(title=_title(made, month))
            made += 1
            created += 1
    return created


def _title(made, month):
    topic = TOPICS[made % len(TOPICS)][0]
    place = PLACES[made % len(PLACES)]
    return f"{topic} in the {place}, {TOWNS['north']}: {month}"


def _targets():
    national = User.objects.filter(email="admin@example.org").first()
    if national is None:
        return 0
    created = 0
    for measure, (value, reason) in TARGETS.items():
        _target, made = Target.objects.get_or_create(
            measure=measure, defaults={"value": value, "reason": reason, "set_by": national}
        )
        created += made
    return created
