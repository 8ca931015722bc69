"""Exact query counts of the pages that show one person's things, with few rows and with ten
times as many: the count is fixed by the page, never by the number of rows behind it."""

import pytest
from django.core.cache import cache
from django.urls import reverse

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
# (the regions, the closed quarters' kept figures and the quarter under way's, the kept SPC
# series with the targets and rebases for the cards' icons; tests/dashboards/
# test_dashboards.py has every role's).
HOME_QUERIES = SIGNED_IN + 5 + 1 + 1 + 2 + 3


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
