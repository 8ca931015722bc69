"""Initiatives' themes and syllabus tags point at the taxonomy app's models (same tables)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("fellows", "0002_initial"),
        ("taxonomy", "0001_initial"),
    ]

    # The link tables already point at these tables: only Django's picture changes.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="historicalinitiative_syllabus_domains",
                    name="syllabusdomain",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="taxonomy.syllabusdomain",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalinitiative_syllabus_levels",
                    name="syllabuslevel",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="taxonomy.syllabuslevel",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalinitiative_themes",
                    name="theme",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="taxonomy.theme",
                    ),
                ),
                migrations.AlterField(
                    model_name="initiative",
                    name="syllabus_domains",
                    field=models.ManyToManyField(
                        blank=True, related_name="+", to="taxonomy.syllabusdomain"
                    ),
                ),
                migrations.AlterField(
                    model_name="initiative",
                    name="syllabus_levels",
                    field=models.ManyToManyField(
                        blank=True, related_name="+", to="taxonomy.syllabuslevel"
                    ),
                ),
                migrations.AlterField(
                    model_name="initiative",
                    name="themes",
                    field=models.ManyToManyField(
                        blank=True, related_name="initiatives", to="taxonomy.theme"
                    ),
                ),
            ],
        )
    ]
