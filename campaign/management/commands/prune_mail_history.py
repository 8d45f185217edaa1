"""Delete what the mail queue remembers about mails that were sent or failed long ago."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from campaign.models import OutgoingEmail


class Command(BaseCommand):
    help = (
        "Delete the records of e-mails (Uitgaande e-mails) and the finished mail tasks, which "
        "hold whole messages with names and addresses, once they are older than "
        "REGISTRATION_RETENTION_DAYS days (or --days). Mails still waiting are kept. Safe to "
        "run repeatedly, e.g. every night."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Age in days (default: settings.REGISTRATION_RETENTION_DAYS).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only show what would be deleted."
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.REGISTRATION_RETENTION_DAYS if days is None else days
        cutoff = timezone.now() - dt.timedelta(days=days)
        records = OutgoingEmail.objects.filter(
            status__in=[OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED],
            queued_at__lt=cutoff,
        )
        tasks = DBTaskResult.objects.filter(
            task_path="campaign.tasks.deliver_email",
            status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
            finished_at__lt=cutoff,
        )
        if dry_run:
            self.stdout.write(
                f"Dry run: would delete {records.count()} mail record(s) and "
                f"{tasks.count()} finished mail task(s) older than {days} day(s)."
            )
            return
        deleted_records, _ = records.delete()
        deleted_tasks, _ = tasks.delete()
        self.stdout.write(
            self.style.SUCCESS(
                f"Deleted {deleted_records} mail record(s) and {deleted_tasks} finished mail "
                f"task(s) older than {days} day(s)."
            )
        )
