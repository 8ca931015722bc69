"""Exact query counts of the pages that show one person's things, with few rows and with ten
times as many: the count is fixed by the page, never by the number of rows behind it."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from learning import services
from learning.models import LearningItem
from portal.counts import GENERATION, move_on
from tests.fellows.factories import InitiativeFactory
from tests.learning.factories import LearningItemFactory
from tests.roles import region, sign_in

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
# A fellow's home: each of its blocks; their learning others can act on, for its news (none
# here: drafts have no news to read); and the headline figures of their region counted afresh
# (the regions, the closed quarters' kept figures, the kept days of the quarter under way
# and the quarter from today, the kept SPC series with the targets and rebases for the cards'
# icons; tests/dashboards/test_dashboards.py has every role's).
HOME_QUERIES = SIGNED_IN + 5 + 1 + 1 + 1 + 2 + 3
# Counted afresh after a write, as on a working day: only the quarter under way is counted
# again. The regions, the SPC targets and rebases and the kept summaries read are kept until
# they change themselves (docs/adr/0045). The news reads their learning, then what others
# did with it (review steps, adoptions, citations, comments) and the items with news.
NEWS = 6
AFTER_A_WRITE = SIGNED_IN + 5 + NEWS + 1


@pytest.mark.parametrize("rows", [FEW, MANY])
def test_the_home_page_takes_the_same_queries_however_much_work_there_is(
    client, fellow, django_assert_num_queries, rows
):
    for _ in range(rows):
        InitiativeFactory(created_by=fellow, region=region("north"))
        LearningItemFactory(created_by=fellow)
    sign_in(client, fellow)
    client.get(reverse("home"))  # the closed quarters and months, counted once and kept
    cache.clear()
    get(client, reverse("home"), django_assert_num_queries, HOME_QUERIES)


@pytest.mark.parametrize("rows", [FEW, MANY])
def test_a_fellows_home_with_news_counted_afresh_after_a_write_takes_at_most_15_queries(
    client, fellow, lead, django_assert_num_queries, rows
):
    for number in range(rows):
        InitiativeFactory(created_by=fellow, region=region("north"))
        item = LearningItemFactory(
            created_by=fellow,
            title=f"Safer handover {number}",
            status=LearningItem.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        services.learning_item_publish(item=item, by=lead, public=True)
    sign_in(client, fellow)
    client.get(reverse("home"))  # the closed quarters and months, counted once and kept
    move_on(GENERATION)  # what a committed write to a counted record does
    page = get(client, reverse("home"), django_assert_num_queries, AFTER_A_WRITE)
    assert page.content.decode().count("Published</strong> by") == rows
    assert AFTER_A_WRITE <= 15
