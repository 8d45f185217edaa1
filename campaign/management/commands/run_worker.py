"""The task worker of this site: django-tasks-db's db_worker plus recovery after crashes."""

import logging
import os
import threading

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from campaign.tasks import requeue_abandoned_tasks

logger = logging.getLogger("campaign.tasks")


def recovery_interval() -> float:
    """How often to look for abandoned tasks: a few times per timeout, at most once a minute."""
    return max(1.0, min(60.0, settings.TASK_RUNNING_TIMEOUT / 4))


def recover_abandoned_tasks() -> None:
    try:
        requeue_abandoned_tasks()
    except DatabaseError:
        # The database may be away for a moment; the worker itself carries on.
        logger.exception("Could not look for tasks left running by a dead worker.")


def recover_periodically(stop: threading.Event) -> None:
    while not stop.wait(recovery_interval()):
        recover_abandoned_tasks()
        # This thread has its own connection; do not keep it open between passes.
        connection.close()


class Command(db_worker.Command):
    help = (
        "Run the task worker (it sends queued e-mail). Unlike db_worker, it also puts tasks "
        "that a dead worker left running back on the queue after TASK_RUNNING_TIMEOUT "
        "seconds: at start and then every so often while it runs."
    )

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        if verbosity == 1:
            # config.logs writes one line per finished task (name, outcome, duration);
            # django.tasks' own lines per state would only repeat it. Failures still show.
            logging.getLogger("django.tasks").setLevel(logging.WARNING)

    def handle(self, *args, **options):
        reloader_parent = (
            options["reload"]
            and not options["batch"]
            and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        )
        if reloader_parent:
            # With --reload this process only watches files; its child does the work.
            return super().handle(*args, **options)
        recover_abandoned_tasks()
        stop = threading.Event()
        if not options["batch"]:
            # A thread, because db_worker's loop offers no hook between polls; daemon, so
            # a worker that must stop is never held up by it.
            threading.Thread(
                target=recover_periodically, args=(stop,), name="task-recovery", daemon=True
            ).start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
