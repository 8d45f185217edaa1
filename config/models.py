from axes.models import AccessAttempt
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice


class LoginLock(AccessAttempt):
    """django-axes' record of failed admin logins, shown to coordinators in Dutch."""

    class Meta:
        proxy = True
        verbose_name = _("mislukte inlogpoging")
        verbose_name_plural = _("mislukte inlogpogingen en blokkades")


class AuthenticatorApp(TOTPDevice):
    """django-otp's TOTP device of a user, shown to superusers in Dutch."""

    class Meta:
        proxy = True
        verbose_name = _("authenticator-app")
        verbose_name_plural = _("authenticator-apps (tweestapsverificatie)")
