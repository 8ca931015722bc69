"""Writes about people: invitations, role assignments and deactivation. Each records what it
did in the security log, in the same transaction as the change."""

import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import lockout
from accounts.models import (
    INVITATION_VALID_FOR,
    Invitation,
    RoleAssignment,
    SecurityEvent,
    User,
    new_nonce,
)
from accounts.roles import SCOPE_FIELDS, Role
from accounts.security import security_event_record
from portal.emails import email_send
from portal.page_cache import pages_changed

INVITATION_SALT = "accounts.invitation"  # a namespace for signing, not a secret
# A safety fellow is first appointed for about twelve months.
FELLOW_TERM = datetime.timedelta(days=365)


class InvitationUnusable(Exception):
    """Why an invitation link cannot be used: `reason` is invalid, replaced, expired,
    accepted or revoked."""

    def __init__(self, reason, invitation=None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def invitation_token(invitation):
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=INVITATION_SALT)


def invitation_url(invitation):
    path = reverse("accounts:invitation-accept", args=[invitation_token(invitation)])
    return f"{settings.SITE_URL}{path}"


def invitation_from_token(token):
    """The open invitation a link names, or InvitationUnusable saying why not."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        raise InvitationUnusable("invalid") from None
    invitation = (
        Invitation.objects.for_display().filter(pk=data.get("i")).first()
        if isinstance(data, dict)
        else None
    )
    if invitation is None:
        raise InvitationUnusable("invalid")
    status = invitation.status
    if status == Invitation.Status.REVOKED:
        raise InvitationUnusable("revoked", invitation)
    if status == Invitation.Status.ACCEPTED:
        raise InvitationUnusable("accepted", invitation)
    if data.get("n") != invitation.nonce:
        raise InvitationUnusable("replaced", invitation)
    try:
        # The row's expiry is what counts; the link's own timestamp is a second guard.
        signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_VALID_FOR)
    except signing.SignatureExpired:
        raise InvitationUnusable("expired", invitation) from None
    if status == Invitation.Status.EXPIRED:
        raise InvitationUnusable("expired", invitation)
    return invitation


def invitation_email_send(*, invitation_id):
    """Email the invitation's link. Called in the transaction that saves the invitation, so
    the email is written to the outbox with it (portal/emails.py)."""
    invitation = Invitation.objects.select_related("invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open:
        return None
    context = {
        "invitation": invitation,
        "url": invitation_url(invitation),
        "expires_at": invitation.expires_at,
        "invited_by": invitation.invited_by,
    }
    email_send(
        to=invitation.email,
        subject=render_to_string("emails/invitation_subject.txt", context).strip(),
        template="emails/invitation",
        context=context,
    )
    return invitation.email


def invitation_create(*, by, request=None, **fields):
    """Create and send an invitation. `fields` are the Invitation's email, full_name, role,
    region, psc, organisation and ends_on; only the scope the role needs is kept."""
    role = Role(fields["role"])
    needed = SCOPE_FIELDS[role]
    psc = fields.get("psc") if "psc" in needed else None
    region = fields.get("region")
    if role == Role.PSC_CHAIR and psc is not None:
        region = psc.primary_region
    elif role == Role.NATIONAL:
        region = None
    # The form offers only the right fields, but the service is the rule: an invitation from
    # the shell without its scope would otherwise fail only when the person accepts it.
    scope = {"region": region, "psc": psc, "organisation": fields.get("organisation")}
    missing = {
        field: f"A {role.label.lower()} needs a {field}." for field in needed if not scope[field]
    }
    if missing:
        raise ValidationError(missing)
    now = timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=User.objects.normalize_email(fields["email"]).lower(),
            full_name=fields["full_name"],
            role=role,
            region=region,
            psc=psc,
            organisation=fields.get("organisation") if "organisation" in needed else None,
            ends_on=fields.get("ends_on"),
            invited_by=by,
            created_at=now,
            sent_at=now,
            expires_at=now + INVITATION_VALID_FOR,
        )
        security_event_record(
            kind=SecurityEvent.Kind.INVITATION_SENT,
            request=request,
            user=by,
            email=invitation.email,
            invitation=invitation.pk,
            role=role.value,
        )
        invitation_email_send(invitation_id=invitation.pk)
    return invitation


def invitation_resend(*, invitation, by, request=None):
    """Send a fresh link for another seven days; the old link stops working."""
    now = timezone.now()
    with transaction.atomic():
        updated = (
            Invitation.objects.open()
            .filter(pk=invitation.pk)
            .update(nonce=new_nonce(), sent_at=now, expires_at=now + INVITATION_VALID_FOR)
        )
        if not updated:
            return False
        invitation.refresh_from_db()
        security_event_record(
            kind=SecurityEvent.Kind.INVITATION_RESENT,
            request=request,
            user=by,
            email=invitation.email,
            invitation=invitation.pk,
        )
        invitation_email_send(invitation_id=invitation.pk)
    return True


def invitation_revoke(*, invitation, by, request=None):
    now = timezone.now()
    with transaction.atomic():
        updated = Invitation.objects.open().filter(pk=invitation.pk).update(revoked_at=now)
        if not updated:
            return False
        invitation.revoked_at = now
        security_event_record(
            kind=SecurityEvent.Kind.INVITATION_REVOKED,
            request=request,
            user=by,
            email=invitation.email,
            invitation=invitation.pk,
        )
    return True


def existing_account(invitation):
    return User.objects.filter(email__iexact=invitation.email).first()


def invitation_accept(*, invitation, password=None, request=None):
    """Accept an invitation: create the account (with `password`) or use the existing one,
    mark the address verified and give the role. Returns the user, or raises
    InvitationUnusable if someone else used or revoked it first."""
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        # Claim the row: only one acceptance of a link can ever succeed.
        claimed = (
            Invitation.objects.open()
            .filter(pk=invitation.pk, nonce=invitation.nonce, expires_at__gt=now)
            .update(accepted_at=now)
        )
        if not claimed:
            raise InvitationUnusable("accepted", invitation)
        user = existing_account(invitation)
        if user is None:
            user = User.objects.create_user(
                invitation.email, password, full_name=invitation.full_name
            )
        EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(
            primary=False
        )
        EmailAddress.objects.update_or_create(
            user=user,
            email=user.email,
            defaults={"verified": True, "primary": True},
        )
        ends_on = invitation.ends_on
        if ends_on is None and invitation.role == Role.FELLOW:
            ends_on = today + FELLOW_TERM - datetime.timedelta(days=1)
        if ends_on is not None and ends_on < today:
            ends_on = today
        needed = SCOPE_FIELDS[Role(invitation.role)]
        assignment = RoleAssignment.objects.create(
            user=user,
            role=invitation.role,
            region=invitation.region if "region" in needed else None,
            psc=invitation.psc,
            organisation=invitation.organisation,
            starts_on=today,
            ends_on=ends_on,
            created_by=invitation.invited_by,
        )
        Invitation.objects.filter(pk=invitation.pk).update(user=user, assignment=assignment)
        invitation.accepted_at, invitation.user, invitation.assignment = now, user, assignment
        security_event_record(
            kind=SecurityEvent.Kind.INVITATION_ACCEPTED,
            request=request,
            user=user,
            invitation=invitation.pk,
        )
        security_event_record(
            kind=SecurityEvent.Kind.ROLE_GRANTED,
            request=request,
            user=user,
            assignment=assignment.pk,
            role=assignment.role,
            granted_by=invitation.invited_by_id,
        )
    return user


def assignment_end(*, assignment, by, request=None):
    """End a role so it grants nothing from today. A role can only end on or after the day it
    started, so one that had not begun before today is removed; the log keeps its details."""
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    detail = {
        "assignment": assignment.pk,
        "person": assignment.user_id,
        "role": assignment.role,
        "starts_on": assignment.starts_on.isoformat(),
    }
    with transaction.atomic():
        if assignment.starts_on <= yesterday:
            if assignment.ends_on is None or assignment.ends_on > yesterday:
                assignment.ends_on = yesterday
                assignment.ended_by = by
                assignment.save(update_fields=["ends_on", "ended_by"])
            outcome = "ended"
        else:
            assignment.delete()
            outcome = "removed"
        security_event_record(
            kind=SecurityEvent.Kind.ROLE_ENDED,
            request=request,
            user=by,
            outcome=outcome,
            **detail,
        )
    return outcome


class AssignmentChanged(Exception):
    """The role's dates were changed by someone else since they were read."""


