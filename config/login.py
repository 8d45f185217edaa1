"""The admin login: the Dutch page django-axes shows when a login is locked."""

from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    """The login page's lockout message, in Dutch, with status 429."""
    context = {
        **admin.site.each_context(request),
        "title": _("Inloggen tijdelijk geblokkeerd"),
        "cooloff_minutes": settings.LOGIN_LOCKOUT_MINUTES,
    }
    return TemplateResponse(request, "admin/login_locked.html", context, status=429).render()
