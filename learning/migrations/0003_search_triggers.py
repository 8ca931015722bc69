"""Full-text search on PostgreSQL: a trigger keeps each record's search_vector up to date,
whatever wrote the row (a form, the admin, a QuerySet.update(), raw SQL), and a GIN index
serves the searches. Titles and summaries weigh more (A) than bodies and aims (B).

SQLite has neither tsvector nor triggers of this kind; search falls back to plain matching
there, so on SQLite this migration does nothing.
"""

from django.db import migrations

TABLES = {
    "learning_learningitem": [("title", "A"), ("summary", "A"), ("body", "B")],
    "learning_investigation": [("title", "A"), ("summary", "A")],
    "fellows_initiative": [("title", "A"), ("summary", "A"), ("aims", "B")],
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
            UPDATE {table} SET search_vector = NULL;
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
    dependencies = [
        ("learning", "0002_syllabus_and_themes"),
        ("fellows", "0002_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
