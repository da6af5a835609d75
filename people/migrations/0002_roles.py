"""The roles, as groups. Their names are stable identifiers (people.roles.Role);
what each role may see is decided per case in people/access.py."""

from django.db import migrations

ROLES = [
    "employee",
    "manager",
    "coordinator",
    "peer_supporter",
    "specialist",
    "security_officer",
    "hr",
    "privacy_officer",
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
