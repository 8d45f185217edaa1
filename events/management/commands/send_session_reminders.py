from django.conf import settings
from django.core.management.base import BaseCommand

from events.models import Registration
from events.services import send_reminder


class Command(BaseCommand):
    help = (
        "Mail a reminder to every confirmed registration of a masterclass that starts within "
        "REMINDER_DAYS_BEFORE days (or --days). Safe to run repeatedly, e.g. every hour: "
        "a registration gets at most one reminder."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days before the session (default: settings.REMINDER_DAYS_BEFORE).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only show who would get a reminder."
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.REMINDER_DAYS_BEFORE if days is None else days
        due = list(Registration.objects.due_for_reminder(days_before=days))
        if dry_run:
            for registration in due:
                self.stdout.write(f"  {registration.session} — {registration.contact_email}")
            self.stdout.write(f"Dry run: {len(due)} reminder(s) would be sent.")
            return
        sent = 0
        for number, registration in enumerate(due, start=1):
            sent += send_reminder(registration=registration)
            if number % 100 == 0:
                self.stdout.write(f"  {number}/{len(due)}…")
        self.stdout.write(
            self.style.SUCCESS(f"{sent} reminder(s) queued for sessions within {days} day(s).")
        )
