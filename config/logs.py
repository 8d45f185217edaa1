"""Structured logs: one line per request and one per finished task.

With ``LOG_FORMAT=json`` (the default when DEBUG is off) every line is a JSON object
(python-json-logger), so the fields below can be searched and counted without parsing.
"""

import logging
import time

from django.db import connection

request_logger = logging.getLogger("config.requests")
task_logger = logging.getLogger("config.tasks")

# URL arguments that are secrets (a school's submission link, a parent's cancel link):
# the log shows the route's placeholder instead.
SECRET_URL_KWARGS = ("token",)
# The load balancer asks every few seconds; a line each time would bury the visitors.
QUIET_VIEWS = ("health",)


def loggable_path(request) -> str:
    """The path without its query string (searches, preview tokens) or secret parts."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name in SECRET_URL_KWARGS:
            if value := match.kwargs.get(name):
                path = path.replace(str(value), f"<{name}>")
    return path


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestLogMiddleware:
    """One log line per request: method, path, status, duration in ms and SQL queries."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in QUIET_VIEWS:
            return response
        path = loggable_path(request)
        request_logger.info(
            "%s %s %s",
            request.method,
            path,
            response.status_code,
            extra={
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "queries": counter.count,
            },
        )
        return response


def log_task_finished(sender, task_result, **kwargs):
    """One log line per finished task (django.tasks' task_finished signal)."""
    started, finished = task_result.started_at, task_result.finished_at
    duration_ms = (
        round((finished - started).total_seconds() * 1000, 1) if started and finished else None
    )
    outcome = str(task_result.status)
    task_logger.log(
        logging.ERROR if outcome == "FAILED" else logging.INFO,
        "task %s %s",
        task_result.task.module_path,
        outcome,
        extra={
            "task": task_result.task.module_path,
            "task_id": str(task_result.id),
            "outcome": outcome,
            "duration_ms": duration_ms,
            "attempts": task_result.attempts,
        },
    )
