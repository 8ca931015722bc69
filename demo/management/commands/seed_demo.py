from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.accounts import DEMO_PASSWORD, demo_accounts_seed
from demo.content import demo_content_seed
from demo.curriculum import curriculum_seed
from demo.history import history_seed
from demo.months import months_seed
from demo.register import register_seed


class Command(BaseCommand):
    help = "Create the demo accounts and sample work. Idempotent; never in production."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo adds demo accounts with a published password: not here.")
        with transaction.atomic():
            created, accounts = demo_accounts_seed()
            records = demo_content_seed()
            records += register_seed()
            records += curriculum_seed()
            # Last: its adoptions and recommendations stand beside the sample work above.
            records += history_seed()
            # The North's month-by-month story, for the SPC charts.
            records += months_seed()
        self.stdout.write(
            f"Demo data: {created} accounts created, {len(accounts)} in all; "
            f"{records} sample records created."
        )
        self.stdout.write(f"Demo sign-ins (password {DEMO_PASSWORD}):")
        for user, assignment in accounts:
            self.stdout.write(f"  {user.email:<36} {assignment}")
