"""Create or update the superuser that `make run` prints, for local development only."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Create or update a superuser with a known password for local development. "
        "Refuses to run when DEBUG is off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", default="techniek")
        parser.add_argument("--email", default="admin@example.org")

    def handle(self, *args, username, password, email, **options):
        # A known password is fine on a developer's machine and nowhere else.
        if not settings.DEBUG:
            raise CommandError("DEBUG is off: this command is for local development only.")
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            **{user_model.USERNAME_FIELD: username}, defaults={"email": email}
        )
        user.is_active = user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} development superuser. Login: {username} / {password}")
