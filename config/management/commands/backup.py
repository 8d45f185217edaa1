from django.core.management.base import BaseCommand, CommandError

from config.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the whole database (one transaction) and of every "
        "media file, with a manifest of counts, checksums and migrations, into a new folder "
        "or s3://bucket/prefix. Restore it with `manage.py restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("location", help="An empty or new folder, or s3://bucket/prefix.")

    def handle(self, *args, location, **options):
        try:
            report = backup(location, progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {location}: {report.rows} rows, "
                f"{report.files} files ({report.bytes} bytes)."
            )
        )
