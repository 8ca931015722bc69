"""The lists' orders in indexes, and each adoption's origin region kept on its row (ADR 43).

The origin region is filled in for the adoptions there are, then required. A trigger follows
a change of an initiative's or a learning item's region onto the adoptions of it, whatever
made the change (a form, the admin, an import, a QuerySet.update()).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FILL = """
UPDATE register_adoption SET origin_region_id = COALESCE(
    (SELECT region_id FROM fellows_initiative WHERE id = register_adoption.initiative_id),
    (SELECT region_id FROM learning_learningitem WHERE id = register_adoption.learning_item_id)
)
"""


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # The foreign key checks of the rows filled happen now, not at the end of the
        # migration, where they would stop the column being made required.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute(FILL)


# The table the region comes from, and the adoption's column that points at it.
SOURCES = {"fellows_initiative": "initiative_id", "learning_learningitem": "learning_item_id"}


def follow_origin(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, column in SOURCES.items():
        follow = (
            f"UPDATE register_adoption SET origin_region_id = NEW.region_id "
            f"WHERE {column} = NEW.id;"
        )
        name = f"{table}_adoptions_follow_region"
        if vendor == "postgresql":
            schema_editor.execute(
                f"""
                CREATE FUNCTION {name}() RETURNS trigger AS $$
                BEGIN
                  {follow}
                  RETURN NULL;
                END
                $$ LANGUAGE plpgsql;
                CREATE TRIGGER {name} AFTER UPDATE OF region_id ON {table}
                  FOR EACH ROW WHEN (OLD.region_id IS DISTINCT FROM NEW.region_id)
                  EXECUTE FUNCTION {name}();
                """
            )
        elif vendor == "sqlite":
            schema_editor.execute(
                f"""
                CREATE TRIGGER {name} AFTER UPDATE OF region_id ON {table}
                  FOR EACH ROW WHEN OLD.region_id IS NOT NEW.region_id
                  BEGIN {follow} END;
                """
            )


def unfollow_origin(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in SOURCES:
        name = f"{table}_adoptions_follow_region"
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {name} ON {table}"
            if vendor == "postgresql"
            else f"DROP TRIGGER IF EXISTS {name}"
        )
        if vendor == "postgresql":
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")


class Migration(migrations.Migration):
    dependencies = [
        ("fellows", "0007_text_sizes"),
        ("learning", "0013_seen_marks"),
        ("regions", "0003_ods_trusts"),
        ("register", "0004_text_sizes"),
        ("taxonomy", "0004_search_synonyms"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="adoption",
            name="origin_region",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.region",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="adoption",
            name="origin_region",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.region",
            ),
        ),
        migrations.RunPython(follow_origin, unfollow_origin),
        migrations.AddIndex(
            model_name="adoption",
            index=models.Index(
                models.OrderBy(models.F("stage_on"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="register_adoption_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="adoption",
            index=models.Index(
                models.F("region"),
                models.OrderBy(models.F("stage_on"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="register_adoption_region_new",
            ),
        ),
        migrations.AddIndex(
            model_name="adoption",
            index=models.Index(
                models.F("origin_region"),
                models.OrderBy(models.F("stage_on"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="register_adoption_origin_new",
            ),
        ),
        migrations.AddIndex(
            model_name="recommendation",
            index=models.Index(
                models.OrderBy(models.F("issued_on"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="register_rec_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="recommendation",
            index=models.Index(
                models.F("region"),
                models.OrderBy(models.F("issued_on"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="register_rec_region_newest",
            ),
        ),
    ]
