import datetime
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import resolve, reverse
from django.utils import timezone
from mailer.models import PRIORITY_DEFERRED, Message

from accounts.models import Invitation, RoleAssignment, SecurityEvent, User
from accounts.roles import Role
from accounts.services import invitation_create, invitation_from_token, invitation_token
from portal.pagination import PAGE_SIZE
from portal.tasks import retry_deferred_mail
from tests.accounts.factories import UserFactory
from tests.roles import host_psc, invite_fellow, partner_organisation, person_with, region
from tests.roles import sign_in as sign_in_as

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]

INVITE = reverse("accounts:invite")
PASSPHRASE = "correct horse battery staple"
PASSWORDS = {"password1": PASSPHRASE, "password2": PASSPHRASE}
# Tomorrow at ten: after the fixtures' roles start (today), whatever day the suite runs on. A
# fixed date went wrong once the calendar passed it and the roles began after it.
NOW = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)).replace(
    hour=10, minute=0, second=0, microsecond=0
)


def accept_url(invitation):
    return reverse("accounts:invitation-accept", args=[invitation_token(invitation)])


def link_in(message):
    return re.search(r"https?://\S+(/invitation/\S+/)", message.body).group(1)


def form_data(role, **extra):
    return {"full_name": "Sam Taylor", "email": "sam.taylor@example.org", "role": role, **extra}


# Sending


def test_a_mail_relay_that_is_down_leaves_the_invitation_saved_and_its_email_for_later(
    client, lead, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "portal.emails.OutboxBackend"
    settings.MAILER_EMAIL_BACKEND = "tests.worker_mail.FailingBackend"
    sign_in_as(client, lead)
    data = form_data(Role.FELLOW, region=region("north").pk, psc=host_psc("north").pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE, data)

    invitation = Invitation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("accounts:invitation", args=[invitation.pk])
    assert mail.outbox == []
    # The email waits in the outbox, deferred, for the relay to come back.
    [waiting] = Message.objects.all()
    assert waiting.to_addresses == [invitation.email] and waiting.priority == PRIORITY_DEFERRED

    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retry_deferred_mail()
    assert [message.to for message in mail.outbox] == [[invitation.email]]
    assert not Message.objects.exists()


def test_a_lead_invites_a_fellow_to_their_region_and_an_email_goes_out(
    client, lead, django_capture_on_commit_callbacks
):
    sign_in_as(client, lead)
    data = form_data(Role.FELLOW, region=region("north").pk, psc=host_psc("north").pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE, data)

    invitation = Invitation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("accounts:invitation", args=[invitation.pk])
    assert (invitation.role, invitation.region, invitation.psc) == (
        Role.FELLOW,
        region("north"),
        host_psc("north"),
    )
    assert invitation.invited_by == lead
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=7)
    [message] = mail.outbox
    assert message.to == ["sam.taylor@example.org"]
    # The link's token is signed with the second it was made in, so it is read, not compared
    # with one made now.
    link = resolve(link_in(message))
    assert link.url_name == "invitation-accept"
    assert invitation_from_token(link.kwargs["token"]) == invitation
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.INVITATION_SENT)
    assert (event.user, event.email) == (lead, "sam.taylor@example.org")


def test_a_lead_is_offered_only_fellows_and_partner_readers_in_their_region(client, lead):
    sign_in_as(client, lead)

    form = client.get(INVITE).context["form"]

    assert [value for value, _ in form.fields["role"].choices] == [
        Role.FELLOW,
        Role.PARTNER_READER,
    ]
    assert list(form.fields["region"].queryset) == [region("north")]
    assert {psc.primary_region for psc in form.fields["psc"].queryset} == {region("north")}


def test_the_national_team_is_offered_every_role_and_region(client, national):
    sign_in_as(client, national)

    form = client.get(INVITE).context["form"]

    assert {value for value, _ in form.fields["role"].choices} == set(Role.values)
    assert form.fields["region"].queryset.count() == 4


