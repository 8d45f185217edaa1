"""The admin site of the project: Django's, with the editor policy on the pages that need it."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csp import csp_override

from campaign.context_processors import get_active_campaign, site_name
from campaign.richtext import RichTextField
from config.login import AdminLoginForm

# revision_view: restoring a version shows the change form, editor included (campaign/history.py).
EDITOR_VIEWS = ("add_view", "change_view", "revision_view", "recover_view")


def _form_fields(options, model):
    declared = list(options.fields or []) or (
        flatten_fieldsets(options.fieldsets) if options.fieldsets else None
    )
    excluded = set(options.exclude or [])
    for field in model._meta.get_fields():
        if declared is not None and field.name not in declared:
            continue
        if field.name not in excluded:
            yield field


def shows_editor(model_admin) -> bool:
    """Whether the add/change form of ``model_admin`` (or one of its inlines) has rich text."""
    sources = [(model_admin, model_admin.model)]
    sources += [(inline, inline.model) for inline in model_admin.inlines]
    return any(
        isinstance(field, RichTextField)
        for options, model in sources
        for field in _form_fields(options, model)
    )


class AdminSite(admin.AdminSite):
    # Asks for the authenticator code of users who turned two-factor login on.
    login_form = AdminLoginForm
    # The start page says what to do this week (config.dashboard); the app list follows.
    index_template = "admin/dashboard.html"
    index_title = _("Beheer van de campagnes")

    def each_context(self, request):
        # The name comes from the data: the primary campaign's, or the neutral one.
        name = site_name(get_active_campaign(request))
        return {
            **super().each_context(request),
            "site_header": _("%(name)s — beheer") % {"name": name},
            "site_title": name,
        }

    def get_urls(self):
        from config.two_factor import two_factor_view
        from events.airtime_admin import airtime_view
        from events.report_admin import (
            programme_report_csv_view,
            programme_report_print_view,
            programme_report_view,
        )
        from events.social_admin import social_calendar_view, social_drafts_view

        def social_drafts(request):
            return social_drafts_view(request, site_context=self.each_context(request))

        def social_calendar(request):
            return social_calendar_view(request, site_context=self.each_context(request))

        def airtime(request):
            return airtime_view(request, site_context=self.each_context(request))

        def programme_report(request):
            return programme_report_view(request, site_context=self.each_context(request))

        return [
            path("cijfers/", self.admin_view(programme_report), name="programme-report"),
            path(
                "cijfers/afdrukken/",
                self.admin_view(programme_report_print_view),
                name="programme-report-print",
            ),
            path(
                "cijfers/cijfers.csv",
                self.admin_view(programme_report_csv_view),
                name="programme-report-csv",
            ),
            path("tweestapsverificatie/", self.admin_view(two_factor_view), name="two-factor"),
            path("social/concepten/", self.admin_view(social_drafts), name="social-drafts"),
            path("social/kalender/", self.admin_view(social_calendar), name="social-calendar"),
            path("zendtijd/", self.admin_view(airtime), name="airtime"),
            *super().get_urls(),
        ]

    def get_app_list(self, request, app_label=None):
        from events.report_admin import REPORT_PERMISSION

        app_list = super().get_app_list(request, app_label)
        if request.user.has_perm(REPORT_PERMISSION):
            # The report is no model, but coordinators look for it with the masterclasses.
            for app in app_list:
                if app["app_label"] == "events":
                    app["models"].append(
                        {
                            "name": _("Cijfers van het programma"),
                            "object_name": "ProgrammeReport",
                            "perms": {"view": True},
                            "admin_url": reverse("admin:programme-report"),
                            "add_url": None,
                            "view_only": True,
                        }
                    )
        return app_list

    def index(self, request, extra_context=None):
        from config.dashboard import build_dashboard

        extra_context = {**(extra_context or {}), "dashboard": build_dashboard(request.user)}
        return super().index(request, extra_context)

    def admin_view(self, view, cacheable=False):
        model_admin = getattr(view, "__self__", None)
        if (
            isinstance(model_admin, admin.ModelAdmin)
            and view.__name__ in EDITOR_VIEWS
            and shows_editor(model_admin)
        ):
            # CKEditor 4 runs inline script and style. Only these pages get the relaxed
            # policy; the login page and every other admin page keep SECURE_CSP.
            view = csp_override(settings.EDITOR_CSP)(view)
        return super().admin_view(view, cacheable)
