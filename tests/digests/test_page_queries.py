"""Exact query counts of the pages that show one person's things, with few rows and with ten
times as many: the count is fixed by the page, never by the number of rows behind it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from digests.models import DigestPreference
from digests.periods import period_end_for
from learning.models import LearningItem
from tests.learning.factories import LearningItemFactory
from tests.roles import person_with, region, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]

FEW, MANY = 1, 10


def get(client, url, django_assert_num_queries, queries):
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    return response


# Every signed-in page: the session, the user and the person's scope (for the menu). The
# session is written at most once a minute (docs/adr/0023), so not in these.
SIGNED_IN = 3


# The types of learning the person's digest lists, the entries, and their authors.
PREVIEW_QUERIES = SIGNED_IN + 3


@pytest.mark.parametrize("rows", [FEW, MANY])
def test_the_digest_preview_takes_the_same_queries_for_few_and_many_entries(
    client, lead, django_assert_num_queries, rows
):
    since = period_end_for("weekly")
    for _ in range(rows):
        LearningItemFactory(
            status=LearningItem.Status.PUBLISHED,
            published_at=max(since, timezone.now() - timezone.timedelta(minutes=1)),
        )
    sign_in(client, lead)
    response = get(client, reverse("digests:preview"), django_assert_num_queries, PREVIEW_QUERIES)
    assert response.context["count"] == rows


# The preference, the regions the person chose, the regions to choose from, and how the person
# hears of comments (discussion.DiscussionPreference).
PREFERENCES_QUERIES = SIGNED_IN + 4


@pytest.mark.parametrize("rows", [FEW, MANY])
def test_the_digest_preferences_take_the_same_queries_however_many_people_subscribe(
    client, fellow, django_assert_num_queries, rows
):
    for _ in range(rows):
        other = person_with(Role.FELLOW, "south")
        chosen = DigestPreference.objects.create(user=other, regions_chosen_at=timezone.now())
        chosen.regions.set([region("south")])
    chosen = DigestPreference.objects.create(user=fellow, regions_chosen_at=timezone.now())
    chosen.regions.set([region("north")])
    sign_in(client, fellow)
    get(client, reverse("digests:preferences"), django_assert_num_queries, PREFERENCES_QUERIES)
