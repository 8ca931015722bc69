"""The public pages: published learning its reviewer made public, for anyone without signing
in, with nothing internal on them (public_pages/, docs/adr/0036)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import SecurityEvent
from accounts.roles import Role
from learning.models import LearningItem
from tests.learning.factories import LearningItemFactory
from tests.roles import person_with, region, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]

Status = LearningItem.Status


@pytest.fixture
def author():
    return person_with(Role.FELLOW, "north", full_name="Asha Fellow", email="asha@example.org")


@pytest.fixture
def lead():
    return person_with(Role.REGIONAL_LEAD, "north", full_name="North Lead")


@pytest.fixture
def submitted(author):
    return LearningItemFactory(
        created_by=author,
        title="Huddles after falls",
        status=Status.SUBMITTED,
        submitted_at=timezone.now(),
    )


def published(title="Huddles after falls", public=True, **fields):
    return LearningItemFactory(
        title=title,
        status=Status.PUBLISHED,
        published_at=timezone.now(),
        is_public=public,
        public_since=timezone.now() if public else None,
        **fields,
    )


def anonymous_get(name, *args, query=None):
    return Client().get(reverse(name, args=args), query or {})


def text_of(response):
    """The page's HTML without search's highlights, which split a title into parts."""
    return re.sub(r"</?mark>", "", response.content.decode())


def on_public_list(title, query=None):
    return title in text_of(anonymous_get("public:list", query=query))


def test_a_lead_publishes_learning_as_public_and_anyone_can_read_it(client, lead, submitted):
    sign_in(client, lead)
    response = client.post(reverse("learning:item-publish", args=[submitted.pk]), {"public": "yes"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.is_public) == (Status.PUBLISHED, True)
    page = anonymous_get("public:item", submitted.pk)
    assert page.status_code == 200
    assert "Huddles after falls" in page.content.decode()
    assert on_public_list("Huddles after falls")
    # Who made it public, and when, is in its history.
    latest = submitted.history.latest()
    assert (latest.is_public, latest.history_user) == (True, lead)


def test_published_learning_is_not_public_unless_the_lead_says_so(client, lead, submitted):
    sign_in(client, lead)
    client.post(reverse("learning:item-publish", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert (submitted.status, submitted.is_public) == (Status.PUBLISHED, False)
    assert anonymous_get("public:item", submitted.pk).status_code == 404
    assert not on_public_list("Huddles after falls")


def test_the_lead_takes_it_off_the_public_pages_and_puts_it_back(client, lead):
    item = published(region=region("north"))
    assert on_public_list(item.title)  # kept for anonymous visitors from here on
    sign_in(client, lead)

    client.post(reverse("learning:item-public", args=[item.pk]), {"public": "no"})
    assert anonymous_get("public:item", item.pk).status_code == 404
    assert not on_public_list(item.title)

    client.post(reverse("learning:item-public", args=[item.pk]), {"public": "yes"})
    assert anonymous_get("public:item", item.pk).status_code == 200
    assert on_public_list(item.title)
    changes = [entry.is_public for entry in item.history.order_by("history_date")]
    assert changes[-2:] == [False, True]
    assert {entry.history_user for entry in item.history.all()[:2]} == {lead}


@pytest.mark.parametrize("step", ["withdraw"])
def test_withdrawn_learning_leaves_the_public_pages_at_once(client, lead, step):
    item = published(region=region("north"))
    assert on_public_list(item.title)
    sign_in(client, lead)
    client.post(reverse(f"learning:item-{step}", args=[item.pk]))
    item.refresh_from_db()
    assert (item.status, item.is_public) == (Status.WITHDRAWN, False)
    assert anonymous_get("public:item", item.pk).status_code == 404
    assert not on_public_list(item.title)


def test_learning_returned_or_still_in_review_is_never_public(author):
    # Whatever the flag says (an old row, a bulk write), only published learning is shown.
    for status in (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.WITHDRAWN):
        item = LearningItemFactory(created_by=author, status=status, is_public=True)
        assert anonymous_get("public:item", item.pk).status_code == 404
        assert not on_public_list(item.title)


def test_only_the_regions_reviewers_decide_what_is_public(client, author):
    item = published(region=region("north"), public=False)
    item.authors.set([author])
    for person in (
        author,  # an author does not publish their own work
        person_with(Role.FELLOW, "north"),
        person_with(Role.REGIONAL_LEAD, "south"),
        person_with(Role.PSC_CHAIR, "north"),
    ):
        client.logout()
        sign_in(client, person)
        response = client.post(reverse("learning:item-public", args=[item.pk]), {"public": "yes"})
        assert response.status_code in (403, 404), person
    item.refresh_from_db()
    assert not item.is_public
    sign_in(client, person_with(Role.NATIONAL))
    client.post(reverse("learning:item-public", args=[item.pk]), {"public": "yes"})
    item.refresh_from_db()
    assert item.is_public


def test_learning_in_review_cannot_be_made_public(client, lead, submitted):
    sign_in(client, lead)
    response = client.post(reverse("learning:item-public", args=[submitted.pk]), {"public": "yes"})
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert not submitted.is_public


def test_the_public_list_searches_and_filters_public_learning_only():
    published("Falls huddles on the ward", region=region("north"))
    published("Falls sensors at night", region=region("south"), kind=LearningItem.Kind.GAP)
    published("Falls audit kept inside", public=False)
    published("Sepsis screening in the emergency department")

    found = text_of(anonymous_get("public:list", query={"q": "falls"}))
    assert "Falls huddles" in found and "Falls sensors" in found
    assert "Falls audit kept inside" not in found and "Sepsis" not in found
    assert on_public_list("Falls huddles", {"region": region("north").pk})
    assert not on_public_list("Falls sensors", {"region": region("north").pk})
    assert on_public_list("Falls sensors", {"kind": "gap"})
    assert not on_public_list("Falls huddles", {"kind": "gap"})


def test_the_public_list_filters_by_theme_and_syllabus_pair():
    from taxonomy.models import SyllabusTag, Theme

    theme, tag = Theme.objects.first(), SyllabusTag.objects.first()
    tagged = published("Tagged learning")
    tagged.themes.set([theme])
    tagged.syllabus.set([tag])
    published("Untagged learning")
    by_theme = anonymous_get("public:list", query={"theme": theme.slug}).content.decode()
    by_tag = anonymous_get("public:list", query={"syllabus": tag.pk}).content.decode()
    for page in (by_theme, by_tag):
        assert "Tagged learning" in page and "Untagged learning" not in page


def test_authors_are_named_only_when_they_agreed(client, author):
    shy = person_with(Role.FELLOW, "north", full_name="Quiet Fellow")
    item = published()
    item.authors.set([author, shy])
    page = anonymous_get("public:item", item.pk).content.decode()
    assert "Asha Fellow" not in page and "Quiet Fellow" not in page

    sign_in(client, author)
    response = client.post(reverse("accounts:public-name"), {"named": "yes"})
    assert response.status_code == 302
    author.refresh_from_db()
    assert author.named_on_public_pages
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PUBLIC_NAME_CHANGED)
    assert (event.user, event.detail) == (author, {"named": True})

    page = anonymous_get("public:item", item.pk).content.decode()
    feed = anonymous_get("public:feed").content.decode()
    for shown in (page, feed):
        assert "Asha Fellow" in shown
        assert "Quiet Fellow" not in shown and "asha@example.org" not in shown


def test_the_public_name_page_says_what_is_wrong_when_nothing_is_chosen(client, author):
    sign_in(client, author)
    response = client.post(reverse("accounts:public-name"), {})
    assert response.status_code == 200
    assert "Say whether to name you on the public pages" in response.content.decode()


def test_internal_pages_ask_search_engines_not_to_list_them_and_public_ones_do_not(client):
    item = published()
    for name, args in [("public:list", []), ("public:item", [item.pk]), ("public:feed", [])]:
        assert "X-Robots-Tag" not in anonymous_get(name, *args), name
    sign_in(client, person_with(Role.FELLOW, "north"))
    for url in ["/", reverse("learning:item-detail", args=[item.pk]), reverse("account_login")]:
        assert client.get(url)["X-Robots-Tag"] == "noindex, nofollow", url
    assert Client().get(reverse("account_login"))["X-Robots-Tag"] == "noindex, nofollow"


def test_robots_allow_the_public_pages_and_nothing_else():
    text = anonymous_get("public:robots").content.decode()
    lines = text.splitlines()
    assert "Allow: /public/" in lines and "Allow: /feed/" in lines and "Disallow: /" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_the_sitemap_lists_public_learning_only():
    shown, hidden = published("Shown"), published("Hidden", public=False)
    xml = anonymous_get("public:sitemap").content.decode()
    assert reverse("public:item", args=[shown.pk]) in xml
    assert reverse("public:item", args=[hidden.pk]) not in xml
    assert reverse("public:list") in xml


def count_queries(name, *args, query=None):
    with CaptureQueriesContext(connection) as queries:
        response = anonymous_get(name, *args, query=query)
    assert response.status_code == 200
    return len(queries.captured_queries)


LISTS = [("public:list", None), ("public:list", {"q": "falls"}), ("public:feed", None)]


@pytest.mark.parametrize(("name", "query"), LISTS)
def test_the_list_search_and_feed_cost_the_same_queries_however_many_items(settings, name, query):
    settings.PAGE_CACHE_SECONDS = 0  # each request renders, so each is counted
    for number in range(3):
        published(f"Falls huddles {number}").themes.set([])
    few = count_queries(name, query=query)
    for number in range(3, 20):
        published(f"Falls huddles {number}")
    assert count_queries(name, query=query) == few


def test_an_items_page_costs_the_same_queries_however_many_authors_and_tags(settings):
    from taxonomy.models import SyllabusTag, Theme

    settings.PAGE_CACHE_SECONDS = 0
    small = published("Small")
    large = published("Large")
    people = [person_with(Role.FELLOW, "north", full_name=f"Named {n}") for n in range(5)]
    for person in people:
        person.named_on_public_pages = True
        person.save()
    large.authors.set(people)
    large.themes.set(Theme.objects.all()[:5])
    large.syllabus.set(SyllabusTag.objects.all()[:5])
    assert count_queries("public:item", small.pk) == count_queries("public:item", large.pk)


def test_a_public_page_read_again_reads_no_learning_until_something_changes():
    item = published("Falls huddles")
    first = count_queries("public:list")
    assert count_queries("public:list") < first
    item.title = "Falls huddles, revised"
    item.save()
    assert on_public_list("Falls huddles, revised")


def test_a_kept_public_page_is_never_what_a_signed_in_person_is_sent(client, author):
    published("Falls huddles")
    first, again = anonymous_get("public:list"), anonymous_get("public:list")
    assert again.content == first.content
    # The kept copy still carries the security headers, and a request id of its own.
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert again["X-Request-ID"] != first["X-Request-ID"]
    assert "Set-Cookie" not in again

    sign_in(client, author)
    signed_in = client.get(reverse("public:list"))
    assert "Asha Fellow" in signed_in.content.decode()  # their own header, not the kept page
    assert "no-store" in signed_in["Cache-Control"]


def test_a_kept_public_page_never_answers_plain_http_where_https_is_required(settings):
    settings.SECURE_SSL_REDIRECT = True
    published("Falls huddles")
    assert Client().get(reverse("public:list"), secure=True).status_code == 200  # now kept
    assert anonymous_get("public:list").status_code == 301
