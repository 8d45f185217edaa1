"""gunicorn, as production runs it: `gunicorn -c config/gunicorn.conf.py` (`make prod`).

Every setting can be changed through the environment (below) or gunicorn's own
GUNICORN_CMD_ARGS. Behind nginx on the same machine, bind to 127.0.0.1 or a Unix socket
only: Django believes X-Forwarded-Proto from whoever connects (README, *Behind a proxy*).
"""

import multiprocessing
import os
from pathlib import Path

import environ

# The same .env as the site (config/settings.py); real environment variables win.
environ.Env.read_env(Path(__file__).resolve().parent.parent / ".env", overwrite=False)
env = environ.Env()

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers, the usual rule of thumb: two per core plus one. Each holds one request
# at a time, so a slow client is nginx's business (it buffers), not a worker's.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request that takes longer than this is killed (the worker restarts); the slowest
# pages (a share image drawn for the first time) take well under a second.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM (a deploy), requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# A worker is replaced after this many requests (with jitter, not all at once), so
# memory that a library leaks never piles up.
max_requests = 2000
max_requests_jitter = 200
# Load the application once in the master and fork it: faster starts, less memory.
preload_app = True

# The app writes one structured line per request itself (config.logs: method, path
# without the query string, status, duration, queries; JSON with LOG_FORMAT=json).
# gunicorn's own access log would repeat it: set GUNICORN_ACCESS_LOG=- for it on stdout.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

if (
    os.environ.get("LOG_FORMAT", "json" if os.environ.get("DEBUG", "") != "true" else "plain")
    == "json"
):
    # gunicorn's own lines (start, stop, worker timeouts) as JSON too.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            }
        },
        "handlers": {
            "error_console": {"class": "logging.StreamHandler", "formatter": "json"},
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["error_console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
