"""Kill the worker in the middle of a send, start another: every mail arrives exactly once.

Real worker processes (``manage.py run_worker``) against the committed test database on
PostgreSQL, and a real SMTP server (aiosmtpd) in a thread that hangs on the first mail.
"""

import asyncio
import collections
import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django_tasks_db.models import DBTaskResult

from campaign.mail import queue_email
from campaign.models import OutgoingEmail

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Generous: the whole run takes a few seconds; a slow CI machine must not fail it.
DEADLINE_SECONDS = 120
SUBJECTS = ["Bericht 1", "Bericht 2", "Bericht 3"]


class StallingHandler:
    """Hangs on the data of the first mail (never answers), accepts every other mail."""

    def __init__(self):
        self.delivered = []
        self.stalled = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if not self.stalled.is_set():
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            # The client is long gone: this mail was never accepted.
            return "421 Closing"
        self.delivered.append(email.message_from_bytes(envelope.content)["Subject"])
        return "250 OK"


@pytest.fixture
def smtp_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = StallingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    handler.release.set()
    controller.stop()


def database_url():
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{credentials}@{host}:{db['PORT'] or 5432}/{quote(db['NAME'])}"


@pytest.fixture
def start_worker(smtp_server, tmp_path):
    _handler, port = smtp_server
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": database_url(),
        "CONN_MAX_AGE": "0",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        # The stalled send must still hang when the worker is killed...
        "EMAIL_TIMEOUT": "300",
        # ...and the next worker must soon see the task as abandoned.
        "TASK_RUNNING_TIMEOUT": "2",
    }
    workers = []

    def start():
        log = (tmp_path / f"worker-{len(workers)}.log").open("w")
        worker = subprocess.Popen(  # noqa: S603 - our own interpreter and command
            [
                sys.executable,
                "manage.py",
                "run_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval=0.2",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        workers.append((worker, log))
        return worker

    yield start
    for worker, log in workers:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=30)
        log.close()
    for path in sorted(tmp_path.glob("worker-*.log")):
        print(path.name, path.read_text(), sep="\n")


def wait_until(condition, what):
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Not within {DEADLINE_SECONDS} s: {what}")
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_every_mail_arrives_once_when_worker_is_killed_mid_send_and_restarted(
    postgres_only, settings, smtp_server, start_worker
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    handler, _port = smtp_server
    for subject in SUBJECTS:
        queue_email(
            to=["ouder@example.org"],
            subject=subject,
            template="emails/schools/news_received.txt",
            context={},
        )

    first = start_worker()
    wait_until(handler.stalled.is_set, "the first worker starts sending")
    # Nothing is finished: the first mail hangs (its task running, or already put back by
    # the worker's own recovery if this test was slow), the other two wait their turn.
    statuses = list(DBTaskResult.objects.values_list("status", flat=True))
    assert len(statuses) == 3
    assert set(statuses) <= {"RUNNING", "READY"}
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert handler.delivered == []

    second = start_worker()
    wait_until(
        lambda: OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).count() == 3,
        "every mail is marked sent",
    )
    wait_until(
        lambda: not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists(),
        "the queue is empty",
    )
    second.send_signal(signal.SIGTERM)
    second.wait(timeout=30)

    assert collections.Counter(handler.delivered) == dict.fromkeys(SUBJECTS, 1)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
