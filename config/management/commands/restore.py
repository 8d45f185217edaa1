from django.core.management.base import BaseCommand, CommandError

from config.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Rebuild an empty installation from a backup made by `manage.py backup` (a folder "
        "or s3://bucket/prefix): migrate to the backup's schema, load every row, migrate "
        "on to this version, and copy the media back, checking every checksum. Refuses a "
        "database or media storage that is not empty, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("location", help="The backup: a folder or s3://bucket/prefix.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace everything in a database and media storage that are not empty.",
        )

    def handle(self, *args, location, force=False, **options):
        try:
            report = restore(location, force=force, progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored from {location}: {report.rows} rows, "
                f"{report.files} files ({report.bytes} bytes)."
            )
        )
