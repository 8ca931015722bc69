"""Themes and the Patient Safety Syllabus move here from the learning app, keeping their tables."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The tables were created, and the syllabus and themes loaded, by the learning app.
        ("learning", "0002_syllabus_and_themes"),
    ]

    # Only where Django finds the models changes: the tables (and their rows) stay as they are.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SyllabusDomain",
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
                        ("number", models.PositiveSmallIntegerField(unique=True)),
                        ("name", models.CharField(max_length=200)),
                    ],
                    options={
                        "db_table": "learning_syllabusdomain",
                        "ordering": ["number"],
                    },
                ),
                migrations.CreateModel(
                    name="SyllabusLevel",
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
                        ("number", models.PositiveSmallIntegerField(unique=True)),
                        ("name", models.CharField(max_length=200)),
                        ("audience", models.CharField(blank=True, max_length=300)),
                    ],
                    options={
                        "db_table": "learning_syllabuslevel",
                        "ordering": ["number"],
                    },
                ),
                migrations.CreateModel(
                    name="Theme",
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
                        ("name", models.CharField(max_length=100, unique=True)),
                        ("slug", models.SlugField(max_length=100, unique=True)),
                    ],
                    options={
                        "db_table": "learning_theme",
                        "ordering": ["name"],
                    },
                ),
            ],
        )
    ]