def assignment_dates_change(*, assignment, starts_on, ends_on, by, request=None):
    """Set a role's first and last day, only if nobody changed them since `assignment` was
    read (a conditional UPDATE), and log the dates before and after with who changed them.
    Returns False when nothing needed changing; raises AssignmentChanged on a lost race."""
    before = (assignment.starts_on, assignment.ends_on)
    if before == (starts_on, ends_on):
        return False
    with transaction.atomic():
        updated = RoleAssignment.objects.filter(
            pk=assignment.pk, starts_on=before[0], ends_on=before[1]
        ).update(starts_on=starts_on, ends_on=ends_on)
        if not updated:
            raise AssignmentChanged(assignment.pk)
        assignment.starts_on, assignment.ends_on = starts_on, ends_on
        security_event_record(
            kind=SecurityEvent.Kind.ROLE_DATES_CHANGED,
            request=request,
            user=by,
            email=assignment.user.email,
            assignment=assignment.pk,
            person=assignment.user_id,
            role=assignment.role,
            starts_on_before=before[0].isoformat(),
            ends_on_before=before[1].isoformat() if before[1] else None,
            starts_on=starts_on.isoformat(),
            ends_on=ends_on.isoformat() if ends_on else None,
        )
    return True


def user_deactivate(*, person, by, request=None):
    with transaction.atomic():
        User.objects.filter(pk=person.pk).update(is_active=False)
        person.is_active = False
        security_event_record(
            kind=SecurityEvent.Kind.USER_DEACTIVATED,
            request=request,
            user=by,
            email=person.email,
            person=person.pk,
        )


