"""Encrypts the values written before these fields were encrypted (none on a new install)."""

from django.db import migrations

from people.crypto import reencrypt_rows


def encrypt_existing(apps, schema_editor):
    for model in apps.get_app_config("doxing_cases").get_models():
        reencrypt_rows(model)


class Migration(migrations.Migration):
    dependencies = [("doxing_cases", "0007_encrypt_sensitive_text")]

    operations = [migrations.RunPython(encrypt_existing, migrations.RunPython.noop, elidable=True)]
