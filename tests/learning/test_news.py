"""Telling authors what happened to their learning: on their home, on each item's page since
they last looked, and in a weekly email for those who want it (learning/news.py)."""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from curriculum.models import CurriculumEntry
from curriculum.services import curriculum_entry_update
from digests import services as digests
from digests.models import DigestDelivery, DigestFrequency, DigestKind, DigestPreference
from learning import services
from learning.models import LearningItem, LearningItemSeen
from learning.news import news_for_author
from tests.curriculum.factories import entry
from tests.discussion.factories import CommentFactory
from tests.learning.factories import LearningItemFactory
from tests.register.factories import adoption
from tests.roles import person_with, region, sign_in

LONDON = ZoneInfo("Europe/London")
MONDAY = datetime.datetime(2026, 11, 30, 7, 0, tzinfo=LONDON)
WEDNESDAY_BEFORE = MONDAY - datetime.timedelta(days=5)

pytestmark = pytest.mark.usefixtures("no_mfa_required")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://portal.example.org"


def submitted(author, title="Safer handover"):
    return LearningItemFactory(
        title=title,
        created_by=author,
        status=LearningItem.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )


def news_on_home(client):
    page = client.get(reverse("home")).content.decode()
    match = re.search(r'<div id="home-news">(.*?)</form>', page, re.S)
    return match.group(1) if match else ""


def news_on_item(client, item):
    page = client.get(reverse("learning:item-detail", args=[item.pk])).content.decode()
    match = re.search(r'<div class="nhsuk-inset-text" id="news">(.*?)</div>', page, re.S)
    return match.group(1) if match else ""


@pytest.mark.django_db
def test_the_home_lists_what_others_did_with_the_fellows_learning(client, fellow, lead):
    item = submitted(fellow)
    services.learning_item_publish(item=item, by=lead, public=True)
    other_fellow = person_with(Role.FELLOW, "north", email="other.fellow@example.org")
    adoption(other_fellow, of=item)
    entry(other_fellow, learning_items=[item], programme="MSc Patient Safety")
    CommentFactory(item=item, author=other_fellow)
    CommentFactory(item=item, author=lead, hidden_at=timezone.now(), hidden_by=lead)
    sign_in(client, fellow)

    news = news_on_home(client)

    assert "Safer handover" in news
    assert f"Published</strong> by {lead}" in news
    assert "Shown on the public pages" in news
    assert "Adopted</strong> <a" in news and "Test Teaching Hospitals NHS Trust" in news
    assert "Cited in a curriculum entry" in news and "MSc Patient Safety" in news
    assert news.count("Commented on</strong>") == 1  # the hidden comment is no news
    assert f"by {other_fellow}</a>" in news


@pytest.mark.django_db
def test_what_the_author_did_themselves_is_not_news(client, fellow):
    item = submitted(fellow)
    services.learning_item_withdraw(item=item, by=fellow, reason="Superseded")
    adoption(fellow, of=LearningItemFactory(created_by=fellow, status="published"))
    entry(fellow, learning_items=[item])
    CommentFactory(item=item, author=fellow)
    sign_in(client, fellow)

    assert news_on_home(client) == ""
    assert "Nothing new since you last looked" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_opening_the_item_shows_its_news_once_and_takes_it_off_the_home(client, fellow, lead):
    item = submitted(fellow)
    services.learning_item_return(item=item, by=lead, feedback="Say what changed on the ward.")
    sign_in(client, fellow)
    assert "Returned with feedback" in news_on_home(client)

    first = client.get(reverse("learning:item-detail", args=[item.pk])).content.decode()
    second = client.get(reverse("learning:item-detail", args=[item.pk])).content.decode()

    assert "What happened since you last looked" in first
    assert "Returned with feedback</strong> by" in first
    assert "What happened since you last looked" not in second
    assert news_on_home(client) == ""


