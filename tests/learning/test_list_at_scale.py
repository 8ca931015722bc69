"""The learning list as the programme grows: the body left unread, and published items counted
without a join."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from learning import news
from learning.models import LearningItem
from tests.learning.factories import published_items
from tests.roles import person_with, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]


@pytest.fixture
def fellow(client):
    person = person_with(Role.FELLOW, "north")
    sign_in(client, person)
    return person


def _selected_columns(sql):
    return sql.split(" FROM ", 1)[0]


def test_the_learning_list_reads_no_body_and_counts_published_items_without_a_join(client, fellow):
    published_items(30)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("learning:item-list"))
    assert response.context["page"].paginator.count == 30
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "learningitem" in q["sql"]]
    assert counts
    for sql in counts:
        assert "JOIN" not in sql.split("COUNT(", 1)[1], sql
    listed = [
        q["sql"]
        for q in queries
        if q["sql"].startswith('SELECT "learning_learningitem"."id"') and "LIMIT" in q["sql"]
    ]
    assert listed
    assert all('"learning_learningitem"."body"' not in _selected_columns(sql) for sql in listed)


@pytest.mark.parametrize("public_long_ago", [False, True])
def test_an_authors_news_reads_no_learning_item_but_theirs_and_those_made_public_lately(
    on_postgresql, fellow, public_long_ago
):
    """Of thousands of items, none made public lately, or most public for a long while and a
    few made public lately: the home's news reads the author's items and those made public
    within its window from indexes, never every learning item (a scan that grew with the
    programme). With nothing public lately the planner reads the author's items last, so the
    few made public must be found by the index on when they were."""
    published_items(3000)
    published_items(5, title="Mine")
    if public_long_ago:
        long_ago = timezone.now() - 2 * news.NEWS_WINDOW
        LearningItem.objects.update(is_public=True, public_since=long_ago)
        lately = list(LearningItem.objects.order_by("pk").values_list("pk", flat=True)[:20])
        LearningItem.objects.filter(pk__in=lately).update(public_since=timezone.now())
    mine = list(LearningItem.objects.filter(title__startswith="Mine"))
    for item in mine:
        item.authors.add(fellow)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE learning_learningitem")
    floor = timezone.now() - news.NEWS_WINDOW
    acted_on = {mine[0].pk, mine[1].pk}

    plan = news.items_with_news(
        fellow, news.authored_items(fellow).values("pk"), acted_on, floor
    ).explain()

    assert "Seq Scan on learning_learningitem " not in plan, plan
    if not public_long_ago:
        assert "learning_public_since" in plan, plan
