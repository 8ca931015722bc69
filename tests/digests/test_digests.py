"""Regional digests: periods, planning, claiming and sending, content, unsubscribing, pages."""

import datetime
import smtplib
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail, signing
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from config.celery_app import app as celery_app
from digests import periods, services, tokens
from digests.models import DigestDelivery, DigestFrequency, DigestPreference, DigestRun
from digests.tasks import send_digest
from learning.models import LearningItem
from portal import page_cache
from tests.conftest import require_service
from tests.learning.factories import LearningItemFactory
from tests.roles import person_with, region, sign_in

LONDON = ZoneInfo("Europe/London")
Status = DigestDelivery.Status
WEEKLY, DAILY = DigestFrequency.WEEKLY, DigestFrequency.DAILY
# Monday 30 March 2026, 07:00 British Summer Time (the clocks went forward the day before).
MONDAY_AFTER_CHANGE = datetime.datetime(2026, 3, 30, 7, 0, tzinfo=LONDON)
MONDAY_BEFORE_CHANGE = datetime.datetime(2026, 3, 23, 7, 0, tzinfo=LONDON)
MID_PERIOD = MONDAY_BEFORE_CHANGE + datetime.timedelta(days=2)


@pytest.fixture(autouse=True)
def _site_url(settings, no_mfa_required):
    settings.SITE_URL = "https://portal.example.org"


def published(title="Safer handover", when=MID_PERIOD, region_slug="north", **fields):
    return LearningItemFactory(
        title=title,
        status=LearningItem.Status.PUBLISHED,
        published_at=when,
        region=region(region_slug),
        **fields,
    )


def plan(frequency=WEEKLY, now=MONDAY_AFTER_CHANGE):
    return services.digest_run_plan(frequency=frequency, now=now)


def send_all(run):
    return {
        delivery.user.email: services.digest_delivery_send(delivery_id=delivery.pk)
        for delivery in run.deliveries.select_related("user")
    }


# Periods


def test_a_weekly_period_ends_at_the_latest_monday_seven_am_london_time():
    wednesday = datetime.datetime(2026, 4, 1, 12, 0, tzinfo=LONDON)
    assert periods.period_end_for(WEEKLY, wednesday) == MONDAY_AFTER_CHANGE
    just_before = MONDAY_AFTER_CHANGE - datetime.timedelta(seconds=1)
    assert periods.period_end_for(WEEKLY, just_before) == MONDAY_BEFORE_CHANGE
    assert periods.period_end_for(WEEKLY, MONDAY_AFTER_CHANGE) == MONDAY_AFTER_CHANGE


def test_a_week_across_the_clock_change_runs_from_seven_am_to_seven_am_local_time():
    start = periods.period_start_for(WEEKLY, MONDAY_AFTER_CHANGE)
    assert start == MONDAY_BEFORE_CHANGE
    assert start.astimezone(datetime.UTC).hour == 7  # GMT
    assert MONDAY_AFTER_CHANGE.astimezone(datetime.UTC).hour == 6  # BST
    elapsed = MONDAY_AFTER_CHANGE.astimezone(datetime.UTC) - start.astimezone(datetime.UTC)
    assert elapsed == datetime.timedelta(hours=167)


def test_a_daily_period_ends_at_seven_am_today_or_yesterday():
    morning = datetime.datetime(2026, 10, 25, 6, 59, tzinfo=LONDON)  # clocks went back at 2:00
    end = periods.period_end_for(DAILY, morning)
    assert end == datetime.datetime(2026, 10, 24, 7, 0, tzinfo=LONDON)
    later = periods.period_end_for(DAILY, morning + datetime.timedelta(minutes=1))
    elapsed = later.astimezone(datetime.UTC) - end.astimezone(datetime.UTC)
    assert elapsed == datetime.timedelta(hours=25)


@pytest.mark.django_db
def test_an_item_published_exactly_at_the_boundary_belongs_to_the_next_period_only():
    person = person_with(Role.FELLOW, "north")
    boundary = published("On the boundary", when=MONDAY_AFTER_CHANGE)

    earlier = plan(now=MONDAY_AFTER_CHANGE)
    later = plan(now=MONDAY_AFTER_CHANGE + datetime.timedelta(days=7))

    assert send_all(earlier)[person.email] == Status.SKIPPED
    assert send_all(later)[person.email] == Status.SENT
    assert [message.to for message in mail.outbox] == [[person.email]]
    assert boundary.title in mail.outbox[0].body