@pytest.mark.parametrize(
    "data",
    [
        form_data(Role.REGIONAL_LEAD, region="SOUTH"),
        form_data(Role.REGIONAL_LEAD, region="NORTH"),
        form_data(Role.FELLOW, region="SOUTH", psc="WESSEX"),
        form_data(Role.NATIONAL),
        form_data(Role.PSC_CHAIR, psc="NORTH_PSC"),
    ],
    ids=["lead-elsewhere", "lead-own-region", "fellow-elsewhere", "national", "chair"],
)
def test_a_lead_cannot_invite_beyond_what_they_may_grant(client, lead, data):
    ids = {
        "SOUTH": region("south").pk,
        "NORTH": region("north").pk,
        "WESSEX": host_psc("south").pk,
        "NORTH_PSC": host_psc("north").pk,
    }
    data = {key: ids.get(value, value) for key, value in data.items()}
    sign_in_as(client, lead)

    response = client.post(INVITE, data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Invitation.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize("role", list(Role))
def test_the_national_team_can_invite_any_role(client, national, role):
    scope = {
        Role.FELLOW: {"region": region("south").pk, "psc": host_psc("south").pk},
        Role.REGIONAL_LEAD: {"region": region("south").pk},
        Role.PSC_CHAIR: {"psc": host_psc("south").pk},
        Role.NATIONAL: {},
        Role.PARTNER_READER: {"organisation": partner_organisation().pk},
    }[role]
    sign_in_as(client, national)

    response = client.post(INVITE, form_data(role, **scope))

    assert response.status_code == 302, response.context["form"].errors
    assert Invitation.objects.get().role == role


def test_a_chairs_invitation_belongs_to_their_pscs_region(national):
    invitation = invite_fellow(national, role=Role.PSC_CHAIR, region=None, psc=host_psc("south"))

    assert invitation.region == region("south")


def test_a_fellow_needs_a_host_psc_in_their_region(client, national):
    sign_in_as(client, national)

    response = client.post(
        INVITE, form_data(Role.FELLOW, region=region("north").pk, psc=host_psc("south").pk)
    )

    assert response.context["form"].errors == {"psc": ["Choose a PSC based in the fellow's region"]}


@pytest.mark.django_db
def test_an_invitations_name_with_an_nhs_number_is_refused(national):
    from accounts.forms import InvitationForm

    form = InvitationForm(
        {
            "email": "new.fellow@example.org",
            "full_name": "Jo 943 476 5919",
            "role": Role.NATIONAL,
        },
        inviter=national,
    )

    assert not form.is_valid()
    assert form.errors["full_name"][0].startswith("Remove the NHS number ending 5919")


def test_inviting_needs_a_recent_reauthentication(client, lead):
    sign_in_as(client, lead, reauthenticated=False)

    response = client.get(INVITE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))


def test_someone_with_an_open_invitation_cannot_be_invited_twice(client, lead):
    invite_fellow(lead, email="sam.taylor@example.org")
    sign_in_as(client, lead)

    response = client.post(
        INVITE, form_data(Role.FELLOW, region=region("north").pk, psc=host_psc("north").pk)
    )

    assert "email" in response.context["form"].errors


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


# Accepting


