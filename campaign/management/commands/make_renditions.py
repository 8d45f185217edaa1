from django.core.management.base import BaseCommand
from PIL import Image

from campaign.images import private_image_fields, registered_rows
from campaign.renditions import make_renditions


class Command(BaseCommand):
    help = (
        "Make the missing renditions (page sizes, WebP) of every stored image. The task "
        "worker makes them when an image is stored; run this once for images stored before "
        "that, or after restoring media without renditions. A second run makes nothing."
    )

    def handle(self, *args, **options):
        names = {}
        for field in private_image_fields():
            for name in (
                registered_rows(field)
                .exclude(**{field.name: ""})
                .values_list(field.name, flat=True)
            ):
                names[name] = field.storage
        made = broken = 0
        for number, (name, storage) in enumerate(sorted(names.items()), start=1):
            try:
                count = make_renditions(name, storage)
            except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
                broken += 1
                self.stdout.write(self.style.WARNING(f"  cannot read {name}: {error}"))
                continue
            made += count
            if count:
                self.stdout.write(f"  [{number}/{len(names)}] {name}: {count} made")
        self.stdout.write(
            self.style.SUCCESS(
                f"{made} rendition(s) made for {len(names)} image(s); {broken} unreadable."
            )
        )
