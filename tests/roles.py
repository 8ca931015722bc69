"""People holding each role, for the tests about access, and signing them in as if they had
just re-authenticated (allauth asks for that before sensitive actions)."""

import time

from accounts.allauth_internals import record_authentication
from accounts.middleware import SIGNED_IN_AT
from accounts.models import RoleAssignment
from accounts.roles import Role
from accounts.services import invitation_create
from regions.models import Organisation, PatientSafetyCollaborative, Region
from tests.accounts.factories import UserFactory

# Each region's host PSC, as in the demo data.
HOST_PSC = {"north": "north-east-north-cumbria", "south": "wessex"}


def region(slug):
    return Region.objects.in_programme_scheme().get(slug=slug)


def host_psc(region_slug):
    return PatientSafetyCollaborative.objects.get(slug=HOST_PSC[region_slug])


def partner_organisation():
    return Organisation.objects.get(slug="hssib")


def person_with(role, region_slug="north", **user_fields):
    """A new person holding `role`, scoped to `region_slug` as the role needs."""
    user = UserFactory(**user_fields)
    scope = {}
    if role in (Role.FELLOW, Role.REGIONAL_LEAD):
        scope["region"] = region(region_slug)
    if role in (Role.FELLOW, Role.PSC_CHAIR):
        scope["psc"] = host_psc(region_slug)
    if role == Role.PARTNER_READER:
        scope["organisation"] = partner_organisation()
    RoleAssignment.objects.create(user=user, role=role, **scope)
    return user


def sign_in(client, user, reauthenticated=True):
    """Sign `user` in; with `reauthenticated`, as if they had just confirmed their password,
    and without, as if they had signed in ten minutes ago (a sign-in in the last five minutes
    counts as a confirmation)."""
    client.force_login(user)
    if not reauthenticated:
        session = client.session
        session[SIGNED_IN_AT] = time.time() - 600
        session.save()
    if reauthenticated:
        session = client.session
        record_authentication(
            session, user, [{"method": "password", "at": time.time(), "reauthenticated": True}]
        )
        session.save()
    return client


def sign_in_with_second_factor(client, user):
    """Sign `user` in as the portal's sign-in does for someone who typed a password and then
    an authenticator code, which the Django admin asks for."""
    client.force_login(user)
    session = client.session
    record_authentication(
        session,
        user,
        [
            {"method": "password", "at": time.time()},
            {"method": "mfa", "at": time.time(), "type": "totp"},
        ],
    )
    session.save()
    return client


def invite_fellow(by, region_slug="north", **fields):
    """An invitation from `by` for a safety fellow of `region_slug`, hosted by its PSC."""
    defaults = {
        "email": "new.fellow@example.org",
        "full_name": "New Fellow",
        "role": Role.FELLOW,
        "region": region(region_slug),
        "psc": host_psc(region_slug),
    }
    return invitation_create(by=by, **{**defaults, **fields})
