"""The NHS Patient Safety Syllabus (v2, 2021) domains and levels, and a starter set of themes.

Loaded once here; both are editable in the admin afterwards, and this migration never
overwrites an edit (it only creates what is missing).
"""

from django.db import migrations
from django.utils.text import slugify

DOMAINS = [
    (1, "Systems approach to patient safety"),
    (2, "Learning from incidents"),
    (3, "Human factors, human performance and safety management"),
    (4, "Creating safe systems"),
    (5, "Being sure about safety"),
]
LEVELS = [
    (1, "Essentials for patient safety", "All staff; a version for boards and senior leaders"),
    (2, "Access to practice", "Staff who want a deeper understanding"),
    (3, "Patient safety specialists", "Patient safety specialists and those in safety roles"),
    (4, "Patient safety specialists (advanced)", "Patient safety specialists"),
    (5, "Experts", "Patient safety experts"),
]
THEMES = [
    "Deterioration and sepsis",
    "Diagnostic error",
    "Falls",
    "Handover and communication",
    "Human factors",
    "Maternity and neonatal",
    "Medication safety",
    "Mental health",
    "Patient and family involvement",
    "Safety culture",
    "Staff affected by incidents",
    "Surgical safety",
]


def load(apps, schema_editor):
    SyllabusDomain = apps.get_model("learning", "SyllabusDomain")
    SyllabusLevel = apps.get_model("learning", "SyllabusLevel")
    Theme = apps.get_model("learning", "Theme")
    for number, name in DOMAINS:
        SyllabusDomain.objects.get_or_create(number=number, defaults={"name": name})
    for number, name, audience in LEVELS:
        SyllabusLevel.objects.get_or_create(
            number=number, defaults={"name": name, "audience": audience}
        )
    for name in THEMES:
        Theme.objects.get_or_create(slug=slugify(name), defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
