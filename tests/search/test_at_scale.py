"""Search as the programme grows: the true number of matches, pages through all of them, the
body left unread, and conditions the indexes can serve."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from search.selectors import search
from search.views import scoped_records
from tests.learning.factories import published_items
from tests.roles import person_with, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]

RESULT_COUNT = re.compile(r'id="result-count">([\d,]+) result')


@pytest.fixture
def fellow(client):
    person = person_with(Role.FELLOW, "north")
    sign_in(client, person)
    return person


def test_search_counts_every_match_and_pages_through_all_of_them(client, fellow):
    # More than the 500 a kind that search used to stop at.
    published_items(530)
    first = client.get(reverse("search:results"), {"q": "falls"})
    assert RESULT_COUNT.search(first.content.decode()).group(1) == "530"
    assert first.context["page"].paginator.num_pages == 27
    last = client.get(reverse("search:results"), {"q": "falls", "page": 27})
    shown_last = [result.record.title for result in last.context["page"]]
    assert len(shown_last) == 10
    everything = {result.record.title for result in search(
        "falls", **scoped_records(fellow)
    )}  # fmt: skip
    assert len(everything) == 530
    assert set(shown_last) <= everything
    assert not set(shown_last) & {result.record.title for result in first.context["page"]}


def test_pages_of_search_results_never_overlap_when_ranks_are_equal(client, fellow):
    published_items(45)
    seen = []
    for page in (1, 2, 3):
        response = client.get(reverse("search:results"), {"q": "falls", "page": page})
        seen += [result.record.pk for result in response.context["page"]]
    assert len(seen) == len(set(seen)) == 45


def test_search_without_words_lists_the_newest_first_and_counts_them_all(client, fellow):
    published_items(25)
    response = client.get(reverse("search:results"), {"q": "", "type": "best_practice"})
    assert RESULT_COUNT.search(response.content.decode()).group(1) == "25"
    titles = [result.record.title for result in response.context["page"]]
    assert titles[:2] == ["Falls prevention 0", "Falls prevention 1"]


def _selected_columns(sql):
    return sql.split(" FROM ", 1)[0]


def test_search_reads_neither_the_body_nor_the_search_vector_of_learning(
    client, fellow, on_postgresql
):
    published_items(30)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("search:results"), {"q": "falls"}).status_code == 200
    learning = [q["sql"] for q in queries if '"learning_learningitem"' in q["sql"]]
    assert learning
    for sql in learning:
        assert '"learning_learningitem"."body"' not in _selected_columns(sql), sql
        # Ranking reads the vector inside ts_rank(); it is never fetched as a column.
        assert not re.search(
            r'(SELECT |, )"learning_learningitem"\."search_vector"(,| FROM)', sql
        ), sql


@pytest.fixture
def many_records(db):
    """A few matches among thousands of published items, with fresh statistics."""
    published_items(3)
    published_items(3000, title="Hand hygiene audit")
    with connection.cursor() as cursor:
        # As autovacuum does in service: new entries move from the index's pending list into
        # the index proper, which the planner prices as it should.
        cursor.execute("SELECT gin_clean_pending_list('learning_learningitem_search_vector_gin')")
        cursor.execute("ANALYZE learning_learningitem")


@pytest.mark.parametrize(
    "role", [Role.FELLOW, Role.REGIONAL_LEAD, Role.PSC_CHAIR, Role.NATIONAL, Role.PARTNER_READER]
)
def test_every_role_s_search_uses_the_gin_indexes(role, on_postgresql, many_records):
    """The plan of the count of matching learning reads the GIN index, whoever searches: the
    scope's conditions never stop the index serving the words. (The other kinds' tables are
    built the same way.)"""
    person = person_with(role, "north")
    found = search("falls", **scoped_records(person))
    # A test's few thousand rows fit in a few pages, which the planner would rightly read
    # whole; priced out of that, it shows which index the conditions let it use.
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    try:
        plans = {
            kind: matches.queryset.values("pk").order_by().explain()
            for kind, _label, matches in found.sources
            if kind == "learning"
        }
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = on")
    assert "learning_learningitem_search_vector_gin" in plans["learning"], plans["learning"]
