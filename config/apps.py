from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.utils.translation import gettext_lazy as _


class AdminConfig(DjangoAdminConfig):
    default_site = "config.admin_site.AdminSite"


class ProjectConfig(AppConfig):
    """The project's own admin pieces: login lockouts and two-factor login."""

    name = "config"
    verbose_name = _("Inloggen en beveiliging")

    def ready(self):
        from django.core.signals import request_finished, request_started
        from django.tasks.signals import task_finished

        from campaign import content_version
        from campaign.content_version import set_next_change
        from config import checks  # noqa: F401 - registers the deploy checks
        from config.logs import log_task_finished
        from config.pagecache import connect_signals, next_change_for

        # Logging only, no logic of ours: django.tasks reports finished tasks this way.
        task_finished.connect(log_task_finished, dispatch_uid="config.logs.task_finished")
        # Cache invalidation is not our own logic on a model: it listens to every content
        # write, whichever app or path made it (admin, public forms, worker, shell).
        connect_signals()
        # Kept parts of pages (config.fragments) last no longer than the pages themselves.
        set_next_change(next_change_for)
        # The content version is read once per request (campaign.content_version).
        request_started.connect(content_version.request_started, dispatch_uid="content-version")
        request_finished.connect(
            content_version.request_finished, dispatch_uid="content-version-end"
        )
