"""The scheduled jobs run without cron, each once per due time even with two schedulers."""

import datetime as dt
import logging
import threading
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command, get_commands
from django.utils import timezone

from config.models import ScheduledRun
from config.schedule import JOBS, Job, run_forever, run_job

# Transactional: run_job closes old connections, as a long-running scheduler must, and a
# connection inside a test transaction would be closed under the test.
pytestmark = pytest.mark.django_db(transaction=True)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def expired_session(key: str) -> Session:
    return Session.objects.create(
        session_key=key, session_data="e30", expire_date=timezone.now() - dt.timedelta(days=1)
    )


def test_every_scheduled_job_is_a_command_that_exists():
    commands = get_commands()
    assert {"send_session_reminders", "purge_registrations", "prune_mail_history"} <= {
        job.command for job in JOBS
    }
    for job in JOBS:
        assert job.command in commands, job.command


def test_nightly_job_keeps_its_local_time_when_summer_time_starts():
    purge = next(job for job in JOBS if job.command == "purge_registrations")
    before = dt.datetime(2027, 3, 26, 12, 0, tzinfo=AMSTERDAM)  # summer time: the 28th

    first = purge.next_due(before)
    second = purge.next_due(first)

    assert first.astimezone(AMSTERDAM).strftime("%d %H:%M %Z") == "27 03:30 CET"
    assert second.astimezone(AMSTERDAM).strftime("%d %H:%M %Z") == "28 03:30 CEST"
    assert second.astimezone(dt.UTC) - first.astimezone(dt.UTC) == dt.timedelta(hours=23)


def test_hourly_job_is_due_at_a_quarter_past_when_asked_after_the_hour():
    reminders = next(job for job in JOBS if job.command == "send_session_reminders")
    at = dt.datetime(2027, 5, 4, 10, 20, tzinfo=AMSTERDAM)

    assert reminders.next_due(at) == dt.datetime(2027, 5, 4, 11, 15, tzinfo=AMSTERDAM)
    # Exactly at a due time: the next one, not the same again.
    assert reminders.next_due(reminders.next_due(at)) == dt.datetime(
        2027, 5, 4, 12, 15, tzinfo=AMSTERDAM
    )


def test_job_runs_once_when_two_schedulers_wake_for_the_same_time():
    job = Job("clearsessions", {"hour": 4, "minute": 0}, "expired sessions")
    due = dt.datetime(2027, 5, 4, 4, 0, tzinfo=AMSTERDAM)
    expired_session("a" * 32)

    assert run_job(job, due) is True
    assert not Session.objects.exists()
    expired_session("b" * 32)
    assert run_job(job, due) is False  # the other scheduler: already claimed

    assert Session.objects.filter(session_key="b" * 32).exists()
    run = ScheduledRun.objects.get()
    assert (run.job, run.outcome) == ("clearsessions", ScheduledRun.Outcome.DONE)
    assert run.finished_at is not None
    # The next due time is a new run.
    assert run_job(job, job.next_due(due)) is True
    assert not Session.objects.exists()


def test_failing_job_is_recorded_and_logged_when_its_command_raises(caplog):
    job = Job("bestaat_niet", {"minute": 0}, "a command that is not there")
    caplog.set_level(logging.INFO, logger="config.schedule")

    assert run_job(job, timezone.now()) is True

    assert ScheduledRun.objects.get().outcome == ScheduledRun.Outcome.FAILED
    assert any(record.levelno == logging.ERROR for record in caplog.records)


@pytest.mark.django_db(transaction=True)
def test_scheduler_runs_a_job_that_is_due_and_stops_when_asked():
    from django.db import connection

    stop = threading.Event()

    class DueNow(Job):
        def next_due(self, after):
            # Due at once the first time; after that only far in the future.
            return after if not ScheduledRun.objects.exists() else after + dt.timedelta(days=1)

    job = DueNow("clearsessions", {"minute": 0}, "test")

    def scheduler():
        try:
            run_forever(stop, [job])
        finally:
            connection.close()

    runner = threading.Thread(target=scheduler)
    runner.start()
    try:
        for _ in range(200):
            if ScheduledRun.objects.filter(outcome=ScheduledRun.Outcome.DONE).exists():
                break
            threading.Event().wait(0.05)
    finally:
        stop.set()
        runner.join(timeout=10)

    assert not runner.is_alive()
    assert ScheduledRun.objects.filter(job="clearsessions").count() == 1


def test_list_shows_every_job_with_its_next_time_when_asked():
    out = StringIO()

    call_command("run_scheduler", "--list", stdout=out)

    for job in JOBS:
        assert job.command in out.getvalue()
