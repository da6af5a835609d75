"""A trigram index on the e-mail address too: the people search
(``people.search.find_people``: intake and subject access) matches names,
usernames and e-mail addresses with ``icontains``, and one column without an
index makes PostgreSQL read every row for the whole ``OR``. PostgreSQL only,
like 0007."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        'CREATE INDEX IF NOT EXISTS people_user_email_trgm ON people_user USING gin (UPPER("email"::text) gin_trgm_ops)'
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS people_user_email_trgm")


class Migration(migrations.Migration):
    dependencies = [("people", "0007_trigram_name_search")]

    operations = [migrations.RunPython(create, drop)]