# Planning


@pytest.mark.django_db
def test_planning_the_same_period_twice_records_the_same_deliveries():
    people = [person_with(Role.FELLOW, "north") for _ in range(3)]

    first = plan()
    second = plan(now=MONDAY_AFTER_CHANGE + datetime.timedelta(hours=3))

    assert first.pk == second.pk
    assert DigestRun.objects.count() == 1
    assert sorted(first.deliveries.values_list("user", flat=True)) == sorted(p.pk for p in people)


@pytest.mark.django_db
def test_planning_picks_active_people_who_want_that_frequency():
    default = person_with(Role.FELLOW, "north")
    daily = person_with(Role.FELLOW, "north")
    never = person_with(Role.FELLOW, "north")
    inactive = person_with(Role.FELLOW, "north", is_active=False)
    DigestPreference.objects.create(user=daily, frequency=DAILY)
    DigestPreference.objects.create(user=never, frequency=DigestFrequency.NEVER)

    weekly_run, daily_run = plan(WEEKLY), plan(DAILY)

    assert list(weekly_run.deliveries.values_list("user", flat=True)) == [default.pk]
    assert list(daily_run.deliveries.values_list("user", flat=True)) == [daily.pk]
    assert not DigestDelivery.objects.filter(user__in=[never, inactive]).exists()


@pytest.mark.django_db
def test_planning_queues_the_sending_once_the_plan_has_committed(
    django_capture_on_commit_callbacks,
):
    person = person_with(Role.FELLOW, "north")
    published()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = plan()

    queued = [callback for callback in callbacks if callback is not page_cache._next_generation]
    assert len(queued) == 1
    assert run.deliveries.get(user=person).status == Status.SENT
    assert [message.to for message in mail.outbox] == [[person.email]]


# Content


@pytest.mark.django_db
def test_a_digest_lists_new_learning_of_the_persons_regions_grouped_by_region():
    person = person_with(Role.NATIONAL, full_name="Sam National")
    DigestPreference.objects.create(user=person, kinds=[LearningItem.Kind.BEST_PRACTICE])
    author = person_with(Role.FELLOW, "north", full_name="Alex Author")
    north = published("Safer handover", authors=[author], created_by=author)
    south = published("Falls huddles", region_slug="south")
    published("A gap, not best practice", kind=LearningItem.Kind.GAP)
    published("Last week's", when=MONDAY_BEFORE_CHANGE - datetime.timedelta(minutes=1))

    assert send_all(plan())[person.email] == Status.SENT

    message = next(m for m in mail.outbox if m.to == [person.email])
    html = message.alternatives[0][0]
    assert "2 new learning entries" in message.subject
    for text in (message.body, html):
        assert "Safer handover" in text and "Falls huddles" in text
        assert "A gap" not in text and "Last week" not in text
        assert "Alex Author" in text
        assert north.summary in text
        assert f"https://portal.example.org/learning/{north.pk}/" in text
        assert f"https://portal.example.org/learning/{south.pk}/" in text
        assert text.lower().index("north") < text.index("Safer handover")
    assert 'style="' in html


@pytest.mark.django_db
def test_a_digest_carries_the_one_click_unsubscribe_headers():
    person = person_with(Role.FELLOW, "north")
    published()

    # The link is signed with the time: the clock stands still, so the link made here for
    # comparison is the one the digest was given, whichever second each was made in.
    with time_machine.travel(timezone.now(), tick=False):
        send_all(plan())
        url = tokens.unsubscribe_url(person)

    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body and url.startswith("https://portal.example.org/digests/")
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in message.message().as_string()


@pytest.mark.django_db
def test_nothing_new_sends_no_email_and_the_delivery_is_skipped():
    person = person_with(Role.FELLOW, "north")
    published(region_slug="south")

    run = plan()

    assert set(send_all(run).values()) == {Status.SKIPPED}
    assert run.deliveries.get(user=person).detail == "Nothing new."
    assert mail.outbox == []


