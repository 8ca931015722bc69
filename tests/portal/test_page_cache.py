"""A person's home, learning list and search page are kept for their session until the next
write anywhere in the portal (portal/page_cache.py): read again, they cost no query of the
records they show, and nothing kept is ever older than a write, a message or a session."""

import re
import time

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import SEEN_AT
from accounts.models import User
from accounts.roles import Role
from learning.models import LearningItem
from tests.learning.factories import LearningItemFactory
from tests.roles import person_with, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]

PAGES = [
    (Role.FELLOW, "learning:item-list", {}),
    (Role.FELLOW, "search:results", {"q": "falls"}),
    (Role.REGIONAL_LEAD, "home", {}),
    (Role.FELLOW, "home", {}),
]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def published(title="Falls huddles"):
    return LearningItemFactory(
        title=title, status=LearningItem.Status.PUBLISHED, published_at=timezone.now()
    )


def signed_in(role, client=None, person=None):
    """A client signed in as a new person with `role` (or as `person`), holding its CSRF
    cookie as a browser does after its first page."""
    client = client or Client()
    sign_in(client, person or person_with(role, "north"))
    client.get(reverse("digests:preferences"))
    return client


def get(client, name, query):
    """The page, and the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name), query)
    assert response.status_code == 200
    return response, [query["sql"] for query in queries.captured_queries]


def reads_learning(sql):
    return any('"learning_learningitem"' in statement for statement in sql)


@pytest.mark.parametrize(("role", "name", "query"), PAGES)
def test_a_page_read_again_is_the_same_page_without_reading_its_records(role, name, query):
    published()
    client = signed_in(role)
    first, first_sql = get(client, name, query)
    again, again_sql = get(client, name, query)

    assert again.content == first.content
    assert reads_learning(first_sql)
    assert not reads_learning(again_sql)
    # What is left is what every signed-in request costs (the session and the person).
    assert len(again_sql) < len(first_sql)
    assert len(again_sql) <= 3


def test_a_write_anywhere_is_shown_on_the_next_request():
    published("Falls huddles")
    client = signed_in(Role.FELLOW)
    before, _ = get(client, "learning:item-list", {})
    assert "Safer discharge" not in before.content.decode()

    published("Safer discharge")  # by someone else, in another part of the portal
    after, sql = get(client, "learning:item-list", {})

    assert reads_learning(sql)
    assert "Safer discharge" in after.content.decode()


def test_a_change_of_links_is_a_write_too():
    item = published("Falls huddles")
    client = signed_in(Role.FELLOW)
    get(client, "search:results", {"q": "falls"})

    item.authors.clear()
    _, sql = get(client, "search:results", {"q": "falls"})
    assert reads_learning(sql)


@pytest.mark.django_db(transaction=True)
def test_a_page_rendered_before_a_write_commits_is_not_read_after_it(reference_data):
    published()
    client = signed_in(Role.FELLOW)
    with transaction.atomic():
        published("Safer discharge")
        # A page rendered while the write is not yet committed (in production, by another
        # request, still seeing the data before the write) is kept.
        get(client, "learning:item-list", {})
        _, sql = get(client, "learning:item-list", {})
        assert not reads_learning(sql)
    _, sql = get(client, "learning:item-list", {})
    assert reads_learning(sql)


def test_each_session_has_its_own_page_whose_form_token_works():
    published()
    person = person_with(Role.FELLOW, "north")
    laptop = signed_in(Role.FELLOW, Client(enforce_csrf_checks=True), person)
    phone = signed_in(Role.FELLOW, Client(enforce_csrf_checks=True), person)
    get(laptop, "learning:item-list", {})
    get(laptop, "learning:item-list", {})
    # Even with the same CSRF cookie as the laptop, the phone's session is another.
    phone.cookies[settings.CSRF_COOKIE_NAME] = laptop.cookies[settings.CSRF_COOKIE_NAME].value
    _, sql = get(phone, "learning:item-list", {})
    assert reads_learning(sql)

    kept, sql = get(phone, "learning:item-list", {})
    assert not reads_learning(sql)
    # The sign-out button on the kept page carries a token made from this browser's CSRF
    # cookie, so it still signs this browser out.
    token = TOKEN.search(kept.content.decode()).group(1)
    signed_out = phone.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert signed_out.status_code == 302
    assert "_auth_user_id" not in phone.session


def test_another_person_never_gets_a_kept_page():
    published()
    fellow, other = signed_in(Role.FELLOW), signed_in(Role.FELLOW)
    get(fellow, "home", {})
    get(fellow, "home", {})
    other.cookies[settings.CSRF_COOKIE_NAME] = fellow.cookies[settings.CSRF_COOKIE_NAME].value
    _, sql = get(other, "home", {})
    assert reads_learning(sql)


def test_the_address_and_its_query_are_part_of_the_key():
    published("Falls huddles")
    client = signed_in(Role.FELLOW)
    get(client, "search:results", {"q": "falls"})
    response, sql = get(client, "search:results", {"q": "discharge"})
    assert reads_learning(sql)
    assert "Falls huddles" not in response.content.decode()


def message_cookie(rf, text):
    return CookieStorage(rf.get("/"))._encode([Message(constants.SUCCESS, text)])


def test_a_message_is_shown_even_when_the_page_is_kept(rf):
    published()
    client = signed_in(Role.FELLOW)
    get(client, "learning:item-list", {})
    get(client, "learning:item-list", {})  # kept, without a message
    client.cookies[CookieStorage.cookie_name] = message_cookie(rf, "Learning item saved.")

    response, _ = get(client, "learning:item-list", {})
    assert "Learning item saved." in response.content.decode()


def test_a_message_is_shown_once_and_its_page_is_not_kept(rf):
    published()
    client = signed_in(Role.FELLOW)
    client.cookies[CookieStorage.cookie_name] = message_cookie(
        rf, "Your digest preferences have been saved."
    )

    with_message, sql = get(client, "learning:item-list", {})
    assert reads_learning(sql)
    assert "Your digest preferences have been saved." in with_message.content.decode()

    after, sql = get(client, "learning:item-list", {})
    assert reads_learning(sql)  # the page with the message was not kept
    assert "Your digest preferences have been saved." not in after.content.decode()


def test_a_kept_page_still_passes_the_idle_limit():
    published()
    client = signed_in(Role.FELLOW)
    get(client, "learning:item-list", {})
    get(client, "learning:item-list", {})
    session = client.session
    session[SEEN_AT] = time.time() - settings.SESSION_COOKIE_AGE - 1
    session.save()

    response = client.get(reverse("learning:item-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_kept_page_is_not_shown_once_the_account_is_deactivated():
    published()
    client = signed_in(Role.FELLOW)
    get(client, "search:results", {"q": "falls"})
    person = client.get(reverse("home")).wsgi_request.user
    # Written without a signal, so the kept page's generation does not move on.
    User.objects.filter(pk=person.pk).update(is_active=False)

    response = client.get(reverse("search:results"), {"q": "falls"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_page_whose_token_is_not_from_the_browsers_cookie_is_not_kept():
    published()
    client = signed_in(Role.FELLOW)
    # A cookie Django cannot use: each page makes a new secret (and sends it as a new cookie)
    # whose token this browser, sending the old cookie again, would not match.
    for _ in range(2):
        client.cookies[settings.CSRF_COOKIE_NAME] = "not-a-token"
        _, sql = get(client, "learning:item-list", {})
        assert reads_learning(sql)


def test_pages_are_kept_in_redis_and_not_while_it_is_down(redis_server):
    published()
    client = signed_in(Role.FELLOW)
    get(client, "learning:item-list", {})
    _, sql = get(client, "learning:item-list", {})
    assert not reads_learning(sql)

    redis_server.stop()
    published("Safer discharge")  # a write while Redis is down
    for _ in range(2):
        response, sql = get(client, "learning:item-list", {})
        assert reads_learning(sql)
        assert "Safer discharge" in response.content.decode()


def test_nothing_is_kept_when_switched_off(settings):
    settings.PAGE_CACHE_SECONDS = 0
    published()
    client = signed_in(Role.FELLOW)
    get(client, "learning:item-list", {})
    _, sql = get(client, "learning:item-list", {})
    assert reads_learning(sql)
