"""The site-wide content version, and the site data kept in the shared cache under it.

Every save or delete of content and every coordinator's post in the admin start a new
version (``config.pagecache`` connects the signals). What every page needs — the region in
the footer, the list of campaigns — is read once per content version and then comes from
the shared cache (Redis in production) at no query: a write starts a new version, so the
next request reads it again. Whatever changes by the clock is decided at read time from the
kept rows (a campaign's ``is_public`` looks at its publication window), so a campaign that
reaches its publication time shows without a write.

Within a request the version is read once, at its first use (``current_version``), and
kept for the rest of the request (a write in the request starts a new one and keeps
that). What is kept under a version is also held in the process (``_Local``, a small
least-recently-used store): with the version read, a part of a page the process has
already seen costs no further round trip. Entries carry their version, so a process
never serves what belongs to an older one.
"""

import contextvars
import hashlib
import logging
import pickle
import re
import threading
import time
import uuid
from collections import OrderedDict

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
# Site data outlives no content version; this bounds it when nothing is written for long.
SITE_DATA_SECONDS = 24 * 60 * 60
# Query parameters that select a public variant of a page; with any other one a request
# is not served from (or kept in) the page and fragment caches.
CACHED_PARAMS = {"voor", "profiel", "verhaallijn", "pagina", "page"}
PARAM_VALUE = re.compile(r"^[\w-]{1,60}$", re.ASCII)


# The version as this request read it: a dict while a request runs, else None (commands,
# tasks and tests outside a request read the shared cache every time).
_request_state = contextvars.ContextVar("content_version_request", default=None)


def request_started(**_kwargs) -> None:
    _request_state.set({})


def request_finished(**_kwargs) -> None:
    _request_state.set(None)


def _read_version() -> str:
    try:
        return cache.get(VERSION_KEY) or new_version()
    except Exception:
        # The cache is away: a token that matches nothing kept, so everything is read.
        logger.exception("Content version unavailable")
        return "unavailable-" + uuid.uuid4().hex


def current_version() -> str:
    state = _request_state.get()
    if state is None:
        return _read_version()
    if "token" not in state:
        state["token"] = _read_version()
    return state["token"]


def new_version() -> str:
    token = uuid.uuid4().hex
    cache.set(VERSION_KEY, token, None)
    state = _request_state.get()
    if state is not None:
        state["token"] = token
    return token


class _Local:
    """What this process has read from the shared cache, by key: (version, expires,
    value). Strings are held as they are; anything else pickled, so that no two requests
    share one mutable object."""

    def __init__(self, size: int):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key: str, token: str):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or entry[0] != token or entry[1] <= time.time():
                return None
            self.entries.move_to_end(key)
        value = entry[2]
        return pickle.loads(value) if isinstance(value, bytes) else value  # noqa: S301 - ours

    def put(self, key: str, token: str, expires: float, value) -> None:
        held = value if isinstance(value, str) else pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        with self.lock:
            self.entries[key] = (token, expires, held)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


LOCAL_ENTRIES = 256
_local = _Local(LOCAL_ENTRIES)


def _lookup(key: str):
    """(token, value or None): the current version and what is kept under ``key`` for it,
    from the process when it has it, else from the shared cache."""
    token = current_version()
    value = _local.get(key, token)
    if value is not None:
        return token, value
    entry = cache.get(key)
    if entry is not None and entry[0] == token and entry[1] > time.time():
        _local.put(key, *entry)
        return token, entry[2]
    return token, None


def _keep(key: str, token: str, expires: float, value) -> None:
    lifetime = int(expires - time.time())
    if lifetime > 0:
        cache.set(key, (token, expires, value), lifetime)
        _local.put(key, token, expires, value)


def versioned(name: str, read, timeout: int = SITE_DATA_SECONDS):
    """``read()``, kept in the shared cache for the current content version under ``name``.
    The result must pickle (model instances and lists of them, no querysets). Without a
    working cache it is simply read."""
    key = f"site:{name}"
    try:
        token, found = _lookup(key)
    except Exception:
        logger.exception("Site data cache unavailable")
        return read()
    if found is not None:
        return found
    value = read()
    try:
        _keep(key, token, time.time() + timeout, value)
    except Exception:
        logger.exception("Could not keep site data in the cache")
    return value


def is_public_request(request, *, ignoring=()) -> bool:
    """A visitor who sees what every visitor sees: no session (coordinators, previews
    by a coordinator), no messages waiting, and no query parameter but the few that select
    a public variant of a page (so no preview link). A view that handles a parameter of
    its own (search's ``q``) and bounds what it keeps for it names it in ``ignoring``."""
    params = {name: value for name, value in request.GET.items() if name not in ignoring}
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and set(params) <= CACHED_PARAMS
        # Made-up values must not fill the cache (it also holds the rate limits).
        and all(PARAM_VALUE.match(value) for value in params.values())
    )


def may_use_fragments(request, *, ignoring=()) -> bool:
    """Whether this request may be served parts of pages kept for everyone (the fragments
    of ``config.fragments``, the rows a detail page shows): a public request, with the
    fragment cache on. Decided at the first call of the request: a view that passes
    ``ignoring`` (see ``is_public_request``) asks before its template does."""
    if request is None or settings.FRAGMENT_CACHE_SECONDS <= 0:
        return False
    allowed = getattr(request, "_fragments_allowed", None)
    if allowed is None:
        allowed = request.method in ("GET", "HEAD") and is_public_request(
            request, ignoring=ignoring
        )
        request._fragments_allowed = allowed
    return allowed


# The next moment at which some public page changes by the clock (a publication time, a
# session that opens for sign-up, midnight), as a timestamp, for a content version:
# ``config.pagecache.next_change_for``, set when the project starts (it reads every app).
_next_change = None


def set_next_change(reader) -> None:
    global _next_change
    _next_change = reader


def kept_for_everyone(name: str, read, *, key_parts=()):
    """``read()``, kept in the shared cache for everyone under ``name`` and ``key_parts``:
    for the current content version and until the next change by the clock, as the pages
    of the full-page cache are. Only for a public request with the fragment cache on
    (``may_use_fragments``); the caller checks that first. A ``None`` from ``read()`` is
    not kept. No round trip when this process holds it for the version, else one."""
    digest = hashlib.sha256("\x1f".join(map(str, key_parts)).encode()).hexdigest()
    key = f"kept:{name}:{digest}"
    try:
        token, found = _lookup(key)
    except Exception:
        logger.exception("Cache unavailable for %s", name)
        return read()
    if found is not None:
        return found
    value = read()
    if value is None:
        return value
    try:
        expires = time.time() + settings.FRAGMENT_CACHE_SECONDS
        if _next_change is not None:
            expires = min(expires, _next_change(token))
        _keep(key, token, expires, value)
    except Exception:
        logger.exception("Could not keep %s in the cache", name)
    return value
