"""Run the scheduled jobs (config/schedule.py) at their times, instead of cron."""

import signal
import threading

from django.core.management.base import BaseCommand
from django.utils import timezone

from config.schedule import JOBS, run_forever


class Command(BaseCommand):
    help = (
        "Run the scheduled jobs (reminders, purging registrations and old mail, expired "
        "sessions) at their times until stopped. One per site is enough; a second one "
        "(another machine) runs nothing twice. --list shows the jobs and their next time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--list", action="store_true", help="Show the jobs and when each runs next."
        )

    def handle(self, *args, **options):
        now = timezone.localtime()
        for job in JOBS:
            next_due = timezone.localtime(job.next_due(now))
            self.stdout.write(f"{job.command:<24} {next_due:%Y-%m-%d %H:%M}  {job.description}")
        if options["list"]:
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_args: stop.set())
        self.stdout.write("Scheduler running; stop with Ctrl-C or SIGTERM.")
        run_forever(stop)
        self.stdout.write("Scheduler stopped.")
