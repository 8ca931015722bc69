"""The regional lead the production rehearsal signs in as (ops/prod_check.py): an account with
a password and an authenticator app, leading the North; with --chair-of, a PSC chair instead,
who asks for the PSC's quarterly report.

The password and the authenticator's secret come from the environment, not the command line,
so they do not show in the list of processes."""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.allauth_internals import activate_totp
from accounts.models import RoleAssignment, User
from accounts.roles import Role
from regions.models import PatientSafetyCollaborative, Region


class Command(BaseCommand):
    help = (
        "Create the rehearsal's regional lead: EMAIL, with the password in REHEARSAL_PASSWORD "
        "and the authenticator secret (base32) in REHEARSAL_TOTP_SECRET."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--region", default="north", help="the region's slug")
        parser.add_argument("--chair-of", help="a PSC's slug: the person chairs it instead")

    def handle(self, *args, email, region, chair_of=None, **options):
        password = os.environ.get("REHEARSAL_PASSWORD", "")
        secret = os.environ.get("REHEARSAL_TOTP_SECRET", "")
        if not password or not secret:
            raise CommandError("Set REHEARSAL_PASSWORD and REHEARSAL_TOTP_SECRET.")
        try:
            led = Region.objects.in_programme_scheme().get(slug=region)
        except Region.DoesNotExist as error:
            raise CommandError(f"No programme region has the slug {region!r}.") from error
        chaired = None
        if chair_of:
            chaired = PatientSafetyCollaborative.objects.filter(slug=chair_of).first()
            if chaired is None:
                raise CommandError(f"No PSC has the slug {chair_of!r}.")
        with transaction.atomic():
            person = User.objects.create_user(
                email=email,
                password=password,
                full_name="Rehearsal Chair" if chaired else "Rehearsal Lead",
            )
            if chaired:
                RoleAssignment.objects.create(user=person, role=Role.PSC_CHAIR, psc=chaired)
            else:
                RoleAssignment.objects.create(user=person, role=Role.REGIONAL_LEAD, region=led)
            activate_totp(person, secret)
        what = f"chairs {chaired.name}" if chaired else f"leads {led.name}"
        self.stdout.write(f"{email} {what}, with an authenticator.")