@pytest.mark.django_db
def test_news_after_the_last_look_is_shown_again(client, fellow, lead):
    item = submitted(fellow)
    services.learning_item_publish(item=item, by=lead)
    sign_in(client, fellow)
    client.get(reverse("learning:item-detail", args=[item.pk]))

    services.learning_item_set_public(item=item, by=lead, public=True)

    news = news_on_item(client, item)
    assert "Shown on the public pages" in news
    assert "Published" not in news  # seen at the last look


@pytest.mark.django_db
def test_someone_who_is_not_an_author_sees_no_news_and_marks_nothing(client, fellow, lead):
    item = submitted(fellow)
    services.learning_item_publish(item=item, by=lead)
    sign_in(client, lead)

    page = client.get(reverse("learning:item-detail", args=[item.pk])).content.decode()

    assert "What happened since you last looked" not in page
    assert not LearningItemSeen.objects.exists()


@pytest.mark.django_db
def test_mark_all_as_seen_empties_the_list_even_when_the_home_was_kept(client, fellow, lead):
    first, second = submitted(fellow, "First"), submitted(fellow, "Second")
    for item in (first, second):
        services.learning_item_publish(item=item, by=lead)
    sign_in(client, fellow)
    assert "First" in news_on_home(client) and "Second" in news_on_home(client)  # kept

    response = client.post(reverse("learning:news-seen"), follow=True)

    assert "marked as seen" in response.content.decode()
    assert news_on_home(client) == ""
    assert LearningItemSeen.objects.filter(user=fellow).count() == 2


@pytest.mark.django_db
def test_a_citation_counts_from_when_the_entry_began_to_cite_the_item(client, fellow, lead):
    item = submitted(fellow)
    university = person_with(Role.FELLOW, "north", email="university.fellow@example.org")
    cited_later = entry(university, programme="BSc Midwifery")
    sign_in(client, fellow)
    client.post(reverse("learning:news-seen"))
    assert news_on_home(client) == ""

    later = timezone.now() + datetime.timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        cited_later = CurriculumEntry.objects.get(pk=cited_later.pk)
        curriculum_entry_update(
            entry=cited_later, expected_version=cited_later.version, learning_items=[item]
        )
    with time_machine.travel(later + datetime.timedelta(minutes=1)):
        assert "BSc Midwifery" in news_on_home(client)


@pytest.mark.django_db
def test_news_older_than_the_window_is_not_shown(client, fellow, lead):
    long_ago = timezone.now() - datetime.timedelta(days=120)
    with time_machine.travel(long_ago, tick=False):
        item = submitted(fellow, "Old learning")
        services.learning_item_publish(item=item, by=lead)
    sign_in(client, fellow)

    assert news_on_home(client) == ""


def _news_queries(fellow, lead, count):
    for number in range(count):
        item = submitted(fellow, f"Item {number}")
        services.learning_item_publish(item=item, by=lead, public=True)
        adoption(lead, of=item)
        entry(lead, learning_items=[item], programme=f"Programme {number}")
        CommentFactory(item=item, author=lead)
    news_for_author(fellow)  # the person's scope, read once a request, is now known
    with CaptureQueriesContext(connection) as queries:
        _news, shown = news_for_author(fellow)
    return len(queries), shown


@pytest.mark.django_db
def test_the_news_takes_the_same_queries_for_one_item_and_ten(fellow, lead):
    few, shown_few = _news_queries(fellow, lead, 1)
    many, shown_many = _news_queries(fellow, lead, 9)

    assert (shown_few, shown_many) == (1, 10)
    assert few == many


# The weekly email


def plan_summaries(now=MONDAY):
    return digests.digest_run_plan(
        frequency=DigestFrequency.WEEKLY, now=now, kind=DigestKind.AUTHORS
    )


def send_all(run):
    return {
        delivery.user.email: digests.digest_delivery_send(delivery_id=delivery.pk)
        for delivery in run.deliveries.select_related("user")
    }


