from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal.views import check_database, check_redis


class Command(BaseCommand):
    help = "Check that the database and, where configured, Redis answer; name any that do not."

    requires_system_checks = []

    def handle(self, *args, **options):
        problems = []
        if not check_database():
            where = connection.settings_dict.get("HOST") or connection.settings_dict.get("NAME")
            problems.append(f"DATABASE_URL: the database at {where} does not answer.")
        if settings.REDIS_URL and not check_redis():
            problems.append(f"REDIS_URL: Redis at {settings.REDIS_URL} does not answer.")
        if problems:
            raise CommandError(" ".join(problems))
        self.stdout.write("Services are answering.")
