"""The edits the backup drill makes before it backs up (ops/backup.py): a changed title and a
new account, so the restore is compared on rows that differ from the demo's."""

import secrets

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from learning.models import LearningItem

EDITED = " (edited before the backup drill)"
DRILL_ACCOUNT = "drill@example.org"


class Command(BaseCommand):
    help = "Edit the first learning item's title and add an account, for the backup drill."

    def handle(self, *args, **options):
        item = LearningItem.objects.order_by("pk").first()
        if item is None:
            raise CommandError("There is no learning item to edit: seed the demo first.")
        with transaction.atomic():
            item.title += EDITED
            item.save()
            User.objects.create_user(email=DRILL_ACCOUNT, password=secrets.token_urlsafe(18))
        self.stdout.write(f"Edited learning item {item.pk} and added {DRILL_ACCOUNT}.")
