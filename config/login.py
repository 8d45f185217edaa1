"""The admin login: an optional two-factor code, and the page shown when a login is locked."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice


def clean_code(value: str) -> str:
    """A code as people type it ("123 456") as the digits the device checks."""
    return "".join(value.split())


class AdminLoginForm(AdminAuthenticationForm):
    """User name and password, plus the authenticator code for users who turned it on."""

    otp_token = forms.CharField(
        label=gettext_lazy("Code uit je authenticator-app"),
        help_text=gettext_lazy(
            "Alleen als je tweestapsverificatie hebt aangezet: de code van zes cijfers."
        ),
        required=False,
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
        if user is not None and devices:
            code = clean_code(cleaned_data.get("otp_token") or "")
            if not code:
                raise forms.ValidationError(
                    _("Vul ook de code uit je authenticator-app in."), code="code_required"
                )
            if not any(device.verify_token(code) for device in devices):
                # The password was right; a wrong code still counts towards the lockout,
                # so that the code cannot be guessed at leisure.
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": user.get_username()},
                    request=self.request,
                )
                raise forms.ValidationError(
                    _(
                        "Deze code klopt niet of is verlopen. Vul de code in die je app nu "
                        "laat zien; na een paar foute codes moet je even wachten."
                    ),
                    code="invalid_code",
                )
        return cleaned_data


def lockout_response(request, original_response=None, credentials=None):
    """The login page's lockout message, in Dutch, with status 429 (django-axes)."""
    context = {
        **admin.site.each_context(request),
        "title": _("Inloggen tijdelijk geblokkeerd"),
        "cooloff_minutes": settings.LOGIN_LOCKOUT_MINUTES,
    }
    return TemplateResponse(request, "admin/login_locked.html", context, status=429).render()
