"""/gezond/: what the load balancer and monitoring read."""

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from campaign.mail import queue_email
from campaign.models import OutgoingEmail

pytestmark = pytest.mark.django_db


def test_health_is_ok_and_never_cached_when_database_and_cache_answer(client):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["cache"]["ok"] is True
    assert body["queue"]["waiting"] == 0
    assert body["mail"] == {"waiting": 0, "oldest_waiting_seconds": None, "late": False}
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_health_reports_the_oldest_waiting_mail_without_personal_data(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    queue_email(
        to=["ouder@example.org"],
        subject="Aanmelding Robotles",
        template="emails/events/_footer.txt",
        context={},
    )
    OutgoingEmail.objects.update(queued_at=timezone.now() - dt.timedelta(hours=1))

    response = client.get(reverse("health"))

    assert response.status_code == 200  # a late mail is reported, not a reason to go out
    body = response.json()
    assert body["mail"]["waiting"] == 1
    assert body["mail"]["oldest_waiting_seconds"] >= 3600
    assert body["mail"]["late"] is True
    assert body["queue"]["waiting"] == 1
    text = json.dumps(body)
    assert "ouder@example.org" not in text and "Robotles" not in text


def test_health_is_503_when_the_cache_does_not_answer(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("Redis is away")

    monkeypatch.setattr(cache, "set", broken)

    response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json()["status"] == "fail"
    assert response.json()["cache"] == {"ok": False, "error": "ConnectionError"}


def test_health_is_503_when_the_database_does_not_answer(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper
    from django.db.utils import OperationalError

    def broken(self, sql, params=None):
        raise OperationalError("the database is away")

    monkeypatch.setattr(CursorWrapper, "execute", broken)

    response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "error": "OperationalError"}


def test_health_is_not_in_the_sitemap_when_the_sitemap_is_read(client):
    assert "/gezond/" not in client.get(reverse("sitemap")).text


def test_health_answers_over_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get(reverse("health")).status_code == 200
    assert client.get(reverse("home")).status_code == 301
