"""The task queue (django-tasks-db) in the admin, in Dutch.

django-tasks-db names its app and two admin columns in plain English strings that no
catalogue can translate; this config replaces them. Its field names are translated in
``locale-django``. Used in ``INSTALLED_APPS`` instead of ``"django_tasks_db"``.
"""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TaskQueueConfig(TasksAppConfig):
    verbose_name = _("Wachtrij voor e-mail en achtergrondtaken")

    def ready(self):
        super().ready()
        from django.contrib import admin
        from django_tasks_db.admin import DBTaskResultAdmin
        from django_tasks_db.models import DBTaskResult

        class TaskResultAdmin(DBTaskResultAdmin):
            list_display = [
                "id",
                "task_label",
                "status",
                "enqueued_at",
                "started_at",
                "finished_at",
                "priority",
                "queue_name",
            ]

            @admin.display(description=_("taak"))
            def task_label(self, obj):
                return obj.task_name

            @admin.display(description=_("verloop van de fout"))
            def formatted_traceback(self, obj):
                return super().formatted_traceback(obj)

            @admin.display(description=_("niet uitvoeren vóór"))
            def display_run_after(self, obj):
                return super().display_run_after(obj)

        # The admin has registered the library's own admin by now (its app comes first).
        admin.site.unregister(DBTaskResult)
        admin.site.register(DBTaskResult, TaskResultAdmin)
