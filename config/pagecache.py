"""A full-page cache for anonymous visitors, in the shared cache (Redis in production).

One content version for the whole site: every save or delete of content (any model of
the content apps, their many-to-many links included) and every coordinator's post in the
admin (actions that update rows in bulk send no signals) start a new version, so the next
visitor after a coordinator presses save sees the change. Pages that change by the clock
(a scheduled publication or "offline vanaf", a session that starts or opens for sign-up,
an open day that ends, the daily turn of the schools) are kept only until the next such
moment. Lookups cost one cache round trip (the version and the page in one ``get_many``).

What is never cached: anything but GET; visitors with a session (coordinators) or with
messages waiting; previews and any query parameter outside a short list (search, preview
links, tracking tags); responses that set a cookie (a CSRF token), carry a CSP nonce,
say ``no-store``/``private``/``no-cache``, or are not 200. So no cached page carries
another visitor's CSRF token, message or nonce. A page that looked at the session says
``Vary: Cookie``; it is kept all the same, because only the cookies that can change a
page (the session's and the messages') make a visitor skip the cache, and a CSRF token
always comes with a Set-Cookie.
"""

import datetime as dt
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone

from campaign.content_version import VERSION_KEY, is_public_request, new_version

logger = logging.getLogger(__name__)

CONTENT_MODULES = {
    "campaign.models",
    "campaign.region",  # the region's name, partners and contacts: every page's footer
    "schools.models",
    "companies.models",
    "events.models",
}
# Rows of the content apps that no public page shows: their saves keep the pages. (A
# registration is shown: the free seats of its session.)
NOT_SHOWN = {"OutgoingEmail", "Photo", "ParticipationCount", "Contribution"}


def scheduled_fields():
    """(queryset, datetime fields): the moments at which a public page changes by itself."""
    from campaign.models import Campaign, Page, SocialPost, Storyline, Video
    from companies.models import Company
    from events.models import MasterclassRound, Session
    from schools.models import NewsItem, OpenDay, School

    window = ["published_at", "unpublish_at"]
    return [
        (Campaign.objects, window),
        (Storyline.objects, window),
        (Video.objects, window),
        (Page.objects, window),
        (School.objects, window),
        (Company.objects, window),
        (MasterclassRound.objects, window),
        (NewsItem.objects, window),
        (
            Session.objects,
            [*window, "starts_at", "ends_at", "registration_opens_at", "registration_closes_at"],
        ),
        (OpenDay.objects, ["starts_at", "ends_at"]),
        (SocialPost.objects, ["posted_at"]),
    ]


def next_scheduled_change(now: dt.datetime) -> dt.datetime:
    """The first moment after ``now`` at which some page changes without a save."""
    tomorrow = timezone.localtime(now).date() + dt.timedelta(days=1)
    # The daily turns (rotate_for_day) and "today"/"this week" change at midnight.
    moments = [timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min))]
    for queryset, fields in scheduled_fields():
        found = queryset.aggregate(
            **{field: Min(field, filter=Q(**{f"{field}__gt": now})) for field in fields}
        )
        moments += [moment for moment in found.values() if moment is not None]
    return min(moments)


def bump_version(**_kwargs) -> None:
    """Start a new content version at once (later reads in the same transaction, such as
    the site data of ``campaign.content_version``, see the change) and again once the change
    is committed (pages and site data read by others before the commit but stored after it
    carry an older version, so they are never served)."""

    def bump():
        try:
            new_version()
        except Exception:  # the cache being away must never fail a save
            logger.exception("Could not start a new page-cache version")

    bump()
    transaction.on_commit(bump)


def _is_content(sender) -> bool:
    return sender.__module__ in CONTENT_MODULES and sender.__name__ not in NOT_SHOWN


def content_changed(sender, instance=None, **kwargs) -> None:
    if _is_content(sender) and not _awaits_moderation(instance):
        bump_version()


def _awaits_moderation(instance) -> bool:
    # A school's news as sent in: no public page shows it until a coordinator publishes
    # it in the admin (and that admin post starts a new version).
    return type(instance).__name__ == "NewsItem" and instance.status == "submitted"


def m2m_content_changed(sender, action, **kwargs) -> None:
    if action.startswith("post_") and _is_content(kwargs["model"]):
        bump_version()


def connect_signals() -> None:
    """Called from ProjectConfig.ready(): one version bump per content write."""
    post_save.connect(content_changed, dispatch_uid="pagecache-save")
    post_delete.connect(content_changed, dispatch_uid="pagecache-delete")
    m2m_changed.connect(m2m_content_changed, dispatch_uid="pagecache-m2m")


def _page_key(request) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"pagecache:page:{digest}"


def next_change_for(token: str) -> float:
    """The next scheduled moment, looked up once per content version and moment."""
    key = f"pagecache:next:{token}"
    moment = cache.get(key)
    if moment is None or moment <= time.time():
        moment = next_scheduled_change(timezone.now()).timestamp()
        cache.set(key, moment, max(1, int(moment - time.time())))
    return moment


class PageCacheMiddleware:
    """Serve and keep anonymous GET pages; see the module docstring for the rules.

    Placed above the session, CSRF, message and CSP middleware: a page served from the
    cache needs none of them (their headers were kept with it).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL_PATH
        self.skipped_prefixes = (self.admin_prefix, settings.MEDIA_URL, settings.STATIC_URL)

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if request.method != "GET" or seconds <= 0 or not self.may_use_cache(request):
            response = self.get_response(request)
            if request.method not in ("GET", "HEAD", "OPTIONS") and request.path.startswith(
                self.admin_prefix
            ):
                bump_version()
            return response
        key = _page_key(request)
        try:
            found = cache.get_many([VERSION_KEY, key])
        except Exception:
            logger.exception("Page cache unavailable")
            return self.get_response(request)
        token = found.get(VERSION_KEY) or new_version()
        entry = found.get(key)
        if entry is not None and entry[0] == token and entry[1] > time.time():
            return self.rebuild(entry)
        response = self.get_response(request)
        if self.may_keep(request, response):
            self.keep(key, token, response, seconds)
        return response

    def may_use_cache(self, request) -> bool:
        return not request.path.startswith(self.skipped_prefixes) and is_public_request(request)

    @staticmethod
    def may_keep(request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        control = response.get("Cache-Control", "").lower()
        if any(word in control for word in ("private", "no-cache", "no-store", "max-age=0")):
            return False
        if "'nonce-" in response.get("Content-Security-Policy", ""):
            return False
        messages = getattr(request, "_messages", None)
        return not (messages is not None and (messages.used or messages._queued_messages))

    @staticmethod
    def keep(key: str, token: str, response, seconds: int) -> None:
        try:
            expires = min(time.time() + seconds, next_change_for(token))
            lifetime = int(expires - time.time())
            if lifetime <= 0:
                return
            headers = [(name, value) for name, value in response.items() if name.lower() != "date"]
            entry = (token, expires, response.status_code, headers, response.content)
            cache.set(key, entry, lifetime)
        except Exception:
            logger.exception("Could not keep a page in the cache")

    @staticmethod
    def rebuild(entry) -> HttpResponse:
        _token, _expires, status, headers, content = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response
