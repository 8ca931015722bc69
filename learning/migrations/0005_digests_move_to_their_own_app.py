"""Digests leave the learning app; their tables stay, now the digests app's."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0004_digests"),
        ("digests", "0001_initial"),
    ]

    # Only Django's picture of the learning app changes: the tables now belong to digests.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="digestdelivery",
                    name="run",
                ),
                migrations.RemoveField(
                    model_name="digestdelivery",
                    name="user",
                ),
                migrations.RemoveField(
                    model_name="digestpreference",
                    name="regions",
                ),
                migrations.RemoveField(
                    model_name="digestpreference",
                    name="user",
                ),
                migrations.DeleteModel(
                    name="DigestRun",
                ),
                migrations.DeleteModel(
                    name="DigestDelivery",
                ),
                migrations.DeleteModel(
                    name="DigestPreference",
                ),
            ],
        )
    ]
