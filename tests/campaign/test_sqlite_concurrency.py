"""SQLite (the `make run` default) is configured so a request and the worker never collide."""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.db import connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper
from django_tasks_db.utils import exclusive_transaction

from config import settings as project_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent
ROUNDS = 150


def sqlite_settings(path, options):
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": dict(options),
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }


def hammer(path, options):
    """A "request" and a "worker poll" write to one file database at the same time.

    The request reads, then writes (a news submission: look up the school, insert the
    item); the worker claims a task the way django-tasks-db does (an exclusive
    transaction). Returns the errors each side met.
    """
    errors = []
    setup = DatabaseWrapper(sqlite_settings(path, options), "setup")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, kind TEXT)")
    setup.close()
    start = threading.Barrier(2)

    def run(kind, begin, pause):
        alias = f"probe_{kind}"
        connections[alias] = DatabaseWrapper(sqlite_settings(path, options), alias)
        start.wait()
        try:
            for _ in range(ROUNDS):
                try:
                    with begin(alias):
                        with connections[alias].cursor() as cursor:
                            cursor.execute("SELECT count(*) FROM item")
                            # A request works between its read and its write (validation,
                            # images); this keeps its read lock for as long.
                            time.sleep(pause)
                            cursor.execute("INSERT INTO item (kind) VALUES (%s)", [kind])
                except Exception as error:  # noqa: BLE001 - the test counts every failure
                    errors.append(f"{kind}: {error}")
        finally:
            connections[alias].close()
            del connections[alias]

    threads = [
        threading.Thread(
            target=run, args=("request", lambda a: transaction.atomic(using=a), 0.002)
        ),
        threading.Thread(target=run, args=("worker", exclusive_transaction, 0)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_request_and_worker_never_meet_a_locked_database_when_sqlite_is_configured(
    tmp_path, django_db_blocker
):
    with django_db_blocker.unblock():
        errors = hammer(tmp_path / "dev.sqlite3", project_settings.SQLITE_OPTIONS)

    assert errors == []


def test_default_sqlite_settings_lock_the_database_under_the_same_load(tmp_path, django_db_blocker):
    # The control: without our options the same load fails, so the test above proves something.
    with django_db_blocker.unblock():
        errors = hammer(tmp_path / "dev.sqlite3", {})

    assert any("database is locked" in error for error in errors)


def test_sqlite_database_uses_wal_busy_timeout_and_immediate_transactions_when_configured(
    tmp_path,
):
    probe = (
        "import json, django; django.setup();"
        "from django.db import connection;"
        "cursor = connection.cursor();"
        "mode = cursor.execute('PRAGMA journal_mode').fetchone()[0];"
        "timeout = cursor.execute('PRAGMA busy_timeout').fetchone()[0];"
        "print(json.dumps({'mode': mode, 'timeout': timeout,"
        " 'transaction_mode': connection.transaction_mode}))"
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", probe],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["mode"] == "wal"
    assert values["timeout"] >= 10_000
    assert values["transaction_mode"] == "IMMEDIATE"
