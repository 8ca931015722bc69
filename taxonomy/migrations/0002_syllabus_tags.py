"""Syllabus tags: one for each domain at each level, 25 in all, so records can say which level
goes with which domain."""

import django.db.models.deletion
from django.db import migrations, models


def create_tags(apps, schema_editor):
    SyllabusDomain = apps.get_model("taxonomy", "SyllabusDomain")
    SyllabusLevel = apps.get_model("taxonomy", "SyllabusLevel")
    SyllabusTag = apps.get_model("taxonomy", "SyllabusTag")
    for domain in SyllabusDomain.objects.all():
        for level in SyllabusLevel.objects.all():
            SyllabusTag.objects.get_or_create(domain=domain, level=level)


class Migration(migrations.Migration):
    dependencies = [
        ("taxonomy", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SyllabusTag",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "domain",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tags",
                        to="taxonomy.syllabusdomain",
                    ),
                ),
                (
                    "level",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tags",
                        to="taxonomy.syllabuslevel",
                    ),
                ),
            ],
            options={
                "ordering": ["domain__number", "level__number"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("domain", "level"), name="taxonomy_one_tag_a_cell"
                    )
                ],
            },
        ),
        migrations.RunPython(create_tags, migrations.RunPython.noop),
    ]