@pytest.mark.django_db
def test_learning_withdrawn_after_the_plan_is_left_out():
    person_with(Role.FELLOW, "north")
    item = published()
    run = plan()
    LearningItem.objects.filter(pk=item.pk).update(status=LearningItem.Status.WITHDRAWN)

    assert set(send_all(run).values()) == {Status.SKIPPED}
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_person_deactivated_after_the_plan_gets_nothing():
    person = person_with(Role.FELLOW, "north")
    published()
    run = plan()
    person.is_active = False
    person.save()

    assert send_all(run)[person.email] == Status.SKIPPED
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_person_who_unsubscribed_after_the_plan_gets_nothing():
    person = person_with(Role.FELLOW, "north")
    published()
    run = plan()
    services.digest_unsubscribe(user=person)

    assert send_all(run)[person.email] == Status.SKIPPED
    assert mail.outbox == []


# Claiming and sending


@pytest.mark.django_db
def test_a_delivery_is_sent_once_however_often_its_task_runs():
    person = person_with(Role.FELLOW, "north")
    published()
    delivery = plan().deliveries.get(user=person)

    first = services.digest_delivery_send(delivery_id=delivery.pk)
    second = services.digest_delivery_send(delivery_id=delivery.pk)

    assert (first, second) == (Status.SENT, None)
    delivery.refresh_from_db()
    assert delivery.sent_at is not None and delivery.item_count == 1
    assert [message.to for message in mail.outbox] == [[person.email]]


class FailingBackend(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.mark.django_db
def test_an_smtp_error_releases_the_claim_for_a_retry_and_the_last_attempt_fails(settings):
    settings.EMAIL_BACKEND = "tests.digests.test_digests.FailingBackend"
    person = person_with(Role.FELLOW, "north")
    published()
    delivery = plan().deliveries.get(user=person)

    with pytest.raises(smtplib.SMTPException):
        services.digest_delivery_send(delivery_id=delivery.pk, last_attempt=False)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.claimed_at) == (Status.PENDING, 1, None)

    assert services.digest_delivery_send(delivery_id=delivery.pk) == Status.FAILED
    delivery.refresh_from_db()
    assert delivery.status == Status.FAILED
    assert "SMTPServerDisconnected" in delivery.detail


def test_the_send_task_retries_connection_errors_with_capped_backoff():
    assert send_digest.acks_late and send_digest.reject_on_worker_lost
    assert OSError in send_digest.autoretry_for
    assert smtplib.SMTPException in send_digest.autoretry_for
    assert send_digest.retry_backoff and send_digest.retry_backoff_max == 600
    assert send_digest.max_retries == 5


@pytest.mark.django_db(transaction=True)
def test_two_senders_racing_on_separate_connections_send_each_delivery_once(
    reference_data, monkeypatch
):
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "the race needs two real database connections; set DATABASE_URL to a postgres:// URL",
    )
    monkeypatch.setattr(services, "_queue_on_commit", lambda ids: None)  # the threads send
    people = [person_with(Role.FELLOW, "north") for _ in range(20)]
    published()
    ids = list(plan().deliveries.filter(user__in=people).values_list("pk", flat=True))
    barrier = threading.Barrier(2)
    results, errors = [[], []], []

    def sender(index):
        try:
            barrier.wait()
            for delivery_id in ids:
                results[index].append(services.digest_delivery_send(delivery_id=delivery_id))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    sent = [r for result in results for r in result if r == Status.SENT]
    assert len(sent) == len(people)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert set(DigestDelivery.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        Status.SENT
    }


@pytest.mark.django_db
def test_the_sweep_releases_stale_claims_and_queues_what_is_pending(
    django_capture_on_commit_callbacks,
):
    person = person_with(Role.FELLOW, "north")
    published()
    now = timezone.now()
    run = services.digest_run_plan(frequency=WEEKLY, now=now)
    delivery = run.deliveries.get(user=person)
    stale = now - services.CLAIM_TIMEOUT - datetime.timedelta(minutes=1)
    DigestDelivery.objects.filter(pk=delivery.pk).update(status=Status.SENDING, claimed_at=stale)
    # The item was published after this period began, so make it fall inside it.
    LearningItem.objects.update(published_at=run.period_start)

    with django_capture_on_commit_callbacks(execute=True):
        queued = services.digests_sweep(now=now)

    assert queued == 1
    delivery.refresh_from_db()
    assert delivery.status == Status.SENT
    assert [message.to for message in mail.outbox] == [[person.email]]


