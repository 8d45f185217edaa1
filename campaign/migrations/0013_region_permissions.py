"""Let the "Coördinator" group fill in the region, its partners and its contacts (made in 0012)."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Coördinator"
# Everything, as on the other content models; the admin itself never deletes the one region.
CODENAMES = [
    f"{action}_{model}"
    for model in ("region", "regionpartner", "regioncontact")
    for action in ("add", "change", "delete", "view")
]


def add_permissions(apps, schema_editor):
    using = schema_editor.connection.alias
    # post_migrate makes permissions only after the whole migrate; make them now.
    create_permissions(global_apps.get_app_config("campaign"), apps=apps, verbosity=0, using=using)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.using(using).get_or_create(name=GROUP_NAME)
    group.permissions.add(
        *Permission.objects.using(using).filter(
            content_type__app_label="campaign", codename__in=CODENAMES
        )
    )


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    using = schema_editor.connection.alias
    for group in Group.objects.using(using).filter(name=GROUP_NAME):
        group.permissions.remove(
            *Permission.objects.using(using).filter(
                content_type__app_label="campaign", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("campaign", "0012_region"),
    ]

    operations = [
        migrations.RunPython(add_permissions, remove_permissions),
    ]
