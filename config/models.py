from axes.models import AccessAttempt
from django.utils.translation import gettext_lazy as _


class LoginLock(AccessAttempt):
    """django-axes' record of failed admin logins, shown to coordinators in Dutch."""

    class Meta:
        proxy = True
        verbose_name = _("mislukte inlogpoging")
        verbose_name_plural = _("mislukte inlogpogingen en blokkades")