def test_accepting_creates_a_verified_account_with_the_role_and_signs_in(client, lead):
    invitation = invite_fellow(lead)

    response = client.post(accept_url(invitation), PASSWORDS)

    assert response.status_code == 302
    assert response.url == reverse("home")
    user = User.objects.get(email="new.fellow@example.org")
    assert user.full_name == "New Fellow"
    assert user.check_password(PASSPHRASE)
    assert EmailAddress.objects.filter(user=user, verified=True, primary=True).count() == 1
    assignment = RoleAssignment.objects.get(user=user)
    today = timezone.localdate()
    assert (assignment.role, assignment.region, assignment.psc) == (
        Role.FELLOW,
        region("north"),
        host_psc("north"),
    )
    assert assignment.starts_on == today
    assert assignment.ends_on == today + datetime.timedelta(days=364)
    assert assignment.created_by == lead
    assert client.get(reverse("home")).context["user"] == user
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert (invitation.user, invitation.assignment) == (user, assignment)
    kinds = set(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert {SecurityEvent.Kind.INVITATION_ACCEPTED, SecurityEvent.Kind.ROLE_GRANTED} <= kinds


def test_the_inviters_end_date_is_kept(client, lead):
    ends_on = timezone.localdate() + datetime.timedelta(days=100)
    invitation = invite_fellow(lead, ends_on=ends_on)

    client.post(accept_url(invitation), PASSWORDS)

    assert RoleAssignment.objects.get(user__email=invitation.email).ends_on == ends_on


def test_the_accept_page_is_public_and_names_the_role(client, lead):
    response = client.get(accept_url(invite_fellow(lead)))

    assert response.status_code == 200
    assert "safety fellow" in response.content.decode()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pass", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("new.fellow@example.org", "The password is too similar to the email address."),
    ],
)
def test_a_weak_password_is_refused_with_a_message_by_the_field(client, lead, password, message):
    invitation = invite_fellow(lead)

    response = client.post(accept_url(invitation), {"password1": password, "password2": password})

    assert response.status_code == 200
    assert message in response.context["form"].errors["password1"]
    assert 'id="id_password1-error"' in response.content.decode()
    assert not User.objects.filter(email=invitation.email).exists()


def test_a_long_passphrase_of_lowercase_words_is_accepted(client, lead):
    invitation = invite_fellow(lead)

    response = client.post(
        accept_url(invitation), {"password1": "purple tractor", "password2": "purple tractor"}
    )

    assert response.status_code == 302


def test_the_passwords_must_match(client, lead):
    response = client.post(
        accept_url(invite_fellow(lead)), {"password1": PASSPHRASE, "password2": PASSPHRASE + "x"}
    )

    assert response.context["form"].errors == {"password2": ["The passwords do not match"]}


def test_a_link_works_once(client, lead):
    invitation = invite_fellow(lead)
    url = accept_url(invitation)
    client.post(url, PASSWORDS)
    client.logout()

    response = client.get(url)
    again = client.post(url, PASSWORDS)

    assert response.status_code == 410
    assert "This invitation has already been used" in response.content.decode()
    assert again.status_code == 410
    assert RoleAssignment.objects.filter(user__email=invitation.email).count() == 1


def test_a_link_expires_after_seven_days(client, lead):
    with time_machine.travel(NOW, tick=False):
        invitation = invite_fellow(lead)
        url = accept_url(invitation)
    with time_machine.travel(NOW + datetime.timedelta(days=6, hours=23), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(NOW + datetime.timedelta(days=7, minutes=1), tick=False):
        response = client.get(url)
        posted = client.post(url, PASSWORDS)
        invitation.refresh_from_db()
        assert invitation.status == Invitation.Status.EXPIRED

    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    assert lead.email in response.content.decode()
    assert posted.status_code == 410
    assert not User.objects.filter(email=invitation.email).exists()


def test_a_revoked_link_stops_working(client, lead):
    invitation = invite_fellow(lead)
    url = accept_url(invitation)
    sign_in_as(client, lead)
    client.post(reverse("accounts:invitation-revoke", args=[invitation.pk]))
    client.logout()

    response = client.get(url)

    assert response.status_code == 410
    assert "This invitation has been withdrawn" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.INVITATION_REVOKED)
    assert (event.user, event.email) == (lead, invitation.email)


