"""The jobs that run on a schedule, and the loop that runs them (`manage.py run_scheduler`).

No cron needed: one scheduler process next to the worker. Times are Europe/Amsterdam
(TIME_ZONE), summer time included (APScheduler's CronTrigger). Every job is a management
command that is safe to repeat. Two schedulers (two machines, or a restart that
overlaps) run each job once per due time: the first to insert its ScheduledRun row runs
it, the other skips it. A due time missed while no scheduler ran (a deploy, a reboot) is
not made up for; the next one comes.
"""

import io
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

from config.models import ScheduledRun

logger = logging.getLogger("config.schedule")

# Rows of finished runs are kept this long (they show when each job last ran).
KEEP_RUNS = timedelta(days=90)


@dataclass(frozen=True, eq=False)
class Job:
    command: str
    cron: dict  # CronTrigger fields: minute, hour, day_of_week...
    description: str
    trigger: CronTrigger = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "trigger", CronTrigger(**self.cron, timezone=settings.TIME_ZONE))

    def next_due(self, after: datetime) -> datetime:
        """The first due time strictly after ``after``."""
        return self.trigger.get_next_fire_time(None, after + timedelta(microseconds=1))


JOBS = [
    Job(
        "send_session_reminders",
        {"minute": 15},
        "every hour: reminders REMINDER_DAYS_BEFORE days before a masterclass",
    ),
    Job(
        "purge_registrations",
        {"hour": 3, "minute": 30},
        "every night: delete registrations REGISTRATION_RETENTION_DAYS after their session",
    ),
    Job(
        "prune_mail_history",
        {"hour": 3, "minute": 45},
        "every night: forget mails sent or failed REGISTRATION_RETENTION_DAYS ago",
    ),
    Job("clearsessions", {"hour": 4, "minute": 0}, "every night: delete expired sessions"),
]


def run_job(job: Job, due_at: datetime) -> bool:
    """Run ``job`` for ``due_at`` unless another scheduler claimed it; True if it ran."""
    close_old_connections()
    try:
        with transaction.atomic():
            run = ScheduledRun.objects.create(job=job.command, due_at=due_at)
    except IntegrityError:
        logger.info("%s: already run by another scheduler", job.command, extra={"job": job.command})
        return False
    started = time.perf_counter()
    output = io.StringIO()
    try:
        call_command(job.command, stdout=output, stderr=output)
    except Exception:
        run.outcome = ScheduledRun.Outcome.FAILED
        logger.exception("%s failed", job.command, extra={"job": job.command, "outcome": "failed"})
    else:
        run.outcome = ScheduledRun.Outcome.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["outcome", "finished_at"])
    logger.info(
        "%s %s",
        job.command,
        run.outcome,
        extra={
            "job": job.command,
            "outcome": run.outcome,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "output": output.getvalue().strip()[-500:],
        },
    )
    ScheduledRun.objects.filter(finished_at__lt=timezone.now() - KEEP_RUNS).delete()
    close_old_connections()
    return True


def run_forever(stop: threading.Event, jobs=JOBS) -> None:
    """Sleep until the next due time, run what is due, repeat; return when ``stop`` is set."""
    now = timezone.now()
    due = {job: job.next_due(now) for job in jobs}
    while not stop.is_set():
        job = min(due, key=due.get)
        wait = (due[job] - timezone.now()).total_seconds()
        if wait > 0 and stop.wait(wait):
            break
        run_job(job, due[job])
        # After a long run or a sleep of the machine: the next due time from now on.
        due[job] = job.next_due(max(due[job], timezone.now()))
