"""Mail backends for tests: a mail server that is down."""

from django.core.mail.backends.base import BaseEmailBackend


class DownEmailBackend(BaseEmailBackend):
    """Behaves like an SMTP server that refuses connections."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server is down")


class RefusingEmailBackend(BaseEmailBackend):
    """Behaves like an SMTP server that refuses every recipient for good (550)."""

    def send_messages(self, email_messages):
        import smtplib

        raise smtplib.SMTPRecipientsRefused(
            {address: (550, b"5.1.1 No such user") for m in email_messages for address in m.to}
        )


class BusyEmailBackend(BaseEmailBackend):
    """Behaves like an SMTP server that is busy for now (451: try again later)."""

    def send_messages(self, email_messages):
        import smtplib

        raise smtplib.SMTPDataError(451, b"4.3.0 Try again later")
