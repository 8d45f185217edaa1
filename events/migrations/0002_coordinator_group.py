"""The "Coördinator" group: everything on the content apps, a look at the task queue, no users."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Coördinator"
CONTENT_APPS = ["campaign", "schools", "companies", "events"]
# The e-mail queue: coordinators may look at it, not change it.
VIEW_ONLY_APPS = ["django_tasks_database"]


def _ensure_permissions(apps, using):
    # Permissions are normally made by post_migrate, which runs only after the whole
    # migrate; on a fresh database they do not exist yet at this point.
    for label in CONTENT_APPS + VIEW_ONLY_APPS:
        try:
            app_config = global_apps.get_app_config(label)
            apps.get_app_config(label)
        except LookupError:
            continue
        create_permissions(app_config, apps=apps, verbosity=0, using=using)


def create_coordinator_group(apps, schema_editor):
    using = schema_editor.connection.alias
    _ensure_permissions(apps, using)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.using(using).get_or_create(name=GROUP_NAME)
    content = Permission.objects.using(using).filter(content_type__app_label__in=CONTENT_APPS)
    view_only = Permission.objects.using(using).filter(
        content_type__app_label__in=VIEW_ONLY_APPS, codename__startswith="view_"
    )
    group.permissions.add(*content, *view_only)


def remove_coordinator_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_tasks_database", "0001_initial"),
        ("campaign", "0001_initial"),
        ("schools", "0001_initial"),
        ("companies", "0001_initial"),
        ("events", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_coordinator_group, remove_coordinator_group),
    ]
