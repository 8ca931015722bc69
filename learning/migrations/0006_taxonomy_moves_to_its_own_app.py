"""The taxonomy leaves the learning app; its tables stay, now the taxonomy app's."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("fellows", "0003_taxonomy_moves_out_of_learning"),
        ("learning", "0005_digests_move_to_their_own_app"),
        ("taxonomy", "0001_initial"),
    ]

    # The link tables already point at these tables: only Django's picture changes.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="historicallearningitem_syllabus_domains",
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
                    model_name="historicallearningitem_syllabus_levels",
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
                    model_name="historicalinvestigation_themes",
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
                    model_name="historicallearningitem_themes",
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
                    model_name="investigation",
                    name="themes",
                    field=models.ManyToManyField(
                        blank=True, related_name="investigations", to="taxonomy.theme"
                    ),
                ),
                migrations.AlterField(
                    model_name="learningitem",
                    name="syllabus_domains",
                    field=models.ManyToManyField(
                        blank=True, related_name="+", to="taxonomy.syllabusdomain"
                    ),
                ),
                migrations.AlterField(
                    model_name="learningitem",
                    name="syllabus_levels",
                    field=models.ManyToManyField(
                        blank=True, related_name="+", to="taxonomy.syllabuslevel"
                    ),
                ),
                migrations.AlterField(
                    model_name="learningitem",
                    name="themes",
                    field=models.ManyToManyField(
                        blank=True, related_name="learning_items", to="taxonomy.theme"
                    ),
                ),
                migrations.DeleteModel(
                    name="SyllabusDomain",
                ),
                migrations.DeleteModel(
                    name="SyllabusLevel",
                ),
                migrations.DeleteModel(
                    name="Theme",
                ),
            ],
        )
    ]