def test_resending_kills_the_old_link_and_extends_the_expiry(
    client, lead, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False):
        invitation = invite_fellow(lead)
        old_url = accept_url(invitation)
    with (
        time_machine.travel(NOW + datetime.timedelta(days=10), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sign_in_as(client, lead)
        response = client.post(reverse("accounts:invitation-resend", args=[invitation.pk]))
    client.logout()

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.expires_at == NOW + datetime.timedelta(days=17)
    first, resent = mail.outbox  # the invitation's email, then the new link's
    assert link_in(first) == old_url
    new_url = link_in(resent)
    assert new_url != old_url
    with time_machine.travel(NOW + datetime.timedelta(days=11), tick=False):
        assert "has been replaced" in client.get(old_url).content.decode()
        assert client.get(new_url).status_code == 200
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.INVITATION_RESENT).count() == 1


def test_a_tampered_link_does_not_work(client, lead):
    url = accept_url(invite_fellow(lead))

    response = client.get(url[:-3] + "xx/")

    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()


def test_a_link_for_a_missing_invitation_does_not_work(client, lead):
    invitation = invite_fellow(lead)
    url = accept_url(invitation)
    invitation.delete()

    assert client.get(url).status_code == 404


def test_someone_with_an_account_gets_the_role_added_and_is_asked_to_sign_in(client, lead):
    existing = UserFactory(email="new.fellow@example.org")
    password_hash = existing.password
    invitation = invite_fellow(lead)
    url = accept_url(invitation)

    page = client.get(url)
    response = client.post(url)

    assert "already have an account" in page.content.decode()
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert RoleAssignment.objects.get(user=existing).role == Role.FELLOW
    assert EmailAddress.objects.get(user=existing).verified
    existing.refresh_from_db()
    assert existing.password == password_hash


def test_a_signed_in_person_cannot_accept_someone_elses_invitation(client, lead):
    other = UserFactory()
    invitation = invite_fellow(lead)
    client.force_login(other)

    response = client.post(accept_url(invitation), PASSWORDS)

    assert "This invitation is for someone else" in response.content.decode()
    assert Invitation.objects.get().status == Invitation.Status.PENDING


# The list


def test_the_list_shows_each_status(client, national):
    with time_machine.travel(NOW - datetime.timedelta(days=30), tick=False):
        invite_fellow(national, email="expired@example.org")
    invite_fellow(national, email="pending@example.org")
    revoked = invite_fellow(national, email="revoked@example.org")
    Invitation.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    accepted = invite_fellow(national, email="accepted@example.org")
    Invitation.objects.filter(pk=accepted.pk).update(accepted_at=timezone.now())
    sign_in_as(client, national)

    text = client.get(reverse("accounts:invitations")).content.decode()

    for status in ("Pending", "Expired", "Revoked", "Accepted"):
        assert f">{status}</strong>" in text


def test_the_list_takes_the_same_number_of_queries_with_more_rows(
    client, national, django_assert_num_queries
):
    invite_fellow(national, email="first@example.org")
    sign_in_as(client, national)
    # Session, user, the user's scope, the count for the pages and a page of invitations with
    # their regions, PSCs and inviters.
    with django_assert_num_queries(5):
        client.get(reverse("accounts:invitations"))

    for number in range(15):
        invite_fellow(
            person_with(Role.NATIONAL),
            email=f"person{number}@example.org",
            role=Role.PARTNER_READER,
            organisation=partner_organisation(),
        )

    with django_assert_num_queries(5):
        response = client.get(reverse("accounts:invitations"))
    assert response.content.decode().count('class="nhsuk-tag') == 16


def test_the_list_is_paged_newest_first(client, national):
    for number in range(PAGE_SIZE + 3):
        invite_fellow(national, email=f"person{number:02}@example.org")
    sign_in_as(client, national)

    first = client.get(reverse("accounts:invitations")).content.decode()
    second = client.get(reverse("accounts:invitations"), {"page": 2}).content.decode()

    assert f"{PAGE_SIZE + 3} invitations, 1 to {PAGE_SIZE} shown." in first
    assert "person22@example.org" in first and "person02@example.org" not in first
    assert all(f"person0{n}@example.org" in second for n in range(3))
    assert 'aria-label="Pagination"' in second
