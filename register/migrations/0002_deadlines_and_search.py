"""The usual response deadlines (editable in the admin afterwards), and full-text search on
recommendations on PostgreSQL, kept up to date by a trigger as for the other records (see
learning's search migration)."""

from django.db import migrations

# A coroner's Prevention of Future Deaths report asks for a response within 56 days. HSSIB's
# deadline for a safety recommendation is often quoted as 90 days but is not confirmed: it is
# data for the national team to correct.
DEADLINES = {"pfd_concern": 56, "safety_recommendation": 90}

TABLE = "register_recommendation"
VECTOR = (
    "setweight(to_tsvector('pg_catalog.english', coalesce(NEW.reference, '')), 'A') || "
    "setweight(to_tsvector('pg_catalog.english', coalesce(NEW.text, '')), 'A')"
)


def load(apps, schema_editor):
    ResponseDeadline = apps.get_model("register", "ResponseDeadline")
    for kind, days in DEADLINES.items():
        ResponseDeadline.objects.get_or_create(kind=kind, defaults={"days": days})


def create_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"""
        CREATE FUNCTION {TABLE}_search_vector() RETURNS trigger AS $$
        BEGIN
          NEW.search_vector := {VECTOR};
          RETURN NEW;
        END
        $$ LANGUAGE plpgsql;
        CREATE TRIGGER {TABLE}_search_vector BEFORE INSERT OR UPDATE ON {TABLE}
          FOR EACH ROW EXECUTE FUNCTION {TABLE}_search_vector();
        CREATE INDEX {TABLE}_search_vector_gin ON {TABLE} USING gin (search_vector);
        """
    )


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"""
        DROP INDEX IF EXISTS {TABLE}_search_vector_gin;
        DROP TRIGGER IF EXISTS {TABLE}_search_vector ON {TABLE};
        DROP FUNCTION IF EXISTS {TABLE}_search_vector();
        """
    )


class Migration(migrations.Migration):
    dependencies = [("register", "0001_initial")]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(create_search, drop_search),
    ]
