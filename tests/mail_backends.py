"""Mail backends for tests: a mail server that is down."""

from django.core.mail.backends.base import BaseEmailBackend


class DownEmailBackend(BaseEmailBackend):
    """Behaves like an SMTP server that refuses connections."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server is down")
