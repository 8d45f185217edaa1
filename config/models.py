from axes.models import AccessAttempt
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from campaign.plaintext import SingleLineCharField


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


class ScheduledRun(models.Model):
    """One run of a scheduled job (config/schedule.py) at its due time.

    The row is the claim: two schedulers that wake for the same job and time both try
    to insert it, and only the one that succeeds runs the job.
    """

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Bezig")
        DONE = "done", _("Klaar")
        FAILED = "failed", _("Mislukt")

    job = SingleLineCharField(_("taak"), max_length=80)
    due_at = models.DateTimeField(_("gepland om"))
    started_at = models.DateTimeField(_("begonnen om"), default=timezone.now)
    finished_at = models.DateTimeField(_("klaar om"), null=True, blank=True)
    outcome = models.CharField(
        _("uitkomst"), max_length=10, choices=Outcome.choices, default=Outcome.RUNNING
    )

    class Meta:
        verbose_name = _("geplande taak")
        verbose_name_plural = _("geplande taken")
        ordering = ["-due_at"]
        constraints = [models.UniqueConstraint(fields=["job", "due_at"], name="scheduled_run_once")]

    def __str__(self):
        return f"{self.job} {self.due_at:%Y-%m-%d %H:%M}"
