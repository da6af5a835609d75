"""Protect the access log in the database: see people/privacy/db.py."""

from django.conf import settings
from django.db import migrations


def install(apps, schema_editor):
    from people.privacy import db

    db.install(schema_editor.connection, settings.HANDVAT_ACCESS_LOG_RETENTION_DAYS)


def uninstall(apps, schema_editor):
    from people.privacy import db

    db.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("people", "0005_historicalrosterentry_rosterentry")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