@pytest.mark.django_db
def test_the_sweep_leaves_a_fresh_claim_alone():
    person = person_with(Role.FELLOW, "north")
    now = timezone.now()
    delivery = services.digest_run_plan(frequency=WEEKLY, now=now).deliveries.get(user=person)
    DigestDelivery.objects.filter(pk=delivery.pk).update(status=Status.SENDING, claimed_at=now)

    assert services.digests_sweep(now=now + datetime.timedelta(minutes=5)) == 0
    delivery.refresh_from_db()
    assert delivery.status == Status.SENDING


@pytest.mark.django_db
def test_the_sweep_plans_a_period_whose_scheduled_plan_was_missed():
    person_with(Role.FELLOW, "north")

    services.digests_sweep(now=MONDAY_AFTER_CHANGE + datetime.timedelta(minutes=5))

    assert set(DigestRun.objects.values_list("frequency", "period_end")) == {
        (WEEKLY, MONDAY_AFTER_CHANGE),
        (DAILY, MONDAY_AFTER_CHANGE),
    }


def test_the_beat_schedule_plans_weekly_on_monday_and_daily_at_seven_and_sweeps():
    schedule = celery_app.conf.beat_schedule
    weekly, daily = schedule["weekly-digests"]["schedule"], schedule["daily-digests"]["schedule"]
    assert (weekly.hour, weekly.minute, weekly.day_of_week) == ({7}, {0}, {1})
    assert (daily.hour, daily.minute, len(daily.day_of_week)) == ({7}, {0}, 7)
    assert schedule["weekly-digests"]["args"] == ("weekly",)
    assert schedule["sweep-digests"]["task"] == "digests.tasks.sweep_digests"
    assert celery_app.conf.timezone == "Europe/London"


# Query counts: planning and rendering do not grow with the number of people or entries.


def _queries(function):
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


@pytest.mark.django_db
def test_planning_takes_the_same_queries_for_few_and_many_people():
    for _ in range(3):
        person_with(Role.FELLOW, "north")
    few = _queries(lambda: plan(now=MONDAY_BEFORE_CHANGE))
    for _ in range(30):
        person_with(Role.FELLOW, "south")
    many = _queries(lambda: plan(now=MONDAY_AFTER_CHANGE))
    assert few == many


@pytest.mark.django_db
def test_sending_a_digest_takes_the_same_queries_for_few_and_many_entries():
    national = person_with(Role.NATIONAL)
    published("One")
    first = plan(now=MONDAY_AFTER_CHANGE).deliveries.get(user=national)
    few = _queries(lambda: services.digest_delivery_send(delivery_id=first.pk))

    later = MONDAY_AFTER_CHANGE + datetime.timedelta(days=2)
    for index, slug in enumerate(["north", "south"] * 5):
        author = person_with(Role.FELLOW, slug)
        published(f"Entry {index}", when=later, region_slug=slug, authors=[author, national])
    second = plan(now=later + datetime.timedelta(days=7)).deliveries.get(user=national)
    many = _queries(lambda: services.digest_delivery_send(delivery_id=second.pk))

    assert (first.pk, few) != (second.pk, 0)
    assert few == many
    assert len(mail.outbox) == 2


# Unsubscribing


def tampered(token):
    """The token with its last character changed."""
    return token[:-1] + ("B" if token.endswith("A") else "A")


@pytest.mark.django_db
def test_an_unsubscribe_token_names_one_person_and_cannot_be_tampered_with():
    person, other = person_with(Role.FELLOW, "north"), person_with(Role.FELLOW, "north")
    token = tokens.unsubscribe_token(person)

    assert tokens.user_for_unsubscribe_token(token) == person
    assert tokens.user_for_unsubscribe_token(tampered(token)) is None
    value, signature = token.rsplit(":", 1)
    forged = signing.dumps(other.pk, salt="another.salt")
    assert tokens.user_for_unsubscribe_token(forged) is None
    swapped = signing.dumps(other.pk, salt=tokens.UNSUBSCRIBE_SALT).rsplit(":", 1)[0]
    assert tokens.user_for_unsubscribe_token(f"{swapped}:{signature}") is None


