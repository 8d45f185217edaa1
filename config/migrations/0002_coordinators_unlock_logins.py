"""Let the "Coördinator" group see failed logins and unlock a colleague (config.LoginLock)."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Coördinator"
CODENAMES = ["view_loginlock", "delete_loginlock"]


def _permissions(apps, using):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.using(using).filter(
        content_type__app_label="config", codename__in=CODENAMES
    )


def add_permissions(apps, schema_editor):
    using = schema_editor.connection.alias
    # post_migrate makes permissions only after the whole migrate; make them now.
    create_permissions(global_apps.get_app_config("config"), apps=apps, verbosity=0, using=using)
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.using(using).get_or_create(name=GROUP_NAME)
    group.permissions.add(*_permissions(apps, using))


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    using = schema_editor.connection.alias
    for group in Group.objects.using(using).filter(name=GROUP_NAME):
        group.permissions.remove(*_permissions(apps, using))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0002_coordinator_group"),
        ("config", "0001_login_lock"),
    ]

    operations = [
        migrations.RunPython(add_permissions, remove_permissions),
    ]
