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


def test_an_authors_news_finds_items_made_public_lately_through_an_index(on_postgresql, fellow):
    """Of thousands of items, none public lately: the home's news reads the few made public in
    its window from an index, not every learning item (a scan that grew with the programme)."""
    published_items(3000)
    published_items(5, title="Mine")
    for item in LearningItem.objects.filter(title__startswith="Mine"):
        item.authors.add(fellow)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE learning_learningitem")
    floor = timezone.now() - news.NEWS_WINDOW

    plan = news.items_with_news(
        fellow, news.authored_items(fellow).values("pk"), set(), floor
    ).explain()

    assert "learning_public_since" in plan, plan
    assert "Seq Scan on learning_learningitem " not in plan, plan
