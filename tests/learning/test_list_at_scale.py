"""The learning list as the programme grows: the body left unread, and published items counted
without a join."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
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