def two_factor_reset(*, person, by, request=None):
    """Remove every second factor of `person` (authenticator app, recovery codes, security
    keys) and end their sessions, so the next sign-in asks them to set one up again. The
    person is told by email. Returns the number of authenticators removed."""
    with transaction.atomic():
        authenticators = Authenticator.objects.filter(user=person)
        methods = sorted(set(authenticators.values_list("type", flat=True)))
        removed, _by_model = authenticators.delete()
        sessions = list(UserSession.objects.filter(user=person))
        for session in sessions:
            session.end()
        security_event_record(
            kind=SecurityEvent.Kind.TWO_FACTOR_RESET,
            request=request,
            user=by,
            email=person.email,
            person=person.pk,
            methods=methods,
            sessions_ended=len(sessions),
        )
        two_factor_reset_email_send(person_id=person.pk, by_id=by.pk)
    return removed


def two_factor_reset_email_send(*, person_id, by_id):
    """Tell the person their two-factor authentication was reset, and by whom (in the
    transaction of the reset)."""
    person = User.objects.filter(pk=person_id, is_active=True).first()
    if person is None:
        return None
    context = {
        "person": person,
        "by": User.objects.filter(pk=by_id).first(),
        "url": f"{settings.SITE_URL}{reverse('account_login')}",
    }
    email_send(
        to=person.email,
        subject="Your two-factor authentication was reset",
        template="emails/two_factor_reset",
        context=context,
    )
    return person.email


def sign_in_paused_email_send(*, person_id, address, limit="pair"):
    """Tell a person that sign-ins to their account were paused after repeated wrong
    passwords, from which address, and how they can still get in. A pause from
    many addresses (`limit` "account") stops them too, so its email carries a one-time link
    that lets one browser past it."""
    person = User.objects.filter(pk=person_id, is_active=True).first()
    if person is None:
        return None
    everywhere = limit == "account"
    unlock_url = ""
    if everywhere:
        unlock_path = reverse("accounts:unlock", args=[lockout.unlock_token(person)])
        unlock_url = f"{settings.SITE_URL}{unlock_path}"
    email_send(
        to=person.email,
        subject="Sign-ins to your account were paused",
        template="emails/sign_in_paused",
        context={
            "person": person,
            "address": address,
            "everywhere": everywhere,
            "unlock_url": unlock_url,
            "unlock_hours": lockout.UNLOCK_MAX_AGE // 3600,
            "reset_url": f"{settings.SITE_URL}{reverse('account_reset_password')}",
        },
    )
    return person.email


def unlock_link_use(*, token, request):
    """Use the owner's one-time link past a pause on their account in this browser, and log
    it. Returns the owner; raises lockout.UnlockRefused."""
    person = lockout.unlock_use(request, token)
    security_event_record(kind=SecurityEvent.Kind.UNLOCK_LINK_USED, request=request, user=person)
    return person


def user_reactivate(*, person, by, request=None):
    """Let a deactivated person sign in again, with the roles they still hold. Returns False
    if someone else reactivated them first."""
    with transaction.atomic():
        updated = User.objects.filter(pk=person.pk, is_active=False).update(is_active=True)
        if not updated:
            return False
        person.is_active = True
        security_event_record(
            kind=SecurityEvent.Kind.USER_REACTIVATED,
            request=request,
            user=by,
            email=person.email,
            person=person.pk,
        )
    return True


def public_name_set(*, person, named, request=None):
    """Whether the public pages name the person as an author of their learning; the change
    is in the security log with who and when, as the person's own choice."""
    if person.named_on_public_pages == named:
        return False
    with transaction.atomic():
        User.objects.filter(pk=person.pk).update(named_on_public_pages=named)
        person.named_on_public_pages = named
        # An update sends no signal: the public pages kept with (or without) the name are
        # made afresh.
        pages_changed()
        security_event_record(
            kind=SecurityEvent.Kind.PUBLIC_NAME_CHANGED, request=request, user=person, named=named
        )
    return True
