"""The public pages are kept for visitors who have not signed in until the next write anywhere
in the portal (portal/page_cache.py): read again, they cost no query, and nothing kept is ever
older than a committed write. Signed-in pages are never kept (docs/adr/0044)."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from learning.models import LearningItem
from tests.learning.factories import LearningItemFactory
from tests.roles import person_with, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]


def published(title="Falls huddles"):
    return LearningItemFactory(
        title=title,
        status=LearningItem.Status.PUBLISHED,
        published_at=timezone.now(),
        is_public=True,
        public_since=timezone.now(),
    )


def get(client, name="public:list", query=None):
    """The page, and the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name), query or {})
    assert response.status_code == 200
    return response, [query["sql"] for query in queries.captured_queries]


def test_a_public_page_read_again_is_the_same_page_without_a_query():
    published()
    first, first_sql = get(Client())
    again, again_sql = get(Client())

    assert again.content == first.content
    assert first_sql
    assert again_sql == []


def test_a_write_anywhere_is_shown_on_the_next_request():
    published("Falls huddles")
    assert "Safer discharge" not in get(Client())[0].content.decode()

    published("Safer discharge")
    after, sql = get(Client())

    assert sql
    assert "Safer discharge" in after.content.decode()


def test_a_change_of_links_is_a_write_too():
    item = published("Falls huddles")
    get(Client())

    item.authors.clear()

    assert get(Client())[1]


@pytest.mark.django_db(transaction=True)
def test_a_page_rendered_before_a_write_commits_is_not_read_after_it(reference_data):
    published()
    with transaction.atomic():
        published("Safer discharge")
        # A page rendered while the write is not yet committed (in production, by another
        # request, still seeing the data before the write) is kept.
        get(Client())
        assert get(Client())[1] == []
    assert get(Client())[1]


def test_a_signed_in_page_is_never_kept():
    published()
    client = Client()
    sign_in(client, person_with(Role.FELLOW, "north"))
    get(client, "learning:item-list")

    _, sql = get(client, "learning:item-list")

    assert any('"learning_learningitem"' in statement for statement in sql)


def test_pages_are_kept_in_redis_and_not_while_it_is_down(redis_server):
    published()
    get(Client())
    assert get(Client())[1] == []

    redis_server.stop()
    published("Safer discharge")  # a write while Redis is down
    for _ in range(2):
        response, sql = get(Client())
        assert sql
        assert "Safer discharge" in response.content.decode()


def test_nothing_is_kept_when_switched_off(settings):
    settings.PAGE_CACHE_SECONDS = 0
    published()
    get(Client())

    assert get(Client())[1]