@pytest.mark.django_db
def test_the_weekly_email_sums_up_the_week_for_each_author_with_news(fellow, lead):
    quiet = person_with(Role.FELLOW, "north", email="quiet.fellow@example.org")
    submitted(quiet, "Nothing happened to this")
    with time_machine.travel(WEDNESDAY_BEFORE, tick=False):
        item = submitted(fellow)
        services.learning_item_publish(item=item, by=lead, public=True)
    mail.outbox.clear()

    statuses = send_all(plan_summaries())

    assert statuses[fellow.email] == DigestDelivery.Status.SENT
    assert statuses[quiet.email] == DigestDelivery.Status.SKIPPED
    assert lead.email not in statuses  # wrote no learning
    [message] = mail.outbox
    assert message.to == [fellow.email]
    assert "What happened to your learning this week: 1 item" in message.subject
    assert "Safer handover" in message.body
    assert f"- Published by {lead}, 25 November 2026" in message.body
    assert f"https://portal.example.org/learning/{item.pk}/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.django_db
def test_news_of_an_earlier_week_is_not_in_this_weeks_email(fellow, lead):
    with time_machine.travel(WEDNESDAY_BEFORE - datetime.timedelta(days=7), tick=False):
        services.learning_item_publish(item=submitted(fellow), by=lead)
    mail.outbox.clear()

    statuses = send_all(plan_summaries())

    assert statuses[fellow.email] == DigestDelivery.Status.SKIPPED
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_author_who_turned_it_off_is_not_planned_and_the_digest_is_untouched(
    client, fellow, lead
):
    with time_machine.travel(WEDNESDAY_BEFORE, tick=False):
        services.learning_item_publish(item=submitted(fellow), by=lead)
    sign_in(client, fellow)
    preferences = client.get(reverse("digests:preferences")).content.decode()
    assert "weekly email about what happened to your learning" in preferences
    client.post(
        reverse("digests:preferences"),
        {
            "frequency": "daily",
            "regions": [region("north").pk],
            "kinds": [LearningItem.Kind.BEST_PRACTICE],
            "author_summary": "no",
        },
    )

    run = plan_summaries()

    assert not run.deliveries.exists()
    preference = DigestPreference.objects.get(user=fellow)
    assert (preference.author_summary, preference.frequency) == (False, "daily")


@pytest.mark.django_db
def test_the_emails_unsubscribe_link_stops_the_summary_only(client, fellow, lead):
    with time_machine.travel(WEDNESDAY_BEFORE, tick=False):
        services.learning_item_publish(item=submitted(fellow), by=lead)
    mail.outbox.clear()
    send_all(plan_summaries())
    [message] = mail.outbox
    link = re.search(r"Stop these summaries: (\S+)", message.body).group(1)
    path = link.removeprefix("https://portal.example.org")

    confirm = client.get(path).content.decode()
    client.post(path)

    assert "Stop the weekly summary of your learning" in confirm
    preference = DigestPreference.objects.get(user=fellow)
    assert preference.author_summary is False
    assert preference.frequency == DigestFrequency.WEEKLY  # the digest still comes


@pytest.mark.django_db
def test_the_sweep_plans_a_missed_weekly_summary(fellow, lead):
    services.learning_item_publish(item=submitted(fellow), by=lead)

    digests.digests_sweep(now=MONDAY + datetime.timedelta(minutes=5))

    assert DigestDelivery.objects.filter(user=fellow, kind=DigestKind.AUTHORS).exists()


@pytest.mark.django_db
def test_the_command_sends_the_weekly_summary_at_once(
    fellow, lead, django_capture_on_commit_callbacks
):
    with time_machine.travel(WEDNESDAY_BEFORE, tick=False):
        services.learning_item_publish(item=submitted(fellow), by=lead)
    mail.outbox.clear()
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "send_digests", "--frequency", "weekly", "--kind", "authors",
            "--now", MONDAY.isoformat(), stdout=out,
        )  # fmt: skip

    assert "Weekly summary for authors to 2026-11-30 07:00: 1 planned" in out.getvalue()
    assert [message.to for message in mail.outbox] == [[fellow.email]]
