"""Smaller points from the outside probe: reset links last an hour, an invitation carries the
scope its role needs whoever creates it, and a step on learning is refused by permission before
its status is mentioned."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from accounts.roles import Role
from accounts.services import invitation_create
from learning.models import LearningItem
from tests.learning.factories import LearningItemFactory
from tests.roles import person_with, region, sign_in

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def reset_link(client, user):
    client.post("/accounts/password/reset/", {"email": user.email})
    return re.search(r"http://\S+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)[1]


@pytest.mark.parametrize(("minutes", "works"), [(59, True), (61, False)])
def test_a_password_reset_link_stops_working_after_an_hour(client, user, minutes, works):
    with time_machine.travel(START, tick=False) as clock:
        link = reset_link(client, user)
        clock.shift(dt.timedelta(minutes=minutes))

        page = client.get(link, follow=True).content.decode()

    assert ("This link does not work" not in page) is works


@pytest.mark.parametrize(
    ("role", "scope", "missing"),
    [
        (Role.FELLOW, {"region": "north"}, "psc"),
        (Role.REGIONAL_LEAD, {}, "region"),
        (Role.PSC_CHAIR, {}, "psc"),
        (Role.PARTNER_READER, {}, "organisation"),
    ],
)
def test_an_invitation_without_the_scope_its_role_needs_is_refused_by_the_service(
    national, role, scope, missing
):
    fields = {key: region(value) for key, value in scope.items()}

    with pytest.raises(ValidationError) as refused:
        invitation_create(
            by=national, email="new@example.org", full_name="New Person", role=role, **fields
        )

    assert missing in refused.value.message_dict
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.usefixtures("no_mfa_required")
@pytest.mark.parametrize("step", ["publish", "return"])
def test_someone_who_may_not_take_a_step_gets_403_whatever_the_status(client, step):
    author = person_with(Role.FELLOW, "north")
    published = LearningItemFactory(
        created_by=author,
        region=region("north"),
        status=LearningItem.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    sign_in(client, author)

    response = client.get(reverse(f"learning:item-{step}", args=[published.pk]))

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("text", "words", "html"),
    [
        ("Ramp & handover", {"amp"}, "R<mark>amp</mark> &amp; handover"),
        ("Falls < 5 a month", {"lt"}, "Falls &lt; 5 a month"),
        (
            'Quotes "quot" & more',
            {"quot"},
            "<mark>Quot</mark>es &quot;<mark>quot</mark>&quot; &amp; more",
        ),
        ("<script>", {"script"}, "&lt;<mark>script</mark>&gt;"),
    ],
)
def test_search_highlighting_never_marks_inside_an_escaped_character(text, words, html):
    from search.selectors import _highlight

    assert _highlight(text, words) == html
