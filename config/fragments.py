"""Parts of a page that are the same for every visitor, rendered once per content version.

The full-page cache (``config.pagecache``) serves a whole page to anonymous visitors. Pages
it cannot keep (a form with a CSRF token, a CSP nonce) and the first visitor after every
change render again; most of such a page is still the same for everyone: the header's
menus, the footer, the card lists. ``{% fragment "name" vary… %}…{% endfragment %}`` keeps
the rendered HTML of such a part in the shared cache, under the same rules as the pages:

- an entry belongs to one content version (every save of content starts a new one) and
  lives no longer than the next scheduled change (a publication time, a session that opens
  for sign-up, midnight), so a fragment is never staler than a cached page would be;
- the active campaign is always part of the key; everything else the part depends on
  (the object shown, a ``?voor=`` variant, the menu's current page) must be named as a
  vary value;
- only visitors who see what everyone sees use it (``is_public_request``: no session, so
  no coordinator and no preview, no messages, no unknown query parameter); they render
  everything fresh;
- a lookup is one cache round trip (the version and the entry in one ``get_many``); when
  the cache is away the part is simply rendered.

``FRAGMENT_CACHE_SECONDS = 0`` turns it off (development, and the test suite except the
tests of this module).
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from campaign.content_version import VERSION_KEY, new_version
from config.pagecache import is_public_request, next_change_for

logger = logging.getLogger(__name__)


def may_use_fragments(request) -> bool:
    if request is None or settings.FRAGMENT_CACHE_SECONDS <= 0:
        return False
    allowed = getattr(request, "_fragments_allowed", None)
    if allowed is None:
        allowed = request.method in ("GET", "HEAD") and is_public_request(request)
        request._fragments_allowed = allowed
    return allowed


def fragment_key(name: str, campaign, vary) -> str:
    parts = [name, str(campaign.pk if campaign is not None else "-"), *map(str, vary)]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"fragment:{digest}"


def cached_fragment(request, name: str, vary, render) -> str:
    """The HTML of ``render()`` for ``name`` and ``vary``, from the shared cache when it
    belongs to the current content version, else rendered (and kept)."""
    if not may_use_fragments(request):
        return render()
    from campaign.context_processors import get_active_campaign

    key = fragment_key(name, get_active_campaign(request), vary)
    try:
        found = cache.get_many([VERSION_KEY, key])
    except Exception:
        logger.exception("Fragment cache unavailable")
        return render()
    token = found.get(VERSION_KEY) or new_version()
    entry = found.get(key)
    if entry is not None and entry[0] == token and entry[1] > time.time():
        return mark_safe(entry[2])  # noqa: S308 - our own rendered, escaped template output
    html = render()
    try:
        expires = min(time.time() + settings.FRAGMENT_CACHE_SECONDS, next_change_for(token))
        lifetime = int(expires - time.time())
        if lifetime > 0:
            cache.set(key, (token, expires, str(html)), lifetime)
    except Exception:
        logger.exception("Could not keep a fragment in the cache")
    return html


def lazy_list(read) -> SimpleLazyObject:
    """``list(read())`` on first use: a view's data for a part of the page that may come
    from the fragment cache costs no query when it does."""
    return SimpleLazyObject(lambda: list(read()))