@pytest.mark.django_db
def test_a_one_click_post_unsubscribes_without_sign_in_or_csrf_token():
    person = person_with(Role.FELLOW, "north")
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("digests:unsubscribe", args=[tokens.unsubscribe_token(person)]),
        {"List-Unsubscribe": "One-Click"},
    )

    assert response.status_code == 200
    assert "You have unsubscribed" in response.text
    preference = DigestPreference.objects.get(user=person)
    assert preference.frequency == DigestFrequency.NEVER and preference.unsubscribed_at


@pytest.mark.django_db
def test_opening_the_unsubscribe_link_asks_to_confirm_and_changes_nothing(client):
    person = person_with(Role.FELLOW, "north")

    response = client.get(reverse("digests:unsubscribe", args=[tokens.unsubscribe_token(person)]))

    assert response.status_code == 200
    assert "<button" in response.text and "Unsubscribe" in response.text
    assert not DigestPreference.objects.filter(user=person, frequency="never").exists()


@pytest.mark.django_db
def test_a_tampered_unsubscribe_link_is_not_found_and_unsubscribes_nobody(client):
    person = person_with(Role.FELLOW, "north")
    token = tokens.unsubscribe_token(person)

    response = client.post(reverse("digests:unsubscribe", args=[tampered(token)]))

    assert response.status_code == 404
    assert not DigestPreference.objects.filter(frequency="never").exists()


# Pages


@pytest.mark.django_db
def test_the_preferences_page_starts_from_the_defaults(client):
    person = person_with(Role.FELLOW, "south")
    sign_in(client, person)

    response = client.get(reverse("digests:preferences"))

    assert response.status_code == 200
    preference = DigestPreference.objects.get(user=person)
    assert preference.frequency == WEEKLY
    assert preference.kinds == LearningItem.Kind.values
    assert preference.regions_chosen_at is None  # the regions follow the person's roles
    assert response.context["form"].initial["regions"] == [region("south").pk]
    assert 'type="radio"' in response.text and 'type="checkbox"' in response.text
    assert 'class="nhsuk-checkboxes__input"' in response.text


@pytest.mark.django_db
def test_saving_preferences_changes_them_and_undoes_an_unsubscribe(client):
    person = person_with(Role.FELLOW, "north")
    services.digest_unsubscribe(user=person)
    sign_in(client, person)
    assert "you unsubscribed on" in client.get(reverse("digests:preferences")).text

    response = client.post(
        reverse("digests:preferences"),
        {
            "frequency": DAILY,
            "regions": [region("north").pk, region("south").pk],
            "kinds": [LearningItem.Kind.BEST_PRACTICE, LearningItem.Kind.GAP],
        },
    )

    assert response.status_code == 302
    preference = DigestPreference.objects.get(user=person)
    assert preference.frequency == DAILY and preference.unsubscribed_at is None
    assert set(preference.regions.values_list("slug", flat=True)) == {"north", "south"}
    assert list(plan(DAILY).deliveries.values_list("user", flat=True)) == [person.pk]


@pytest.mark.django_db
def test_the_preferences_form_requires_a_region_and_a_type(client):
    sign_in(client, person_with(Role.FELLOW, "north"))

    response = client.post(reverse("digests:preferences"), {"frequency": WEEKLY})

    assert response.status_code == 200
    assert "Select at least one region." in response.text
    assert "Select at least one type of learning." in response.text


@pytest.mark.django_db
def test_a_lead_previews_the_next_digest_of_their_region(client):
    lead = person_with(Role.REGIONAL_LEAD, "north")
    now = timezone.now()
    published("North news", when=now)
    published("South news", when=now, region_slug="south")
    sign_in(client, lead)

    response = client.get(reverse("digests:preview"))

    assert response.status_code == 200
    assert "North news" in response.text and "South news" not in response.text


