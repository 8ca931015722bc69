"""Plan and send the digests of the latest period now, as the beat schedule would.

Without REDIS_URL the tasks run in this process, so the emails are written before it returns
(under var/mail/ on a developer's machine); with Redis a worker sends them.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q

from digests.models import DigestDelivery, DigestFrequency, DigestKind
from digests.services import digest_run_plan


class Command(BaseCommand):
    help = "Plan the digests of the latest weekly or daily period and queue them for sending."

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            required=True,
            choices=[DigestFrequency.WEEKLY, DigestFrequency.DAILY],
        )
        parser.add_argument(
            "--kind",
            choices=DigestKind.values,
            default=DigestKind.LEARNING,
            help="learning: new learning from the person's regions (the digest); authors: "
            "what happened to their own learning (weekly only).",
        )
        parser.add_argument(
            "--now",
            help="Plan as if it were this moment (ISO 8601, e.g. 2026-03-30T07:00+01:00).",
        )

    def handle(self, *args, frequency, kind=DigestKind.LEARNING, now=None, **options):
        if now:
            try:
                now = datetime.datetime.fromisoformat(now)
            except ValueError:
                message = f"--now must be an ISO 8601 date and time (got {now!r})."
                raise CommandError(message) from None
            if now.tzinfo is None:
                raise CommandError("--now needs a time zone offset, e.g. +00:00.")
        if kind == DigestKind.AUTHORS and frequency != DigestFrequency.WEEKLY:
            raise CommandError("The summary for authors is weekly: use --frequency weekly.")
        run = digest_run_plan(frequency=frequency, now=now, kind=kind)
        counts = run.deliveries.aggregate(
            planned=Count("pk"),
            **{
                status: Count("pk", filter=Q(status=status))
                for status in DigestDelivery.Status.values
            },
        )
        self.stdout.write(
            f"{run}: {counts['planned']} planned, {counts['sent']} sent, "
            f"{counts['skipped']} skipped, {counts['failed']} failed, "
            f"{counts['pending'] + counts['sending']} waiting for a worker."
        )
