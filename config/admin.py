from django.conf import settings
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.models import LoginLock


@admin.register(LoginLock)
class LoginLockAdmin(admin.ModelAdmin):
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time", "is_locked"]
    list_filter = ["attempt_time"]
    search_fields = ["username", "ip_address"]
    list_select_related = False
    fields = ["username", "ip_address", "user_agent", "failures_since_start", "attempt_time"]
    readonly_fields = fields
    actions = ["unlock"]

    @admin.display(boolean=True, description=_("geblokkeerd"))
    def is_locked(self, obj):
        return obj.failures_since_start >= settings.AXES_FAILURE_LIMIT

    # Rows are written by django-axes only; a coordinator looks and unlocks.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Deblokkeren: weer laten inloggen"), permissions=["delete"])
    def unlock(self, request, queryset):
        count, _deleted = queryset.delete()
        self.message_user(
            request,
            ngettext("%(count)d blokkade opgeheven.", "%(count)d blokkades opgeheven.", count)
            % {"count": count},
            messages.SUCCESS,
        )
