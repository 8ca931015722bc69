"""A recommendation's syllabus domain and level become (domain, level) tags like every record's, keeping every tag and the history."""

import django.db.models.deletion
import simple_history.models
from django.db import migrations, models


def pair(domain_id, level_id, every_domain, every_level):
    """The recommendation's one domain with its one level; where one of the two was left
    empty the record excluded nothing there, so it pairs with every level (or domain) and
    no tag is lost (ADR 13)."""
    if domain_id is None and level_id is None:
        return []
    domains = [domain_id] if domain_id is not None else sorted(every_domain)
    levels = [level_id] if level_id is not None else sorted(every_level)
    return [(domain, level) for domain in domains for level in levels]


def tags_from_domains_and_levels(apps, schema_editor):
    SyllabusTag = apps.get_model("taxonomy", "SyllabusTag")
    tags = {(tag.domain_id, tag.level_id): tag.pk for tag in SyllabusTag.objects.all()}
    every_domain = {domain for domain, _level in tags}
    every_level = {level for _domain, level in tags}
    Recommendation = apps.get_model("register", "Recommendation")
    Through = Recommendation.syllabus.through
    rows = []
    for pk, domain_id, level_id in Recommendation.objects.values_list(
        "pk", "syllabus_domain_id", "syllabus_level_id"
    ):
        for cell in pair(domain_id, level_id, every_domain, every_level):
            rows.append(Through(recommendation_id=pk, syllabustag_id=tags[cell]))
    Through.objects.bulk_create(rows, batch_size=1000)
    Historical = apps.get_model("register", "HistoricalRecommendation")
    New = apps.get_model("register", "HistoricalRecommendation_syllabus")
    rows = []
    for history_id, pk, domain_id, level_id in Historical.objects.values_list(
        "history_id", "id", "syllabus_domain_id", "syllabus_level_id"
    ):
        for cell in pair(domain_id, level_id, every_domain, every_level):
            # `id` is the link row's own id, which these pairs never had: number them.
            rows.append(
                New(
                    id=len(rows) + 1,
                    history_id=history_id,
                    recommendation_id=pk,
                    syllabustag_id=tags[cell],
                )
            )
    New.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0002_deadlines_and_search"),
        ("taxonomy", "0002_syllabus_tags"),
    ]

    operations = [
        migrations.AddField(
            model_name="recommendation",
            name="syllabus",
            field=models.ManyToManyField(
                blank=True,
                related_name="+",
                to="taxonomy.syllabustag",
                verbose_name="Patient Safety Syllabus",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalRecommendation_syllabus",
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
                        to="register.historicalrecommendation",
                    ),
                ),
                (
                    "recommendation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="register.recommendation",
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
                "verbose_name": "HistoricalRecommendation_syllabus",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(tags_from_domains_and_levels, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="historicalrecommendation",
            name="syllabus_domain",
        ),
        migrations.RemoveField(
            model_name="historicalrecommendation",
            name="syllabus_level",
        ),
        migrations.RemoveField(
            model_name="recommendation",
            name="syllabus_domain",
        ),
        migrations.RemoveField(
            model_name="recommendation",
            name="syllabus_level",
        ),
    ]
