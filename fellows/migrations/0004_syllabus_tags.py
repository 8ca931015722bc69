"""Initiatives' syllabus tags become (domain, level) pairs, keeping every tag and the history."""

import django.db.models.deletion
import simple_history.models
from django.db import migrations, models

APP, MODEL = "fellows", "Initiative"


def pairs(domain_ids, level_ids, every_domain, every_level):
    """Every domain with every level of the old sets: the old form asked the two questions
    apart, so a record could only ever say both sets, never which level went with which
    domain. Where one set was left empty the record excluded nothing there, so its domains
    (or levels) pair with every level (or domain), and no tag is lost (ADR 13)."""
    if not domain_ids and not level_ids:
        return []
    domains = domain_ids or every_domain
    levels = level_ids or every_level
    return [(domain, level) for domain in sorted(domains) for level in sorted(levels)]


def tags_from_domains_and_levels(apps, schema_editor):
    SyllabusTag = apps.get_model("taxonomy", "SyllabusTag")
    tags = {(tag.domain_id, tag.level_id): tag.pk for tag in SyllabusTag.objects.all()}
    every_domain = {domain for domain, _level in tags}
    every_level = {level for _domain, level in tags}
    Record = apps.get_model(APP, MODEL)
    Through = Record.syllabus.through
    record_field = f"{MODEL.lower()}_id"
    rows = []
    for record in Record.objects.prefetch_related("syllabus_domains", "syllabus_levels"):
        domain_ids = {domain.pk for domain in record.syllabus_domains.all()}
        level_ids = {level.pk for level in record.syllabus_levels.all()}
        for pair in pairs(domain_ids, level_ids, every_domain, every_level):
            rows.append(Through(**{record_field: record.pk, "syllabustag_id": tags[pair]}))
    Through.objects.bulk_create(rows, batch_size=1000)

    # The history keeps what each entry had, as pairs too, so comparing an entry from before
    # this change with one after shows no change nobody made.
    history = {}
    for model_suffix, key in (("syllabus_domains", 0), ("syllabus_levels", 1)):
        Old = apps.get_model(APP, f"Historical{MODEL}_{model_suffix}")
        target = "syllabusdomain_id" if key == 0 else "syllabuslevel_id"
        for history_id, record_id, value in Old.objects.values_list(
            "history_id", record_field, target
        ):
            entry = history.setdefault(history_id, (record_id, set(), set()))
            entry[1 + key].add(value)
    New = apps.get_model(APP, f"Historical{MODEL}_syllabus")
    rows = []
    for history_id, (record_id, domain_ids, level_ids) in history.items():
        for pair in pairs(domain_ids, level_ids, every_domain, every_level):
            # `id` is the link row's own id, which these pairs never had: number them.
            rows.append(
                New(
                    id=len(rows) + 1,
                    history_id=history_id,
                    **{record_field: record_id},
                    syllabustag_id=tags[pair],
                )
            )
    New.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("fellows", "0003_taxonomy_moves_out_of_learning"),
        ("taxonomy", "0002_syllabus_tags"),
    ]

    operations = [
        migrations.AddField(
            model_name="initiative",
            name="syllabus",
            field=models.ManyToManyField(
                blank=True,
                related_name="+",
                to="taxonomy.syllabustag",
                verbose_name="Patient Safety Syllabus",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalInitiative_syllabus",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="fellows.historicalinitiative",
                    ),
                ),
                (
                    "initiative",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fellows.initiative",
                    ),
                ),
                (
                    "syllabustag",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="taxonomy.syllabustag",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalInitiative_syllabus",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(tags_from_domains_and_levels, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="historicalinitiative_syllabus_levels",
            name="history",
        ),
        migrations.RemoveField(
            model_name="historicalinitiative_syllabus_levels",
            name="initiative",
        ),
        migrations.RemoveField(
            model_name="historicalinitiative_syllabus_levels",
            name="syllabuslevel",
        ),
        migrations.RemoveField(
            model_name="initiative",
            name="syllabus_domains",
        ),
        migrations.RemoveField(
            model_name="initiative",
            name="syllabus_levels",
        ),
        migrations.DeleteModel(
            name="HistoricalInitiative_syllabus_domains",
        ),
        migrations.DeleteModel(
            name="HistoricalInitiative_syllabus_levels",
        ),
    ]
