"""Preview of content that is not public yet, exactly as it will look on the site.

Two ways in, one mechanism (``PreviewMixin`` on a detail view):
- a coordinator who is logged in and may view that kind of content in the admin;
- anyone with a shareable link for one draft: ``?voorbeeld=<token>``, signed with a salt per
  model, valid for ``PREVIEW_LINK_DAYS``. It opens exactly that row, read-only.

A preview is never cached as public and never indexed. Lists on a previewed page keep
showing public rows only, so a link for one draft cannot reveal another.
"""

import datetime as dt
from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.http import Http404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from campaign.publishing import PublicationStatus

PREVIEW_PARAM = "voorbeeld"


def _salt(model) -> str:
    # One salt per model: a link for storyline 3 is no link for school 3.
    return f"campaign.preview:{model.__module__}.{model.__qualname__}"


def preview_token(obj) -> str:
    """A signed token that opens ``obj`` (and nothing else) in preview for a while."""
    return signing.dumps(obj.pk, salt=_salt(type(obj)))


def preview_url(obj) -> str:
    """The shareable address: the object's own page with the token."""
    url = obj.get_absolute_url()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{urlencode({PREVIEW_PARAM: preview_token(obj)})}"


def preview_link_expires_at(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(days=settings.PREVIEW_LINK_DAYS)


def pk_from_preview_token(model, token: str):
    """The primary key a token opens for ``model``; None when tampered with, for another
    model, or expired."""
    try:
        return signing.loads(
            token, salt=_salt(model), max_age=dt.timedelta(days=settings.PREVIEW_LINK_DAYS)
        )
    except signing.BadSignature:  # SignatureExpired is one too
        return None


def may_preview(user, model) -> bool:
    """Staff who may view this kind of content in the admin may see it before it is public."""
    if not (user.is_active and user.is_staff):
        return False
    content_type = ContentType.objects.get_for_model(model)  # cached after the first use
    return user.has_perm(f"{content_type.app_label}.view_{content_type.model}")


@dataclass(frozen=True)
class Preview:
    """What the banner says about the row being previewed."""

    obj: object
    token: str = ""
    # For a row shown on another row's page (a film on its storyline's): how it is asked for.
    params: tuple = ()

    @property
    def is_shared_link(self) -> bool:
        return bool(self.token)

    @property
    def query(self) -> str:
        """The query string that links must keep to stay within the preview."""
        params = dict(self.params)
        if self.token:
            params[PREVIEW_PARAM] = self.token
        return urlencode(params)

    @property
    def state(self) -> str:
        """Why it is not public: ``unscheduled`` (a draft, or news not approved),
        ``scheduled`` (goes live later), ``offline`` (its "offline vanaf" has passed) or
        ``elsewhere`` (public itself, but part of something that is not)."""
        obj, now = self.obj, timezone.now()
        if obj.status != PublicationStatus.PUBLISHED or obj.published_at is None:
            return "unscheduled"
        if obj.unpublish_at and obj.unpublish_at <= now:
            return "offline"
        if obj.published_at > now:
            return "scheduled"
        return "elsewhere"


def preview_for(request, obj) -> Preview | None:
    """A preview of ``obj`` (not public) when this request may see it: through its own
    shared link, or as a coordinator. Never for a form being sent."""
    if request.method not in ("GET", "HEAD"):
        return None
    token = request.GET.get(PREVIEW_PARAM, "")
    if token and pk_from_preview_token(type(obj), token) == obj.pk:
        return Preview(obj, token=token)
    if may_preview(request.user, type(obj)):
        return Preview(obj)
    return None


def preview_child(request, queryset, param: str) -> Preview | None:
    """A preview of a row that another page shows once it is public (a film on its
    storyline's page, a round on the page for schools), asked for with ``?<param>=<pk>``."""
    pk = request.GET.get(param, "")
    if not pk.isdigit() or not may_ask_for_preview(request, queryset.model):
        return None
    child = queryset.filter(pk=pk).first()
    preview = preview_for(request, child) if child and not child.is_public else None
    return replace(preview, params=((param, pk),)) if preview else None


def may_ask_for_preview(request, model) -> bool:
    """Worth looking for a row that is not public: a coordinator, or a link with a token.
    Costs no query for an anonymous visitor, so a 404 costs what it did."""
    return PREVIEW_PARAM in request.GET or may_preview(request.user, model)


def mark_preview_response(response, *, shared: bool):
    """No cache anywhere may keep a preview, and no search engine may index a shared one."""
    add_never_cache_headers(response)  # private, no-store, no-cache, max-age=0
    if shared:
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class PreviewMixin:
    """For a DetailView of publishable content: public rows for everyone, and rows that
    are not public yet for those who may preview them.

    A view gives ``get_base_queryset()`` (everything the page needs, drafts included) and
    ``filter_public()`` (the rule of what anyone may see). Only GET and HEAD preview:
    a form on a previewed page cannot be sent.
    """

    preview: Preview | None = None

    def get_base_queryset(self):
        return self.model.objects.all()

    def filter_public(self, queryset):
        return queryset.published()

    def get_queryset(self):
        return self.filter_public(self.get_base_queryset())

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            if queryset is not None or not may_ask_for_preview(self.request, self.model_class()):
                raise
            obj = super().get_object(self.get_base_queryset())
            self.preview = preview_for(self.request, obj)
            if self.preview is None:
                raise
            return obj

    def model_class(self):
        return self.get_base_queryset().model

    def get_preview_child(self, queryset, param: str):
        """A row this page shows once it is public (a film on its storyline's page), shown
        now to a coordinator or to the holder of its shared link: ``?<param>=<pk>``."""
        preview = preview_child(self.request, queryset, param)
        if preview is None:
            return None
        if self.preview is None:
            self.preview = preview
        return preview.obj

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=self.preview, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.preview is not None:
            mark_preview_response(response, shared=self.preview.is_shared_link)
        return response
