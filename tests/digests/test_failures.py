"""A digest delivery that fails in an unexpected way (not the mail server) is tried a few times,
then marked failed with the reason and shown on the runs page, instead of being retried by
every sweep for ever."""

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from accounts.roles import Role
from digests import services
from digests.models import DigestDelivery
from tests.digests.test_digests import MONDAY_AFTER_CHANGE, plan, published
from tests.roles import person_with, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]
Status = DigestDelivery.Status


class BrokenBackend(EmailBackend):
    """Fails as a bug would, not as a mail server does."""

    def send_messages(self, messages):
        raise RuntimeError("the digest template could not be drawn")


def test_an_unexpected_failure_is_tried_three_times_then_failed_with_its_reason(settings, client):
    settings.EMAIL_BACKEND = "tests.digests.test_failures.BrokenBackend"
    person = person_with(Role.FELLOW, "north")
    published()
    delivery = plan().deliveries.get(user=person)

    results = []
    for _attempt in range(3):
        results.append(services.digest_delivery_send(delivery_id=delivery.pk))

    assert results == [Status.PENDING, Status.PENDING, Status.FAILED]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.FAILED, 3)
    assert delivery.detail == "RuntimeError: the digest template could not be drawn"
    # The sweep no longer finds it to queue.
    assert services.digests_sweep(now=MONDAY_AFTER_CHANGE) == 0

    sign_in(client, person_with(Role.NATIONAL))
    page = client.get(reverse("digests:runs")).content.decode()
    assert f"{person.email}: RuntimeError: the digest template could not be drawn" in page


def test_an_unexpected_failure_releases_the_claim_for_the_sweep(settings):
    settings.EMAIL_BACKEND = "tests.digests.test_failures.BrokenBackend"
    person = person_with(Role.FELLOW, "north")
    published()
    delivery = plan().deliveries.get(user=person)

    services.digest_delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.PENDING, 1)
    assert delivery.detail.startswith("RuntimeError")
