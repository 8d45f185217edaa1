from django.conf import settings
from django.core.management.base import BaseCommand

from events.models import Session
from events.services import purge_session_registrations


class Command(BaseCommand):
    help = (
        "Delete the registrations (children's and parents' data) of masterclasses that ended "
        "more than REGISTRATION_RETENTION_DAYS days ago (or --days), keeping anonymous counts "
        "per session (ParticipationCount). Safe to run repeatedly, e.g. every night."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days after the session (default: settings.REGISTRATION_RETENTION_DAYS).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only show what would be deleted."
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.REGISTRATION_RETENTION_DAYS if days is None else days
        sessions = list(Session.objects.due_for_purge(retention_days=days))
        if not sessions:
            self.stdout.write(f"Nothing to purge: no registrations older than {days} day(s).")
            return
        deleted = 0
        for session in sessions:
            count = session.registrations.count()
            if dry_run:
                self.stdout.write(f"  would delete {count} registration(s) of {session}")
                continue
            purge_session_registrations(session=session)
            deleted += count
            self.stdout.write(f"  deleted {count} registration(s) of {session}, counts kept")
        if dry_run:
            self.stdout.write(f"Dry run: {len(sessions)} session(s), nothing deleted.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Deleted {deleted} registration(s) of {len(sessions)} session(s)."
                )
            )
