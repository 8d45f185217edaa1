"""SessionFigures is replaced by ParticipationCount (0008); coordinators get the new models.

The programme report asks for ``events.view_participationcount``; the company contributions
ledger is kept by the coordinators too.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

GROUP_NAME = "Coördinator"
NEW_MODELS = {"events": ["participationcount"], "companies": ["contribution"]}
GONE_MODELS = {"events": ["sessionfigures"]}


def _permissions(Permission, using, models_by_app):
    condition = Q(pk__in=[])
    for app_label, models in models_by_app.items():
        condition |= Q(content_type__app_label=app_label, content_type__model__in=models)
    return Permission.objects.using(using).filter(condition)


def give_permissions(apps, schema_editor):
    using = schema_editor.connection.alias
    # post_migrate makes permissions only after the whole migrate; make them now.
    for label in NEW_MODELS:
        create_permissions(global_apps.get_app_config(label), apps=apps, verbosity=0, using=using)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.using(using).get_or_create(name=GROUP_NAME)
    group.permissions.add(*_permissions(Permission, using, NEW_MODELS))
    # The model is gone: its permissions mean nothing any more.
    _permissions(Permission, using, GONE_MODELS).delete()


def take_permissions(apps, schema_editor):
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.using(using).filter(name=GROUP_NAME):
        group.permissions.remove(*_permissions(Permission, using, NEW_MODELS))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("companies", "0004_contribution"),
        ("events", "0008_participation_counts"),
    ]

    operations = [
        migrations.DeleteModel(name="SessionFigures"),
        migrations.RunPython(give_permissions, take_permissions),
    ]
