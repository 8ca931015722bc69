"""Digests move from the learning app to their own, keeping their tables."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import digests.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The tables were created by the learning app, where digests began.
        ("learning", "0004_digests"),
        ("regions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # The models move here from learning with their tables as they are: nothing changes in
    # the database, only where Django looks for the models.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DigestPreference",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kinds",
                            models.JSONField(
                                default=digests.models.default_digest_kinds,
                                verbose_name="types of learning",
                            ),
                        ),
                        (
                            "frequency",
                            models.CharField(
                                choices=[
                                    ("weekly", "Weekly, on Monday morning"),
                                    ("daily", "Daily, every morning"),
                                    ("never", "Never: do not send me digests"),
                                ],
                                default="weekly",
                                max_length=10,
                            ),
                        ),
                        ("unsubscribed_at", models.DateTimeField(blank=True, null=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "regions",
                            models.ManyToManyField(
                                blank=True,
                                help_text="None chosen means the regions of the person's own roles.",
                                related_name="+",
                                to="regions.region",
                            ),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="digest_preference",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "learning_digestpreference",
                    },
                ),
                migrations.CreateModel(
                    name="DigestRun",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "frequency",
                            models.CharField(
                                choices=[
                                    ("weekly", "Weekly, on Monday morning"),
                                    ("daily", "Daily, every morning"),
                                    ("never", "Never: do not send me digests"),
                                ],
                                max_length=10,
                            ),
                        ),
                        ("period_start", models.DateTimeField()),
                        ("period_end", models.DateTimeField()),
                        ("planned_at", models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={
                        "db_table": "learning_digestrun",
                        "ordering": ["-period_end", "frequency"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("frequency", "period_end"),
                                name="learning_digest_run_once_a_period",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="DigestDelivery",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "frequency",
                            models.CharField(
                                choices=[
                                    ("weekly", "Weekly, on Monday morning"),
                                    ("daily", "Daily, every morning"),
                                    ("never", "Never: do not send me digests"),
                                ],
                                max_length=10,
                            ),
                        ),
                        ("period_start", models.DateTimeField()),
                        ("period_end", models.DateTimeField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Pending"),
                                    ("sending", "Sending"),
                                    ("sent", "Sent"),
                                    ("skipped", "Skipped"),
                                    ("failed", "Failed"),
                                ],
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("claimed_at", models.DateTimeField(blank=True, null=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("item_count", models.PositiveIntegerField(default=0)),
                        (
                            "detail",
                            models.CharField(
                                blank=True, help_text="Why skipped or failed.", max_length=300
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="digest_deliveries",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "run",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="deliveries",
                                to="digests.digestrun",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "learning_digestdelivery",
                        "ordering": ["pk"],
                        "indexes": [
                            models.Index(
                                fields=["status", "claimed_at"],
                                name="learning_di_status_ab74e6_idx",
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "frequency", "period_end"),
                                name="learning_digest_delivery_once_a_period",
                            )
                        ],
                    },
                ),
            ],
        )
    ]
