"""The professions training and curriculum are for, editable in the admin afterwards."""

from django.db import migrations, models
from django.utils.text import slugify

PROFESSIONS = [
    "Nursing",
    "Midwifery",
    "Medicine",
    "Allied health professions",
    "Pharmacy",
    "Paramedic science",
    "Healthcare science",
    "Dentistry",
    "Healthcare support workers",
    "Multi-professional",
]


def load(apps, schema_editor):
    Profession = apps.get_model("taxonomy", "Profession")
    for order, name in enumerate(PROFESSIONS):
        Profession.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "display_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("taxonomy", "0002_syllabus_tags"),
    ]

    operations = [
        migrations.CreateModel(
            name="Profession",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=60, unique=True)),
                ("name", models.CharField(max_length=100, unique=True)),
                ("display_order", models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                "ordering": ["display_order", "name"],
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