@pytest.mark.django_db
def test_by_default_the_preview_and_the_digest_list_every_type_of_learning(client):
    lead = person_with(Role.REGIONAL_LEAD, "north")
    fellow = person_with(Role.FELLOW, "north")
    published(
        "From an investigation", when=timezone.now(), kind=LearningItem.Kind.FROM_INVESTIGATION
    )
    published("A gap", when=MID_PERIOD, kind=LearningItem.Kind.GAP)
    sign_in(client, lead)

    response = client.get(reverse("digests:preview"))

    assert "From an investigation" in response.text
    assert "It includes every type of learning." in response.text
    assert f'href="{reverse("digests:preferences")}"' in response.text
    send_all(plan())
    message = next(m for m in mail.outbox if m.to == [fellow.email])
    assert "A gap" in message.body


@pytest.mark.django_db
def test_a_saved_choice_of_types_is_kept_and_the_preview_names_the_types(client):
    lead = person_with(Role.REGIONAL_LEAD, "north")
    DigestPreference.objects.create(user=lead, kinds=[LearningItem.Kind.BEST_PRACTICE])
    published(
        "From an investigation", when=timezone.now(), kind=LearningItem.Kind.FROM_INVESTIGATION
    )
    sign_in(client, lead)

    response = client.get(reverse("digests:preview"))

    assert "From an investigation" not in response.text
    assert "only the types of learning your digest lists: Best practice." in response.text
    assert "Nothing of these types has been published yet" in response.text


@pytest.mark.django_db
def test_the_runs_page_counts_deliveries_by_status_and_lists_failures(client):
    national = person_with(Role.NATIONAL)
    people = [person_with(Role.FELLOW, "north") for _ in range(4)]
    run = plan()
    statuses = [Status.SENT, Status.SKIPPED, Status.FAILED, Status.PENDING]
    for person, status in zip(people, statuses, strict=True):
        run.deliveries.filter(user=person).update(status=status, detail=f"{status} detail")
    sign_in(client, national)

    response = client.get(reverse("digests:runs"))

    assert response.status_code == 200
    row = response.context["page"].object_list[0]
    counts = (row.planned_count, row.sent_count, row.skipped_count, row.failed_count)
    assert counts == (5, 1, 1, 1)
    assert row.pending_count == 2
    assert f"{people[2].email}: failed detail" in response.text


@pytest.mark.django_db
def test_the_runs_page_takes_the_same_queries_for_few_and_many_runs(client):
    sign_in(client, person_with(Role.NATIONAL))
    url = reverse("digests:runs")
    plan()
    client.get(url)
    few = _queries(lambda: client.get(url))
    for week in range(1, 6):
        run = plan(now=MONDAY_AFTER_CHANGE + datetime.timedelta(days=7 * week))
        run.deliveries.update(status=Status.FAILED, detail="SMTP down")
    many = _queries(lambda: client.get(url))
    assert few == many


@pytest.mark.django_db
def test_everyone_signed_in_sees_digests_in_the_menu(client):
    sign_in(client, person_with(Role.PARTNER_READER))

    response = client.get(reverse("home"))

    assert reverse("digests:preferences") in response.text


@pytest.mark.django_db
def test_the_digest_runs_page_is_in_the_national_teams_menu_only(client):
    runs = reverse("digests:runs")
    sign_in(client, person_with(Role.NATIONAL))
    national = client.get(reverse("regions:list")).context["nav_items"]
    sign_in(client, person_with(Role.REGIONAL_LEAD, "north"))
    lead = client.get(reverse("regions:list")).context["nav_items"]

    assert ("Digest runs", runs) in [(item["label"], item["url"]) for item in national]
    assert runs not in [item["url"] for item in lead]


# The command


@pytest.mark.django_db(transaction=True)
def test_the_command_plans_and_sends_the_latest_period(reference_data, capsys):
    person = person_with(Role.FELLOW, "north")
    published()

    call_command("send_digests", "--frequency", "weekly", "--now", MONDAY_AFTER_CHANGE.isoformat())

    # The item's author has no region, so theirs is skipped.
    assert "2 planned, 1 sent, 1 skipped" in capsys.readouterr().out
    assert [message.to for message in mail.outbox] == [[person.email]]
