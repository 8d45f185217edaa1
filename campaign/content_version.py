"""The site-wide content version, and the site data kept in the shared cache under it.

Every save or delete of content and every coordinator's post in the admin start a new
version (``config.pagecache`` connects the signals). What every page needs — the region in
the footer, the list of campaigns — is read once per content version and then comes from
the shared cache (Redis in production) at no query: a write starts a new version, so the
next request reads it again. Whatever changes by the clock is decided at read time from the
kept rows (a campaign's ``is_public`` looks at its publication window), so a campaign that
reaches its publication time shows without a write.
"""

import hashlib
import logging
import re
import time
import uuid

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


def current_version() -> str:
    return cache.get(VERSION_KEY) or new_version()


def new_version() -> str:
    token = uuid.uuid4().hex
    cache.set(VERSION_KEY, token, None)
    return token


def versioned(name: str, read, timeout: int = SITE_DATA_SECONDS):
    """``read()``, kept in the shared cache for the current content version under ``name``.
    The result must pickle (model instances and lists of them, no querysets). One cache
    round trip when kept (the version and the entry together). Without a working cache
    it is simply read."""
    key = f"site:{name}"
    try:
        found = cache.get_many([VERSION_KEY, key])
    except Exception:
        logger.exception("Site data cache unavailable")
        return read()
    token = found.get(VERSION_KEY) or new_version()
    entry = found.get(key)
    if entry is not None and entry[0] == token:
        return entry[1]
    value = read()
    try:
        cache.set(key, (token, value), timeout)
    except Exception:
        logger.exception("Could not keep site data in the cache")
    return value


def is_public_request(request) -> bool:
    """A visitor who sees what every visitor sees: no session (coordinators, previews
    by a coordinator), no messages waiting, and no query parameter but the few that select
    a public variant of a page (so no preview link)."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and set(request.GET) <= CACHED_PARAMS
        # Made-up values must not fill the cache (it also holds the rate limits).
        and all(PARAM_VALUE.match(value) for value in request.GET.values())
    )


def may_use_fragments(request) -> bool:
    """Whether this request may be served parts of pages kept for everyone (the fragments
    of ``config.fragments``, the rows a detail page shows): a public request, with the
    fragment cache on."""
    if request is None or settings.FRAGMENT_CACHE_SECONDS <= 0:
        return False
    allowed = getattr(request, "_fragments_allowed", None)
    if allowed is None:
        allowed = request.method in ("GET", "HEAD") and is_public_request(request)
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
    not kept. One cache round trip when found (the version and the entry together)."""
    digest = hashlib.sha256("\x1f".join(map(str, key_parts)).encode()).hexdigest()
    key = f"kept:{name}:{digest}"
    try:
        found = cache.get_many([VERSION_KEY, key])
    except Exception:
        logger.exception("Cache unavailable for %s", name)
        return read()
    token = found.get(VERSION_KEY) or new_version()
    entry = found.get(key)
    if entry is not None and entry[0] == token and entry[1] > time.time():
        return entry[2]
    value = read()
    if value is None:
        return value
    try:
        expires = time.time() + settings.FRAGMENT_CACHE_SECONDS
        if _next_change is not None:
            expires = min(expires, _next_change(token))
        lifetime = int(expires - time.time())
        if lifetime > 0:
            cache.set(key, (token, expires, value), lifetime)
    except Exception:
        logger.exception("Could not keep %s in the cache", name)
    return value
