"""Learning items keep the days from submission to publication, worked out here for those
already published, and an index of what the dashboards count of published learning."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    from django.utils import timezone

    LearningItem = apps.get_model("learning", "LearningItem")
    items = LearningItem.objects.filter(published_at__isnull=False, submitted_at__isnull=False)
    for item in items.only("pk", "published_at", "submitted_at").iterator():
        days = (timezone.localdate(item.published_at) - timezone.localdate(item.submitted_at)).days
        LearningItem.objects.filter(pk=item.pk).update(days_to_publish=max(days, 0))


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0007_syllabus_tags"),
    ]

    operations = [
        migrations.AddField(
            model_name="learningitem",
            name="days_to_publish",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="days from submission to publication"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="learningitem",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["published_at", "region", "kind", "days_to_publish"],
                name="learning_published_counts",
            ),
        ),
    ]
