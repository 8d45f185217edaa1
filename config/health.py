"""/gezond/: the health of this app server, for the load balancer and for monitoring.

200 when the database and the cache answer, 503 when either does not: a load balancer
takes the server out of service. The task queue and the mail are reported, not judged:
a stopped worker (one per site, not per server) must not take every app server out of
service; monitoring alerts on ``mail.oldest_waiting_seconds`` instead. Counts and ages
only, no personal data; never cached.
"""

import time
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult

from campaign.models import OutgoingEmail

# Reported as "late" (still 200) when the oldest waiting mail is older than this.
MAIL_LATE_SECONDS = 15 * 60


def _timed(check):
    started = time.perf_counter()
    try:
        details = check()
    except Exception as error:  # noqa: BLE001 - any failure means "not healthy"
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1), **details}


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def _cache():
    key, value = f"health:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    answered = cache.get(key)
    cache.delete(key)
    if answered != value:
        raise ConnectionError("the cache did not keep a value")
    return {}


def _age(moment, now) -> float | None:
    return round((now - moment).total_seconds(), 1) if moment else None


def _queue(now):
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return {"waiting": waiting.count(), "oldest_waiting_seconds": _age(oldest, now)}


def _mail(now):
    waiting = OutgoingEmail.objects.filter(
        status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.RETRYING]
    )
    oldest = waiting.order_by("queued_at").values_list("queued_at", flat=True).first()
    age = _age(oldest, now)
    return {
        "waiting": waiting.count(),
        "oldest_waiting_seconds": age,
        "late": age is not None and age > MAIL_LATE_SECONDS,
    }


@never_cache
@require_safe
def health(request):
    now = timezone.now()
    checks = {"database": _timed(_database), "cache": _timed(_cache)}
    if checks["database"]["ok"]:
        try:
            checks["queue"] = _queue(now)
            checks["mail"] = _mail(now)
        except DatabaseError as error:
            checks["database"] = {"ok": False, "error": type(error).__name__}
    healthy = checks["database"]["ok"] and checks["cache"]["ok"]
    return JsonResponse(
        {"status": "ok" if healthy else "fail", **checks}, status=200 if healthy else 503
    )
