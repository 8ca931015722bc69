"""Full-text search on curriculum entries and training sessions on PostgreSQL, kept up to date
by a trigger as for the other records (see learning's search migration)."""

from django.db import migrations

TABLES = {
    "curriculum_curriculumentry": [("programme", "A"), ("change", "A")],
    "curriculum_trainingsession": [("title", "A")],
}


def vector_sql(columns):
    return " || ".join(
        f"setweight(to_tsvector('pg_catalog.english', coalesce(NEW.{column}, '')), '{weight}')"
        for column, weight in columns
    )


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in TABLES.items():
        schema_editor.execute(
            f"""
            CREATE FUNCTION {table}_search_vector() RETURNS trigger AS $$
            BEGIN
              NEW.search_vector := {vector_sql(columns)};
              RETURN NEW;
            END
            $$ LANGUAGE plpgsql;
            CREATE TRIGGER {table}_search_vector BEFORE INSERT OR UPDATE ON {table}
              FOR EACH ROW EXECUTE FUNCTION {table}_search_vector();
            CREATE INDEX {table}_search_vector_gin ON {table} USING gin (search_vector);
            """
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"""
            DROP INDEX IF EXISTS {table}_search_vector_gin;
            DROP TRIGGER IF EXISTS {table}_search_vector ON {table};
            DROP FUNCTION IF EXISTS {table}_search_vector();
            """
        )


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
