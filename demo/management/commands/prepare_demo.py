"""Everything `make run` does before serving, in one process: migrate, make the cache's table,
load the reference data, seed the demo. Each was its own `manage.py`, and each start of Django
costs seconds on a busy machine; the system checks run once, in migrate, so the server can
skip them."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, load the reference data and seed the demo (what make run does first)."

    def handle(self, *args, **options):
        # call_command skips the system checks unless told; they run here, once.
        call_command(
            "migrate", interactive=False, skip_checks=False, stdout=self.stdout, stderr=self.stderr
        )
        # The cache's table in the database, which carries sign-in through a Redis outage.
        call_command("createcachetable", stdout=self.stdout, stderr=self.stderr)
        call_command("load_reference_data", stdout=self.stdout, stderr=self.stderr)
        call_command("seed_demo", stdout=self.stdout, stderr=self.stderr)
