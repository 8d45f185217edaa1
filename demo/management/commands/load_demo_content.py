"""Load the demo content from a data file: campaign, storylines, schools, companies, masterclasses, news."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.loader import DEFAULT_FILE, DemoLoader, read_content


class Command(BaseCommand):
    help = (
        "Load the demo content (demo/content/techniek-doet-het.toml): campaign, storylines, "
        "schools, companies, masterclasses, news, pages. Idempotent: rows are matched on "
        "their slugs and updated, dates move along with today, nothing is deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", type=Path, default=DEFAULT_FILE, help="Another data file of the same shape."
        )

    def handle(self, *args, file: Path, **options):
        try:
            content = read_content(file)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        with transaction.atomic():
            DemoLoader(content, report=self.stdout.write).load()
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
