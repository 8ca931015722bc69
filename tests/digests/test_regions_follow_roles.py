"""A person's digest regions follow their roles until they choose their own."""

import datetime
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse

from accounts.models import RoleAssignment
from accounts.roles import Role
from digests import services
from digests.models import DigestDelivery, DigestFrequency, DigestPreference
from learning.models import LearningItem
from tests.learning.factories import LearningItemFactory
from tests.roles import host_psc, person_with, region, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]

LONDON = ZoneInfo("Europe/London")
MONDAY = datetime.datetime(2026, 3, 30, 7, 0, tzinfo=LONDON)
MID_PERIOD = MONDAY - datetime.timedelta(days=5)


def published(title, region_slug):
    return LearningItemFactory(
        title=title,
        status=LearningItem.Status.PUBLISHED,
        published_at=MID_PERIOD,
        region=region(region_slug),
    )


def move_fellow_to_south(person):
    """End the person's north fellow role and give them one in the south."""
    RoleAssignment.objects.filter(user=person).update(
        starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 12, 31)
    )
    RoleAssignment.objects.create(
        user=person,
        role=Role.FELLOW,
        region=region("south"),
        psc=host_psc("south"),
        starts_on=datetime.date(2026, 1, 1),
    )


def digest_sent_to(person):
    run = services.digest_run_plan(frequency=DigestFrequency.WEEKLY, now=MONDAY)
    delivery = run.deliveries.get(user=person)
    services.digest_delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DigestDelivery.Status.SENT, delivery.detail
    return next(message for message in mail.outbox if message.to == [person.email])


def test_a_person_who_opened_their_preferences_gets_the_regions_of_the_role_they_hold_now(client):
    person = person_with(Role.FELLOW, "north")
    sign_in(client, person)
    assert client.get(reverse("digests:preferences")).status_code == 200
    move_fellow_to_south(person)
    published("North news", "north")
    published("South news", "south")

    message = digest_sent_to(person)

    assert "South news" in message.body
    assert "North news" not in message.body


def test_the_preferences_page_ticks_the_regions_of_the_current_roles_and_says_they_follow(client):
    person = person_with(Role.FELLOW, "north")
    services.digest_preference_for(person)
    move_fellow_to_south(person)
    sign_in(client, person)

    response = client.get(reverse("digests:preferences"))

    assert response.context["form"].initial["regions"] == [region("south").pk]
    assert 'id="regions-follow-roles"' in response.text


def test_regions_the_person_chose_stay_whatever_their_roles_become(client):
    person = person_with(Role.FELLOW, "north")
    sign_in(client, person)
    client.post(
        reverse("digests:preferences"),
        {
            "frequency": DigestFrequency.WEEKLY,
            "regions": [region("north").pk, region("london-south-east").pk],
            "kinds": LearningItem.Kind.values,
        },
    )
    preference = DigestPreference.objects.get(user=person)
    assert preference.regions_chosen_at is not None
    move_fellow_to_south(person)
    published("North news", "north")
    published("South news", "south")

    message = digest_sent_to(person)

    assert "North news" in message.body
    assert "South news" not in message.body
    assert 'id="regions-chosen"' in client.get(reverse("digests:preferences")).text


def test_saving_only_a_new_frequency_keeps_the_regions_following_the_roles(client):
    person = person_with(Role.FELLOW, "north")
    sign_in(client, person)

    client.post(
        reverse("digests:preferences"),
        {
            "frequency": DigestFrequency.DAILY,
            "regions": [region("north").pk],
            "kinds": LearningItem.Kind.values,
        },
    )

    preference = DigestPreference.objects.get(user=person)
    assert preference.frequency == DigestFrequency.DAILY
    assert preference.regions_chosen_at is None
    assert not preference.regions.exists()


def test_the_migration_lets_copied_regions_follow_and_keeps_regions_someone_chose():
    migration = import_module("digests.migrations.0002_regions_follow_roles")
    copied = person_with(Role.FELLOW, "north")
    chose = person_with(Role.FELLOW, "north")
    DigestPreference.objects.create(user=copied).regions.set([region("north")])
    DigestPreference.objects.create(user=chose).regions.set([region("north"), region("south")])

    migration.follow_roles_unless_chosen(apps, None)

    copied_preference = DigestPreference.objects.get(user=copied)
    assert copied_preference.regions_chosen_at is None
    assert not copied_preference.regions.exists()
    chose_preference = DigestPreference.objects.get(user=chose)
    assert chose_preference.regions_chosen_at is not None
    assert chose_preference.regions.count() == 2
