from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from PIL import Image

from campaign.images import private_image_fields
from campaign.services import is_clean_stored_image, reencode_stored_image


class Command(BaseCommand):
    help = (
        "Re-encode every stored image that was saved before images were cleaned: a random "
        "file name, no metadata (EXIF/GPS, XMP, IPTC, ICC, comments), the rows updated and "
        "the old file and its renditions deleted. Files that are already clean are left "
        "alone, so a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only show what would be re-encoded."
        )

    def handle(self, *args, dry_run=False, **options):
        counts = {"reencoded": 0, "clean": 0, "missing": 0, "broken": 0}
        for field in private_image_fields():
            model = field.model
            rows = model._default_manager.exclude(**{field.name: ""}).order_by("pk")
            label = f"{model._meta.label}.{field.name}"
            self.stdout.write(f"{label}: {rows.count()} image(s)")
            for row in rows.iterator():
                # Read again: an earlier row may have pointed this one at a new file.
                row.refresh_from_db(fields=[field.attname])
                name = getattr(row, field.attname).name
                if not name:
                    continue
                if is_clean_stored_image(name):
                    counts["clean"] += 1
                    continue
                storage = getattr(row, field.attname).storage
                if not storage.exists(name):
                    counts["missing"] += 1
                    self.stdout.write(self.style.WARNING(f"  missing: {name} ({label} {row.pk})"))
                    continue
                if dry_run:
                    counts["reencoded"] += 1
                    self.stdout.write(f"  would re-encode {name}")
                    continue
                try:
                    new_name = reencode_stored_image(row=row, field=field)
                except (OSError, ValidationError, Image.DecompressionBombError) as error:
                    counts["broken"] += 1
                    self.stdout.write(self.style.WARNING(f"  cannot read {name}: {error}"))
                    continue
                counts["reencoded"] += 1
                self.stdout.write(f"  {name} -> {new_name}")
        summary = (
            f"{counts['reencoded']} re-encoded, {counts['clean']} already clean, "
            f"{counts['missing']} missing, {counts['broken']} unreadable."
        )
        if dry_run:
            self.stdout.write(f"Dry run, nothing changed: {summary}")
        else:
            self.stdout.write(self.style.SUCCESS(summary))
