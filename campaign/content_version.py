"""The site-wide content version, and the site data kept in the shared cache under it.

Every save or delete of content and every coordinator's post in the admin start a new
version (``config.pagecache`` connects the signals). What every page needs — the region in
the footer, the list of campaigns — is read once per content version and then comes from
the shared cache (Redis in production) at no query: a write starts a new version, so the
next request reads it again. Whatever changes by the clock is decided at read time from the
kept rows (a campaign's ``is_public`` looks at its publication window), so a campaign that
reaches its publication time shows without a write.
"""

import logging
import uuid

from django.core.cache import cache

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
# Site data outlives no content version; this bounds it when nothing is written for long.
SITE_DATA_SECONDS = 24 * 60 * 60


def current_version() -> str:
    return cache.get(VERSION_KEY) or new_version()


def new_version() -> str:
    token = uuid.uuid4().hex
    cache.set(VERSION_KEY, token, None)
    return token


def versioned(name: str, read, timeout: int = SITE_DATA_SECONDS):
    """``read()``, kept in the shared cache for the current content version under ``name``.
    The result must pickle (model instances and lists of them, no querysets). Without a
    working cache it is simply read."""
    try:
        key = f"site:{name}:{current_version()}"
        found = cache.get(key)
    except Exception:
        logger.exception("Site data cache unavailable")
        return read()
    if found is not None:
        return found
    value = read()
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.exception("Could not keep site data in the cache")
    return value
