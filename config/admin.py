from django.conf import settings
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.models import AuthenticatorApp, LoginLock

# django-otp's own TOTP admin is English and shows every secret key; ours is Dutch and
# shows none (a coordinator sets up their own app under "Tweestapsverificatie").
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


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


@admin.register(AuthenticatorApp)
class AuthenticatorAppAdmin(admin.ModelAdmin):
    """Lets a superuser remove the app of someone who lost their phone."""

    # django-otp's field names are English: the columns carry Dutch names of their own.
    list_display = ["owner", "is_confirmed", "added_at", "used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    fields = ["owner", "is_confirmed", "added_at", "used_at"]
    readonly_fields = fields

    @admin.display(description=_("gebruiker"), ordering="user__username")
    def owner(self, obj):
        return obj.user

    @admin.display(boolean=True, description=_("bevestigd"), ordering="confirmed")
    def is_confirmed(self, obj):
        return obj.confirmed

    @admin.display(description=_("toegevoegd op"), ordering="created_at")
    def added_at(self, obj):
        return obj.created_at

    @admin.display(description=_("laatst gebruikt"), ordering="last_used_at")
    def used_at(self, obj):
        return obj.last_used_at

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
