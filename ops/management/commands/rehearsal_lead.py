"""The regional lead the production rehearsal signs in as (ops/prod_check.py): an account with
a password and an authenticator app, leading the North.

The password and the authenticator's secret come from the environment, not the command line,
so they do not show in the list of processes."""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.allauth_internals import activate_totp
from accounts.models import RoleAssignment, User
from accounts.roles import Role
from regions.models import Region


class Command(BaseCommand):
    help = (
        "Create the rehearsal's regional lead: EMAIL, with the password in REHEARSAL_PASSWORD "
        "and the authenticator secret (base32) in REHEARSAL_TOTP_SECRET."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--region", default="north", help="the region's slug")

    def handle(self, *args, email, region, **options):
        password = os.environ.get("REHEARSAL_PASSWORD", "")
        secret = os.environ.get("REHEARSAL_TOTP_SECRET", "")
        if not password or not secret:
            raise CommandError("Set REHEARSAL_PASSWORD and REHEARSAL_TOTP_SECRET.")
        try:
            led = Region.objects.in_programme_scheme().get(slug=region)
        except Region.DoesNotExist as error:
            raise CommandError(f"No programme region has the slug {region!r}.") from error
        with transaction.atomic():
            lead = User.objects.create_user(
                email=email, password=password, full_name="Rehearsal Lead"
            )
            RoleAssignment.objects.create(user=lead, role=Role.REGIONAL_LEAD, region=led)
            activate_totp(lead, secret)
        self.stdout.write(f"{email} leads {led.name}, with an authenticator.")
