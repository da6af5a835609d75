"""Trigram indexes for the dashboard's name search (``icontains`` on names),
on PostgreSQL only: a search among 50,000 people reads an index instead of
every row. pg_trgm is a trusted extension, so the database owner may add it.
SQLite has no such index and needs none at its scale."""

from django.db import migrations

COLUMNS = ("first_name", "last_name", "username")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS people_user_{column}_trgm "
            f'ON people_user USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS people_user_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("people", "0006_accesslog_guard")]

    operations = [migrations.RunPython(create, drop)]
