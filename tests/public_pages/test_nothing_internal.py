"""Nothing internal reaches the public pages or the feeds: every public page is rendered for
an item whose internal fields hold marker strings, and none of them may appear. The item's own
title must, so the test fails if the pages show nothing at all."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from learning.models import LearningItem, LearningItemEvent
from regions.models import Organisation
from register.models import AdoptionStage
from register.services import adoption_create
from tests.discussion.factories import CommentFactory
from tests.fellows.factories import InitiativeFactory
from tests.learning.factories import InvestigationFactory, LearningItemFactory
from tests.roles import person_with, region

pytestmark = pytest.mark.django_db

Status = LearningItem.Status
MARK = "MARKER"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def item():
    unnamed = person_with(
        Role.FELLOW, "north", full_name=f"{MARK} Unnamed Author", email="marker.author@example.org"
    )
    lead = person_with(Role.REGIONAL_LEAD, "north", full_name=f"{MARK} Reviewing Lead")
    item = LearningItemFactory(
        created_by=unnamed,
        region=region("north"),
        title="Huddles after falls on older people's wards",
        summary="A ten-minute huddle after every fall.",
        body="## What we did\n\nWe met within a day.",
        status=Status.PUBLISHED,
        published_at=timezone.now(),
        is_public=True,
        public_since=timezone.now(),
    )
    LearningItemEvent.objects.create(
        item=item,
        from_status=Status.SUBMITTED,
        to_status=Status.RETURNED,
        by=lead,
        feedback=f"{MARK} feedback: say which wards took part.",
    )
    item.investigations.set(
        [
            InvestigationFactory(title=f"{MARK} internal review", report_url="", created_by=lead),
            InvestigationFactory(
                title=f"{MARK} report not yet published", published_on=None, created_by=lead
            ),
            InvestigationFactory(
                title="Falls in hospital: national report",
                report_url="https://www.hssib.org.uk/reports/falls/",
                published_on=datetime.date(2025, 6, 1),
                created_by=lead,
            ),
        ]
    )
    item.initiatives.set([InitiativeFactory(title=f"{MARK} initiative", created_by=lead)])
    adopter = Organisation.objects.create(
        slug="marker-trust", kind=Organisation.Kind.NHS_TRUST, name=f"{MARK} Adopting Trust"
    )
    adoption_create(
        by=lead,
        learning_item=item,
        organisation=adopter,
        region=region("north"),
        stage=AdoptionStage.PILOTING,
    )
    # The discussion is the portal's: a comment, a reply and a hidden comment with its reason.
    commenter = person_with(Role.FELLOW, "south", full_name=f"{MARK} Commenter")
    thread = CommentFactory(item=item, author=commenter, body=f"{MARK} comment on falls")
    CommentFactory(item=item, author=lead, parent=thread, body=f"{MARK} reply on falls")
    CommentFactory(
        item=item, author=commenter, body=f"{MARK} hidden comment", hidden_at=timezone.now(),
        hidden_by=lead, hidden_reason=f"{MARK} reason for hiding",
    )  # fmt: skip
    item.history.update(history_change_reason=f"{MARK} change reason")
    # Learning that must not be listed at all: a draft, learning in review, private learning.
    hidden = [(Status.DRAFT, True), (Status.SUBMITTED, True), (Status.PUBLISHED, False)]
    for status, public in hidden:
        LearningItemFactory(
            title=f"{MARK} {status} learning, falls", status=status, is_public=public,
            published_at=timezone.now() if status == Status.PUBLISHED else None,
        )  # fmt: skip
    return item


def public_pages(item):
    return {
        "list": reverse("public:list"),
        "search": reverse("public:list") + "?q=falls",
        "filtered": reverse("public:list") + f"?region={item.region.pk}&kind={item.kind}",
        "item": reverse("public:item", args=[item.pk]),
        "feed": reverse("public:feed"),
        "region feed": reverse("public:region-feed", args=["north"]),
        "sitemap": reverse("public:sitemap"),
        "robots": reverse("public:robots"),
    }


def test_no_internal_field_on_any_public_page_or_feed(item):
    visitor = Client()
    for name, url in public_pages(item).items():
        response = visitor.get(url)
        assert response.status_code == 200, name
        text = response.content.decode()
        assert MARK not in text, f"{name}: {text[text.index(MARK) - 200 : text.index(MARK) + 100]}"
        assert "@example.org" not in text, name
        if name not in ("sitemap", "robots"):
            assert "older people" in text.replace("&#x27;", "'").replace("&#39;", "'"), name


def test_the_item_page_links_only_published_reports(item):
    text = Client().get(reverse("public:item", args=[item.pk])).content.decode()
    assert 'href="https://www.hssib.org.uk/reports/falls/"' in text
    assert "Falls in hospital: national report" in text


def test_the_feeds_are_atom_as_the_standard_defines_it(item):
    for url in (reverse("public:feed"), reverse("public:region-feed", args=["north"])):
        response = Client().get(url)
        assert response["Content-Type"].startswith("application/atom+xml")
        # Well-formed XML, or this raises (the portal's own output, not a stranger's).
        feed = ET.fromstring(response.content)  # noqa: S314
        assert_atom_feed(feed)
        entries = feed.findall(f"{ATOM}entry")
        assert [entry.findtext(f"{ATOM}title") for entry in entries] == [item.title]
        link = entries[0].find(f"{ATOM}link[@rel='alternate']")
        assert link.get("href") == "http://testserver" + reverse("public:item", args=[item.pk])


def test_a_region_feed_holds_its_region_only(item):
    south = Client().get(reverse("public:region-feed", args=["south"]))
    assert ET.fromstring(south.content).findall(f"{ATOM}entry") == []  # noqa: S314
    assert Client().get(reverse("public:region-feed", args=["nowhere"])).status_code == 404


def _one(element, name):
    found = element.findall(f"{ATOM}{name}")
    assert len(found) == 1, f"{element.tag} must have exactly one {name}, has {len(found)}"
    return found[0]


def _date(text):
    # RFC 3339, as RFC 4287 section 3.3 asks: a full date and time with its offset.
    assert "T" in text and (text.endswith("Z") or text[-6] in "+-"), text
    datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def assert_atom_feed(feed):
    """The rules of RFC 4287 that a feed of entries without content must keep."""
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        _one(feed, name)
    _date(_one(feed, "updated").text)
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    feed_has_author = feed.find(f"{ATOM}author/{ATOM}name") is not None
    ids = set()
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            _one(entry, name)
        _date(_one(entry, "updated").text)
        entry_id = _one(entry, "id").text
        assert entry_id not in ids
        ids.add(entry_id)
        assert ":" in entry_id  # an IRI with a scheme
        # Without content, an entry must link to it and should summarise it.
        assert entry.find(f"{ATOM}content") is not None or (
            entry.find(f"{ATOM}link[@rel='alternate']") is not None
            and entry.find(f"{ATOM}summary") is not None
        )
        assert feed_has_author or entry.find(f"{ATOM}author/{ATOM}name") is not None
