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
- the version is read once per request; a part this process already holds for that
  version costs no round trip, else one (``campaign.content_version``); when the cache is
  away the part is simply rendered.

``FRAGMENT_CACHE_SECONDS = 0`` turns it off (development, and the test suite except the
tests of this module).
"""

from django.utils.safestring import mark_safe

from campaign.content_version import kept_for_everyone, may_use_fragments
from campaign.kept import campaign_part


def cached_fragment(request, name: str, vary, render) -> str:
    """The HTML of ``render()`` for ``name`` and ``vary``, from the shared cache when it
    belongs to the current content version, else rendered (and kept)."""
    if not may_use_fragments(request):
        return render()
    html = kept_for_everyone(
        "fragment:" + name, lambda: str(render()), key_parts=[campaign_part(request), *vary]
    )
    return mark_safe(html)  # noqa: S308 - our own rendered, escaped template output
