import posixpath

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from PIL import Image

from campaign.images import delete_stored_image, private_image_fields, registered_rows
from campaign.models import Photo
from campaign.services import is_clean_stored_image, reencode_stored_image


class Command(BaseCommand):
    help = (
        "Re-encode every stored image that was saved before images were cleaned: a random "
        "file name, no metadata (EXIF/GPS, XMP, IPTC, ICC, comments), the rows updated and "
        "the old file and its renditions deleted. Files that are already clean are left "
        "alone, so a second run changes nothing. Files in the image folders that nothing "
        "uses (originals left behind when an image was replaced) are listed, and deleted "
        "with --delete-orphans."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only show what would be re-encoded."
        )
        parser.add_argument(
            "--delete-orphans",
            action="store_true",
            help="Also delete files in the image folders that no row and no photo uses.",
        )

    def handle(self, *args, dry_run=False, delete_orphans=False, **options):
        counts = {"reencoded": 0, "clean": 0, "missing": 0, "broken": 0}
        for field in private_image_fields():
            model = field.model
            rows = registered_rows(field).exclude(**{field.name: ""}).order_by("pk")
            label = f"{model._meta.label}.{field.name}"  # field registry
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
                except (
                    OSError,
                    SyntaxError,
                    ValueError,
                    ValidationError,
                    Image.DecompressionBombError,
                ) as error:
                    counts["broken"] += 1
                    self.stdout.write(self.style.WARNING(f"  cannot read {name}: {error}"))
                    continue
                counts["reencoded"] += 1
                self.stdout.write(f"  {name} -> {new_name}")
        summary = (
            f"{counts['reencoded']} re-encoded, {counts['clean']} already clean, "
            f"{counts['missing']} missing, {counts['broken']} unreadable."
        )
        orphans = self.find_orphans()
        for name, storage in orphans:
            if delete_orphans and not dry_run:
                delete_stored_image(name, storage)
                self.stdout.write(f"  deleted unused file {name}")
            else:
                self.stdout.write(f"  unused file {name} (--delete-orphans deletes it)")
        summary += f" {len(orphans)} unused file(s)" + (
            " deleted." if delete_orphans and not dry_run else " kept."
        )
        if dry_run:
            self.stdout.write(f"Dry run, nothing changed: {summary}")
        else:
            self.stdout.write(self.style.SUCCESS(summary))

    def find_orphans(self):
        """Files in the image fields' folders that no row and no register entry uses."""
        used = set(Photo.objects.in_use().values_list("file", flat=True))
        folders = {}
        for field in private_image_fields():
            used.update(registered_rows(field).values_list(field.name, flat=True))
            folder = posixpath.dirname(field.generate_filename(None, "x.jpg"))
            folders[folder] = field.storage
        orphans = []
        for folder, storage in sorted(folders.items()):
            try:
                _directories, files = storage.listdir(folder)
            except FileNotFoundError:
                continue
            orphans += [
                (name, storage)
                for name in (posixpath.join(folder, file) for file in sorted(files))
                if name not in used
            ]
        return orphans
