"""Structured logs: one line per request and per finished task, JSON in production."""

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from django.tasks import task
from django.urls import reverse

from tests.factories import SchoolFactory

BASE_DIR = Path(__file__).resolve().parent.parent.parent
pytestmark = pytest.mark.django_db


def request_lines(caplog):
    return [record for record in caplog.records if record.name == "config.requests"]


def test_a_request_logs_one_line_with_its_figures_when_a_page_is_served(client, caplog):
    caplog.set_level(logging.INFO, logger="config.requests")

    client.get(reverse("search") + "?q=mijn+naam+is+Jan")

    [line] = request_lines(caplog)
    assert line.method == "GET"
    assert line.path == "/zoeken/"  # what a visitor typed stays out of the log
    assert line.status == 200
    assert line.duration_ms >= 0
    assert line.queries >= 1


def test_a_private_link_is_logged_without_its_secret_when_opened(client, caplog):
    school = SchoolFactory()
    caplog.set_level(logging.INFO, logger="config.requests")

    client.get(reverse("schools:news-submit", args=[school.submission_token]))

    [line] = request_lines(caplog)
    assert school.submission_token not in line.getMessage()
    assert line.path == "/nieuws/insturen/<token>/"


def test_the_load_balancer_is_not_logged_when_it_asks_for_health(client, caplog):
    caplog.set_level(logging.INFO, logger="config.requests")

    client.get(reverse("health"))

    assert request_lines(caplog) == []


@task
def add(a, b):
    return a + b


def test_a_task_logs_one_line_with_name_outcome_and_duration_when_it_finishes(caplog):
    caplog.set_level(logging.INFO, logger="config.tasks")

    add.enqueue(1, 2)

    [line] = [record for record in caplog.records if record.name == "config.tasks"]
    assert line.task == f"{__name__}.add"
    assert line.outcome == "SUCCESSFUL"
    assert line.duration_ms >= 0


LOG_PROBE = """
import logging, django
django.setup()
logging.getLogger("config.requests").info("GET / 200", extra={"status": 200, "path": "/"})
"""


def log_output(**environment):
    import os

    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "a-long-production-secret-for-the-test",
        "ALLOWED_HOSTS": "example.org",
        "SITE_URL": "https://example.org",
        **environment,
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", LOG_PROBE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stderr.strip().splitlines()[-1]


def test_log_lines_are_json_when_debug_is_off():
    line = json.loads(log_output())

    assert line["logger"] == "config.requests"
    assert line["level"] == "INFO"
    assert line["message"] == "GET / 200"
    assert line["status"] == 200
    assert "time" in line


def test_log_lines_are_plain_when_debug_is_on_or_asked_for():
    for environment in ({"DEBUG": "true"}, {"LOG_FORMAT": "plain"}):
        line = log_output(**environment)
        assert line.endswith("INFO config.requests GET / 200")
        assert not line.startswith("{")
